// The economic indicators' charts (ECharts): this year against last year month by month, and
// the growth (比增) of each indicator. Each chart is a <div class="chart" data-econ-chart="kind"
// data-source="id"> whose data sits in a <script type="application/json" id="id">.
(function () {
  "use strict";
  var css = getComputedStyle(document.documentElement);
  function colour(name) { return css.getPropertyValue("--" + name).trim(); }
  var GREY = colour("grey") || "#9e9e9e", BLUE = colour("blue") || "#1565c0", RED = colour("red") || "#c62828", GREEN = colour("green") || "#2e7d32";
  function fmt(v, places) {
    if (v === null || v === undefined) { return "—"; }
    return Number(v).toLocaleString("en-US", { minimumFractionDigits: places, maximumFractionDigits: places });
  }
  var builders = {
    years: function (d) {
      return {
        tooltip: { trigger: "axis", valueFormatter: function (v) { return fmt(v, 2) + " " + d.unit; } },
        legend: { top: 0 },
        grid: { left: 56, right: 16, top: 36, bottom: 28 },
        xAxis: { type: "category", data: d.categories },
        yAxis: { type: "value", name: d.unit },
        series: [
          { name: d.series[0].name, type: "bar", data: d.series[0].data, itemStyle: { color: GREY } },
          { name: d.series[1].name, type: "bar", data: d.series[1].data, itemStyle: { color: BLUE },
            label: { show: true, position: "top", formatter: function (p) { return fmt(p.value, 2); } } }
        ]
      };
    },
    growth: function (d) {
      return {
        tooltip: { trigger: "axis", valueFormatter: function (v) { return fmt(v, 2) + "%"; } },
        grid: { left: 56, right: 16, top: 24, bottom: 72 },
        xAxis: { type: "category", data: d.categories, axisLabel: { interval: 0, rotate: 30 } },
        yAxis: { type: "value", name: d.label, axisLabel: { formatter: "{value}%" } },
        series: [{ name: d.label, type: "bar", data: d.values.map(function (v) { return { value: v, itemStyle: { color: v < 0 ? GREEN : RED } }; }),
          label: { show: true, position: "top", formatter: function (p) { return p.value + "%"; } } }]
      };
    }
  };
  document.querySelectorAll("div.chart[data-econ-chart]").forEach(function (el) {
    var source = document.getElementById(el.dataset.source);
    if (!source || !window.echarts) { return; }
    var chart = echarts.init(el);
    chart.setOption(builders[el.dataset.econChart](JSON.parse(source.textContent)));
    window.addEventListener("resize", function () { chart.resize(); });
    el.dataset.drawn = "1";
  });
})();
