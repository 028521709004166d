/*
 * The dashboard's live updates (no framework, no build step). The pages are rendered by the
 * server and work without this script; with it:
 * - a websocket to /dashboard/live on this same server says when something changed; the page
 *   then re-reads its own URL and swaps its four [data-live] regions in place (no reload, the
 *   scroll position stays); while a read is in flight, further notices coalesce into one more;
 * - `auto` re-reads every 5 s as well (the clocks and uptimes move without events);
 * - the statistics placeholders ([data-chart]) are drawn with uPlot: the series, its mean
 *   (dashed), its regression line (dotted) and the standard deviation band around the mean;
 *   a chart whose key is unchanged after a swap keeps its canvas and only gets the new data.
 * window.supvisorsDashboard exposes counters the browser tests and the benchmark read.
 */
(function () {
  "use strict";
  var body = document.body;
  var page = body.getAttribute("data-page") || "";
  var auto = body.getAttribute("data-auto") === "true";
  var STATS_PAGES = { "proc_instance.html": true, "host_instance.html": true, "application.html": true };
  var state = { refreshes: 0, notices: 0, connected: false, lastSwap: 0, inFlight: false, dirty: false };
  window.supvisorsDashboard = state;
  var charts = {};

  // State changes refresh at once; the periodic notices (TICKs, statistics) at most once a second,
  // and only where the page shows something they move (the clocks, the figures).
  var URGENT = { supvisors: true, instance: true, application: true, process: true, event: true };
  var lastStart = 0;
  var throttled = null;
  function onTopics(topics) {
    var urgent = false, periodic = false;
    for (var i = 0; i < topics.length; i++) {
      var t = topics[i];
      if (URGENT[t]) urgent = true;
      else if ((t === "tick" && page === "index.html") || ((t === "hstats" || t === "pstats") && STATS_PAGES[page])) periodic = true;
    }
    if (urgent) return refresh();
    if (!periodic || throttled) return;
    var wait = 1000 - (Date.now() - lastStart);
    if (wait <= 0) return refresh();
    throttled = setTimeout(function () {
      throttled = null;
      refresh();
    }, wait);
  }

  function refresh() {
    if (state.inFlight) {
      state.dirty = true;
      return;
    }
    state.inFlight = true;
    lastStart = Date.now();
    fetch(location.href, { cache: "no-store", credentials: "same-origin", headers: { "X-Supvisors-Live": "1" } })
      .then(function (r) {
        var type = r.headers.get("content-type") || "";
        if (!r.ok || type.indexOf("text/html") !== 0) return null;
        return r.text();
      })
      .then(function (text) {
        if (text !== null) swap(new DOMParser().parseFromString(text, "text/html"));
      })
      .catch(function () {
        /* the server is away: keep the page as it is, the socket tells when it is back */
      })
      .then(function () {
        state.inFlight = false;
        if (state.dirty) {
          state.dirty = false;
          refresh();
        }
      });
  }

  function swap(doc) {
    var regions = document.querySelectorAll("[data-live]");
    for (var i = 0; i < regions.length; i++) {
      var el = regions[i];
      var next = doc.querySelector('[data-live="' + el.getAttribute("data-live") + '"]');
      if (next && next.innerHTML !== el.innerHTML) el.innerHTML = next.innerHTML;
    }
    state.refreshes++;
    state.lastSwap = Date.now();
    drawCharts();
    document.dispatchEvent(new CustomEvent("supvisors:refreshed"));
  }

  var backoff = 250;
  function connect() {
    if (!("WebSocket" in window)) return;
    var ws;
    try {
      ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/dashboard/live");
    } catch (e) {
      return;
    }
    var everConnected = state.everConnected;
    ws.onmessage = function (m) {
      var msg;
      try {
        msg = JSON.parse(m.data);
      } catch (e) {
        return;
      }
      if (msg.hello) {
        state.connected = true;
        state.everConnected = true;
        backoff = 250;
        // Back after a break: whatever changed meanwhile.
        if (everConnected) refresh();
        return;
      }
      state.notices++;
      if (msg.topics) onTopics(msg.topics);
    };
    ws.onclose = function () {
      state.connected = false;
      setTimeout(connect, backoff);
      backoff = Math.min(backoff * 2, 5000);
    };
  }

  // ---- statistics plots --------------------------------------------------------------------

  function chartData(d) {
    var n = d.x.length;
    var mean = [], reg = [], hi = [], lo = [];
    for (var i = 0; i < n; i++) {
      mean.push(d.mean);
      reg.push(d.intercept + d.rawSlope * d.x[i]);
      hi.push(d.mean + d.stddev);
      lo.push(d.mean - d.stddev);
    }
    return [d.x, d.y, mean, reg, hi, lo];
  }

  function chartOptions(d, width) {
    var color = d.color || "#2a7ab0";
    return {
      title: d.title,
      width: width,
      height: 180,
      scales: { x: { time: false } },
      axes: [{ label: "uptime (s)" }, { label: d.unit }],
      series: [
        { label: "uptime" },
        { label: d.label || "value", stroke: color, width: 2 },
        { label: "mean", stroke: "#888", dash: [8, 4] },
        { label: "regression", stroke: "#c05010", dash: [2, 3] },
        { label: "+std", stroke: "rgba(120,120,120,0.5)", dash: [4, 4] },
        { label: "-std", stroke: "rgba(120,120,120,0.5)", dash: [4, 4] },
      ],
      bands: [{ series: [4, 5], fill: "rgba(120,120,120,0.12)" }],
      legend: { show: false },
    };
  }

  function drawCharts() {
    var holders = document.querySelectorAll("[data-chart]");
    var seen = {};
    for (var i = 0; i < holders.length; i++) {
      var el = holders[i];
      var d;
      try {
        d = JSON.parse(el.getAttribute("data-chart"));
      } catch (e) {
        continue;
      }
      var key = el.getAttribute("data-key") || String(i);
      seen[key] = true;
      var old = charts[key];
      if (typeof window.uPlot !== "function") {
        el.textContent = "";
        continue;
      }
      if (old) {
        el.textContent = "";
        el.appendChild(old.root);
        old.setData(chartData(d));
      } else {
        el.textContent = "";
        charts[key] = new window.uPlot(chartOptions(d, Math.max(240, el.clientWidth || 400)), chartData(d), el);
      }
    }
    for (var k in charts) {
      if (!seen[k]) {
        charts[k].destroy();
        delete charts[k];
      }
    }
  }

  drawCharts();
  connect();
  if (auto) setInterval(refresh, 5000);
})();
