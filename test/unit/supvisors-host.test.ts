/**
 * The host's own logic: the wall-clock tick grid, one handshake in flight per peer with none
 * forgotten, and the handshake's questions and verdicts (one system.multicall).
 */
import t from "tap";
import { HandshakeRunner } from "../../src/supvisors/host/handshake-runner.js";
import { handshake } from "../../src/supvisors/host/handshake.js";
import { nextTickDelay } from "../../src/supvisors/host/supvisors-host.js";
import type { Strategies } from "../../src/supvisors/fsm/core-io.js";
import type { HandshakeRequest } from "../../src/supvisors/fsm/core-io.js";

t.test("nextTickDelay: aims at the next multiple of the period, never closer than a quarter period", async (t) => {
  t.equal(nextTickDelay(1000, 250), 250, "on a grid point: the next one");
  t.equal(nextTickDelay(1001, 250), 249, "a timer 1 ms late: the rest of the period");
  t.equal(nextTickDelay(1100, 250), 150);
  t.equal(nextTickDelay(1180, 250), 70, "70 ms left, more than a quarter period: kept");
  t.equal(nextTickDelay(1190, 250), 310, "60 ms left, less than a quarter period: skipped to the point after");
  t.equal(nextTickDelay(-10, 250), 260, "a wall clock before the epoch still lands on the grid");
  // Two instances whose clocks agree beat together whatever their start.
  for (const start of [3, 77, 149, 249]) t.equal((1_000_000 + start + nextTickDelay(1_000_000 + start, 250)) % 250, 0);
});

interface Deferred {
  readonly req: HandshakeRequest;
  resolve(): void;
}

t.test("HandshakeRunner: one handshake in flight per peer; a request made meanwhile runs after it", async (t) => {
  const launched: Deferred[] = [];
  const runner = new HandshakeRunner((req) => new Promise<void>((resolve) => launched.push({ req, resolve })));
  const settle = () => new Promise((r) => setImmediate(r));

  runner.request({ identifier: "b", startedAtMs: 100 });
  runner.request({ identifier: "c", startedAtMs: 100 });
  t.equal(launched.length, 2, "two peers, two handshakes");
  // b failed and came back to CHECKING while its first handshake runs: twice.
  runner.request({ identifier: "b", startedAtMs: 300 });
  runner.request({ identifier: "b", startedAtMs: 400 });
  t.equal(launched.length, 2, "not launched while b's first one runs");
  t.ok(runner.running("b"));

  launched[0]!.resolve();
  await settle();
  t.equal(launched.length, 3, "the newest request of b runs when the first ends");
  t.same(launched[2]!.req, { identifier: "b", startedAtMs: 400 }, "the newest one, not each of them");
  launched[2]!.resolve();
  await settle();
  t.equal(launched.length, 3, "nothing else pending for b");
  t.notOk(runner.running("b"));
  t.ok(runner.running("c"));
});

t.test("HandshakeRunner: a launcher that fails does not block the peer's next handshake", async (t) => {
  let calls = 0;
  const runner = new HandshakeRunner(async () => {
    calls++;
    throw new Error("boom");
  });
  runner.request({ identifier: "b", startedAtMs: 1 });
  await new Promise((r) => setImmediate(r));
  runner.request({ identifier: "b", startedAtMs: 2 });
  await new Promise((r) => setImmediate(r));
  t.equal(calls, 2);
  runner.close();
  runner.request({ identifier: "b", startedAtMs: 3 });
  await new Promise((r) => setImmediate(r));
  t.equal(calls, 2, "closed: nothing launched");
});

// ---- handshake() -----------------------------------------------------------------------------

const OURS: Strategies = { "auto-fencing": false, starting: "CONFIG", conciliation: "USER", supvisors_failure: "CONTINUE" };
const REMOTE = "10.0.0.2:60000";
const LOCAL = "10.0.0.1:60000";

