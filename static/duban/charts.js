// Draws the ECharts charts of a page. Each chart is a <div class="chart" data-chart="kind"
// data-source="id"> whose data sits in a <script type="application/json" id="id"> next to it.
(function () {
  "use strict";
  // the status colours, from duban/colours.py through the page's CSS custom properties
  var css = getComputedStyle(document.documentElement);
  function colour(name) { return css.getPropertyValue("--" + name).trim(); }
  var GREEN = colour("green"), GREY = colour("grey"), RED = colour("red"), BLUE = colour("blue");

  // Figures as duban/numbers.py writes them: thousands separators, two decimals, none for counts.
  function fmt(v, places) {
    if (v === null || v === undefined || v === "") { return "—"; }
    var p = places === undefined ? 2 : places;
    return Number(v).toLocaleString("en-US", { minimumFractionDigits: p, maximumFractionDigits: p });
  }
  function pct(v) { return fmt(v, 2) + "%"; }
  function value(p) { return p.value !== undefined && p.value !== null && typeof p.value === "object" ? p.value.value : p.value; }
  function formatter(places) { return function (v) { return fmt(v, places); }; }

  // The axis reaches 100 % and whatever is above it, so the time-elapsed mark is always in view.
  function pctAxis(values) {
    var top = Math.max.apply(null, [100].concat(values || []));
    return { type: "value", max: Math.ceil(top / 10) * 10, axisLabel: { formatter: "{value}%" } };
  }

  var builders = {
    progress: function (d) {
      return {
        tooltip: { trigger: "axis", valueFormatter: pct },
        legend: { top: 0, data: [d.labels.done, d.labels.elapsed] },
        grid: { left: 48, right: 24, top: 40, bottom: 48 },
        xAxis: { type: "category", data: d.categories, axisLabel: { interval: 0, rotate: d.categories.length > 6 ? 30 : 0 } },
        yAxis: pctAxis(d.done),
        series: [
          { name: d.labels.done, type: "bar", data: d.done.map(function (v, i) { return { value: v, itemStyle: { color: d.colours[i] } }; }),
            label: { show: true, position: "top", formatter: function (p) { return pct(value(p)); } } },
          { name: d.labels.elapsed, type: "bar", data: d.categories.map(function () { return d.elapsed; }), itemStyle: { color: GREY } }
        ]
      };
    },
    league: function (d) {
      return {
        tooltip: { trigger: "axis", valueFormatter: pct },
        grid: { left: 100, right: 72, top: 24, bottom: 24 },
        xAxis: pctAxis(d.done),
        yAxis: { type: "category", inverse: true, data: d.categories },
        series: [{ name: d.labels.done, type: "bar", data: d.done, itemStyle: { color: RED },
          label: { show: true, position: "right", formatter: function (p) { return pct(p.value); } },
          markLine: { symbol: "none", data: [{ xAxis: d.elapsed, name: d.labels.elapsed }],
            label: { position: "start", formatter: function (p) { return d.labels.elapsed + " " + pct(p.value); } }, lineStyle: { color: GREY, type: "dashed", width: 2 } } }]
      };
    },
    history: function (d) {
      var series = [
        { name: d.labels.week, type: "bar", data: d.amounts, itemStyle: { color: BLUE } },
        { name: d.labels.cumulative, type: "line", yAxisIndex: 1, data: d.cumulative, itemStyle: { color: RED }, smooth: true }
      ];
      if (d.target !== null) {
        series[1].markLine = { symbol: "none", data: [{ yAxis: d.target, name: d.labels.target }], label: { formatter: function (p) { return d.labels.target + " " + fmt(p.value, d.places); } }, lineStyle: { color: GREEN } };
      }
      return {
        tooltip: { trigger: "axis", valueFormatter: formatter(d.places) },
        legend: { top: 0, data: [d.labels.week, d.labels.cumulative] },
        grid: { left: 64, right: 80, top: 48, bottom: 40 },
        xAxis: { type: "category", data: d.weeks },
        yAxis: [{ type: "value", name: d.uom }, { type: "value", name: d.labels.cumulative + "(" + d.uom + ")" }],
        series: series
      };
    },
    investment: function (d) {
      return {
        tooltip: { trigger: "axis", valueFormatter: formatter(2) },
        legend: { top: 0, data: [d.labels.monthly, d.labels.cumulative, d.labels.plan] },
        grid: { left: 72, right: 24, top: 48, bottom: 32 },
        xAxis: { type: "category", data: d.months },
        yAxis: { type: "value", name: "万元" },
        series: [
          { name: d.labels.monthly, type: "bar", data: d.monthly, itemStyle: { color: BLUE } },
          { name: d.labels.cumulative, type: "line", data: d.done, itemStyle: { color: RED } },
          { name: d.labels.plan, type: "line", data: d.plan, itemStyle: { color: GREY }, lineStyle: { type: "dashed" } }
        ]
      };
    },
    plandone: function (d) {
      return {
        tooltip: { trigger: "axis", valueFormatter: formatter(2) },
        legend: { top: 0, data: [d.labels.plan, d.labels.done] },
        grid: { left: 64, right: 24, top: 40, bottom: 48 },
        xAxis: { type: "category", data: d.categories, axisLabel: { interval: 0, rotate: d.categories.length > 6 ? 30 : 0 } },
        yAxis: { type: "value" },
        series: [
          { name: d.labels.plan, type: "bar", data: d.plan, itemStyle: { color: GREY } },
          { name: d.labels.done, type: "bar", data: d.done, itemStyle: { color: RED }, label: { show: true, position: "top", formatter: function (p) { return fmt(p.value, 2); } } }
        ]
      };
    },
    stages: function (d) {
      return {
        tooltip: { trigger: "axis", valueFormatter: formatter(0) },
        legend: { top: 0 },
        grid: { left: 64, right: 24, top: 56, bottom: 40 },
        xAxis: { type: "category", data: d.categories, axisLabel: { interval: 0 } },
        yAxis: { type: "value" },
        series: d.series.map(function (s) { return { name: s.name, type: "bar", stack: "stages", data: s.data }; })
      };
    },
    // one bar a row, for long lists of names (the cadres lent by each of 48 departments)
    hbar: function (d) {
      return {
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { top: 0 },
        grid: { left: 150, right: 48, top: 32, bottom: 24 },
        yAxis: { type: "category", data: d.categories, inverse: true, axisLabel: { interval: 0 } },
        xAxis: { type: "value" },
        series: d.series.map(function (s) {
          return { name: s.name, type: "bar", data: s.data, label: { show: true, position: "right" } };
        })
      };
    },
    rollup: function (d) {
      return {
        tooltip: { trigger: "axis" },
        legend: { top: 0 },
        grid: { left: 64, right: 24, top: 40, bottom: 40 },
        xAxis: { type: "category", data: d.categories, axisLabel: { interval: 0 } },
        yAxis: { type: "value" },
        series: d.series.map(function (s) {
          return { name: s.name, type: "bar", data: s.data, tooltip: { valueFormatter: formatter(s.places) } };
        })
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
      var option = build(JSON.parse(source.textContent));
      option.animation = false;  // figures for reading, not a show; screenshots see the final state
      chart.setOption(option, true);
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
  // An app's own kinds of chart (land/static/land/charts.js): its builders join these, drawn by
  // the same loop.
  window.dubanCharts = { register: function (more) { Object.assign(builders, more); draw(); } };
})();
