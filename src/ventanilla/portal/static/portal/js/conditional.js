// A question that depends on an earlier answer on the same page (`visible_if`) is shown only
// while that answer holds: the server marks its field with data-shown-by (the name of the
// input it depends on) and data-shown-when (the posted values that show it). A hidden field is
// `hidden`, so neither the eye nor a screen reader meets it. Without JavaScript every question
// is shown, and the server drops an answer to a question its condition hides.
(function () {
  "use strict";
  function posted(form, name) {
    var values = [];
    form.querySelectorAll("[name='" + name + "']").forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) return;
      if (input.closest("[hidden]")) return;
      values.push(input.value);
    });
    return values;
  }
  function update(form) {
    form.querySelectorAll("[data-shown-by]").forEach(function (field) {
      var wanted = JSON.parse(field.dataset.shownWhen || "[]");
      var given = posted(form, field.dataset.shownBy);
      field.hidden = !given.some(function (value) { return wanted.indexOf(value) !== -1; });
    });
  }
  document.querySelectorAll("form").forEach(function (form) {
    if (!form.querySelector("[data-shown-by]")) return;
    // Twice: a question shown by one that is itself conditional follows it.
    var refresh = function () { update(form); update(form); };
    form.addEventListener("change", refresh);
    form.addEventListener("input", refresh);
    refresh();
  });
})();