const stateModes = { identifier: REMOTE, nick_identifier: "beta", now_monotonic: 12.5, fsm_statecode: 1, fsm_statename: "SYNCHRONIZATION", degraded_mode: false, discovery_mode: false, master_identifier: "", starting_jobs: false, stopping_jobs: false, instance_states: { [LOCAL]: "CHECKING", [REMOTE]: "RUNNING" } };
const processInfo = { group: "web", name: "nginx", state: 20, statename: "RUNNING", start: 1, stop: 0, now: 2, pid: 42, description: "pid 42", spawnerr: "", expected: true, start_monotonic: 1, stop_monotonic: 0, now_monotonic: 2, extra_args: "", startsecs: 1, stopwaitsecs: 10, disabled: false, program_name: "nginx", process_index: 0, has_stdin: false, has_stdout: true, has_stderr: false };

function answers(over: Partial<Record<number, unknown>> = {}): unknown[] {
  const base: unknown[] = [
    { identifier: REMOTE, nick_identifier: "beta", host_id: "10.0.0.2", http_port: 60000, stereotypes: ["web"], network: { machine_id: "m2", fqdn: "beta", addresses: {} } },
    [{ identifier: LOCAL, nick_identifier: "alpha", statename: "CHECKING" }],
    OURS,
    [stateModes],
    [processInfo],
  ];
  return base.map((v, i) => (i in over ? over[i] : v));
}

t.test("handshake: the five questions in one multicall, and an authorized answer", async (t) => {
  const calls: { method: string; params: unknown[] }[] = [];
  const out = await handshake(async (method, params) => {
    calls.push({ method, params: params as unknown[] });
    return answers();
  }, () => false, REMOTE, LOCAL, OURS);
  t.equal(calls.length, 1, "one round trip");
  t.equal(calls[0]!.method, "system.multicall");
  t.same((calls[0]!.params[0] as { methodName: string; params: unknown[] }[]).map((c) => [c.methodName, c.params]), [
    ["supvisors.get_network_info", [REMOTE]],
    ["supvisors.get_instance_info", [LOCAL]],
    ["supvisors.get_strategies", []],
    ["supvisors.get_instance_state_modes", [REMOTE]],
    ["supvisors.get_all_local_process_info", []],
  ]);
  t.equal(out.result.kind, "authorized");
  if (out.result.kind === "authorized") {
    t.equal(out.result.machineId, "m2");
    t.same(out.result.stereotypes, ["web"]);
    t.equal(out.result.stateModes.fsm_statename, "SYNCHRONIZATION");
  }
  t.equal(out.processes?.length, 1);
  t.equal(out.network?.machine_id, "m2");
});

t.test("handshake: the verdicts of refusals, faults, nonsense and transport failures", async (t) => {
  const run = (results: unknown, fault = false) =>
    handshake(async () => {
      if (results instanceof Error) throw results;
      return results;
    }, () => fault, REMOTE, LOCAL, OURS);

  const isolated = await run(answers({ 1: [{ identifier: LOCAL, statename: "ISOLATED" }] }));
  t.equal(isolated.result.kind, "not_authorized", "it isolated us");
  const inconsistent = await run(answers({ 2: { ...OURS, starting: "LESS_LOADED" } }));
  t.equal(inconsistent.result.kind, "inconsistent");
  t.match(inconsistent.why, /LESS_LOADED/);
  const faulted = await run(answers({ 4: { faultCode: 6, faultString: "SHUTDOWN_STATE" } }));
  t.equal(faulted.result.kind, "unknown", "a fault in one answer: UNKNOWN (retried on its next TICK)");
  t.match(faulted.why, /get_all_local_process_info: fault 6 SHUTDOWN_STATE/);
  t.equal((await run(answers({ 0: { identifier: "someone:else" } }))).result.kind, "unknown", "another instance answered");
  t.equal((await run(answers({ 4: [{ name: "x" }] }))).result.kind, "unknown", "bad process records");
  t.equal((await run(answers().slice(0, 3))).result.kind, "unknown", "missing answers");
  t.equal((await run("nonsense")).result.kind, "unknown", "not an array");
  t.equal((await run(new Error("fault"), true)).result.kind, "unknown", "the multicall itself faulted");
  const refused = await run(new Error("connect ECONNREFUSED"));
  t.equal(refused.result.kind, "transport_failure");
  t.match(refused.why, /ECONNREFUSED/);
});
