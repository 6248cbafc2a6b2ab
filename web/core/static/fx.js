// Behaviour of the currency exchange pages (web/exchange). No inline scripts anywhere: the Content-Security-Policy
// forbids them. Everything here is a convenience: the server says when a quote lapsed and refuses to execute it
// after that, whatever the page shows, so the pages work the same without JavaScript.
(function () {
  "use strict";

  // The review's countdown: the seconds the quote had left when the server made the page (its clock, not the
  // browser's, which may be wrong), counted down here. At zero the confirmation goes and a new quote of the same
  // figures is offered, as the server would say on confirming.
  var box = document.querySelector("[data-fx-remaining]");
  if (box) {
    var left = parseInt(box.getAttribute("data-fx-remaining"), 10) || 0;
    var end = Date.now() + left * 1000;
    var out = box.querySelector("[data-fx-left-out]");
    var words = box.getAttribute("data-fx-left") || "{n}";
    var lapse = function () {
      document.querySelectorAll("form[data-fx-confirm]").forEach(function (f) { f.hidden = true; });
      document.querySelectorAll("form[data-fx-again]").forEach(function (f) { f.hidden = false; });
      var lapsed = document.querySelector("[data-fx-lapsed]");
      if (lapsed) { lapsed.hidden = false; }
      box.hidden = true;
    };
    var tick = function () {
      var s = Math.max(0, Math.ceil((end - Date.now()) / 1000));
      if (out) { out.textContent = words.replace("{n}", String(s)); }
      if (s <= 0) {
        lapse();
        return;
      }
      window.setTimeout(tick, 250);
    };
    tick();
  }

  // The form offers only what can work: an account to buy into in another currency than the one sold from (a
  // choice that no longer fits is cleared rather than silently changed), and the amount's currency beside its
  // label: the account sold from's, or the one bought into's when the amount is what is bought.
  var from = document.querySelector("select[data-fx-from]");
  var to = document.querySelector("select[data-fx-to]");
  var label = document.querySelector("[data-fx-currency]");
  if (!from || !to) { return; }
  var currencyOf = function (select) {
    var o = select.options[select.selectedIndex];
    return o && o.value ? o.getAttribute("data-currency") : "";
  };
  var limit = function () {
    var sold = currencyOf(from);
    Array.prototype.forEach.call(to.options, function (o) {
      if (!o.value) { return; }
      if (!o.hasAttribute("data-fx-was-disabled")) {
        o.setAttribute("data-fx-was-disabled", o.disabled ? "true" : "false");
      }
      o.disabled = o.getAttribute("data-fx-was-disabled") === "true" ||
        (sold !== "" && o.getAttribute("data-currency") === sold);
    });
    var chosen = to.options[to.selectedIndex];
    if (chosen && chosen.disabled) { to.value = ""; }
  };
  var update = function () {
    limit();
    if (!label) { return; }
    var buy = document.querySelector("input[data-fx-side]:checked");
    var c = buy && buy.value === "buy" ? currencyOf(to) : currencyOf(from);
    label.textContent = c ? "(" + c + ")" : "";
  };
  [from, to].forEach(function (s) { s.addEventListener("change", update); });
  document.querySelectorAll("input[data-fx-side]").forEach(function (r) { r.addEventListener("change", update); });
  update();
})();
