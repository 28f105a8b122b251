// Minimum years belong to experience only: the field shows while the kind is "Experience" (or while
// it carries an error to read). Without JavaScript the field is always there and the server refuses
// years on any other kind.
(function () {
  "use strict";
  var kind = document.getElementById("id_kind");
  var years = document.getElementById("id_minimum_years");
  if (!kind || !years) return;
  var field = years.closest(".field");
  function update() {
    var show = kind.value === "experience" || field.classList.contains("has-error");
    field.hidden = !show;
    if (!show) years.value = "";
  }
  kind.addEventListener("change", function () {
    field.classList.remove("has-error");
    update();
  });
  update();
})();
