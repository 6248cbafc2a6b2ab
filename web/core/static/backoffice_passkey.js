// Staff passkeys (WebAuthn) in the back office: adding one on the member's passkeys page, and logging in with one
// instead of the TOTP code on the login's second step. No inline scripts anywhere: the Content-Security-Policy
// forbids them. webauthn.js (loaded first) converts between the server's JSON and the browser's ArrayBuffers,
// as it does for the internet branch's passkeys. Without WebAuthn the page says so and the TOTP code remains.
//
// What the pages provide (every text comes from the page, in its language):
//   Adding: <form id="staff-passkey-add" action="BEGIN" data-finish="FINISH" data-working data-cancelled
//   data-failed hidden> with #staff-passkey-name, #staff-passkey-password and #staff-passkey-add-submit, beside
//   #staff-passkey-support (data-unsupported) and #staff-passkey-status.
//     BEGIN  ← {"password": "…"}                         → {"options": creation options, "ceremony": "…"}
//     FINISH ← {"ceremony": "…", "name": "…", "credential": RegistrationResponseJSON} → {"redirect": "…"}
//   Login: <div id="staff-passkey-login" data-begin="BEGIN" data-finish="FINISH" data-working data-cancelled
//   data-failed data-unsupported [data-step-input="ID"] hidden> with #staff-passkey-login-button and
//   #staff-passkey-login-status. The login step's token travels in its cookie, or, when data-step-input names
//   the hidden input that holds it, as "step" in both bodies.
//     BEGIN  ← {"step": "…"}?                            → {"options": request options}
//     FINISH ← {"step": "…"?, "credential": AuthenticationResponseJSON} → {"redirect": "…"}
//   A refusal is a 4xx whose JSON body carries "error", the message in the page's language (and "code"). An
//   answer that is not JSON means the session or the step ended: the page goes to data-expired, else to
//   /backoffice/login.
(function () {
  "use strict";

  var webauthn = window.kumbaraWebAuthn;
  var supported = webauthn.supported, creationOptions = webauthn.creationOptions,
    requestOptions = webauthn.requestOptions, credentialJSON = webauthn.credentialJSON;

  // post sends JSON and reads the JSON answer, with ok set from the status. An answer that is not JSON means the
  // session or the login step ended (the server sent a page): go to the login.
  function post(el, url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body || {})
    }).then(function (res) {
      var type = res.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") !== 0) {
        window.location.assign(el.getAttribute("data-expired") || "/backoffice/login");
        return new Promise(function () {});
      }
      return res.json().then(function (j) { j.ok = res.ok; return j; });
    });
  }

  function say(el, msg, problem) {
    if (!el) { return; }
    el.textContent = msg || "";
    el.hidden = !msg;
    el.className = problem ? "problem" : "";
    el.setAttribute("role", problem ? "alert" : "status");
  }

  // A WebAuthn error from the browser: the member cancelled, the prompt timed out, or the device refused.
  function browserProblem(el, err) {
    if (err && (err.name === "NotAllowedError" || err.name === "AbortError")) {
      return el.getAttribute("data-cancelled");
    }
    return el.getAttribute("data-failed");
  }

  // ceremony runs begin → the browser's prompt → finish, then follows the finish's redirect; fail is told the
  // message of whatever went wrong.
  function ceremony(el, begin, prompt, finish, fail) {
    post(el, begin.url, begin.body).then(function (b) {
      if (!b.ok) { fail(b.error || el.getAttribute("data-failed")); return; }
      return prompt(b).then(function (cred) {
        return post(el, finish.url, finish.body(b, credentialJSON(cred)));
      }, function (err) {
        fail(browserProblem(el, err));
      }).then(function (f) {
        if (!f) { return; }
        if (!f.ok) { fail(f.error || el.getAttribute("data-failed")); return; }
        window.location.assign(f.redirect);
      });
    }).catch(function () { fail(el.getAttribute("data-failed")); });
  }

  // The passkeys page: add a passkey, typing the password again.
  var form = document.getElementById("staff-passkey-add");
  var support = document.getElementById("staff-passkey-support");
  if (form && support) {
    var status = document.getElementById("staff-passkey-status");
    if (!supported) {
      support.textContent = support.getAttribute("data-unsupported");
      support.className = "problem";
      support.hidden = false;
    } else {
      support.hidden = true;
      form.hidden = false;
      var adding = false;
      form.addEventListener("submit", function (ev) {
        ev.preventDefault();
        if (adding) { return; }
        adding = true;
        var button = document.getElementById("staff-passkey-add-submit");
        var pw = document.getElementById("staff-passkey-password");
        var name = document.getElementById("staff-passkey-name").value;
        button.setAttribute("aria-busy", "true");
        say(status, form.getAttribute("data-working"), false);
        var password = pw.value;
        pw.value = "";
        ceremony(form,
          { url: form.getAttribute("action"), body: { password: password } },
          function (b) { return navigator.credentials.create({ publicKey: creationOptions(b.options) }); },
          {
            url: form.getAttribute("data-finish"),
            body: function (b, cred) { return { ceremony: b.ceremony, name: name, credential: cred }; }
          },
          function (msg) {
            adding = false;
            button.removeAttribute("aria-busy");
            say(status, msg, true);
          });
      });
    }
  }

  // The login's second step: a passkey of the member's instead of the TOTP code.
  var box = document.getElementById("staff-passkey-login");
  if (box) {
    var loginStatus = document.getElementById("staff-passkey-login-status");
    var loginButton = document.getElementById("staff-passkey-login-button");
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
        var stepInput = box.getAttribute("data-step-input") &&
          document.getElementById(box.getAttribute("data-step-input"));
        var withStep = function (body) {
          if (stepInput) { body.step = stepInput.value; }
          return body;
        };
        ceremony(box,
          { url: box.getAttribute("data-begin"), body: withStep({}) },
          function (b) { return navigator.credentials.get({ publicKey: requestOptions(b.options) }); },
          {
            url: box.getAttribute("data-finish"),
            body: function (b, cred) { return withStep({ credential: cred }); }
          },
          function (msg) {
            running = false;
            loginButton.removeAttribute("aria-busy");
            say(loginStatus, msg, true);
          });
      });
    }
  }
})();
