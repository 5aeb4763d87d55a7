// The land pages' charts: 亩 by batch status, the batches' steps on a time line, and the parcels'
// 亩 ready to build by phase. <div class="chart" data-chart="land-…" data-source="id"> with its
// data in <script type="application/json" id="id">.
(function () {
  "use strict";
  var css = getComputedStyle(document.documentElement);  // duban/colours.py, through the page's CSS
  function colour(name) { return css.getPropertyValue("--" + name).trim(); }
  var GREEN = colour("green"), GREY = colour("grey"), BLUE = colour("blue"), RED = colour("red");
  function fmt(v) { return Number(v).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 }); }

  var builders = {
    "land-status": function (d) {
      return {
        title: { text: d.labels.area + " / " + d.labels.count, left: "center", textStyle: { fontSize: 13 } },
        tooltip: { trigger: "axis" },
        grid: { left: 64, right: 48, top: 40, bottom: 32 },
        xAxis: { type: "category", data: d.categories, axisLabel: { interval: 0 } },
        yAxis: [{ type: "value", name: d.labels.area }, { type: "value", name: d.labels.count, minInterval: 1 }],
        series: [
          { name: d.labels.area, type: "bar", data: d.area, itemStyle: { color: BLUE },
            label: { show: true, position: "top", formatter: function (p) { return p.value ? fmt(p.value) : ""; } },
            tooltip: { valueFormatter: fmt } },
          { name: d.labels.count, type: "line", yAxisIndex: 1, data: d.count, itemStyle: { color: RED } }
        ]
      };
    },
    "land-timeline": function (d) {
      var colours = [GREY, BLUE, GREEN];
      return {
        tooltip: { trigger: "item", formatter: function (p) { return p.value[1] + "<br>" + p.seriesName + " " + p.value[0]; } },
        legend: { top: 0 },
        grid: { left: 140, right: 32, top: 40, bottom: 32 },
        xAxis: { type: "time" },
        yAxis: { type: "category", data: d.batches, inverse: true },
        series: d.series.map(function (s, i) {
          return { name: s.name, type: "scatter", symbolSize: 12, data: s.data, itemStyle: { color: colours[i] } };
        })
      };
    },
    "land-ready": function (d) {
      var colours = { ready: GREEN, waiting: GREY };
      return {
        tooltip: { trigger: "axis", valueFormatter: fmt },
        legend: { top: 0 },
        grid: { left: 72, right: 24, top: 40, bottom: 32 },
        xAxis: { type: "category", data: d.categories },
        yAxis: { type: "value", name: "亩" },
        series: d.series.map(function (s) {
          return { name: s.name, type: "bar", stack: "area", data: s.data, itemStyle: { color: colours[s.key] },
            label: { show: true, formatter: function (p) { return p.value ? fmt(p.value) : ""; } } };
        })
      };
    }
  };

  window.dubanCharts.register(builders);  // drawn by the project's loop (static/duban/charts.js)
})();
