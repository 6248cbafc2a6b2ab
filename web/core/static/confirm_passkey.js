// Confirming with a passkey on a customer's confirmation page (a transfer, a payment, a bulk file), beside the SMS
// code: the "passkey-confirm" partial of the web core draws the box, core.PasskeyConfirmation answers its two
// steps. No inline scripts anywhere: the Content-Security-Policy forbids them. passkeys.js (loaded first) gives the
// WebAuthn helpers. The server makes the WebAuthn challenge the digest of what the page confirms (its amount, its
// payee, the thing itself), so the assertion confirms that only. Without WebAuthn or JavaScript the box stays
// hidden and the SMS code is the way.
(function () {
  "use strict";

  var pk = window.kumbaraPasskeys;
  var box = document.getElementById("passkey-confirm");
  if (!box || !pk || !pk.supported) { return; }
  var button = document.getElementById("passkey-confirm-button");
  var status = document.getElementById("passkey-confirm-status");
  box.hidden = false;
  var running = false;

  button.addEventListener("click", function () {
    if (running) { return; }
    running = true;
    button.setAttribute("aria-busy", "true");
    pk.say(status, box.getAttribute("data-working"), false);
    var fail = function (msg) {
      running = false;
      button.removeAttribute("aria-busy");
      pk.say(status, msg, true);
    };
    // A step the server refused: show why, or go to the page it names when there is nothing left to confirm.
    var refused = function (answer) {
      if (answer.redirect) { window.location.assign(answer.redirect); return; }
      fail(answer.error);
    };
    pk.post(box.getAttribute("data-options")).then(function (begin) {
      if (!begin.ok) { refused(begin); return; }
      return navigator.credentials.get({ publicKey: pk.requestOptions(begin.options) }).then(function (cred) {
        return pk.post(box.getAttribute("data-confirm"), {
          ceremony_id: begin.ceremony_id, response: pk.credentialJSON(cred)
        });
      }, function (err) {
        fail(pk.browserProblem(box, err));
      }).then(function (fin) {
        if (!fin) { return; }
        if (!fin.ok) { refused(fin); return; }
        window.location.assign(fin.redirect);
      });
    }).catch(function () { fail(box.getAttribute("data-failed")); });
  });
})();
