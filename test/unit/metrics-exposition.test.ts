// The exposition writer of /metrics: escaping of label values and HELP texts, value spellings,
// HELP/TYPE lines, and histograms (cumulative buckets ending with +Inf, _sum, _count), each
// output read back with a Prometheus text-format parser from npm and the strict line check.
import t from "tap";
import { escapeHelp, escapeLabelValue, ExpositionWriter, formatValue, labelPairs } from "../../src/web/metrics/exposition.js";
import { RPC_BUCKETS, RpcMetrics, UNKNOWN_METHOD } from "../../src/web/metrics/rpc-metrics.js";
import { checkExposition, histogramSeries, parseExposition, samples, value } from "../helpers/prometheus.js";

t.test("label values and HELP texts are escaped as the format says", async (t) => {
  t.equal(escapeLabelValue("plain"), "plain");
  t.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
  t.equal(escapeHelp('back\\slash "quotes" stay\nnext'), 'back\\\\slash "quotes" stay\\nnext');
  t.equal(labelPairs("group", "g", "name", 'x"y'), 'group="g",name="x\\"y"');
  const w = new ExpositionWriter();
  const tricky = 'we\\ird "name"\nwith newline';
  w.family("test_gauge", "gauge", "A help with \\ and\na newline.");
  w.sample("test_gauge", labelPairs("name", tricky, "other", "é ✓"), 1.5);
  w.sample("test_gauge", "", -2);
  const text = w.text();
  t.equal(
    text,
    '# HELP test_gauge A help with \\\\ and\\na newline.\n# TYPE test_gauge gauge\ntest_gauge{name="we\\\\ird \\"name\\"\\nwith newline",other="é ✓"} 1.5\ntest_gauge -2\n',
  );
  const parsed = parseExposition(text);
  const f = parsed.get("test_gauge")!;
  t.equal(f.type, "GAUGE");
  t.equal(f.help, "A help with \\ and\na newline.");
  t.same(f.metrics[0]!.labels, { name: tricky, other: "é ✓" }, "the parser reads the original value back");
  t.equal(value(parsed, "test_gauge", { other: "é ✓" }), 1.5);
});

t.test("values: integers, decimals, exponents and the format's infinities", async (t) => {
  t.equal(formatValue(0), "0");
  t.equal(formatValue(42), "42");
  t.equal(formatValue(0.25), "0.25");
  t.equal(formatValue(1e-7), "1e-7");
  t.equal(formatValue(Infinity), "+Inf");
  t.equal(formatValue(-Infinity), "-Inf");
  t.equal(formatValue(NaN), "NaN");
  const w = new ExpositionWriter().family("v", "gauge", "values");
  for (const x of [0, 42, 0.25, 1e-7, 1e21, Infinity, -Infinity, NaN]) w.sample("v", `x="${x}"`, x);
  checkExposition(w.text());
  t.equal(parseExposition(w.text()).get("v")!.metrics.length, 8);
});

t.test("histogram: cumulative buckets, +Inf equal to _count, _sum", async (t) => {
  const w = new ExpositionWriter().family("h_seconds", "histogram", "a histogram");
  w.histogram("h_seconds", 'method="m"', [0.1, 1, 10], [2, 0, 3, 1], 42.5);
  w.histogram("h_seconds", "", [0.1, 1, 10], [0, 0, 0, 0], 0);
  const text = w.text();
  t.match(text, 'h_seconds_bucket{method="m",le="0.1"} 2\nh_seconds_bucket{method="m",le="1"} 2\nh_seconds_bucket{method="m",le="10"} 5\nh_seconds_bucket{method="m",le="+Inf"} 6\nh_seconds_sum{method="m"} 42.5\nh_seconds_count{method="m"} 6\n');
  t.match(text, 'h_seconds_bucket{le="+Inf"} 0\n');
  // The npm parser reads one unlabelled histogram in full...
  const single = new ExpositionWriter().family("one_seconds", "histogram", "one").histogram("one_seconds", "", [0.1, 1, 10], [2, 0, 3, 1], 42.5).text();
  const f = parseExposition(single).get("one_seconds")!;
  t.equal(f.type, "HISTOGRAM");
  t.same(f.metrics[0], { buckets: { "0.1": "2", "1": "2", "10": "5", "+Inf": "6" }, count: "6", sum: "42.5" });
  // ... and labelled ones through histogramSeries (it folds them: see the helper).
  t.equal(parseExposition(text).get("h_seconds")!.type, "HISTOGRAM");
  const series = histogramSeries(text, "h_seconds");
  const m = series.get(JSON.stringify({ method: "m" }))!;
  t.same([...m.buckets], [["0.1", 2], ["1", 2], ["10", 5], ["+Inf", 6]]);
  t.equal(m.count, 6);
  t.equal(m.sum, 42.5);
  t.equal(series.get("{}")!.count, 0);
});

