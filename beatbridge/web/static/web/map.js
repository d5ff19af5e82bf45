/* Draws the maps of web pages with Leaflet; see places/_map.html for the markup it reads.
 * Maps are an enhancement: each page also lists what the map shows, so when the map
 * cannot be drawn it is hidden and a note points to that list. */
(function () {
  "use strict";

  var BOUNDARY_STYLE = { color: "#0b5cad", weight: 3, fillColor: "#0b5cad", fillOpacity: 0.15 };
  var AREA_STYLE = { color: "#0b5cad", weight: 1.5, fillColor: "#0b5cad", fillOpacity: 0.08 };
  var AREA_HOVER_STYLE = { weight: 3, fillOpacity: 0.3 };
  var POINT_STYLE = { radius: 8, color: "#8a1c00", weight: 3, fillColor: "#d4351c", fillOpacity: 0.9 };

  // A point (a report's place) as a dot: clearer than a pin on a small map.
  function pointToLayer(feature, latlng) {
    return L.circleMarker(latlng, POINT_STYLE);
  }

  function setHidden(element, selector, hidden) {
    var found = element.parentNode.querySelector(selector);
    if (found) {
      found.hidden = hidden;
    }
  }

  function showFailure(element, map) {
    map.remove();
    element.hidden = true;
    setHidden(element, "[data-map-hint]", true);
    setHidden(element, "[data-map-status]", false);
  }

  function fit(element, map, layer) {
    var bounds = layer.getBounds();
    if (!bounds.isValid()) {
      showFailure(element, map);
      return;
    }
    map.fitBounds(bounds, { padding: [12, 12] });
  }

  function neighbourhoodUrl(pattern, feature) {
    var properties = feature.properties || {};
    return pattern
      .replace("__force__", encodeURIComponent(properties.force))
      .replace("ID__", encodeURIComponent(properties.id));
  }

  function drawBoundary(element, map) {
    var source = document.getElementById(element.dataset.boundary);
    var layer = L.geoJSON(JSON.parse(source.textContent), {
      style: function (feature) {
        return feature.geometry.type === "Point" ? POINT_STYLE : BOUNDARY_STYLE;
      },
      pointToLayer: pointToLayer,
      interactive: false,
    }).addTo(map);
    fit(element, map, layer);
  }

  function drawNeighbourhoods(element, map) {
    var pattern = element.dataset.neighbourhoodUrl;
    fetch(element.dataset.boundariesUrl, { headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (collection) {
        var layer = L.geoJSON(collection, {
          style: AREA_STYLE,
          onEachFeature: function (feature, featureLayer) {
            // A DOM node, not a string: Leaflet puts string tooltips in as HTML.
            var label = document.createElement("span");
            label.textContent = String((feature.properties || {}).name || "");
            featureLayer.bindTooltip(label, { sticky: true });
            featureLayer.on("click", function () {
              window.location.assign(neighbourhoodUrl(pattern, feature));
            });
            featureLayer.on("mouseover", function () {
              featureLayer.setStyle(AREA_HOVER_STYLE);
            });
            featureLayer.on("mouseout", function () {
              featureLayer.setStyle(AREA_STYLE);
            });
          },
        }).addTo(map);
        fit(element, map, layer);
      })
      .catch(function () {
        showFailure(element, map);
      });
  }

  function initMap(element) {
    element.hidden = false;
    setHidden(element, "[data-map-hint]", false);
    // Wheel zoom would trap a page scroll inside the map; the zoom buttons remain.
    var map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.25 });
    if (element.dataset.tilesUrl) {
      L.tileLayer(element.dataset.tilesUrl, {
        attribution: element.dataset.tilesAttribution || "",
        maxZoom: 19,
      }).addTo(map);
    }
    try {
      if (element.dataset.boundary) {
        drawBoundary(element, map);
      } else if (element.dataset.boundariesUrl) {
        drawNeighbourhoods(element, map);
      }
    } catch (error) {
      showFailure(element, map);
    }
  }

  if (window.L) {
    document.querySelectorAll("[data-map]").forEach(initMap);
  }
})();
