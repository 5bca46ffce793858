// Nigehban progressive enhancement. Every form works without this script; with it, choices that
// do not apply are hidden as the officer types, and the first error is focused.
(function () {
  "use strict";

  function provisionFilter(form) {
    var date = form.querySelector("#f-offence_date");
    var refresh = form.querySelector("#refresh-provisions");
    var none = form.querySelector("#provisions-none");
    if (refresh) refresh.classList.add("hidden");
    function apply() {
      var chosen = Array.prototype.map.call(form.querySelectorAll("input[name=crime_types]:checked"), function (i) { return i.value; });
      var d = date ? date.value : "";
      var shown = 0;
      form.querySelectorAll("label.provision").forEach(function (label) {
        var box = label.querySelector("input");
        var types = (label.getAttribute("data-crime-types") || "").split(" ");
        var from = label.getAttribute("data-from"), to = label.getAttribute("data-to");
        var typeOk = chosen.some(function (c) { return types.indexOf(c) >= 0; });
        var dateOk = d !== "" && (!from || d >= from) && (!to || d <= to);
        var show = (typeOk && dateOk) || box.checked;
        label.classList.toggle("hidden", !show);
        if (show) shown++;
      });
      if (none) none.classList.toggle("hidden", shown > 0);
    }
    form.addEventListener("change", apply);
    if (date) date.addEventListener("input", apply);
    apply();
  }

  function districtFilter(form) {
    var province = form.querySelector("#f-province");
    var district = form.querySelector("#f-district");
    if (!province || !district) return;
    function apply() {
      var p = province.value;
      Array.prototype.forEach.call(district.options, function (o) {
        var g = o.getAttribute("data-province");
        var show = !g || !p || g === p;
        o.hidden = !show;
        o.disabled = !show;
        if (!show && o.selected) district.value = "";
      });
    }
    province.addEventListener("change", apply);
    apply();
  }

  function chainRoleToggle(form) {
    var role = form.querySelector("#f-role");
    var box = form.querySelector("#chain-role-box");
    if (!role || !box) return;
    function apply() {
      var suspect = role.value === "suspect";
      box.classList.toggle("hidden", !suspect);
      if (!suspect) form.querySelector("#f-chain_role").value = "";
    }
    role.addEventListener("change", apply);
    apply();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var caseForm = document.getElementById("case-form");
    if (caseForm) { provisionFilter(caseForm); districtFilter(caseForm); }
    var personForm = document.getElementById("person-form");
    if (personForm) chainRoleToggle(personForm);
    var errors = document.getElementById("form-errors");
    if (errors) errors.focus();
  });
})();
