/* CityWatch map: an offline world basemap, clustered deployment markers, country shading,
 * and filters whose state lives in the address bar. No request leaves this site unless the
 * operator configured a tile server (data-tile-url). */
(function () {
  "use strict";

  var element = document.getElementById("map");
  if (!element || typeof L === "undefined") {
    return;
  }
  var config = element.dataset;
  var form = document.getElementById("filters");
  var countElement = document.getElementById("map-count");
  var listLink = document.getElementById("list-link");
  var shadeToggle = document.getElementById("shade-countries");
  var focusCountry = config.countryNumeric || config.countryName ? {
    numeric: config.countryNumeric || "",
    name: config.countryName || ""
  } : null;

  var map = L.map(element, {
    worldCopyJump: true,
    minZoom: 1,
    maxZoom: 14,
    maxBounds: [[-85, -240], [85, 240]],
    maxBoundsViscosity: 0.8,
    zoomSnap: 0.5
  }).setView([25, 15], element.clientWidth < 600 ? 1 : 2);
  map.attributionControl.setPrefix(false);

  if (config.tileUrl) {
    L.tileLayer(config.tileUrl, { attribution: config.tileAttribution || "" }).addTo(map);
  }

  var basemap = null;
  var countryCounts = { byNumeric: {}, byName: {} };
  var clusters = L.markerClusterGroup({
    chunkedLoading: true,
    showCoverageOnHover: false,
    maxClusterRadius: 50,
    iconCreateFunction: clusterIcon
  });
  map.addLayer(clusters);

  function clusterIcon(cluster) {
    var count = cluster.getChildCount();
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    return L.divIcon({
      html: "<span>" + count + "</span>",
      className: "cluster cluster-" + size,
      iconSize: L.point(36, 36)
    });
  }

  function queryString() {
    if (!form) {
      return config.fixedQuery || "";
    }
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) {
      if (String(value).trim() !== "") {
        params.append(key, value);
      }
    });
    return params.toString();
  }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      });
  }

  function withQuery(url, query) {
    return query ? url + "?" + query : url;
  }

  // The page gives each counted phrase as {forms: [...], table: "0111..."}: the forms in the
  // page's language and, for 0 to 199, the index of the form each number takes (gettext's
  // plural rule, computed on the server; see citywatch/web/plurals.py).
  function countPhrase(phrase, count) {
    if (!phrase) { return String(count); }
    var index = count < phrase.table.length ? count : 100 + (count % 100);
    var form = phrase.forms[Number(phrase.table.charAt(index))] || phrase.forms[phrase.forms.length - 1];
    return form.replace("%(count)s", count.toLocaleString(document.documentElement.lang));
  }

  function readPhrase(text) {
    try { return text ? JSON.parse(text) : null; } catch (error) { return null; }
  }

  var deploymentsPhrase = readPhrase(config.pluralDeployments);

  function countLabel(count) {
    return countPhrase(deploymentsPhrase, count);
  }

  function shadeClass(count) {
    if (!count) { return "country"; }
    if (count === 1) { return "country shade-1"; }
    if (count <= 3) { return "country shade-2"; }
    if (count <= 10) { return "country shade-3"; }
    return "country shade-4";
  }

  function countFor(feature) {
    var id = feature.id;
    var name = feature.properties && feature.properties.name;
    return (id && countryCounts.byNumeric[id]) || (name && countryCounts.byName[name]) || 0;
  }

  function isFocus(feature) {
    if (!focusCountry) { return false; }
    if (focusCountry.numeric && feature.id === focusCountry.numeric) { return true; }
    return !feature.id && feature.properties && feature.properties.name === focusCountry.name;
  }

  function styleCountries() {
    if (!basemap) { return; }
    var shading = shadeToggle && shadeToggle.checked;
    basemap.eachLayer(function (layer) {
      var path = layer.getElement && layer.getElement();
      if (path) {
        var classes = shading ? shadeClass(countFor(layer.feature)) : "country";
        if (isFocus(layer.feature)) { classes += " focus"; }
        path.setAttribute("class", classes + " leaflet-interactive");
      }
    });
  }

  function loadBasemap() {
    return getJSON(config.basemapUrl).then(function (topology) {
      var countries = topojson.feature(topology, topology.objects.countries);
      basemap = L.geoJSON(countries, {
        style: function () { return { className: "country", weight: 0.6 }; },
        onEachFeature: function (feature, layer) {
          layer.bindTooltip(function () {
            var n = countFor(feature);
            return feature.properties.name + (n ? ": " + countLabel(n) : "");
          }, { sticky: true });
        }
      }).addTo(map);
      basemap.bringToBack();
      if (focusCountry) {
        basemap.eachLayer(function (layer) {
          if (isFocus(layer.feature)) {
            map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 7 });
          }
        });
      }
      styleCountries();
    });
  }

  // User text (titles, places, names) goes into <bdi> or dir="auto" elements, so a title in
  // Arabic or Hebrew reads in its own direction inside a page in English, Spanish or Serbian.
  function isolated(text) {
    var span = document.createElement("bdi");
    span.textContent = text;
    return span;
  }

  function popupLine(label, values) {
    var line = document.createElement("p");
    if (label) {
      line.appendChild(document.createTextNode(label + ": "));
    }
    values.forEach(function (value, index) {
      if (index) { line.appendChild(document.createTextNode(", ")); }
      line.appendChild(isolated(value));
    });
    return line;
  }

  function popupContent(data) {
    var box = document.createElement("div");
    box.className = "popup";
    var title = document.createElement("a");
    title.href = data.url;
    title.className = "popup-title";
    title.dir = "auto";
    title.textContent = data.title;
    box.appendChild(title);
    box.appendChild(popupLine("", [data.place]));
    box.appendChild(popupLine("", [data.status]));
    if (data.vendors.length) { box.appendChild(popupLine(config.labelVendors, data.vendors)); }
    if (data.technologies.length) {
      box.appendChild(popupLine(config.labelTechnologies, data.technologies));
    }
    var open = document.createElement("a");
    open.href = data.url;
    open.textContent = config.labelOpen + " →";
    box.appendChild(open);
    return box;
  }

  function makeMarker(row, statuses) {
    var status = statuses[row[3]];
    var marker = L.circleMarker([row[1], row[2]], {
      radius: 7,
      weight: 2,
      className: "marker status-" + status + (row[4] ? " nationwide" : "")
    });
    marker.bindPopup(config.labelLoading);
    marker.on("popupopen", function (event) {
      getJSON(config.popupUrl.replace(/0\.json$/, row[0] + ".json")).then(function (data) {
        event.popup.setContent(popupContent(data));
      });
    });
    return marker;
  }

  function loadPoints(query) {
    return getJSON(withQuery(config.pointsUrl, query)).then(function (data) {
      clusters.clearLayers();
      clusters.addLayers(data.rows.map(function (row) { return makeMarker(row, data.statuses); }));
      if (countElement) {
        countElement.textContent = countLabel(data.rows.length + data.unplaced);
      }
      element.dataset.markers = String(data.rows.length);
    });
  }

  function loadCountryCounts(query) {
    return getJSON(withQuery(config.countriesUrl, query)).then(function (data) {
      countryCounts = data;
      styleCountries();
    });
  }

  function refresh() {
    var query = queryString();
    if (form) {
      var url = window.location.pathname + (query ? "?" + query : "");
      window.history.replaceState(null, "", url);
      if (listLink) {
        listLink.href = listLink.href.split("?")[0] + (query ? "?" + query : "");
      }
    }
    return Promise.all([loadPoints(query), loadCountryCounts(query)]).then(function () {
      element.dataset.ready = "true";
    });
  }

  if (form) {
    form.addEventListener("change", refresh);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      refresh();
    });
  }
  if (shadeToggle) {
    shadeToggle.addEventListener("change", styleCountries);
  }
  loadBasemap().then(refresh);
})();
