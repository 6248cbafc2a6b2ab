// Behaviour of the "profile" pages. No inline scripts anywhere: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  // Password rules checked as the customer types (A11). These mirror password.Check in password/policy.go for the
  // rules that need nothing but the password; the server checks every rule again when the form is sent, so this
  // is guidance, never the gate. Each rule shows its state in words, not only in colour, and a polite live region
  // tells screen-reader users how many rules are met.
  var list = document.getElementById("password-rules");
  var pw = document.getElementById("new_password");
  var again = document.getElementById("confirm_password");
  if (!list || !pw || !again) { return; }

  var min = parseInt(list.getAttribute("data-min") || "8", 10);
  var max = parseInt(list.getAttribute("data-max") || "16", 10);
  var metText = list.getAttribute("data-met") || "";
  var unmetText = list.getAttribute("data-unmet") || "";
  var status = document.getElementById("rules-status");
  // The symbols allowed besides letters and digits (password.specials).
  var specials = "!@#$%^&*()-_=+[]{};:,.?/";

  function isDigit(c) { return c >= "0" && c <= "9"; }
  function isLower(c) { return (c >= "a" && c <= "z") || c === "ë" || c === "ç"; }
  function isUpper(c) { return (c >= "A" && c <= "Z") || c === "Ë" || c === "Ç"; }

  // Three adjacent digits that are all the same or go up or down by one ("111", "123", "987"); no wrap-around.
  function hasDigitRun(s) {
    for (var i = 0; i + 2 < s.length; i++) {
      var x = s[i], y = s[i + 1], z = s[i + 2];
      if (!isDigit(x) || !isDigit(y) || !isDigit(z)) { continue; }
      var d = y.charCodeAt(0) - x.charCodeAt(0);
      if ((d === 0 || d === 1 || d === -1) && z.charCodeAt(0) - y.charCodeAt(0) === d) { return true; }
    }
    return false;
  }

  function check(code, s, confirm) {
    var chars = Array.from(s); // code points, so ë and ç count as one character as on the server
    var letter = false, digit = false, upper = false, lower = false, forbidden = false;
    chars.forEach(function (c) {
      if (isDigit(c)) { digit = true; } else if (isLower(c)) { letter = lower = true; } else if (isUpper(c)) {
        letter = upper = true;
      } else if (specials.indexOf(c) < 0) { forbidden = true; }
    });
    switch (code) {
      case "password_length": return chars.length >= min && chars.length <= max;
      case "password_letters_and_digits": return letter && digit;
      case "password_upper_and_lower": return upper && lower;
      case "password_forbidden_character": return s.length > 0 && !forbidden;
      case "password_digit_run": return s.length > 0 && !hasDigitRun(s);
      case "match": return s.length > 0 && s === confirm;
    }
    return false;
  }

  function update(announce) {
    var items = list.querySelectorAll("li[data-rule]");
    var met = 0;
    items.forEach(function (li) {
      var ok = check(li.getAttribute("data-rule"), pw.value, again.value);
      if (ok) { met++; }
      li.setAttribute("data-state", ok ? "met" : "unmet");
      var state = li.querySelector(".pr-rule-state");
      if (state) { state.textContent = ok ? metText : unmetText; }
    });
    if (announce && status) {
      status.textContent = (status.getAttribute("data-label") || "") + " " + met + "/" + items.length;
    }
  }

  // Until the customer types, every rule stays neutral (or as the server marked it after a refused try): a list
  // of red "not met" before anything is typed reads as a scolding. A value the browser restored is checked at once,
  // without announcing it; typing announces the count.
  if (pw.value !== "" || again.value !== "") { update(false); }
  pw.addEventListener("input", function () { update(true); });
  again.addEventListener("input", function () { update(true); });
})();
