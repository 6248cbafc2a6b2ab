// Passkeys (WebAuthn) on the login page and in the profile. No inline scripts anywhere: the Content-Security-Policy
// forbids them. webauthn.js (loaded first) converts between the server's JSON and the browser's ArrayBuffers.
// Without WebAuthn the page says so and keeps the password login.
(function () {
  "use strict";

  var webauthn = window.kumbaraWebAuthn;
  var supported = webauthn.supported, creationOptions = webauthn.creationOptions,
    requestOptions = webauthn.requestOptions, credentialJSON = webauthn.credentialJSON;

  // post sends JSON and reads the JSON answer. An answer that is not JSON means the session ended (the server
  // sent the login page): go there.
  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body || {})
    }).then(function (res) {
      var type = res.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") !== 0) {
        window.location.assign("/login?m=expired");
        return new Promise(function () {});
      }
      return res.json().then(function (j) { j.ok = res.ok; return j; });
    });
  }

  function say(el, msg, problem) {
    if (!el) { return; }
    el.textContent = msg;
    el.hidden = !msg;
    el.className = problem ? "problem" : "";
    if (problem) { el.setAttribute("role", "alert"); } else { el.setAttribute("role", "status"); }
  }

  // A WebAuthn error from the browser: the customer cancelled, the prompt timed out, or the device refused.
  function browserProblem(box, err) {
    if (err && (err.name === "NotAllowedError" || err.name === "AbortError")) {
      return box.getAttribute("data-cancelled");
    }
    return box.getAttribute("data-failed");
  }

  // What other pages' passkey steps share (confirm_passkey.js: confirming a transfer, a payment, a bulk file).
  // Loaded before them.
  window.kumbaraPasskeys = {
    supported: supported, requestOptions: requestOptions, credentialJSON: credentialJSON, post: post, say: say,
    browserProblem: browserProblem
  };

  // Profile: add a passkey.
  var form = document.getElementById("passkey-add");
  var support = document.getElementById("passkey-support");
  if (form && support) {
    var status = document.getElementById("passkey-status");
    if (!supported) {
      support.textContent = support.getAttribute("data-unsupported");
      support.className = "problem";
    } else {
      support.hidden = true;
      form.hidden = false;
      var busy = false;
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        if (busy) { return; }
        busy = true;
        var button = document.getElementById("passkey-add-submit");
        button.setAttribute("aria-busy", "true");
        var name = document.getElementById("passkey-name").value;
        var pw = document.getElementById("passkey-password");
        say(status, form.getAttribute("data-working"), false);
        var done = function (msg) {
          busy = false;
          button.removeAttribute("aria-busy");
          pw.value = "";
          say(status, msg, true);
        };
        post(form.getAttribute("action"), { password: pw.value, name: name }).then(function (begin) {
          if (!begin.ok) { done(begin.error); return; }
          return navigator.credentials.create({ publicKey: creationOptions(begin.options) }).then(function (cred) {
            return post(form.getAttribute("data-finish"),
              { ceremony: begin.ceremony, name: name, credential: credentialJSON(cred) });
          }, function (err) {
            done(browserProblem(form, err));
          }).then(function (fin) {
            if (!fin) { return; }
            if (!fin.ok) { done(fin.error); return; }
            window.location.assign(fin.redirect);
          });
        }).catch(function () { done(form.getAttribute("data-failed")); });
      });
    }
  }

  // Login page: sign in with a passkey. The passkey is discoverable: no client number is needed.
  var box = document.getElementById("passkey-login");
  if (box) {
    var loginStatus = document.getElementById("passkey-login-status");
    var loginButton = document.getElementById("passkey-login-button");
    box.hidden = false;
    if (!supported) {
      loginButton.disabled = true;
      say(loginStatus, box.getAttribute("data-unsupported"), false);
    } else {
      var running = false;
      loginButton.addEventListener("click", function () {
        if (running) { return; }
        running = true;
        loginButton.setAttribute("aria-busy", "true");
        say(loginStatus, box.getAttribute("data-working"), false);
        var fail = function (msg) {
          running = false;
          loginButton.removeAttribute("aria-busy");
          say(loginStatus, msg, true);
        };
        post(box.getAttribute("data-begin")).then(function (begin) {
          if (!begin.ok) { fail(begin.error); return; }
          return navigator.credentials.get({ publicKey: requestOptions(begin.options) }).then(function (cred) {
            return post(box.getAttribute("data-finish"), { ceremony: begin.ceremony, credential: credentialJSON(cred) });
          }, function (err) {
            fail(browserProblem(box, err));
          }).then(function (fin) {
            if (!fin) { return; }
            if (!fin.ok) { fail(fin.error); return; }
            window.location.assign(fin.redirect);
          });
        }).catch(function () { fail(box.getAttribute("data-failed")); });
      });
    }
  }
})();
