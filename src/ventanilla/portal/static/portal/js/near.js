// "Nearest to me": where the browser can share a location, fill the search form's hidden
// latitude and longitude and send it; without JavaScript or permission the button stays hidden
// or does nothing, and the search by name and locality works as before.
(function () {
  "use strict";
  var form = document.querySelector("[data-near-form]");
  var button = form && form.querySelector("[data-near]");
  if (!button || !("geolocation" in navigator)) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (position) {
        form.querySelector("[name=lat]").value = position.coords.latitude.toFixed(5);
        form.querySelector("[name=lon]").value = position.coords.longitude.toFixed(5);
        form.submit();
      },
      function () { button.disabled = false; },
      { timeout: 10000, maximumAge: 600000 }
    );
  });
})();
