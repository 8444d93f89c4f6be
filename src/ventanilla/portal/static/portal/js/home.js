// "Use my home's location": where the browser can share a location, a button beside the home
// address fills the question's hidden latitude and longitude, and a polite live region says
// what happened. Without JavaScript or permission the inputs stay empty and the locality's
// centre stands for the home (places.selectors.home_of). The words come from the script tag.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !("geolocation" in navigator)) return;
  var words = script.dataset;
  document.querySelectorAll("input[data-home=lat]").forEach(function (lat) {
    var key = lat.name.replace(/__lat$/, "");
    var lon = document.querySelector("input[name='" + key + "__lon']");
    var line = document.querySelector("[name='" + key + "__line']");
    if (!lon || !line) return;
    var field = line.closest(".field") || line.parentNode;
    var box = document.createElement("div");
    box.className = "field";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button button--secondary";
    button.textContent = words.label;
    var status = document.createElement("p");
    status.className = "field__hint";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    if (lat.value && lon.value) status.textContent = words.kept;
    box.appendChild(button);
    box.appendChild(status);
    field.parentNode.insertBefore(box, field.nextSibling);
    button.addEventListener("click", function () {
      button.disabled = true;
      status.textContent = words.working;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          lat.value = position.coords.latitude.toFixed(6);
          lon.value = position.coords.longitude.toFixed(6);
          status.textContent = words.done;
          button.disabled = false;
        },
        function () {
          status.textContent = words.failed;
          button.disabled = false;
        },
        { timeout: 15000, maximumAge: 600000 }
      );
    });
  });
})();
