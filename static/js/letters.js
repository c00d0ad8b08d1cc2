// The project page while a letter's PDF is being made: ask its status every few seconds and reload the
// page once it is ready or has failed. Only cells marked pending are asked about; the page works without it.
(function () {
  "use strict";
  var cells = document.querySelectorAll("[data-letter-status][data-status=pending]");
  if (!cells.length) { return; }
  var tries = 0;
  function poll() {
    tries += 1;
    var pending = Array.prototype.filter.call(cells, function (cell) {
      return cell.getAttribute("data-status") === "pending";
    });
    if (!pending.length) { return; }
    Promise.all(pending.map(function (cell) {
      return fetch(cell.getAttribute("data-letter-status"), {
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.ok ? response.json() : null;
      }).then(function (data) {
        if (data && data.status !== "pending") {
          cell.setAttribute("data-status", data.status);
          cell.textContent = data.status_label;
          return true;
        }
        return false;
      }).catch(function () { return false; });
    })).then(function (changed) {
      if (changed.some(Boolean)) {
        window.location.reload();
      } else if (tries < 120) {
        window.setTimeout(poll, tries < 10 ? 1500 : 5000);
      }
    });
  }
  window.setTimeout(poll, 1500);
})();
