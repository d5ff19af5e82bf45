/* The centre of a circle (an area to follow, or an area alert's audience): a click on a
 * Leaflet map fills in the form's latitude and longitude, and the circle shows the radius.
 * An enhancement only: without it (or without Leaflet) the inputs are the form. */
(function () {
  "use strict";

  var CIRCLE_STYLE = { color: "#0b5cad", weight: 2, fillOpacity: 0.1 };
  var picker = document.querySelector("[data-area-picker]");
  var latitudeInput = document.getElementById("id_latitude");
  var longitudeInput = document.getElementById("id_longitude");
  var radiusInput = document.getElementById("id_radius_metres");
  if (!picker || !latitudeInput || !longitudeInput || !window.L) {
    return;
  }
  var mapElement = picker.querySelector("[data-area-map]");
  var status = picker.querySelector("[data-area-status]");
  var circle = null;

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

  function radius() {
    var value = radiusInput ? parseInt(radiusInput.value, 10) : NaN;
    return isFinite(value) && value > 0 ? value : 500;
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

  function draw(point) {
    if (circle) {
      circle.setLatLng(point);
      circle.setRadius(radius());
    } else {
      circle = L.circle(point, Object.assign({ radius: radius() }, CIRCLE_STYLE)).addTo(map);
    }
  }

  var start = typedPoint();
  if (start) {
    draw(start);
    map.setView(start, 14);
  } else {
    map.setView([20, 0], 2);
  }

  map.on("click", function (event) {
    latitudeInput.value = event.latlng.lat.toFixed(6);
    longitudeInput.value = event.latlng.lng.toFixed(6);
    draw(event.latlng);
    status.textContent = picker.dataset.placed;
  });

  [latitudeInput, longitudeInput, radiusInput].forEach(function (input) {
    if (input) {
      input.addEventListener("change", function () {
        var point = typedPoint();
        if (point) {
          draw(point);
          map.panTo(point);
        }
      });
    }
  });
})();
