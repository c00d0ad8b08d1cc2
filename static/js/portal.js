// Small progressive enhancements; every page works without them.
(function () {
  "use strict";

  // File pickers: show the chosen file's name beside the (Chinese) button.
  document.querySelectorAll(".file-picker input[type=file]").forEach(function (input) {
    input.addEventListener("change", function () {
      var picker = input.closest(".file-picker");
      var label = picker.querySelector(".file-name");
      var names = Array.prototype.map.call(input.files || [], function (f) { return f.name; });
      label.textContent = names.length ? names.join("、") : "未选择文件";
      picker.classList.toggle("chosen", names.length > 0);
    });
  });

  // Forms that change something: one click, one submission.
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        window.setTimeout(function () { button.disabled = true; }, 0);
      });
    });
  });
  // Coming back through the browser's history must not leave the buttons disabled.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[method=post] button[type=submit]").forEach(function (button) {
      button.disabled = false;
    });
  });
})();
