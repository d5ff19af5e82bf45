/* Draws the maps of web pages with Leaflet; see places/_map.html for the markup it reads.
 * Maps are an enhancement: each page also lists what the map shows, so when the map
 * cannot be drawn it is hidden and a note points to that list. */
(function () {
  "use strict";

  var BOUNDARY_STYLE = { color: "#0b5cad", weight: 3, fillColor: "#0b5cad", fillOpacity: 0.15 };
  var AREA_STYLE = { color: "#0b5cad", weight: 1.5, fillColor: "#0b5cad", fillOpacity: 0.08 };
  var AREA_HOVER_STYLE = { weight: 3, fillOpacity: 0.3 };
  var POINT_STYLE = { radius: 8, color: "#8a1c00", weight: 3, fillColor: "#d4351c", fillOpacity: 0.9 };
  // Street points with counts: the circle's area grows with the count.
  var COUNT_STYLE = { color: "#8a1c00", weight: 1.5, fillColor: "#d4351c", fillOpacity: 0.6 };
  var SMALLEST_RADIUS = 4;
  var RADIUS_RANGE = 12;
  // Below this zoom (a town rather than its streets) the points crowd each other, so
  // squares of CELL_PIXELS shade the counts they hold instead.
  var GRID_BELOW_ZOOM = 14;
  var CELL_PIXELS = 40;
  var CELL_STYLE = { color: "#8a1c00", weight: 0.5, fillColor: "#8a1c00" };
  var LEAST_OPACITY = 0.12;
  var OPACITY_RANGE = 0.6;

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

  // Whether the layer had a place to show: if not, the map gives way to its note.
  function fit(element, map, layer) {
    var bounds = layer.getBounds();
    if (!bounds.isValid()) {
      showFailure(element, map);
      return false;
    }
    map.fitBounds(bounds, { padding: [12, 12] });
    return true;
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
    return fit(element, map, layer);
  }

  function localNumber(count) {
    return count.toLocaleString(document.documentElement.lang || undefined);
  }

  // "__NAME__. Incidents: __COUNT__", translated on the page, filled in as text. The
  // patterns avoid plural forms, which differ by count in ways a script cannot know here.
  function countText(element, prefix, count, name) {
    var pattern = element.dataset[prefix + "Text"];
    var text = document.createElement("span");
    // Functions, not strings, as replacements: a "$&" in a street name stays as it is.
    text.textContent = String(pattern || "")
      .replace("__NAME__", function () {
        return String(name || "");
      })
      .replace("__COUNT__", function () {
        return localNumber(count);
      });
    return text;
  }

  function pointRadius(count, largest) {
    return SMALLEST_RADIUS + RADIUS_RANGE * Math.sqrt(count / largest);
  }

  function sampleCircle(radius) {
    var size = 2 * (SMALLEST_RADIUS + RADIUS_RANGE) + 2;
    var svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("width", String(size));
    svg.setAttribute("height", String(size));
    svg.setAttribute("aria-hidden", "true");
    var circle = document.createElementNS("http://www.w3.org/2000/svg", "circle");
    circle.setAttribute("cx", String(size / 2));
    circle.setAttribute("cy", String(size / 2));
    circle.setAttribute("r", String(radius));
    circle.setAttribute("fill", COUNT_STYLE.fillColor);
    circle.setAttribute("fill-opacity", String(COUNT_STYLE.fillOpacity));
    circle.setAttribute("stroke", COUNT_STYLE.color);
    svg.appendChild(circle);
    return svg;
  }

  function sampleSquare(opacity) {
    var square = document.createElement("span");
    square.className = "map-key";
    square.style.background = CELL_STYLE.fillColor;
    square.style.opacity = String(opacity);
    return square;
  }

  // The legend: a title and two samples, the least and the most, with their counts.
  function fillLegend(box, title, samples) {
    box.replaceChildren();
    var heading = document.createElement("p");
    heading.className = "map-legend-title";
    heading.textContent = title;
    var list = document.createElement("ul");
    // One sample when every point (or square) has the same count.
    var distinct = samples[0][1] === samples[samples.length - 1][1] ? samples.slice(0, 1) : samples;
    distinct.forEach(function (sample) {
      var item = document.createElement("li");
      item.appendChild(sample[0]);
      item.appendChild(document.createTextNode(localNumber(sample[1])));
      list.appendChild(item);
    });
    box.appendChild(heading);
    box.appendChild(list);
  }

  function pointLayer(element, features, largest) {
    return L.layerGroup(
      features.map(function (feature) {
        var count = countOf(feature);
        var coordinates = feature.geometry.coordinates;
        var style = L.extend(
          { radius: pointRadius(count, largest), className: "crime-point" },
          COUNT_STYLE
        );
        // A DOM node, not a string: Leaflet puts string tooltips in as HTML.
        return L.circleMarker([coordinates[1], coordinates[0]], style).bindTooltip(
          countText(element, "point", count, feature.properties.name)
        );
      })
    );
  }

  function countOf(feature) {
    return feature.properties.count;
  }

  // Squares fixed on the screen at this zoom, each shaded by the incidents it holds; with
  // the least and the most a square holds, for the legend.
  function cellLayer(element, map, features) {
    var zoom = map.getZoom();
    var sums = {};
    features.forEach(function (feature) {
      var coordinates = feature.geometry.coordinates;
      var pixel = map.project([coordinates[1], coordinates[0]], zoom);
      var key = Math.floor(pixel.x / CELL_PIXELS) + "," + Math.floor(pixel.y / CELL_PIXELS);
      sums[key] = (sums[key] || 0) + countOf(feature);
    });
    var counts = Object.keys(sums).map(function (key) {
      return sums[key];
    });
    var largest = Math.max.apply(null, counts);
    var layer = L.layerGroup(
      Object.keys(sums).map(function (key) {
        var cell = key.split(",").map(Number);
        var bounds = L.latLngBounds(
          map.unproject([cell[0] * CELL_PIXELS, cell[1] * CELL_PIXELS], zoom),
          map.unproject([(cell[0] + 1) * CELL_PIXELS, (cell[1] + 1) * CELL_PIXELS], zoom)
        );
        var style = L.extend(
          { fillOpacity: cellOpacity(sums[key], largest), className: "crime-cell" },
          CELL_STYLE
        );
        return L.rectangle(bounds, style).bindTooltip(countText(element, "cell", sums[key]));
      })
    );
    return { layer: layer, smallest: Math.min.apply(null, counts), largest: largest };
  }

  function cellOpacity(count, largest) {
    return LEAST_OPACITY + OPACITY_RANGE * (count / largest);
  }

  function drawPoints(element, map) {
    var legend = L.control({ position: "bottomright" });
    var box = document.createElement("div");
    box.className = "map-count-legend";
    legend.onAdd = function () {
      return box;
    };
    fetchGeoJSON(element.dataset.pointsUrl)
      .then(function (collection) {
        var features = collection.features || [];
        if (!features.length) {
          return;
        }
        var largest = Math.max.apply(null, features.map(countOf));
        var smallest = Math.min.apply(null, features.map(countOf));
        var points = pointLayer(element, features, largest);
        var shown = null;
        legend.addTo(map);
        function redraw() {
          if (shown) {
            map.removeLayer(shown);
          }
          if (map.getZoom() < GRID_BELOW_ZOOM) {
            var cells = cellLayer(element, map, features);
            shown = cells.layer;
            fillLegend(box, element.dataset.cellsLegend, [
              [sampleSquare(cellOpacity(cells.smallest, cells.largest)), cells.smallest],
              [sampleSquare(cellOpacity(cells.largest, cells.largest)), cells.largest],
            ]);
          } else {
            shown = points;
            fillLegend(box, element.dataset.pointsLegend, [
              [sampleCircle(pointRadius(smallest, largest)), smallest],
              [sampleCircle(pointRadius(largest, largest)), largest],
            ]);
          }
          shown.addTo(map);
        }
        map.on("zoomend", redraw);
        redraw();
      })
      .catch(function () {
        showFailure(element, map);
      });
  }

  function fetchGeoJSON(url) {
    return fetch(url, { headers: { Accept: "application/geo+json" } }).then(function (response) {
      if (!response.ok) {
        throw new Error("HTTP " + response.status);
      }
      return response.json();
    });
  }

  function drawNeighbourhoods(element, map) {
    var pattern = element.dataset.neighbourhoodUrl;
    fetchGeoJSON(element.dataset.boundariesUrl)
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
    // htmx announces the page's first content too: draw each map once.
    if (element.dataset.mapDrawn) {
      return;
    }
    element.dataset.mapDrawn = "true";
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
        if (drawBoundary(element, map) && element.dataset.pointsUrl) {
          drawPoints(element, map);
        }
      } else if (element.dataset.boundariesUrl) {
        drawNeighbourhoods(element, map);
      }
    } catch (error) {
      showFailure(element, map);
    }
  }

  if (window.L) {
    document.querySelectorAll("[data-map]").forEach(initMap);
    // Maps in content htmx swaps in (the crime page's figures) are drawn as they arrive.
    document.addEventListener("htmx:load", function (event) {
      event.detail.elt.querySelectorAll("[data-map]").forEach(initMap);
    });
  }
})();
