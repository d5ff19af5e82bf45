/* The public map of a neighbourhood's reports: one dot per report at its approximate
 * place, linking to the report's page. The list on the page holds the same reports, so
 * when the map cannot be drawn it is hidden and a note says so. */
(function () {
  "use strict";

  var DOT_STYLE = { radius: 7, color: "#084582", weight: 2, fillColor: "#0b5cad", fillOpacity: 0.6 };

  var element = document.querySelector("[data-report-map]");
  if (!element || !window.L) {
    return;
  }
  var note = element.parentNode.querySelector("[data-map-status]");

  element.hidden = false;
  var map = L.map(element, { scrollWheelZoom: false });
  if (element.dataset.tilesUrl) {
    L.tileLayer(element.dataset.tilesUrl, {
      attribution: element.dataset.tilesAttribution || "",
      maxZoom: 19,
    }).addTo(map);
  }
  var centre = [parseFloat(element.dataset.centreLatitude), parseFloat(element.dataset.centreLongitude)];
  if (isFinite(centre[0]) && isFinite(centre[1])) {
    map.setView(centre, 15);
  } else {
    map.setView([0, 0], 2);
  }

  function showFailure() {
    map.remove();
    element.hidden = true;
    note.hidden = false;
  }

  function reportLink(feature) {
    var properties = feature.properties || {};
    var link = document.createElement("a");
    link.href = element.dataset.reportUrl.replace("REFERENCE", encodeURIComponent(properties.reference));
    // Text, never HTML: category names are content.
    link.textContent = String(properties.category || "") + " (" + String(properties.status || "") + ")";
    return link;
  }

  fetch(element.dataset.featuresUrl, { headers: { Accept: "application/geo+json" } })
    .then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    })
    .then(function (collection) {
      var layer = L.geoJSON(collection, {
        pointToLayer: function (feature, point) {
          return L.circleMarker(point, DOT_STYLE);
        },
        onEachFeature: function (feature, featureLayer) {
          featureLayer.bindPopup(reportLink(feature));
        },
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) {
        map.fitBounds(bounds, { padding: [16, 16], maxZoom: 16 });
      }
    })
    .catch(showFailure);
})();
