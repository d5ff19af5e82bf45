/* "Use my location": offered only where the browser can tell it, then sends the
 * position once to the locate page, which opens the neighbourhood that contains it. */
(function () {
  "use strict";

  var slot = document.querySelector("[data-use-my-location]");
  var template = document.getElementById("use-my-location");
  if (!slot || !template || !("geolocation" in navigator)) {
    return;
  }
  slot.appendChild(template.content.cloneNode(true));
  slot.hidden = false;
  var button = slot.querySelector("button");
  var status = slot.querySelector("[role=status]");

  button.addEventListener("click", function () {
    button.disabled = true;
    status.textContent = slot.dataset.finding;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        var query = new URLSearchParams({
          latitude: position.coords.latitude.toFixed(6),
          longitude: position.coords.longitude.toFixed(6),
        });
        window.location.assign(slot.dataset.locateUrl + "?" + query.toString());
      },
      function (error) {
        button.disabled = false;
        status.textContent =
          error.code === error.PERMISSION_DENIED ? slot.dataset.denied : slot.dataset.failed;
      },
      { enableHighAccuracy: false, timeout: 15000, maximumAge: 60000 }
    );
  });
})();
