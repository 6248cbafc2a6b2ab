// The on-screen keyboard of the business login (A20, Z5). No inline scripts anywhere: the Content-Security-Policy
// forbids them. The keys are real buttons rendered by the server (the digits in an order drawn for each page), so
// they work with a mouse, a touch screen and the keyboard (Tab to a key, Enter or Space to press it); the password
// field itself stays an ordinary input, so the physical keyboard works as well. A polite live region says how many
// characters the field holds, never which.
(function () {
  "use strict";
  var kb = document.getElementById("kb");
  var toggle = document.getElementById("kb-toggle");
  if (!kb || !toggle) { return; }
  var input = document.getElementById(kb.getAttribute("data-for"));
  var status = document.getElementById("kb-status");
  if (!input) { return; }
  var shift = false;
  var max = parseInt(input.getAttribute("maxlength") || "64", 10);

  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    var open = kb.hidden;
    kb.hidden = !open;
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    toggle.textContent = toggle.getAttribute(open ? "data-hide" : "data-show");
  });

  function relabel() {
    var keys = kb.querySelectorAll("button[data-lower]");
    for (var i = 0; i < keys.length; i++) {
      keys[i].textContent = keys[i].getAttribute(shift ? "data-upper" : "data-lower");
    }
  }

  function announce() {
    if (status) {
      status.textContent = (status.getAttribute("data-count") || "").replace("{n}", String(Array.from(input.value).length));
    }
  }

  kb.addEventListener("click", function (e) {
    var b = e.target.closest("button");
    if (!b || !kb.contains(b)) { return; }
    var action = b.getAttribute("data-action");
    if (action === "shift") {
      shift = !shift;
      b.setAttribute("aria-pressed", shift ? "true" : "false");
      relabel();
      return;
    }
    var chars = Array.from(input.value);
    if (action === "backspace") {
      chars.pop();
    } else if (action === "clear") {
      chars = [];
    } else if (chars.length < max) {
      chars.push(b.getAttribute(shift ? "data-upper" : "data-lower"));
    }
    input.value = chars.join("");
    input.dispatchEvent(new Event("input", { bubbles: true }));
    announce();
  });
})();
