// Charts of the organized-crime assessment, drawn with the vendored Apache ECharts. Each chart
// reads its figures from the JSON block named by its `data-chart` attribute, and every figure is
// also in a table of the page: without this script (or without JavaScript) nothing is lost. In
// Urdu the charts run right to left: bars grow from the right, labels sit on the right, years run
// from right to left, and text is set in the page's Nastaliq font.
(function () {
  "use strict";

  var drawn = 0;
  window.nigehbanCharts = { drawn: function () { return drawn; } };
  if (!window.echarts) return;

  var urdu = document.documentElement.getAttribute("lang") === "ur";
  var font = urdu ? "\"Noto Nastaliq Urdu\", system-ui, sans-serif" : "system-ui, \"Segoe UI\", Roboto, sans-serif";
  // The brand green first, then colours that stay apart for colour-blind readers.
  var palette = ["#0d5c46", "#b45309", "#1d4ed8", "#be185d", "#4d7c0f", "#6d28d9", "#0e7490", "#a16207", "#475569"];

  // Bars of one series take the colour of their pillar, as the score boards do.
  var pillarColour = { markets: "#0d5c46", actors: "#b45309", resilience: "#1d4ed8" };
  // Nastaliq needs taller lines than Latin script.
  var row = urdu ? 28 : 18;

  function score(v) {
    return v === null || v === undefined ? "–" : Number(v).toFixed(2);
  }

  function barsOption(data, rtl) {
    var single = data.series.length === 1;
    return {
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, valueFormatter: score },
      legend: { show: !single, top: 0, type: "scroll", textStyle: { fontFamily: font } },
      grid: { containLabel: true, top: single ? 10 : 40, bottom: 10, left: 10, right: 24 },
      xAxis: { type: "value", min: 0, max: 10, interval: 1, inverse: rtl },
      // The first category at the top, as in the table.
      yAxis: {
        type: "category", data: data.categories, inverse: true, position: rtl ? "right" : "left",
        axisLabel: { fontFamily: font, width: 260, overflow: "truncate", lineHeight: row, fontSize: urdu ? 13 : 12 }
      },
      series: data.series.map(function (s) {
        var values = s.values;
        if (single && data.pillars && data.pillars.length === values.length) {
          values = values.map(function (v, i) {
            return { value: v, itemStyle: { color: pillarColour[data.pillars[i]] || palette[0] } };
          });
        }
        return {
          name: s.name, type: "bar", data: values, barMaxWidth: 18,
          label: { show: single, position: rtl ? "left" : "right", formatter: function (p) { return score(p.value); } }
        };
      })
    };
  }

  function linesOption(data, rtl) {
    return {
      tooltip: { trigger: "axis", valueFormatter: score },
      legend: { top: 0, type: "scroll", textStyle: { fontFamily: font } },
      grid: { containLabel: true, top: 40, bottom: 10, left: 16, right: 16 },
      xAxis: { type: "category", data: data.categories, inverse: rtl, boundaryGap: true },
      yAxis: { type: "value", min: 0, max: 10, interval: 2, position: rtl ? "right" : "left" },
      series: data.series.map(function (s) {
        return { name: s.name, type: "line", data: s.values, symbolSize: 8, label: { show: data.categories.length <= 4, formatter: function (p) { return score(p.value); } } };
      })
    };
  }

  function draw(el) {
    var block = document.getElementById(el.getAttribute("data-chart"));
    if (!block) return;
    var data;
    try {
      data = JSON.parse(block.textContent);
    } catch (e) {
      return;
    }
    if (!data.categories || !data.categories.length || !data.series || !data.series.length) return;
    var rtl = data.dir === "rtl";
    var option;
    if (data.kind === "lines") {
      el.style.height = "320px";
      option = linesOption(data, rtl);
    } else {
      var bars = data.categories.length * Math.max(1, data.series.length);
      el.style.height = Math.max(260, 70 + bars * (row - 2) + data.categories.length * 6) + "px";
      option = barsOption(data, rtl);
    }
    option.color = palette;
    option.animation = false;
    option.textStyle = { fontFamily: font };
    var chart = window.echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
    el.setAttribute("data-state", "ready");
    drawn++;
  }

  document.querySelectorAll("div.chart[data-chart]").forEach(draw);
})();
