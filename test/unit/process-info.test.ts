import t from "tap";
import { makeProcess, FakeProcessHost, T0 } from "../helpers/fake-process-host.js";
import { cappedInt, describeProcess, formatLocalStopTime, formatTimedelta } from "../../src/supervisord/process/describe.js";

// Expected strings below were produced by Python: str(datetime.timedelta(seconds=n)) and
// datetime(*time.localtime(s)[:7]).strftime('%b %d %I:%M %p') under the given TZ.

t.test("formatTimedelta matches Python's timedelta str()", async (t) => {
  const cases: [number, string][] = [
    [0, "0:00:00"],
    [21, "0:00:21"],
    [43389, "12:03:09"],
    [86400, "1 day, 0:00:00"],
    [86405, "1 day, 0:00:05"],
    [3 * 86400 + 1, "3 days, 0:00:01"],
    [10 * 86400 + 23 * 3600, "10 days, 23:00:00"],
    [-5, "0:00:00"],
  ];
  for (const [s, want] of cases) t.equal(formatTimedelta(s), want, `${s} s`);
});

t.test("formatLocalStopTime matches Python's strftime('%b %d %I:%M %p') in local time", async (t) => {
  const saved = process.env.TZ;
  t.teardown(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });
  const stamps = [1700000000, 1700006400, 1699963200, 1700049600 - 1800, 0];
  const expected: Record<string, string[]> = {
    UTC: ["Nov 14 10:13 PM", "Nov 15 12:00 AM", "Nov 14 12:00 PM", "Nov 15 11:30 AM", "Jan 01 12:00 AM"],
    "America/New_York": ["Nov 14 05:13 PM", "Nov 14 07:00 PM", "Nov 14 07:00 AM", "Nov 15 06:30 AM", "Dec 31 07:00 PM"],
    "Asia/Kolkata": ["Nov 15 03:43 AM", "Nov 15 05:30 AM", "Nov 14 05:30 PM", "Nov 15 05:00 PM", "Jan 01 05:30 AM"],
  };
  for (const [tz, want] of Object.entries(expected)) {
    process.env.TZ = tz;
    t.strictSame(stamps.map(formatLocalStopTime), want, tz);
  }
});

t.test("cappedInt truncates and clamps to int32", async (t) => {
  t.equal(cappedInt(1700000000.999), 1700000000);
  t.equal(cappedInt(-1.5), -1);
  t.equal(cappedInt(2 ** 40), 2147483647);
  t.equal(cappedInt(-(2 ** 40)), -2147483648);
});

t.test("describeProcess by state", async (t) => {
  const base = { name: "foo", pid: 7, start: 1000, stop: 0, now: 1021, spawnerr: "" };
  t.equal(describeProcess({ ...base, state: "RUNNING" }), "pid 7, uptime 0:00:21");
  t.equal(describeProcess({ ...base, state: "RUNNING", now: 900 }), "pid 7, uptime 0:00:00", "clock set back");
  t.equal(describeProcess({ ...base, state: "BACKOFF" }), 'unknown error (try "tail foo")');
  t.equal(describeProcess({ ...base, state: "FATAL", spawnerr: "can't find command '/x'" }), "can't find command '/x'");
  t.equal(describeProcess({ ...base, state: "STOPPED", start: 0 }), "Not started");
  t.equal(describeProcess({ ...base, state: "EXITED", start: 0 }), "Not started");
  for (const state of ["STARTING", "STOPPING", "UNKNOWN"] as const) t.equal(describeProcess({ ...base, state }), "", state);
});

t.test("info() of a never-started process", async (t) => {
  const { p } = makeProcess();
  t.strictSame(p.info(T0 + 999), {
    name: "foo",
    group: "foo",
    start: 0,
    stop: 0,
    now: 1700000000,
    state: 0,
    statename: "STOPPED",
    spawnerr: "",
    exitstatus: 0,
    pid: 0,
    description: "Not started",
  });
  t.same(Object.keys(p.info(T0)), ["name", "group", "start", "stop", "now", "state", "statename", "spawnerr", "exitstatus", "pid", "description"]);
});

t.test("info() while RUNNING: whole-second uptime, days", async (t) => {
  const host = new FakeProcessHost(T0 + 500);
  const { p } = makeProcess({}, host);
  p.spawn();
  host.clock.advance(2000);
  const i = p.info(T0 + 21_400);
  t.equal(i.start, 1700000000);
  t.equal(i.state, 20);
  t.equal(i.statename, "RUNNING");
  t.equal(i.pid, 100);
  t.equal(i.description, "pid 100, uptime 0:00:21");
  t.equal(p.describe(T0 + (86400 + 5) * 1000), "pid 100, uptime 1 day, 0:00:05");
  t.equal(p.describe(T0 + (3 * 86400 + 3600) * 1000), "pid 100, uptime 3 days, 1:00:00");
});

t.test("info() after exits: exitstatus, spawnerr, stop time description", async (t) => {
  const saved = process.env.TZ;
  process.env.TZ = "UTC";
  t.teardown(() => {
    if (saved === undefined) delete process.env.TZ;
    else process.env.TZ = saved;
  });
  const { p, host } = makeProcess({ autorestart: false });
  p.spawn();
  host.clock.advance(3000);
  p.finish({ code: 2, signal: null });
  const i = p.info(T0 + 5000);
  t.equal(i.statename, "EXITED");
  t.equal(i.state, 100);
  t.equal(i.exitstatus, 2);
  t.equal(i.spawnerr, "Bad exit code 2");
  t.equal(i.stop, 1700000003);
  t.equal(i.description, "Nov 14 10:13 PM");

  p.spawn();
  host.clock.advance(3000);
  p.stop();
  p.finish({ code: null, signal: "SIGTERM" });
  t.equal(p.info(T0).exitstatus, -1);
  t.equal(p.info(T0).statename, "STOPPED");
  t.equal(p.info(T0).description, "Nov 14 10:13 PM");
});

t.test("info() in BACKOFF and FATAL shows the spawn error", async (t) => {
  const { p, host } = makeProcess({ startretries: 0 });
  p.spawn();
  p.finish({ code: 1, signal: null });
  t.equal(p.describe(T0), "Exited too quickly (process log may have details)");
  t.equal(p.info(T0).exitstatus, 0, "no exit status after a too-quick exit");
  host.clock.advance(0);
  t.equal(p.info(T0).statename, "FATAL");
  t.equal(p.describe(T0), "Exited too quickly (process log may have details)");

  const other = makeProcess({ startretries: 0 });
  other.host.spawnError = "";
  other.p.spawn();
  t.equal(other.p.describe(T0), 'unknown error (try "tail foo")');
});

t.test("info() clamps times past 2038", async (t) => {
  const host = new FakeProcessHost(2 ** 31 * 1000 + 5000);
  const { p } = makeProcess({}, host);
  p.spawn();
  const i = p.info(host.clock.now());
  t.equal(i.start, 2147483647);
  t.equal(i.now, 2147483647);
});
