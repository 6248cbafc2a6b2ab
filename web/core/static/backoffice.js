// Behaviour of the back office's pages. No inline scripts anywhere: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  // Copy buttons (a secret shown once, such as a bank's credential): hidden without JavaScript, since they need it,
  // as the web app's are (finances.js). When the clipboard refuses, the text is selected for copying by hand; either
  // way the button's live region says what happened, so a screen reader hears it too.
  function say(btn, key) {
    var status = document.getElementById(btn.getAttribute("data-status"));
    if (!status) { return; }
    status.textContent = "";
    setTimeout(function () { status.textContent = btn.getAttribute(key) || ""; }, 50);
  }
  function selectText(id) {
    var el = document.getElementById(id);
    if (!el || !window.getSelection) { return; }
    var range = document.createRange();
    range.selectNodeContents(el);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }
  document.querySelectorAll("button[data-copy]").forEach(function (btn) {
    btn.hidden = false;
    btn.addEventListener("click", function () {
      var value = btn.getAttribute("data-copy");
      var failed = function () {
        selectText(btn.getAttribute("data-select"));
        say(btn, "data-failed");
      };
      if (!navigator.clipboard || !navigator.clipboard.writeText) { failed(); return; }
      navigator.clipboard.writeText(value).then(function () { say(btn, "data-copied"); }, failed);
    });
  });
})();

(function () {
  "use strict";
  // A staff session ends after the given seconds without a request (staff.Config.IdleTimeout, checked by the
  // server). Someone typing a long form makes no request, so the page tells the server of the activity it sees with
  // one light request (POST /backoffice/session/extend) once the last one is a minute old; a minute before the end
  // it asks in a dialog whether to stay signed in (WCAG 2.2.1), and at the end it goes to the login page, which
  // says the session ended.
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-idle-seconds") || "0", 10);
  var dialog = document.getElementById("bo-idle");
  if (!(idle > 0) || !dialog) { return; }
  var expired = body.getAttribute("data-expired") || "/backoffice/login";
  var lastServer = Date.now(), lastActivity = 0, busy = false;
  var warnBefore = Math.min(60, Math.floor(idle / 5)) * 1000;

  function extend() {
    if (busy) { return; }
    busy = true;
    fetch("/backoffice/session/extend", {method: "POST", credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) {
        // Only the server's 204 keeps the session; an ended one is answered with the login page.
        if (r.status === 204) { lastServer = Date.now(); if (dialog.open) { dialog.close(); } }
        else { window.location.assign(expired); }
      })
      .catch(function () {})
      .then(function () { busy = false; });
  }

  ["keydown", "pointerdown", "scroll", "input"].forEach(function (name) {
    document.addEventListener(name, function () { lastActivity = Date.now(); }, {passive: true, capture: true});
  });
  document.getElementById("bo-idle-stay-form").addEventListener("submit", function (e) {
    e.preventDefault();
    extend();
  });

  window.setInterval(function () {
    var now = Date.now();
    var left = lastServer + idle * 1000 - now;
    if (left <= 0) { window.location.assign(expired); return; }
    if (!dialog.open && lastActivity > lastServer && now - lastServer >= warnBefore) { extend(); return; }
    if (!dialog.open && left <= warnBefore && typeof dialog.showModal === "function") {
      dialog.showModal();
      document.getElementById("bo-idle-stay").focus();
    }
  }, 1000);
})();
