// Copy buttons, on the internet branch's pages (the IBAN on the account details) and the back office's (a secret
// shown once, such as a bank's credential). No inline scripts anywhere: the Content-Security-Policy forbids them.
// A button is hidden without JavaScript, since it needs it. When the clipboard refuses, the text is selected for
// copying by hand; either way the button's live region says what happened, so a screen reader hears it too.
(function () {
  "use strict";
  function say(btn, key) {
    var status = document.getElementById(btn.getAttribute("data-status"));
    if (!status) { return; }
    status.textContent = "";
    // A fresh text node after a tick makes assistive technology announce the same words again.
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
