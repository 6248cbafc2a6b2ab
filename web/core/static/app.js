// Kumbara web app behaviour. No inline scripts anywhere: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  // The idle limit (A1, PSD2 RTS Art. 4) is the server's: a session ends after the given seconds without a request.
  // Typing, clicking and scrolling are activity too (WCAG 2.2.1), so while there is some the page tells the server
  // with one light request (POST /session/extend) once the last request is a minute old. A minute before the limit
  // a dialog asks whether to stay signed in. When the session ends anyway, what was typed into the page's forms is
  // kept in this tab (sessionStorage, never a password, PIN, code or hidden field) and given back to the same
  // customer after signing in again.
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-idle-seconds") || "0", 10);
  var dialog = document.getElementById("idle-dialog");
  var storeKey = "kumbara:form:" + window.location.pathname;
  var resumeKey = "kumbara:resume";

  function storage() {
    try { return window.sessionStorage; } catch (e) { return null; }
  }

  // A field is kept only when a person typed or chose it and it holds nothing secret.
  var secretName = /pass|pin|code|otp|token|secret|seal|sig/i;
  function keepable(el) {
    if (!el.name || el.disabled) { return false; }
    var type = (el.type || "").toLowerCase();
    if (["password", "hidden", "submit", "button", "reset", "image", "file"].indexOf(type) >= 0) { return false; }
    if ((el.getAttribute("autocomplete") || "").indexOf("one-time-code") >= 0) { return false; }
    return !secretName.test(el.name);
  }
  function changed(el) {
    if (el.type === "checkbox" || el.type === "radio") { return el.checked !== el.defaultChecked; }
    if (el.tagName === "SELECT") {
      for (var i = 0; i < el.options.length; i++) {
        if (el.options[i].selected !== el.options[i].defaultSelected) { return true; }
      }
      return false;
    }
    return el.value !== el.defaultValue;
  }
  function formKey(form, i) { return form.id || "form-" + i; }

  // saveForms keeps the changed fields of every form of the page; it reports whether there were any.
  function saveForms() {
    var st = storage();
    if (!st || !dialog) { return false; }
    var forms = {}, any = false;
    Array.prototype.forEach.call(document.forms, function (form, i) {
      if (dialog.contains(form)) { return; }
      var fields = [];
      Array.prototype.forEach.call(form.elements, function (el) {
        if (keepable(el) && changed(el)) {
          fields.push({name: el.name, value: el.value, checked: !!el.checked, type: el.type});
        }
      });
      if (fields.length) { forms[formKey(form, i)] = fields; any = true; }
    });
    if (any) {
      st.setItem(storeKey, JSON.stringify({owner: dialog.getAttribute("data-owner"), forms: forms}));
      var back = dialog.getAttribute("data-path") || "/";
      if (back !== "/") { st.setItem(resumeKey, back); }
    }
    return any;
  }

  // restoreForms gives back what saveForms kept on this page, to the same customer only, once.
  function restoreForms() {
    var st = storage();
    if (!st || !dialog) { return; }
    var raw = st.getItem(storeKey);
    var resume = st.getItem(resumeKey);
    if (!raw) {
      if (resume && resume.split("?")[0] !== window.location.pathname) { offerResume(resume); }
      return;
    }
    st.removeItem(storeKey);
    st.removeItem(resumeKey);
    var saved;
    try { saved = JSON.parse(raw); } catch (e) { return; }
    if (!saved || saved.owner !== dialog.getAttribute("data-owner")) { return; }
    var restored = false;
    Array.prototype.forEach.call(document.forms, function (form, i) {
      var fields = saved.forms && saved.forms[formKey(form, i)];
      if (!fields) { return; }
      fields.forEach(function (f) {
        Array.prototype.forEach.call(form.elements, function (el) {
          if (el.name !== f.name || !keepable(el)) { return; }
          if (el.type === "checkbox" || el.type === "radio") {
            if (el.value === f.value) { el.checked = f.checked; } else { return; }
          } else {
            el.value = f.value;
          }
          restored = true;
          // The page's own scripts (amounts, currencies, counters) follow what changed.
          el.dispatchEvent(new Event("input", {bubbles: true}));
          el.dispatchEvent(new Event("change", {bubbles: true}));
        });
      });
    });
    var note = document.getElementById("idle-restored");
    if (restored && note) { showNotice(note); }
  }

  function showNotice(el) {
    var main = document.getElementById("main");
    if (main) { main.insertBefore(el, main.firstChild); }
    el.hidden = false;
  }

  function offerResume(path) {
    var p = document.getElementById("idle-resume");
    var a = document.getElementById("idle-resume-link");
    if (!p || !a) { return; }
    a.setAttribute("href", path);
    showNotice(p);
  }

  // Forms sent (successfully or to be shown again by the server with its answer) and a deliberate logout end
  // what was kept.
  document.addEventListener("submit", function (e) {
    var st = storage();
    if (!st || e.target.id === "idle-stay-form") { return; } // staying is no reason to forget what the page holds
    st.removeItem(storeKey);
    var action = e.target.getAttribute("action") || "";
    if (action === "/logout") {
      st.removeItem(resumeKey);
      for (var i = st.length - 1; i >= 0; i--) {
        var k = st.key(i);
        if (k && k.indexOf("kumbara:form:") === 0) { st.removeItem(k); }
      }
    }
  }, true);

  if (!(idle > 0) || !dialog) { return; }
  restoreForms();

  var warnAt = Math.min(60, Math.floor(idle / 5)) * 1000; // the dialog shows this long before the end
  var tellAfter = Math.min(60, Math.floor(idle / 5)) * 1000; // activity is told once the last request is this old
  var lastServer = Date.now(); // this page's own request reached the server
  var lastActivity = 0;
  var telling = false;
  var ended = false;
  var left = document.getElementById("idle-left");
  var count = document.getElementById("idle-count");

  function activity() {
    if (!dialog.open) { lastActivity = Date.now(); }
  }
  ["keydown", "input", "pointerdown", "wheel", "touchstart"].forEach(function (t) {
    document.addEventListener(t, activity, {capture: true, passive: true});
  });
  window.addEventListener("scroll", activity, {capture: true, passive: true});
  document.addEventListener("htmx:afterRequest", function () { lastServer = Date.now(); });

  // end keeps the forms and asks for the page again: the server sends a session that ended to the login page
  // ("expired"), while one another tab kept alive simply shows the page again, with what it held.
  function end() {
    if (ended) { return; }
    ended = true;
    saveForms();
    var back = dialog.getAttribute("data-path") || "/";
    window.location.assign(back === "/" ? "/summary" : back);
  }

  // tell sends the one light request that keeps the session; done is called with whether it did.
  function tell(done) {
    if (telling) { return; }
    telling = true;
    var sent = Date.now();
    fetch("/session/extend", {method: "POST", credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (resp) {
        telling = false;
        if (resp.status === 204) { lastServer = sent; }
        if (resp.status === 401 || resp.redirected) { end(); return; }
        if (done) { done(resp.status === 204); }
      })
      .catch(function () { telling = false; if (done) { done(false); } });
  }

  function clock(ms) {
    var s = Math.max(0, Math.round(ms / 1000));
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }

  document.getElementById("idle-stay-form").addEventListener("submit", function (e) {
    e.preventDefault();
    tell(function (ok) {
      if (ok && dialog.open) { dialog.close(); }
    });
  });
  dialog.addEventListener("cancel", function (e) {
    // Escape is "not now", not a choice: the dialog stays until the customer picks one.
    e.preventDefault();
  });

  setInterval(function () {
    var now = Date.now();
    var remaining = lastServer + idle * 1000 - now;
    if (left) { left.textContent = clock(remaining); }
    if (remaining <= 0) { end(); return; }
    if (!dialog.open && lastActivity > lastServer && now - lastServer >= tellAfter) { tell(); return; }
    if (remaining <= warnAt && !dialog.open) {
      dialog.showModal();
      document.getElementById("idle-stay").focus();
    }
    if (dialog.open && count) { count.textContent = clock(remaining); }
  }, 1000);
})();
