// GET /metrics of our daemon on a plain supervisord config (no Supvisors): parsed with an npm
// Prometheus text-format parser, the process series equal getAllProcessInfo, a restart and an
// exit move the counters, a fault counts as result="fault", REST calls count too, the same auth
// as the other routes (401 without credentials on the inet server), the unix socket and inet.
import t from "tap";
import { RpcError, TestDaemon } from "../helpers/daemon.js";
import { poll } from "../helpers/cluster.js";
import { freePort } from "../helpers/rpc-real-supervisord.js";
import { rest, type RestTarget } from "../helpers/rest.js";
import { histogramSeries, parseExposition, samples, value, type PromFamily } from "../helpers/prometheus.js";

const PROGRAMS = (port: number) => `
[inet_http_server]
port = 127.0.0.1:${port}
username = user
password = secret

[program:sleeper]
command = sleep 1000
numprocs = 2
process_name = %(program_name)s_%(process_num)d
startsecs = 0

[program:quitter]
command = sh -c 'exit 3'
startsecs = 0
autorestart = false

[program:idle]
command = sleep 1000
autostart = false

[program:checked]
command = sleep 1000
startsecs = 0
readiness_check = command:true
readiness_interval = 0.2

[program:neverready]
command = sleep 1000
startsecs = 0
readiness_check = command:false
readiness_interval = 0.2
readiness_startsecs = 0
`;

interface Info {
  name: string;
  group: string;
  state: number;
  statename: string;
  start: number;
  pid: number;
  exitstatus: number;
  readiness?: string;
}

