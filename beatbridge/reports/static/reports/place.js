/* The place of a report: a pin on a Leaflet map and "use my location", both filling in the
 * form's latitude and longitude inputs. An enhancement only: without it (or without
 * Leaflet) the inputs and the address field are the form, and they always stay usable. */
(function () {
  "use strict";

  var OUTLINE_STYLE = { color: "#0b5cad", weight: 2, fillOpacity: 0.05, interactive: false };

  var picker = document.querySelector("[data-place-picker]");
  var latitudeInput = document.getElementById("id_latitude");
  var longitudeInput = document.getElementById("id_longitude");
  if (!picker || !latitudeInput || !longitudeInput || !window.L) {
    return;
  }
  var mapElement = picker.querySelector("[data-place-map]");
  var status = picker.querySelector("[data-place-status]");
  var locateButton = picker.querySelector("[data-use-location]");
  var marker = null;

  function say(message) {
    status.textContent = message || "";
  }

  function typedPoint() {
    var latitude = parseFloat(latitudeInput.value);
    var longitude = parseFloat(longitudeInput.value);
    if (!isFinite(latitude) || !isFinite(longitude)) {
      return null;
    }
    if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
      return null;
    }
    return L.latLng(latitude, longitude);
  }

  picker.hidden = false;
  var map = L.map(mapElement, { scrollWheelZoom: false });
  if (picker.dataset.tilesUrl) {
    L.tileLayer(picker.dataset.tilesUrl, {
      attribution: picker.dataset.tilesAttribution || "",
      maxZoom: 19,
    }).addTo(map);
  }

  function placeMarker(point, moveMap) {
    if (marker) {
      marker.setLatLng(point);
    } else {
      marker = L.marker(point, { draggable: true, keyboard: false }).addTo(map);
      marker.on("dragend", function () {
        fillInputs(marker.getLatLng());
      });
    }
    if (moveMap) {
      map.setView(point, Math.max(map.getZoom() || 0, 16));
    }
  }

  function fillInputs(point) {
    latitudeInput.value = point.lat.toFixed(6);
    longitudeInput.value = point.lng.toFixed(6);
    say(picker.dataset.placed);
  }

  function fitTo(layer) {
    var bounds = layer.getBounds();
    if (bounds.isValid()) {
      map.fitBounds(bounds, { padding: [8, 8] });
    }
  }

  function showFailure() {
    map.remove();
    mapElement.hidden = true;
    say(picker.dataset.mapFailed);
  }

  function drawArea() {
    var start = typedPoint();
    if (picker.dataset.boundary) {
      var source = document.getElementById(picker.dataset.boundary);
      var layer = L.geoJSON(JSON.parse(source.textContent), { style: OUTLINE_STYLE }).addTo(map);
      if (!start) {
        fitTo(layer);
      }
    } else if (picker.dataset.boundariesUrl) {
      fetch(picker.dataset.boundariesUrl, { headers: { Accept: "application/geo+json" } })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (collection) {
          var layer = L.geoJSON(collection, { style: OUTLINE_STYLE }).addTo(map);
          if (!typedPoint()) {
            fitTo(layer);
          }
        })
        .catch(showFailure);
    }
    if (start) {
      placeMarker(start, false);
      map.setView(start, 16);
    } else if (!picker.dataset.boundary) {
      map.setView([0, 0], 2);
    }
  }

  try {
    drawArea();
  } catch (error) {
    showFailure();
    return;
  }

  map.on("click", function (event) {
    placeMarker(event.latlng, false);
    fillInputs(event.latlng);
  });

  function followInputs() {
    var point = typedPoint();
    if (point) {
      placeMarker(point, true);
    }
  }
  latitudeInput.addEventListener("change", followInputs);
  longitudeInput.addEventListener("change", followInputs);

  if (!("geolocation" in navigator)) {
    locateButton.hidden = true;
    return;
  }
  locateButton.addEventListener("click", function () {
    locateButton.disabled = true;
    say(picker.dataset.finding);
    navigator.geolocation.getCurrentPosition(
      function (position) {
        locateButton.disabled = false;
        var point = L.latLng(position.coords.latitude, position.coords.longitude);
        placeMarker(point, true);
        fillInputs(point);
        say(picker.dataset.found);
      },
      function (error) {
        locateButton.disabled = false;
        say(error.code === error.PERMISSION_DENIED ? picker.dataset.denied : picker.dataset.failed);
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
