/* Draw an area (a problem's place, an assessment's response or comparison area) on a
 * Leaflet map: each click adds a corner, "Finish" writes the closed ring into the form's
 * textarea as a GeoJSON Polygon, "Clear" empties it. An enhancement only: without it
 * (or without Leaflet) the textarea, holding GeoJSON, is the form. See _area_draw.html. */
(function () {
  "use strict";

  var AREA_STYLE = { color: "#0b5cad", weight: 2, fillColor: "#0b5cad", fillOpacity: 0.15 };
  var LINE_STYLE = { color: "#8a1c00", weight: 2, dashArray: "4 4" };
  var DECIMALS = 6;

  if (!window.L) {
    return;
  }

  // The first ring of a typed Polygon as Leaflet positions; null for anything else.
  function typedRing(text) {
    var geometry;
    try {
      geometry = JSON.parse(text);
    } catch (error) {
      return null;
    }
    if (!geometry || geometry.type !== "Polygon" || !Array.isArray(geometry.coordinates)) {
      return null;
    }
    var ring = geometry.coordinates[0];
    if (!Array.isArray(ring) || ring.length < 4) {
      return null;
    }
    var points = [];
    for (var index = 0; index < ring.length - 1; index += 1) {
      var position = ring[index];
      if (!Array.isArray(position) || !isFinite(position[0]) || !isFinite(position[1])) {
        return null;
      }
      points.push(L.latLng(position[1], position[0]));
    }
    return points;
  }

  function polygonOf(points) {
    var ring = points.map(function (point) {
      return [Number(point.lng.toFixed(DECIMALS)), Number(point.lat.toFixed(DECIMALS))];
    });
    ring.push(ring[0].slice());
    return { type: "Polygon", coordinates: [ring] };
  }

  function setUp(picker) {
    var input = document.getElementById(picker.dataset.areaDraw);
    var mapElement = picker.querySelector("[data-area-map]");
    var status = picker.querySelector("[data-area-status]");
    if (!input || !mapElement || !status) {
      return;
    }
    picker.hidden = false;
    var map;
    try {
      map = L.map(mapElement, { scrollWheelZoom: false });
    } catch (error) {
      mapElement.hidden = true;
      status.textContent = picker.dataset.mapFailed;
      return;
    }
    if (picker.dataset.tilesUrl) {
      L.tileLayer(picker.dataset.tilesUrl, {
        attribution: picker.dataset.tilesAttribution || "",
        maxZoom: 19,
      }).addTo(map);
    }
    var corners = [];
    var line = L.polyline([], LINE_STYLE).addTo(map);
    var area = null;

    function showArea(points) {
      if (area) {
        map.removeLayer(area);
      }
      area = points ? L.polygon(points, AREA_STYLE).addTo(map) : null;
    }

    var typed = typedRing(input.value);
    var latitude = parseFloat(picker.dataset.centreLatitude);
    var longitude = parseFloat(picker.dataset.centreLongitude);
    if (typed) {
      showArea(typed);
      map.fitBounds(area.getBounds(), { padding: [12, 12] });
    } else if (isFinite(latitude) && isFinite(longitude)) {
      map.setView([latitude, longitude], 15);
    } else {
      map.setView([20, 0], 2);
    }

    map.on("click", function (event) {
      showArea(null);
      corners.push(event.latlng);
      line.setLatLngs(corners);
      status.textContent = picker.dataset.added;
    });

    picker.querySelector("[data-area-finish]").addEventListener("click", function () {
      if (corners.length < 3) {
        status.textContent = picker.dataset.tooFew;
        return;
      }
      input.value = JSON.stringify(polygonOf(corners));
      showArea(corners);
      corners = [];
      line.setLatLngs([]);
      status.textContent = picker.dataset.finished;
    });

    picker.querySelector("[data-area-clear]").addEventListener("click", function () {
      corners = [];
      line.setLatLngs([]);
      showArea(null);
      input.value = "";
      status.textContent = picker.dataset.cleared;
    });

    input.addEventListener("change", function () {
      var points = typedRing(input.value);
      if (points) {
        showArea(points);
        map.fitBounds(area.getBounds(), { padding: [12, 12] });
      }
    });
  }

  document.querySelectorAll("[data-area-draw]").forEach(setUp);
})();
