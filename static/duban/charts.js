// Draws the ECharts charts of a page. Each chart is a <div class="chart" data-chart="kind"
// data-source="id"> whose data sits in a <script type="application/json" id="id"> next to it.
(function () {
  "use strict";
  var GREEN = "#2e9d5b", GREY = "#909399", RED = "#c0262d", BLUE = "#3b7ddd";

  function pctAxis() {
    return { type: "value", axisLabel: { formatter: "{value}%" } };
  }

  var builders = {
    progress: function (d) {
      return {
        tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
        legend: { data: ["完成率", "时序进度"] },
        grid: { left: 48, right: 24, bottom: 48 },
        xAxis: { type: "category", data: d.categories, axisLabel: { interval: 0, rotate: d.categories.length > 6 ? 30 : 0 } },
        yAxis: pctAxis(),
        series: [
          { name: "完成率", type: "bar", data: d.done.map(function (v, i) { return { value: v, itemStyle: { color: d.colours[i] } }; }),
            label: { show: true, position: "top", formatter: "{c}%" } },
          { name: "时序进度", type: "bar", data: d.categories.map(function () { return d.elapsed; }), itemStyle: { color: GREY } }
        ]
      };
    },
    league: function (d) {
      return {
        tooltip: { trigger: "axis" },
        grid: { left: 100, right: 48, top: 24, bottom: 24 },
        xAxis: pctAxis(),
        yAxis: { type: "category", inverse: true, data: d.categories },
        series: [{ name: "完成率", type: "bar", data: d.done, itemStyle: { color: RED },
          label: { show: true, position: "right", formatter: "{c}%" },
          markLine: { symbol: "none", data: [{ xAxis: d.elapsed, name: "时序进度" }], label: { formatter: "时序 {c}%" }, lineStyle: { color: GREY, type: "dashed" } } }]
      };
    },
    history: function (d) {
      var series = [
        { name: "本周完成", type: "bar", data: d.amounts, itemStyle: { color: BLUE } },
        { name: "累计完成", type: "line", yAxisIndex: 1, data: d.cumulative, itemStyle: { color: RED }, smooth: true }
      ];
      if (d.target !== null) {
        series[1].markLine = { symbol: "none", data: [{ yAxis: d.target, name: "目标" }], label: { formatter: "目标 {c}" }, lineStyle: { color: GREEN } };
      }
      return {
        tooltip: { trigger: "axis" },
        legend: { data: ["本周完成", "累计完成"] },
        grid: { left: 64, right: 64, bottom: 48 },
        xAxis: { type: "category", data: d.weeks },
        yAxis: [{ type: "value", name: d.uom }, { type: "value", name: "累计(" + d.uom + ")" }],
        series: series
      };
    },
    rollup: function (d) {
      return {
        tooltip: { trigger: "axis" },
        legend: {},
        grid: { left: 64, right: 24, bottom: 48 },
        xAxis: { type: "category", data: d.categories, axisLabel: { interval: 0 } },
        yAxis: { type: "value" },
        series: d.series.map(function (s) { return { name: s.name, type: "bar", data: s.data }; })
      };
    }
  };

  function draw() {
    if (!window.echarts) { return; }
    document.querySelectorAll("div.chart[data-chart]").forEach(function (el) {
      var source = document.getElementById(el.dataset.source);
      var build = builders[el.dataset.chart];
      if (!source || !build) { return; }
      var chart = echarts.getInstanceByDom(el) || echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(build(JSON.parse(source.textContent)), true);
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
  document.addEventListener("htmx:afterSwap", draw);
})();
