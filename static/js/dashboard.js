// The dashboard's charts (Chart.js, vendored under static/vendor/). Each chart draws the numbers of the table
// beneath it, which the page also gives as JSON (json_script "dashboard-charts"): the table is the record, the
// chart only a picture of it. Without JavaScript the tables stand alone.
(function () {
  "use strict";
  var source = document.getElementById("dashboard-charts");
  if (!source || typeof window.Chart === "undefined") { return; }
  var charts = JSON.parse(source.textContent);
  var palette = ["#1f5fbf", "#2e9d6b", "#e0912b", "#8a5cc2", "#c94a4a", "#3aa6b9", "#7d8794"];
  window.Chart.defaults.font.family =
    '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif';
  window.Chart.defaults.animation = false;
  charts.forEach(function (spec) {
    var canvas = document.getElementById("chart-" + spec.key);
    if (!canvas) { return; }
    var axis = spec.horizontal ? "y" : "x";
    var value = spec.horizontal ? "x" : "y";
    var scales = {};
    scales[axis] = { stacked: spec.stacked, grid: { display: false } };
    scales[value] = { stacked: spec.stacked, beginAtZero: true, ticks: spec.whole ? { precision: 0 } : {} };
    var chart = new window.Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (set, i) {
          return {
            label: set.label,
            data: set.data.map(Number),
            backgroundColor: palette[i % palette.length],
            borderRadius: 3,
            maxBarThickness: 48
          };
        })
      },
      options: {
        indexAxis: axis,
        responsive: true,
        maintainAspectRatio: false,
        scales: scales,
        plugins: {
          legend: { display: spec.datasets.length > 1, position: "bottom" },
          tooltip: { mode: "index", intersect: false }
        }
      }
    });
    canvas.setAttribute("data-drawn", String(chart.data.datasets.length));
  });
})();
