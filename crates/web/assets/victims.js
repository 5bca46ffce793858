// The measures page's charts (Apache ECharts, vendored). The data come from the page's
// <script type="application/json" id="measures-data"> block: no inline script under the CSP.
// The tables below the charts carry the same numbers, so nothing is lost without JavaScript.
(function () {
  "use strict";
  function bar(el, series, rtl) {
    if (!el || !series || !series.labels.length || typeof echarts === "undefined") return;
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption({
      title: { text: series.title, left: rtl ? "right" : "left", textStyle: { fontSize: 14 } },
      tooltip: { trigger: "axis" },
      grid: { left: rtl ? 20 : 140, right: rtl ? 140 : 20, top: 40, bottom: 20 },
      xAxis: { type: "value", minInterval: 1, inverse: !!rtl },
      yAxis: { type: "category", data: series.labels, position: rtl ? "right" : "left" },
      series: [{ type: "bar", data: series.values, label: { show: true, position: rtl ? "left" : "right" } }],
      aria: { enabled: true },
    });
    window.addEventListener("resize", function () { chart.resize(); });
    el.setAttribute("data-ready", "1");
  }
  function start() {
    var block = document.getElementById("measures-data");
    if (!block) return;
    var data;
    try { data = JSON.parse(block.textContent); } catch (e) { return; }
    bar(document.getElementById("chart-status"), data.status, data.rtl);
    bar(document.getElementById("chart-services"), data.services, data.rtl);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
