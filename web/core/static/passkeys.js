// Passkeys (WebAuthn) on the login page and in the profile. No inline scripts anywhere: the Content-Security-Policy
// forbids them. The server speaks JSON with base64url for binary fields (WebAuthn's JSON forms); the browser's
// navigator.credentials API wants ArrayBuffers, so this file converts both ways. Without WebAuthn the page says so
// and keeps the password login.
(function () {
  "use strict";

  var supported = !!(window.PublicKeyCredential && navigator.credentials && navigator.credentials.create &&
    navigator.credentials.get && window.fetch);

  function fromB64url(s) {
    s = String(s).replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) { s += "="; }
    var bin = atob(s);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out.buffer;
  }

  function toB64url(buf) {
    var bytes = new Uint8Array(buf);
    var bin = "";
    for (var i = 0; i < bytes.length; i++) { bin += String.fromCharCode(bytes[i]); }
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function creationOptions(o) {
    o.challenge = fromB64url(o.challenge);
    o.user.id = fromB64url(o.user.id);
    (o.excludeCredentials || []).forEach(function (c) { c.id = fromB64url(c.id); });
    return o;
  }

  function requestOptions(o) {
    o.challenge = fromB64url(o.challenge);
    (o.allowCredentials || []).forEach(function (c) { c.id = fromB64url(c.id); });
    return o;
  }

  // credentialJSON is the RegistrationResponseJSON or AuthenticationResponseJSON of a credential.
  function credentialJSON(cred) {
    var r = cred.response;
    var out = {
      id: cred.id, rawId: toB64url(cred.rawId), type: cred.type,
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
      response: { clientDataJSON: toB64url(r.clientDataJSON) }
    };
    if (cred.authenticatorAttachment) { out.authenticatorAttachment = cred.authenticatorAttachment; }
    if (r.attestationObject) {
      out.response.attestationObject = toB64url(r.attestationObject);
      if (r.getTransports) { out.response.transports = r.getTransports(); }
    } else {
      out.response.authenticatorData = toB64url(r.authenticatorData);
      out.response.signature = toB64url(r.signature);
      if (r.userHandle) { out.response.userHandle = toB64url(r.userHandle); }
    }
    return out;
  }

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
