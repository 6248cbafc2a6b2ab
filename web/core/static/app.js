// Kumbara web app behaviour. No inline scripts anywhere: the Content-Security-Policy forbids them.
(function () {
  "use strict";
  // Idle timeout (A1, PSD2 RTS Art. 4): show the time left and go to the login page when it runs out. The server
  // enforces the same limit; this only tells the customer.
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-idle-seconds") || "0", 10);
  if (idle > 0) {
    var left = document.getElementById("idle-left");
    var deadline = Date.now() + idle * 1000;
    var reset = function () { deadline = Date.now() + idle * 1000; };
    document.addEventListener("htmx:afterRequest", reset);
    setInterval(function () {
      var s = Math.max(0, Math.round((deadline - Date.now()) / 1000));
      if (left) { left.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0"); }
      if (s === 0) { window.location.assign("/login?m=expired"); }
    }, 1000);
  }
})();
