// The project page while an archive package is being built: ask its progress every few seconds, show it, and
// reload the page once it is ready or has failed. The page works without it.
(function () {
  "use strict";
  var cells = document.querySelectorAll("[data-package-status]");
  var tries = 0;
  function poll() {
    tries += 1;
    var open = Array.prototype.filter.call(cells, function (cell) {
      var s = cell.getAttribute("data-status");
      return s === "pending" || s === "building";
    });
    if (!open.length) { return; }
    Promise.all(open.map(function (cell) {
      return fetch(cell.getAttribute("data-package-status"), {
        credentials: "same-origin", headers: { "Accept": "application/json" }
      }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
        if (!data) { return false; }
        cell.textContent = data.status_label + (data.status === "building" ? " " + data.progress + "%" : "");
        if (data.status === "ready" || data.status === "failed") { return true; }
        cell.setAttribute("data-status", data.status);
        return false;
      }).catch(function () { return false; });
    })).then(function (done) {
      if (done.some(Boolean)) { window.location.reload(); }
      else if (tries < 240) { window.setTimeout(poll, tries < 10 ? 1500 : 5000); }
    });
  }
  window.setTimeout(poll, 1500);
})();
