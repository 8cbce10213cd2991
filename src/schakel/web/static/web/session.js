// Warn before the idle timeout ends the session, and let the user stay logged in.
// Without JavaScript the server still ends idle sessions; this only adds the warning.
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.dataset.idleSeconds || "0", 10);
  var warnBefore = parseInt(body.dataset.warningSeconds || "120", 10);
  var url = body.dataset.keepaliveUrl;
  var box = document.getElementById("sessie-waarschuwing");
  if (!idle || !url || !box) { return; }
  var warnTimer, endTimer, returnFocus = null;
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function schedule() {
    clearTimeout(warnTimer); clearTimeout(endTimer);
    warnTimer = setTimeout(function () {
      returnFocus = document.activeElement;
      box.hidden = false;
      var button = box.querySelector("[data-keepalive]");
      if (button) { button.focus(); }
    }, Math.max(idle - warnBefore, 1) * 1000);
    endTimer = setTimeout(function () { window.location.reload(); }, (idle + 2) * 1000);
  }
  box.querySelector("[data-keepalive]").addEventListener("click", function () {
    fetch(url, { method: "POST", credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() } })
      .then(function (response) {
        if (!response.ok) { window.location.reload(); return; }
        box.hidden = true;
        idle = parseInt(body.dataset.idleFull || body.dataset.idleSeconds, 10);
        if (returnFocus && returnFocus !== document.body && document.contains(returnFocus)) {
          returnFocus.focus();
        }
        schedule();
      });
  });
  schedule();
}());
