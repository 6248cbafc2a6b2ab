// Behaviour of the "transfers" pages. No inline scripts anywhere: the Content-Security-Policy forbids them.
// Everything here is a convenience: the server validates every choice and makes a reviewed transfer once however
// often its confirmation arrives, so the pages work the same without JavaScript.
(function () {
  "use strict";

  // Confirm once: a second click while the first confirmation is on its way does nothing, and the button says so.
  document.querySelectorAll("form[data-tr-once]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      if (form.getAttribute("data-tr-sent") === "true") {
        e.preventDefault();
        return;
      }
      form.setAttribute("data-tr-sent", "true");
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        b.disabled = true;
        b.setAttribute("aria-busy", "true");
      });
    });
  });
  // A page restored by the back button comes back as it was left, submitted; let it be used again (the server
  // replays the first transfer if it is the same review).
  window.addEventListener("pageshow", function (e) {
    if (!e.persisted) { return; }
    document.querySelectorAll("form[data-tr-once]").forEach(function (form) {
      form.removeAttribute("data-tr-sent");
      form.querySelectorAll("button[type=submit]").forEach(function (b) {
        b.disabled = false;
        b.removeAttribute("aria-busy");
      });
    });
  });

  var from = document.querySelector("select[data-tr-from]");
  if (!from) { return; }
  var to = document.querySelector("select[data-tr-to]");
  var payees = document.querySelectorAll("input[data-tr-payee]");
  var currencyLabel = document.querySelector("[data-tr-currency]");

  function selectedCurrency(select) {
    var o = select.options[select.selectedIndex];
    return o && o.value ? o.getAttribute("data-currency") : "";
  }

  // Offer only the choices that can work: the same currency on both sides, and never the same account twice. A
  // choice that no longer fits is cleared rather than silently changed.
  function limit(select, currency, exclude) {
    Array.prototype.forEach.call(select.options, function (o) {
      if (!o.value) { return; }
      if (!o.hasAttribute("data-tr-was-disabled")) {
        o.setAttribute("data-tr-was-disabled", o.disabled ? "true" : "false");
      }
      var blocked = o.getAttribute("data-tr-was-disabled") === "true";
      o.disabled = blocked || (currency !== "" && o.getAttribute("data-currency") !== currency) || o.value === exclude;
    });
    var chosen = select.options[select.selectedIndex];
    if (chosen && chosen.disabled) { select.value = ""; }
  }

  function update() {
    var currency = selectedCurrency(from);
    if (to) {
      limit(to, currency, from.value);
    } else if (payees.length) {
      var checked = document.querySelector("input[data-tr-payee]:checked");
      limit(from, checked ? checked.getAttribute("data-currency") : "", "");
      currency = selectedCurrency(from) || (checked ? checked.getAttribute("data-currency") : "");
    }
    if (currencyLabel) { currencyLabel.textContent = currency ? "(" + currency + ")" : ""; }
  }

  from.addEventListener("change", update);
  payees.forEach(function (p) { p.addEventListener("change", update); });
  update();
})();
