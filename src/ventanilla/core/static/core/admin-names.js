// The admin's search boxes (select2, behind its autocomplete fields) give their inputs no name
// a screen reader can say: each gets the words of its field's label, when the page loads, after
// each choice (select2 redraws them) and when a list opens with its search box.
(function () {
  "use strict";
  function labelOf(select) {
    var label = select.id && document.querySelector("label[for='" + select.id + "']");
    return label ? label.textContent.replace(/:\s*$/, "").trim() : "";
  }
  function name(select) {
    var words = labelOf(select);
    var box = select.nextElementSibling; // select2 puts its box right after the select
    if (!words || !box || !box.classList.contains("select2")) return;
    box
      .querySelectorAll(".select2-selection, .select2-selection__rendered, .select2-search__field")
      .forEach(function (input) {
        input.setAttribute("aria-label", words);
      });
  }
  window.addEventListener("load", function () {
    document.querySelectorAll("select.admin-autocomplete").forEach(name);
    var $ = window.django && window.django.jQuery;
    if (!$) return;
    $(document).on("change select2:select select2:unselect", "select.admin-autocomplete", function () {
      name(this);
    });
    $(document).on("select2:open", "select.admin-autocomplete", function () {
      var words = labelOf(this);
      // An open combobox names the list it controls (select2 says it with aria-owns only).
      var box = this.nextElementSibling && this.nextElementSibling.querySelector(".select2-selection");
      if (box && box.getAttribute("aria-owns")) {
        box.setAttribute("aria-controls", box.getAttribute("aria-owns"));
      }
      document.querySelectorAll(".select2-container--open .select2-search__field").forEach(function (input) {
        input.setAttribute("aria-label", words);
      });
    });
  });
})();
