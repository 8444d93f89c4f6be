// "Quedan 1000 caracteres": under a text box with a maxlength, the characters left, updated as
// the person types. The visible count changes at once; a polite live region repeats it once
// typing pauses, so a screen reader is not interrupted at every key. Without JavaScript the
// field's hint and the server's check stay as they are. The words come from the script tag:
// data-many holds "{n}" where the number goes, data-one is the singular.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var words = script.dataset;
  function left(count) {
    return count === 1 ? words.one : words.many.replace("{n}", String(count));
  }
  document.querySelectorAll("textarea[maxlength][data-count]").forEach(function (box) {
    var max = parseInt(box.getAttribute("maxlength"), 10);
    if (!max) return;
    var shown = document.createElement("p");
    shown.className = "field__hint field__count";
    shown.setAttribute("aria-hidden", "true");
    var spoken = document.createElement("p");
    spoken.className = "visually-hidden";
    spoken.setAttribute("role", "status");
    spoken.setAttribute("aria-live", "polite");
    box.parentNode.insertBefore(spoken, box.nextSibling);
    box.parentNode.insertBefore(shown, box.nextSibling);
    var timer = null;
    function update() {
      var text = left(Math.max(0, max - box.value.length));
      shown.textContent = text;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        spoken.textContent = text;
      }, 800);
    }
    shown.textContent = left(Math.max(0, max - box.value.length));
    box.addEventListener("input", update);
  });
})();
