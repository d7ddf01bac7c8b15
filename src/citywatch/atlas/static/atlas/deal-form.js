/* The deal page, made quicker: rows are added without a round trip, new sources and
 * organisations appear in the lists as they are typed, long lists can be filtered, the place
 * list is searched as you type, and a small offline map sets the coordinates. The page works
 * without this file (the "add" buttons then ask the server for one more row). */
(function () {
  "use strict";

  var form = document.getElementById("deal-form");
  if (!form) {
    return;
  }
  var labels = form.dataset;
  var FILTER_FROM = 12;

  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  /* Calls back with root and with the content of every <template> inside it, at any depth:
   * the rows still to be added must offer the same choices as the rows on the page. */
  function eachRoot(root, callback) {
    callback(root);
    root.querySelectorAll("template").forEach(function (template) {
      eachRoot(template.content, callback);
    });
  }

  /* --- new sources and organisations in every list ------------------------------------- */

  function newLabel(kind, index, text) {
    var template = kind === "source" ? labels.labelNewSource : labels.labelNewOrganisation;
    var label = template.replace(/%\(number\)[sd]/, String(index + 1));
    return text ? label + ": " + text : label;
  }

  function eachSelect(kind, callback) {
    eachRoot(document, function (root) {
      root.querySelectorAll("select[data-choices='" + kind + "']").forEach(callback);
    });
  }

  function setNewOption(kind, index, text) {
    var value = "new:" + index;
    eachSelect(kind, function (select) {
      var group = select.querySelector("optgroup");
      if (!group) {
        return;
      }
      var option = select.querySelector("option[value='" + value + "']");
      if (!option) {
        option = document.createElement("option");
        option.value = value;
        group.appendChild(option);
      }
      option.textContent = newLabel(kind, index, text);
    });
  }

  form.addEventListener("input", function (event) {
    var kind = event.target.dataset && event.target.dataset.newLabel;
    if (!kind) {
      return;
    }
    var match = /^(sources|organisations)-(\d+)-/.exec(event.target.name);
    if (match) {
      setNewOption(kind, parseInt(match[2], 10), event.target.value.trim());
    }
  });

  /* --- adding rows ---------------------------------------------------------------------- */

  function addRow(target) {
    var template = document.getElementById("template-" + target);
    var total = form.querySelector("input[name='" + target + "-TOTAL_FORMS']");
    var rows = document.getElementById("rows-" + target);
    if (!template || !total || !rows) {
      return false;
    }
    var index = parseInt(total.value, 10) || 0;
    var placeholder = new RegExp(template.dataset.placeholder, "g");
    rows.insertAdjacentHTML("beforeend", template.innerHTML.replace(placeholder, String(index)));
    total.value = String(index + 1);
    if (target === "sources") {
      setNewOption("source", index, "");
    } else if (target === "organisations") {
      setNewOption("organisation", index, "");
    }
    var added = rows.lastElementChild;
    enhance(added);
    var first = added.querySelector("input:not([type=hidden]), select, textarea");
    if (first) {
      first.focus();
    }
    return true;
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-add]");
    if (button && addRow(button.dataset.add)) {
      event.preventDefault();
    }
  });

  /* --- filtering long lists --------------------------------------------------------------- */

  function addFilter(select) {
    if (select.dataset.filtered || select.options.length < FILTER_FROM) {
      return;
    }
    select.dataset.filtered = "1";
    var box = document.createElement("div");
    box.className = "list-filter";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = labels.labelFilter;
    input.setAttribute("aria-label", labels.labelFilter);
    box.appendChild(input);
    select.parentNode.insertBefore(box, select);
    input.addEventListener("input", function () {
      var wanted = fold(input.value.trim());
      Array.prototype.forEach.call(select.options, function (option) {
        option.hidden = Boolean(wanted) && option.value !== "" && !option.selected &&
          fold(option.textContent).indexOf(wanted) === -1;
      });
    });
  }

  function enhance(root) {
    root.querySelectorAll("select[data-choices]").forEach(addFilter);
  }

  enhance(form);

  /* --- the place: the place list as you type, and a small map ------------------------------ */

  var country = document.getElementById("id_place-country");
  var nationwide = document.getElementById("id_place-nationwide");
  var placeName = document.getElementById("id_place-name");
  var subdivision = document.getElementById("id_place-subdivision");
  var latitude = document.getElementById("id_place-latitude");
  var longitude = document.getElementById("id_place-longitude");
  var results = document.getElementById("place-results");
  var mapBox = document.getElementById("place-map-box");
  var mapElement = document.getElementById("place-map");
  var mapNote = document.getElementById("place-map-note");
  if (!country || !placeName || !mapElement) {
    return;
  }
  var config = mapElement.dataset;
  var picked = false;  // the coordinates came from a pick, not typed by hand
  var searchTimer = null;
  var map = null;
  var basemap = null;
  var marker = null;

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); });
  }

  function searchUrl(params) {
    var query = new URLSearchParams(params);
    query.set("country", country.value);
    return config.searchUrl + "?" + query.toString();
  }

  function hideResults() {
    results.hidden = true;
    results.textContent = "";
  }

  function choosePlace(place) {
    placeName.value = place.name;
    subdivision.value = place.subdivision || "";
    latitude.value = place.latitude;
    longitude.value = place.longitude;
    picked = true;
    hideResults();
    showPoint(true);
  }

  function showResults(places) {
    results.textContent = "";
    if (!places.length) {
      var none = document.createElement("li");
      none.className = "meta";
      none.textContent = config.labelNone;
      results.appendChild(none);
    }
    places.forEach(function (place) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      button.type = "button";
      button.setAttribute("role", "option");
      var name = document.createElement("bdi");
      name.textContent = place.name;
      button.appendChild(name);
      if (place.region || place.subdivision) {
        var region = document.createElement("span");
        region.className = "meta";
        region.textContent = [place.region, place.subdivision].filter(Boolean).join(" · ");
        button.appendChild(region);
      }
      button.addEventListener("click", function () { choosePlace(place); });
      item.appendChild(button);
      results.appendChild(item);
    });
    results.hidden = false;
  }

  placeName.addEventListener("input", function () {
    if (picked) {  // a new name: the picked point belonged to the old one
      latitude.value = "";
      longitude.value = "";
      subdivision.value = "";
      picked = false;
      showPoint(false);
    }
    window.clearTimeout(searchTimer);
    var text = placeName.value.trim();
    if (!country.value || text.length < 2) {
      hideResults();
      return;
    }
    searchTimer = window.setTimeout(function () {
      getJSON(searchUrl({ q: text })).then(function (data) {
        if (placeName.value.trim() === text) {
          showResults(data.places || []);
        }
      });
    }, 200);
  });

  placeName.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      hideResults();
    }
  });

  function syncNationwide() {
    var off = nationwide && nationwide.checked;
    [placeName, subdivision, latitude, longitude].forEach(function (input) {
      input.disabled = off;
    });
    if (off) {
      hideResults();
    }
  }

  if (nationwide) {
    nationwide.addEventListener("change", syncNationwide);
    syncNationwide();
  }

  /* The small map: country outlines drawn from the same offline file as the home map; no
   * tiles, no request to any other site. */
  if (typeof L === "undefined" || typeof topojson === "undefined" || !mapBox) {
    return;
  }
  mapBox.hidden = false;
  map = L.map(mapElement, { worldCopyJump: true, minZoom: 1, maxZoom: 12, zoomSnap: 0.5 })
    .setView([10, 20], 1);
  map.attributionControl.setPrefix(false);
  mapElement.leafletMap = map;  // for the browser tests

  function point() {
    var lat = parseFloat(String(latitude.value).replace(",", "."));
    var lon = parseFloat(String(longitude.value).replace(",", "."));
    return isFinite(lat) && isFinite(lon) ? L.latLng(lat, lon) : null;
  }

  function showPoint(move) {
    var where = point();
    if (marker) {
      map.removeLayer(marker);
      marker = null;
    }
    if (!where) {
      return;
    }
    marker = L.circleMarker(where, { radius: 7, weight: 2, className: "picked" }).addTo(map);
    if (move) {
      map.setView(where, Math.max(map.getZoom(), 6));
    }
  }

  function selectedNumeric() {
    var option = country.options[country.selectedIndex];
    return option ? option.getAttribute("data-numeric") || "" : "";
  }

  function fitCountry() {
    if (!basemap) {
      return;
    }
    var numeric = selectedNumeric();
    var found = null;
    basemap.eachLayer(function (layer) {
      var focus = Boolean(numeric) && layer.feature.id === numeric;
      var path = layer.getElement && layer.getElement();
      if (path) {
        path.setAttribute("class", "country leaflet-interactive" + (focus ? " focus" : ""));
      }
      if (focus && !found) {
        found = layer;
      }
    });
    var shown = country.value;
    map.once("moveend", function () { mapElement.dataset.country = shown; });
    if (point()) {
      showPoint(true);
    } else if (found) {
      map.fitBounds(found.getBounds(), { padding: [10, 10], maxZoom: 7, animate: false });
    } else {
      mapElement.dataset.country = shown;
    }
  }

  getJSON(config.basemapUrl).then(function (topology) {
    var countries = topojson.feature(topology, topology.objects.countries);
    basemap = L.geoJSON(countries, {
      style: function () { return { className: "country", weight: 0.6 }; }
    }).addTo(map);
    basemap.bringToBack();
    fitCountry();
    showPoint(false);
    mapElement.dataset.ready = "true";
  });

  country.addEventListener("change", function () {
    hideResults();
    fitCountry();
  });

  [latitude, longitude].forEach(function (input) {
    input.addEventListener("change", function () {
      picked = false;
      showPoint(true);
    });
  });

  map.on("click", function (event) {
    if (nationwide && nationwide.checked) {
      return;
    }
    var where = event.latlng.wrap();
    latitude.value = where.lat.toFixed(5);
    longitude.value = where.lng.toFixed(5);
    picked = false;
    showPoint(false);
    if (!country.value) {
      return;
    }
    mapNote.textContent = config.labelSearching;
    getJSON(searchUrl({ lat: where.lat.toFixed(5), lon: where.lng.toFixed(5) })).then(function (data) {
      var nearest = (data.places || [])[0];
      if (nearest) {
        placeName.value = nearest.name;
        subdivision.value = nearest.subdivision || "";
        mapNote.textContent = config.labelNearest + " " + nearest.name +
          (nearest.region ? ", " + nearest.region : "") + " (" + nearest.km + " km)";
      } else {
        mapNote.textContent = config.labelNoNearest;
      }
    });
  });
})();
