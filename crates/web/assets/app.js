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

  // The intake interview: saved as the officer types (debounced), kept in this browser while the
  // connection is down and sent when it returns, so nothing typed is lost.
  function interviewAutosave(form) {
    var url = form.getAttribute("data-draft-url");
    var key = "nigehban-draft-" + form.getAttribute("data-entry");
    var state = document.getElementById("save-state");
    var timer = null;
    function say(attr, extra) {
      if (state) state.textContent = state.getAttribute(attr) + (extra ? " " + extra : "");
    }
    function body() {
      return new URLSearchParams(new FormData(form)).toString();
    }
    function send(payload) {
      say("data-saving");
      return fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: payload,
        credentials: "same-origin"
      }).then(function (r) {
        if (!r.ok) throw new Error(String(r.status));
        return r.json();
      }).then(function (j) {
        localStorage.removeItem(key);
        say("data-saved", j.saved_at);
      }).catch(function () {
        if (!navigator.onLine) say("data-offline"); else say("data-failed");
      });
    }
    function schedule() {
      var payload = body();
      try { localStorage.setItem(key, payload); } catch (e) { /* storage full or disabled */ }
      if (timer) clearTimeout(timer);
      timer = setTimeout(function () { send(payload); }, 800);
    }
    // A draft left in this browser by a lost connection is sent first, then shown on reload.
    var pending = null;
    try { pending = localStorage.getItem(key); } catch (e) { pending = null; }
    if (pending) {
      send(pending).then(function () { if (!localStorage.getItem(key)) location.reload(); });
    }
    form.addEventListener("input", schedule);
    form.addEventListener("change", schedule);
    window.addEventListener("online", function () {
      var p = localStorage.getItem(key);
      if (p) send(p);
    });
    form.addEventListener("submit", function () { if (timer) clearTimeout(timer); localStorage.removeItem(key); });
  }

  function outcomeToggle(form) {
    var outcome = form.querySelector("#f-outcome");
    function apply() {
      var v = outcome.value;
      form.querySelectorAll(".for-referred").forEach(function (el) { el.classList.toggle("hidden", v !== "referred"); });
      form.querySelectorAll(".for-case").forEach(function (el) {
        el.classList.toggle("hidden", ["victim_in_case", "witness_in_case", "accused_in_case"].indexOf(v) < 0);
      });
    }
    outcome.addEventListener("change", apply);
    apply();
  }

  // Keyboard: Ctrl+Enter submits the interview (or the outcome); Alt+N goes to the next person.
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      var f = document.getElementById("interview-form") || document.getElementById("outcome-form");
      if (f) { ev.preventDefault(); f.requestSubmit(); }
    } else if (ev.altKey && (ev.key === "n" || ev.key === "N")) {
      var next = document.getElementById("next-person") || document.getElementById("next-pending");
      if (next) { ev.preventDefault(); location.href = next.getAttribute("href"); }
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var interview = document.getElementById("interview-form");
    if (interview) interviewAutosave(interview);
    var outcomeForm = document.getElementById("outcome-form");
    if (outcomeForm) outcomeToggle(outcomeForm);
    var caseForm = document.getElementById("case-form");
    if (caseForm) { provisionFilter(caseForm); districtFilter(caseForm); }
    var personForm = document.getElementById("person-form");
    if (personForm) chainRoleToggle(personForm);
    var errors = document.getElementById("form-errors");
    if (errors) errors.focus();
  });
})();
