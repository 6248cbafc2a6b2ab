// Behaviour of the "finances" pages. No inline scripts anywhere: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  // Copy buttons (the IBAN on the account details): hidden without JavaScript, since they need it. The result is
  // announced through the button's live region, so a screen reader hears "copied" too.
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

  // Links that look like buttons answer the space bar as buttons do.
  document.addEventListener("keydown", function (e) {
    var a = e.target;
    if (e.key === " " && a && a.tagName === "A" && a.getAttribute("role") === "button") {
      e.preventDefault();
      a.click();
    }
  });

  // History "more": after htmx appends the next lines, move the focus to the first new one, so keyboard and
  // screen-reader users go on reading where the list grew instead of being left on a button that is gone.
  var before = 0;
  document.addEventListener("htmx:beforeRequest", function (e) {
    var list = document.getElementById("history-lines");
    if (list && e.detail && e.detail.elt && e.detail.elt.id === "history-more-link") {
      before = list.children.length;
    }
  });
  document.addEventListener("htmx:afterSettle", function (e) {
    var list = document.getElementById("history-lines");
    if (!list || !e.detail || e.detail.target !== list) { return; }
    var first = list.children[before];
    if (first) { first.focus(); }
  });
})();