t.test("the strict check refuses what the format forbids", async (t) => {
  t.throws(() => checkExposition("# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\na 2\n"), /not contiguous/);
  t.throws(() => checkExposition("a 1\n"), /without a TYPE/);
  t.throws(() => checkExposition('# TYPE a gauge\na{x="unescaped"quote"} 1\n'), /not a HELP/);
  t.throws(() => checkExposition("# TYPE a gauge\na 1"), /newline/);
  t.throws(() => checkExposition("# TYPE a gauge\n# TYPE a gauge\n"), /second TYPE/);
});

t.test("RPC metrics: counts by method and result, histogram per method, unknown names folded", async (t) => {
  const known = new Set(["supervisor.getState", "supervisor.startProcess"]);
  const m = new RpcMetrics((name) => known.has(name));
  m.callDone("supervisor.getState", "ok", 0.0001);
  m.callDone("supervisor.getState", "ok", 0.003);
  m.callDone("supervisor.startProcess", "fault", 2);
  m.callDone("supervisor.startProcess", "ok", 100);
  m.callDone("no.suchMethod", "fault", 0.0002);
  m.callDone('evil"\nname', "fault", 0.0002);
  m.callDone("supervisor.getState", "error", 0.0001);
  const w = new ExpositionWriter();
  m.write(w);
  const p = parseExposition(w.text());
  t.equal(value(p, "supervisord_rpc_requests_total", { method: "supervisor.getState", result: "ok" }), 2);
  t.equal(value(p, "supervisord_rpc_requests_total", { method: "supervisor.getState", result: "error" }), 1);
  t.equal(value(p, "supervisord_rpc_requests_total", { method: "supervisor.startProcess", result: "fault" }), 1);
  t.equal(value(p, "supervisord_rpc_requests_total", { method: UNKNOWN_METHOD, result: "fault" }), 2, "made-up names share one series");
  t.equal(samples(p, "supervisord_rpc_requests_total", { method: "supervisor.startProcess", result: "error" }).length, 0, "no error series before an error");
  t.equal(p.get("supervisord_rpc_duration_seconds")!.type, "HISTOGRAM");
  const h = histogramSeries(w.text(), "supervisord_rpc_duration_seconds");
  const start = h.get(JSON.stringify({ method: "supervisor.startProcess" }))!;
  t.equal(start.count, 2);
  t.equal(start.sum, 102);
  t.equal(start.buckets.get("+Inf"), 2);
  t.equal(start.buckets.get("2.5"), 1, "2 s falls in le=2.5 (bounds are inclusive)");
  t.equal(start.buckets.get("60"), 1, "100 s is above the last bound");
  const state = h.get(JSON.stringify({ method: "supervisor.getState" }))!;
  t.equal(state.buckets.get("0.0005"), 2);
  t.equal(state.buckets.get("0.005"), 3);
  t.equal(state.buckets.size, RPC_BUCKETS.length + 1);
  let prev = 0;
  for (const b of RPC_BUCKETS) {
    const c = state.buckets.get(String(b))!;
    t.ok(c >= prev, `cumulative at le=${b}`);
    prev = c;
  }
});
