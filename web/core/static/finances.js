// Behaviour of the "finances" pages. No inline scripts anywhere: the Content-Security-Policy forbids them. Copy
// buttons are copy.js's.
(function () {
  "use strict";

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
