/* Leaflet finds its marker images from its stylesheet's URL, which hashed static file
 * names break; the unhashed copies sit in images/ beside leaflet.js. Loaded right after
 * leaflet.js on every page with a map. */
(function () {
  "use strict";
  var leafletScript = document.querySelector('script[src*="vendor/leaflet/leaflet"]');
  if (window.L && leafletScript) {
    L.Icon.Default.imagePath = leafletScript.src.replace(/[^/]*$/, "images/");
  }
})();
