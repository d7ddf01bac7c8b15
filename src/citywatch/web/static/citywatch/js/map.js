/* CityWatch map: an offline world basemap, clustered deployment markers, country shading,
 * and filters whose state lives in the address bar (filters in the query, zoom, centre and
 * shading in the hash: #map=4/44.8/20.5&shade=1). No request leaves this site unless the
 * operator configured a tile server (data-tile-url).
 *
 * The basemap's shapes are cut at the antimeridian (scripts/cut_antimeridian.py). Parts that
 * lie near it are also drawn once more, 360 degrees over, so the Pacific reads as one sea
 * from either side and Fiji or Russia can be shown whole. */
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
  var shadeLegend = document.getElementById("shade-legend");
  var ngettext = window.ngettext || function (singular, plural, n) { return n === 1 ? singular : plural; };
  var interpolate = window.interpolate || function (text, values) {
    return text.replace(/%\((\w+)\)s/g, function (match, key) { return values[key]; });
  };
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
  element.leafletMap = map;  // for the browser tests and the console

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

  function deploymentsLabel(count) {
    var template = ngettext("%(count)s deployment", "%(count)s deployments", count);
    return interpolate(template, { count: count.toLocaleString(document.documentElement.lang) }, true);
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
    var shading = shadeToggle && shadeToggle.checked;
    if (shadeLegend) { shadeLegend.hidden = !shading; }
    if (!basemap) { return; }
    basemap.eachLayer(function (layer) {
      var path = layer.getElement && layer.getElement();
      if (path) {
        var classes = shading ? shadeClass(countFor(layer.feature)) : "country";
        if (isFocus(layer.feature)) { classes += " focus"; }
        path.setAttribute("class", classes + " leaflet-interactive");
      }
    });
  }

  /* Geometry helpers: lists of polygons, each a list of rings of [lon, lat] points. */
  function polygonsOf(geometry) {
    if (!geometry) { return []; }
    return geometry.type === "Polygon" ? [geometry.coordinates] :
      geometry.type === "MultiPolygon" ? geometry.coordinates : [];
  }

  function lonRange(polygon) {
    var min = Infinity, max = -Infinity;
    polygon[0].forEach(function (point) {
      min = Math.min(min, point[0]);
      max = Math.max(max, point[0]);
    });
    return [min, max];
  }

  function shifted(polygon, by) {
    return polygon.map(function (ring) {
      return ring.map(function (point) { return [point[0] + by, point[1]]; });
    });
  }

  /* Copies, 360 degrees over, of the parts of shapes that lie near the antimeridian. */
  function wrappedCopies(features) {
    var copies = [];
    features.forEach(function (feature) {
      [[-150, 360], [150, -360]].forEach(function (rule) {
        var parts = polygonsOf(feature.geometry).filter(function (polygon) {
          var range = lonRange(polygon);
          return rule[1] > 0 ? range[0] < rule[0] : range[1] > rule[0];
        }).map(function (polygon) { return shifted(polygon, rule[1]); });
        if (parts.length) {
          copies.push({
            type: "Feature", id: feature.id, properties: feature.properties,
            geometry: { type: "MultiPolygon", coordinates: parts }
          });
        }
      });
    });
    return copies;
  }

  /* The bounds that show a country whole: a country cut at the antimeridian (Fiji, Russia)
   * is measured over 0..360 degrees when that is narrower, then moved next to the map's
   * centre; the copies drawn 360 degrees over fill in the parts on the far side. */
  function countryBounds(feature) {
    var polygons = polygonsOf(feature.geometry);
    function span(shift) {
      var min = Infinity, max = -Infinity, south = Infinity, north = -Infinity;
      polygons.forEach(function (polygon) {
        var range = lonRange(polygon);
        var by = shift && (range[0] + range[1]) / 2 < 0 ? 360 : 0;
        min = Math.min(min, range[0] + by);
        max = Math.max(max, range[1] + by);
        polygon[0].forEach(function (point) {
          south = Math.min(south, point[1]);
          north = Math.max(north, point[1]);
        });
      });
      return { west: min, east: max, south: south, north: north };
    }
    var plain = span(false);
    var wrapped = span(true);
    var best = wrapped.east - wrapped.west < plain.east - plain.west ? wrapped : plain;
    if ((best.west + best.east) / 2 > 180) {
      best.west -= 360;
      best.east -= 360;
    }
    return L.latLngBounds([best.south, best.west], [best.north, best.east]);
  }

  function loadBasemap() {
    return getJSON(config.basemapUrl).then(function (topology) {
      var countries = topojson.feature(topology, topology.objects.countries);
      var features = countries.features.concat(wrappedCopies(countries.features));
      basemap = L.geoJSON({ type: "FeatureCollection", features: features }, {
        style: function () { return { className: "country", weight: 0.6 }; },
        onEachFeature: function (feature, layer) {
          layer.bindTooltip(function () {
            var n = countFor(feature);
            return feature.properties.name + (n ? ": " + deploymentsLabel(n) : "");
          }, { sticky: true });
        }
      }).addTo(map);
      basemap.bringToBack();
      element.basemap = basemap;
      if (focusCountry) {
        var focused = countries.features.filter(isFocus)[0];
        if (focused) {
          map.fitBounds(countryBounds(focused), { padding: [20, 20], maxZoom: 7 });
          element.dataset.focusBounds = map.getBounds().toBBoxString();
        }
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
      getJSON(config.popupUrl.replace(/marker\.json$/, encodeURIComponent(row[0]) + ".json")).then(function (data) {
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
        countElement.textContent = deploymentsLabel(data.rows.length + data.unplaced);
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

  /* The view in the address: #map=<zoom>/<lat>/<lng>&shade=1 (home page only). */
  function readHash() {
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    var view = (params.get("map") || "").split("/").map(Number);
    return {
      view: view.length === 3 && view.every(isFinite) ? view : null,
      shade: params.get("shade") === "1"
    };
  }

  function hashFor() {
    var centre = map.getCenter();
    var parts = ["map=" + [map.getZoom(), centre.lat.toFixed(2), centre.lng.toFixed(2)].join("/")];
    if (shadeToggle && shadeToggle.checked) { parts.push("shade=1"); }
    return "#" + parts.join("&");
  }

  function writeAddress(query) {
    if (!form) { return; }
    if (query === undefined) { query = queryString(); }
    var url = window.location.pathname + (query ? "?" + query : "") + hashFor();
    window.history.replaceState(null, "", url);
  }

  function refresh() {
    var query = queryString();
    if (form) {
      writeAddress(query);
      if (listLink) {
        listLink.href = listLink.href.split("?")[0] + (query ? "?" + query : "");
      }
    }
    return Promise.all([loadPoints(query), loadCountryCounts(query)]).then(function () {
      element.dataset.ready = "true";
    });
  }

  if (form) {
    var saved = readHash();
    if (saved.view) {
      map.setView([saved.view[1], saved.view[2]], saved.view[0]);
    }
    if (shadeToggle && saved.shade) {
      shadeToggle.checked = true;
    }
    form.addEventListener("change", refresh);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      refresh();
    });
    map.on("moveend", function () { writeAddress(); });
  }
  if (shadeToggle) {
    shadeToggle.addEventListener("change", function () {
      styleCountries();
      writeAddress();
    });
  }
  styleCountries();
  loadBasemap().then(refresh);
})();
