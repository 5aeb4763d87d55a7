// The big screen: fetches /screen/data.json every N seconds (conditional request: an unchanged
// wall costs a 304), updates the charts in place with setOption (no reload, no flicker), rotates
// the focus panel through the running campaigns unless one is pinned, and keeps the last good
// data on the wall when a refresh fails, with a discreet marker.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("screen-config").textContent);
  var L = JSON.parse(document.getElementById("screen-labels").textContent);
  var css = getComputedStyle(document.documentElement);  // duban/colours.py, through the page's CSS
  function colour(name) { return css.getPropertyValue("--" + name).trim(); }
  var COLOURS = { green: colour("green"), yellow: colour("yellow"), red: colour("red"), none: colour("grey") };
  var GREY = colour("grey"), BLUE = colour("blue"), INK = "#e8f0ff", MUTED = "#8ea4c8";
  var TEXT = { color: INK, fontSize: 18 };

  // What the tests (and a curious operator, in the console) can read.
  var state = window.screenState = { fetches: 0, notModified: 0, renders: 0, failures: 0, focus: null, lastOk: null };
  var cache = {};  // url -> {etag, data}
  var rotation = [], position = 0;
  var charts = {};

  function chart(id) {
    if (!charts[id]) {
      charts[id] = echarts.init(document.getElementById(id), null, { renderer: "canvas" });
      window.addEventListener("resize", function () { charts[id].resize(); });
    }
    return charts[id];
  }

  function draw(id, option) {
    option.animation = false;  // figures for reading across a room, updated in place
    option.backgroundColor = "transparent";
    option.textStyle = { fontFamily: "WenQuanYi Micro Hei, Microsoft YaHei, sans-serif" };
    chart(id).setOption(option, { replaceMerge: ["series", "xAxis", "yAxis"] });
    document.getElementById(id).dataset.drawn = "1";
  }

  function axisPct(values) {
    var top = Math.max.apply(null, [100].concat((values || []).filter(function (v) { return v !== null; })));
    return { type: "value", max: Math.ceil(top / 10) * 10, axisLabel: { formatter: "{value}%", color: MUTED, fontSize: 16 },
      splitLine: { lineStyle: { color: "#1d3a6b" } } };
  }

  function categoryAxis(names, vertical) {
    var axis = { type: "category", data: names, axisLabel: { color: INK, fontSize: 17, width: vertical ? 200 : 90, overflow: "truncate" },
      axisLine: { lineStyle: { color: "#1d3a6b" } } };
    if (vertical) { axis.inverse = true; }
    return axis;
  }

  function text(el, value) { if (el.textContent !== value) { el.textContent = value; } }

  function escape(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]; });
  }

  function fmt(v) { return v === null || v === undefined ? "—" : v.toFixed(2) + "%"; }

  // Headline tiles --------------------------------------------------------------------------------
  function renderHeadline(h) {
    var econ = document.getElementById("economy-strip"), e = h.economy;
    if (econ) {
      var html = e && e.tiles.length ? '<h2>' + escape(e.reach) + "<br>" + escape(e.period) + '</h2>' + e.tiles.map(function (t) {
        return '<div class="econ"><span>' + escape(t.name) + '</span><b>' + escape(t.value) + '<small>' + escape(t.unit) + '</small></b><em class="' +
          (t.growth === null ? "none" : t.growth < 0 ? "down" : "up") + '">' + escape(t.growth_text) + '</em></div>';
      }).join("") : "";
      if (econ.innerHTML !== html) { econ.innerHTML = html; }
      var had = document.body.classList.contains("has-econ");
      document.body.classList.toggle("has-econ", html !== "");
      if (had !== (html !== "")) { Object.keys(charts).forEach(function (id) { charts[id].resize(); }); }
    }
    document.querySelectorAll("#headline .tile").forEach(function (tile) {
      var item = h[tile.dataset.key];
      if (!item) { return; }
      text(tile.querySelector(".value"), item.value);
      text(tile.querySelector(".unit"), item.unit);
      text(tile.querySelector(".note"), item.note);
      text(tile.querySelector(".reach"), item.reach || "");
    });
    draw("chart-stages", {
      grid: { left: 48, right: 12, top: 24, bottom: 40 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: h.projects.stages.map(function (s) { return s.label; }), axisLabel: { color: INK, fontSize: 15, interval: 0 } },
      yAxis: { type: "value", axisLabel: { color: MUTED, fontSize: 14 }, splitLine: { lineStyle: { color: "#1d3a6b" } } },
      series: [{ type: "bar", data: h.projects.stages.map(function (s) { return s.count; }), itemStyle: { color: BLUE },
        label: { show: true, position: "top", color: INK, fontSize: 16 } }]
    });
    var inv = h.investment;
    draw("chart-investment", {
      series: [{ type: "gauge", min: 0, max: 100, radius: "92%", center: ["50%", "58%"],
        progress: { show: true, width: 18, itemStyle: { color: BLUE } },
        axisLine: { lineStyle: { width: 18, color: [[1, "#1d3a6b"]] } },
        axisTick: { show: false }, splitLine: { length: 10, lineStyle: { color: MUTED } },
        axisLabel: { color: MUTED, fontSize: 13, distance: 22 }, pointer: { show: false },
        title: { offsetCenter: [0, "42%"], color: MUTED, fontSize: 17 },
        detail: { offsetCenter: [0, "5%"], color: "#fff", fontSize: 34, formatter: function (v) { return v.toFixed(2) + "%"; } },
        data: [{ value: inv.done_pct || 0, name: L.time + " " + fmt(inv.elapsed_pct) }] }]
    });
  }

  // Every running campaign ------------------------------------------------------------------------
  function renderCampaigns(list) {
    var names = list.map(function (c) { return c.name; });
    var done = list.map(function (c) { return c.done_pct; });
    draw("chart-campaigns", {
      grid: { left: 210, right: 64, top: 36, bottom: 28 },
      legend: { top: 0, textStyle: TEXT, data: [L.done, L.elapsed] },
      tooltip: { trigger: "axis" },
      yAxis: categoryAxis(names, true),
      xAxis: axisPct(done),
      series: [
        { name: L.done, type: "bar", barGap: "10%", barMaxWidth: 30, data: list.map(function (c) { return { value: c.done_pct, itemStyle: { color: COLOURS[c.status] } }; }),
          label: { show: true, position: "right", color: INK, fontSize: 16, formatter: function (p) { return fmt(p.value); } } },
        { name: L.elapsed, type: "bar", barMaxWidth: 30, data: list.map(function (c) { return c.elapsed_pct; }), itemStyle: { color: GREY } }
      ]
    });
    draw("chart-tasks", {
      grid: { left: 210, right: 36, top: 36, bottom: 28 },
      legend: { top: 0, textStyle: TEXT, data: [L.tasks_done, L.tasks_open, L.tasks_overdue] },
      tooltip: { trigger: "axis" },
      yAxis: categoryAxis(names, true),
      xAxis: { type: "value", axisLabel: { color: MUTED, fontSize: 15 }, splitLine: { lineStyle: { color: "#1d3a6b" } } },
      series: [
        { name: L.tasks_done, type: "bar", stack: "t", barMaxWidth: 40, data: list.map(function (c) { return c.tasks.done; }), itemStyle: { color: COLOURS.green },
          label: { show: true, color: "#fff", fontSize: 15, formatter: function (p) { return p.value || ""; } } },
        { name: L.tasks_open, type: "bar", stack: "t", barMaxWidth: 40, data: list.map(function (c) { return c.tasks.open; }), itemStyle: { color: BLUE },
          label: { show: true, color: "#fff", fontSize: 15, formatter: function (p) { return p.value || ""; } } },
        { name: L.tasks_overdue, type: "bar", stack: "t", barMaxWidth: 40, data: list.map(function (c) { return c.tasks.overdue; }), itemStyle: { color: COLOURS.red },
          label: { show: true, color: "#fff", fontSize: 15, formatter: function (p) { return p.value || ""; } } }
      ]
    });
  }

  // The rotating panel ----------------------------------------------------------------------------
  function renderFocus(f) {
    document.body.dataset.focus = f ? f.id : "";
    state.focus = f ? f.id : null;
    if (!f) {
      text(document.getElementById("focus-name"), L.no_campaign);
      return;
    }
    text(document.getElementById("focus-name"), f.name);
    text(document.getElementById("focus-meta"), f.start + " – " + f.end + " · " + L.elapsed + " " + fmt(f.elapsed_pct) + " · " + L.days_left.replace("%s", f.days_left));
    document.getElementById("focus-pin").hidden = !config.pinned;
    document.getElementById("focus-indicators").innerHTML = f.indicators.map(function (i) {
      return "<li>" + escape(i.name) + "<b>" + escape(i.done) + "</b>/ " + escape(i.target) + " " + escape(i.uom) + "<em>" + fmt(i.done_pct) + "</em></li>";
    }).join("");
    var t = f.trend, lines = t.series.map(function (s) {
      return { name: s.name, type: "line", data: s.data, symbolSize: 8, lineStyle: { width: 4 }, label: { show: false } };
    });
    lines.push({ name: L.elapsed, type: "line", data: t.elapsed, symbol: "none", lineStyle: { color: GREY, width: 3, type: "dashed" }, itemStyle: { color: GREY } });
    draw("chart-trend", {
      color: [BLUE, COLOURS.green, COLOURS.yellow, "#b37feb", "#ff85c0"],
      grid: { left: 64, right: 24, top: 44, bottom: 36 },
      legend: { top: 0, textStyle: TEXT },
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : v + "%"; } },
      xAxis: { type: "category", data: t.weeks, axisLabel: { color: MUTED, fontSize: 15 } },
      yAxis: axisPct([].concat.apply([], t.series.map(function (s) { return s.data; }))),
      series: lines
    });
    text(document.getElementById("league-week"), f.name + " · " + f.week);
    document.getElementById("league").innerHTML = f.league.map(function (e) {
      var change = e.change === null ? "—" : e.change > 0 ? '<span class="up">▲' + e.change + "</span>" : e.change < 0 ? '<span class="down">▼' + (-e.change) + "</span>" : "–";
      return '<tr class="s-' + e.status + '"><td class="rank">' + e.rank + '</td><td class="unit">' + escape(e.unit) + '</td><td class="n">' + fmt(e.done_pct) + '</td><td class="n">' + change + "</td></tr>";
    }).join("");
  }

  function renderRed(red) {
    text(document.getElementById("red-count"), L.red_count.replace("%s", red.count));
    document.getElementById("red-units").innerHTML = red.rows.length ? red.rows.map(function (r) {
      return "<li><b>" + escape(r.unit) + "</b><span>" + escape(r.campaign) + " · " + escape(r.indicator) + " " + fmt(r.done_pct) + "</span><em>" + r.gap.toFixed(2) + "</em></li>";
    }).join("") : '<li class="none">' + escape(L.no_red) + "</li>";
  }

  function render(data) {
    renderHeadline(data.headline);
    renderCampaigns(data.campaigns);
    renderFocus(data.focus);
    renderRed(data.red_units);
    rotation = data.rotation || [];
    state.renders += 1;
    document.body.dataset.state = "ready";
  }

  // Refreshing ------------------------------------------------------------------------------------
  function urlFor(campaign) {
    if (!campaign) { return config.dataUrl; }
    return config.dataUrl + (config.dataUrl.indexOf("?") < 0 ? "?" : "&") + "campaign=" + campaign;
  }

  function nextUrl() {
    if (config.pinned) { return urlFor(config.pinned); }
    if (state.renders === 0 || rotation.length === 0) { return urlFor(null); }
    position = (position + 1) % rotation.length;
    return urlFor(rotation[position]);
  }

  function stamp(ok) {
    var stale = document.getElementById("stale");
    if (ok) {
      state.lastOk = new Date();
      text(document.getElementById("as-of"), formatDate(state.lastOk, true));
      stale.hidden = true;
      document.body.dataset.stale = "0";
    } else {
      stale.hidden = false;
      document.body.dataset.stale = "1";
    }
  }

  function refresh() {
    var url = nextUrl(), cached = cache[url], headers = {};
    if (cached) { headers["If-None-Match"] = cached.etag; }
    state.fetches += 1;
    return fetch(url, { headers: headers, cache: "no-store", credentials: "same-origin" }).then(function (response) {
      if (response.status === 304 && cached) {
        state.notModified += 1;
        if (state.focus !== (cached.data.focus && cached.data.focus.id)) { render(cached.data); }
        return;
      }
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json().then(function (data) {
        cache[url] = { etag: response.headers.get("ETag"), data: data };
        render(data);
      });
    }).then(function () { stamp(true); }, function (error) {
      if (window.console) { console.warn("screen refresh failed:", error); }
      state.failures += 1;
      stamp(false);  // the last good data stays on the wall
    });
  }

  // The clock, in the office's time zone (not the wall PC's) -----------------------------------------
  var clockFormat = new Intl.DateTimeFormat("en-GB", { timeZone: config.timeZone, hourCycle: "h23", weekday: "short",
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
  var WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
  function parts(d) {
    var p = {};
    clockFormat.formatToParts(d).forEach(function (x) { p[x.type] = x.value; });
    return p;
  }
  function formatDate(d, withTime) {
    var p = parts(d), s = p.year + "-" + p.month + "-" + p.day;
    return withTime ? s + " " + p.hour + ":" + p.minute + ":" + p.second : s;
  }
  function tick() {
    var now = new Date(), p = parts(now), hour = parseInt(p.hour, 10), night = hour < 6 || hour >= 19;
    text(document.getElementById("clock-date"), formatDate(now, false) + " " + L.weekdays[WEEKDAYS.indexOf(p.weekday)]);
    text(document.getElementById("clock-time"), p.hour + ":" + p.minute + ":" + p.second);
    text(document.getElementById("daynight"), night ? "☾" : "☀");
    document.body.classList.toggle("night", night);
    document.body.classList.toggle("day", !night);
  }

  tick();
  setInterval(tick, 1000);
  refresh();
  setInterval(refresh, config.refreshSeconds * 1000);
})();