t.test("/metrics on a plain supervisord", async (t) => {
  const port = await freePort();
  const d = new TestDaemon("ours", { programs: PROGRAMS(port) });
  t.teardown(async () => {
    await d.stop();
    d.cleanup();
  });
  await d.start();
  const sock: RestTarget = { sock: d.sock };
  const inet: RestTarget = { port, auth: "user:secret" };
  const infos = async () => (await d.rpc("supervisor.getAllProcessInfo")) as unknown as Info[];
  await poll(async () => {
    const all = await infos();
    const by = new Map(all.map((p) => [p.name, p.statename]));
    return by.get("sleeper_0") === "RUNNING" && by.get("sleeper_1") === "RUNNING" && by.get("quitter") === "EXITED" ? true : undefined;
  }, 20_000, "sleepers RUNNING and quitter EXITED");

  const scrape = async (target: RestTarget = sock): Promise<{ families: Map<string, PromFamily>; text: string }> => {
    const a = await rest(target, "GET", "/metrics");
    if (a.status !== 200) throw new Error(`/metrics: HTTP ${a.status} ${a.text.slice(0, 200)}`);
    t.equal(a.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
    return { families: parseExposition(a.text), text: a.text };
  };

  await t.test("the process series are getAllProcessInfo's", async (t) => {
    const before = await infos();
    const { families } = await scrape();
    const after = await infos();
    t.equal(value(families, "supervisord_up"), 1);
    t.equal(value(families, "supervisord_state", { state: "RUNNING" }), 1);
    t.equal(value(families, "supervisord_pid"), await d.rpc("supervisor.getPID"));
    const info = samples(families, "supervisord_info")[0]!;
    t.equal(info.labels!.version, await d.rpc("supervisor.getSupervisorVersion"));
    t.equal(info.labels!.identification, await d.rpc("supervisor.getIdentification"));
    t.equal(samples(families, "supervisord_process_state").length, before.length, "one state series per process");
    for (const p of after) {
      const id = { group: p.group, name: p.name };
      const was = before.find((x) => x.name === p.name)!;
      t.same(was.statename, p.statename, `${p.name} steady while scraped`);
      t.equal(value(families, "supervisord_process_state", { ...id, state: p.statename }), 1, `${p.name} state`);
      t.equal(value(families, "supervisord_process_state_code", id), p.state);
      t.equal(value(families, "supervisord_process_pid", id), p.pid);
      t.equal(value(families, "supervisord_process_start_time_seconds", id), p.start);
      t.equal(value(families, "supervisord_process_last_exit_code", id), p.exitstatus);
    }
    const byState = (s: string) => after.filter((p) => p.statename === s).length;
    t.equal(value(families, "supervisord_processes", { state: "RUNNING" }), byState("RUNNING"));
    t.equal(value(families, "supervisord_processes", { state: "STOPPED" }), byState("STOPPED"));
    const q = { group: "quitter", name: "quitter" };
    t.equal(value(families, "supervisord_process_last_exit_code", q), 3);
    t.equal(value(families, "supervisord_process_exits_total", { ...q, expected: "false" }), 1);
    t.equal(value(families, "supervisord_process_exits_total", { ...q, expected: "true" }), 0);
    t.equal(value(families, "supervisord_process_starts_total", q), 1);
    t.equal(value(families, "supervisord_process_starts_total", { group: "idle", name: "idle" }), 0);
    t.equal(value(families, "supervisord_process_uptime_seconds", { group: "idle", name: "idle" }), 0);
    t.ok(value(families, "supervisord_process_uptime_seconds", { group: "sleeper", name: "sleeper_0" }) >= 0);
    t.equal(samples(families, "supervisord_process_ready").length, 2, "readiness series only for the programs with a check");
    t.notOk(families.has("supvisors_state"), "no supvisors series without [rpcinterface:supvisors]");
    t.notOk(families.has("supervisord_process_cpu_percent"), "no statistics without Supvisors");
  });

  await t.test("readiness: the ready gauge and state follow the info struct's field", async (t) => {
    const f = await poll(async () => {
      const all = await infos();
      const got = (await scrape()).families;
      const after = await infos();
      const r = (xs: Info[], n: string) => xs.find((p) => p.name === n)?.readiness;
      return r(all, "checked") === "ready" && r(after, "checked") === "ready" && r(after, "neverready") === r(all, "neverready") ? { got, after } : undefined;
    }, 20_000, "checked ready");
    for (const name of ["checked", "neverready"]) {
      const p = f.after.find((x) => x.name === name)!;
      t.ok(p.readiness === "ready" || p.readiness === "pending" || p.readiness === "unready", `${name}: ${p.readiness}`);
      t.equal(value(f.got, "supervisord_process_ready", { group: name, name }), p.readiness === "ready" ? 1 : 0, `${name} ready gauge`);
      t.equal(value(f.got, "supervisord_process_readiness", { group: name, name, state: p.readiness! }), 1, `${name} readiness state`);
    }
    t.equal(value(f.got, "supervisord_process_ready", { group: "neverready", name: "neverready" }), 0);
  });

  await t.test("a restart counts; the pid and start time follow", async (t) => {
    const id = { group: "sleeper", name: "sleeper_0" };
    const { families: before } = await scrape();
    const starts = value(before, "supervisord_process_starts_total", id);
    const restarts = value(before, "supervisord_process_restarts_total", id);
    t.equal(starts, 1);
    t.equal(restarts, 0);
    await d.rpc("supervisor.stopProcess", "sleeper:sleeper_0");
    await d.rpc("supervisor.startProcess", "sleeper:sleeper_0");
    const { families: after } = await scrape();
    t.equal(value(after, "supervisord_process_starts_total", id), starts + 1);
    t.equal(value(after, "supervisord_process_restarts_total", id), restarts + 1);
    t.equal(value(after, "supervisord_process_exits_total", { ...id, expected: "false" }), 0, "a requested stop is no exit");
    const p = (await d.rpc("supervisor.getProcessInfo", "sleeper:sleeper_0")) as unknown as Info;
    t.equal(value(after, "supervisord_process_pid", id), p.pid);
    t.equal(value(after, "supervisord_process_start_time_seconds", id), p.start);
  });

  await t.test("RPC counts: ok, fault, REST through the same dispatch, histogram counts them all", async (t) => {
    const { families: before } = await scrape();
    const count = (f: Map<string, PromFamily>, method: string, result: string) => samples(f, "supervisord_rpc_requests_total", { method, result }).reduce((s, x) => s + Number(x.value), 0);
    const faultsBefore = count(before, "supervisor.startProcess", "fault");
    const err = await d.rpc("supervisor.startProcess", "nosuch").catch((e: unknown) => e);
    t.ok(err instanceof RpcError && err.faultCode === 10, "BAD_NAME fault");
    await d.rpc("system.noSuchMethod").catch(() => undefined);
    const stateBefore = count(before, "supervisor.getState", "ok");
    t.equal((await rest(sock, "GET", "/api/supervisor/getState")).status, 200);
    await d.rpc("supervisor.getState");
    const { families: after, text } = await scrape();
    t.equal(count(after, "supervisor.startProcess", "fault"), faultsBefore + 1, "the fault counted");
    t.equal(count(after, "supervisor.getState", "ok"), stateBefore + 2, "one XML-RPC and one REST call");
    t.ok(count(after, "unknown", "fault") >= 1, "an unknown method is counted as method=unknown");
    t.equal(samples(after, "supervisord_rpc_requests_total", { method: "system.noSuchMethod" }).length, 0);
    t.equal(after.get("supervisord_rpc_duration_seconds")!.type, "HISTOGRAM");
    const h = histogramSeries(text, "supervisord_rpc_duration_seconds");
    for (const [, s] of h) {
      const method = s.labels.method!;
      const total = count(after, method, "ok") + count(after, method, "fault") + count(after, method, "error");
      t.equal(s.count, total, `${method}: histogram count = requests`);
      t.equal(s.buckets.get("+Inf"), s.count, `${method}: +Inf bucket = count`);
      let prev = 0;
      for (const [, c] of s.buckets) {
        t.ok(c >= prev, `${method}: cumulative`);
        prev = c;
      }
      t.ok(s.sum >= 0);
    }
  });

  await t.test("inet: 401 without credentials, the same answer with them", async (t) => {
    const anon = await rest({ port }, "GET", "/metrics");
    t.equal(anon.status, 401);
    const bad = await rest({ port, auth: "user:wrong" }, "GET", "/metrics");
    t.equal(bad.status, 401);
    const { families } = await scrape(inet);
    t.equal(value(families, "supervisord_up"), 1);
    t.equal(samples(families, "supervisord_process_state").length, 6);
  });

  await t.test("HEAD gives the headers, other methods 405", async (t) => {
    const head = await rest(sock, "HEAD", "/metrics");
    t.equal(head.status, 200);
    t.equal(head.text, "");
    t.equal(head.headers["content-type"], "text/plain; version=0.0.4; charset=utf-8");
    const post = await rest(sock, "POST", "/metrics");
    t.equal(post.status, 405);
    t.equal((await rest(sock, "GET", "/metrics/x")).status, 404, "only the exact path");
  });
});
