// Charts of the statistics pages, drawn by the vendored Apache ECharts from the JSON each chart
// names (`data-chart` = id of a <script type="application/json">). The numbers are also in the
// table under each chart, so nothing depends on this script. Urdu pages get the Nastaliq font and
// right-to-left legends.
(function () {
  "use strict";
  function font() {
    return document.documentElement.lang === "ur" ? "Noto Nastaliq Urdu, sans-serif" : "system-ui, sans-serif";
  }
  function option(spec) {
    var rtl = document.documentElement.dir === "rtl";
    var base = {
      textStyle: { fontFamily: font() },
      tooltip: { trigger: spec.type === "sankey" || spec.type === "funnel" ? "item" : "axis" },
      legend: { top: 0, left: rtl ? "right" : "left" },
      grid: { left: 48, right: 24, top: 40, bottom: 40, containLabel: true },
      animation: false,
    };
    var series = spec.series || [];
    if (spec.type === "line" || spec.type === "bar" || spec.type === "stack") {
      base.xAxis = { type: "category", data: spec.categories, inverse: rtl, axisLabel: { rotate: spec.categories.length > 12 ? 45 : 0 } };
      base.yAxis = { type: "value", minInterval: 1, position: rtl ? "right" : "left" };
      base.series = series.map(function (s) {
        return { name: s.name, type: spec.type === "line" ? "line" : "bar", data: s.data, stack: spec.type === "stack" ? "all" : undefined, smooth: false };
      });
    } else if (spec.type === "hbar") {
      base.yAxis = { type: "category", data: spec.categories.slice().reverse(), position: rtl ? "right" : "left" };
      base.xAxis = { type: "value", minInterval: 1, inverse: rtl };
      base.series = series.map(function (s) {
        return { name: s.name, type: "bar", stack: "all", data: s.data.slice().reverse() };
      });
    } else if (spec.type === "funnel") {
      // One funnel per crime type, side by side: TIP and SOM are never added up.
      var n = Math.max(series.length, 1);
      base.tooltip = { trigger: "item", formatter: "{a}<br>{b}: {c}" };
      base.legend = { show: false };
      // Right to left in Urdu: the first crime type (TIP) stands at the right.
      var slot = function (i) { return rtl ? n - 1 - i : i; };
      base.series = series.map(function (s, i) {
        return {
          name: s.name, type: "funnel", sort: "none", gap: 2,
          left: (slot(i) * 100 / n + 2) + "%", width: (100 / n - 4) + "%", top: 30, bottom: 10,
          label: { show: true, position: "inside", formatter: "{b}: {c}" },
          data: spec.categories.map(function (c, j) { return { name: c, value: s.data[j] }; }),
        };
      });
      base.title = series.map(function (s, i) {
        return { text: s.name, left: (slot(i) * 100 / n + 100 / n / 2) + "%", textAlign: "center", textStyle: { fontSize: 13, fontFamily: font() } };
      });
    } else if (spec.type === "sankey") {
      base.tooltip = { trigger: "item" };
      base.series = [{
        type: "sankey", emphasis: { focus: "adjacency" }, nodeGap: 6,
        data: spec.nodes.map(function (n) { return { name: n }; }),
        links: spec.links,
        label: { fontFamily: font() },
      }];
    }
    return base;
  }
  function draw() {
    if (typeof window.echarts === "undefined") return;
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var src = document.getElementById(el.getAttribute("data-chart"));
      if (!src) return;
      var spec;
      try { spec = JSON.parse(src.textContent); } catch (e) { return; }
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(option(spec));
      el.setAttribute("data-drawn", "true");
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  function wirePrint() {
    document.querySelectorAll("[data-print]").forEach(function (a) {
      a.addEventListener("click", function (e) { e.preventDefault(); window.print(); });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { draw(); wirePrint(); });
})();
