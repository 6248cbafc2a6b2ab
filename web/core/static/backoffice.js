// Behaviour of the back office's pages. No inline scripts anywhere: the Content-Security-Policy forbids them. Copy
// buttons are copy.js's, shared with the internet branch.
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
