// Problem counts: raised / solved / overdue as grouped bars with whole-number axes.
// <div class="chart" data-chart="problem-counts" data-source="id"> with its data in
// <script type="application/json" id="id">{categories, series: [{name, key, data}]}</script>.
(function () {
  "use strict";
  var css = getComputedStyle(document.documentElement);  // duban/colours.py, through the page's CSS
  function colour(name) { return css.getPropertyValue("--" + name).trim(); }
  var COLOURS = { raised: colour("blue"), solved: colour("green"), overdue: colour("red") };

  function option(d) {
    return {
      animation: false,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return Number(v).toLocaleString("en-US"); } },
      legend: { top: 0 },
      grid: { left: 48, right: 24, top: 40, bottom: 40 },
      xAxis: { type: "category", data: d.categories, axisLabel: { interval: 0 } },
      yAxis: { type: "value", minInterval: 1 },
      series: d.series.map(function (s) {
        return { name: s.name, type: "bar", data: s.data, itemStyle: { color: COLOURS[s.key] },
          label: { show: true, position: "top", formatter: function (p) { return p.value ? Number(p.value).toLocaleString("en-US") : ""; } } };
      })
    };
  }

  function draw() {
    if (!window.echarts) { return; }
    document.querySelectorAll('div.chart[data-chart="problem-counts"]').forEach(function (el) {
      var source = document.getElementById(el.dataset.source);
      if (!source) { return; }
      var chart = echarts.getInstanceByDom(el) || echarts.init(el, null, { renderer: "canvas" });
      chart.setOption(option(JSON.parse(source.textContent)), true);
      el.dataset.drawn = "1";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
