// "Quedan 1000 caracteres": under a text box with a maxlength, the characters left, updated as
// the person types. The visible count changes at once; a polite live region repeats it once
// typing pauses, so a screen reader is not interrupted at every key. Without JavaScript the
// field's hint and the server's check stay as they are. The words come from the script tag:
// data-many holds "{n}" where the number goes, data-one is the singular. A box whose limit is
// in data-count instead of maxlength (a form's long answer) takes any length, so a paste is
// never cut: past the limit it says how many characters are too many (data-over), and the
// server refuses the answer with the same words.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var words = script.dataset;
  function left(count) {
    if (count < 0) return words.over.replace("{n}", String(-count));
    return count === 1 ? words.one : words.many.replace("{n}", String(count));
  }
  document.querySelectorAll("textarea[data-count]").forEach(function (box) {
    var max = parseInt(box.getAttribute("maxlength") || box.dataset.count, 10);
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
      var text = left(max - box.value.length);
      shown.textContent = text;
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        spoken.textContent = text;
      }, 800);
    }
    shown.textContent = left(max - box.value.length);
    box.addEventListener("input", update);
  });
})();
