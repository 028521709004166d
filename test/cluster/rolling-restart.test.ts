/**
 * The rolling restart (ours) over a real cluster of 3 instances of our binary: a program of 3
 * processes, one per instance (`#`), each an HTTP server with a readiness check. While
 * supvisors.rolling_restart runs, the test probes the 3 servers all the time: at every probe at
 * least 2 answer 200 (batch_size 1), and every process ends with a new pid. Then the faults,
 * wait=False, batch_size=2, the supvisorsctl command and the REST route.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import { freePort } from "../helpers/rpc-real-supervisord.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { faultOf, placement } from "../helpers/apps.js";
import { poll, stateOf, TestCluster, type ClusterInstance } from "../helpers/cluster.js";
import { REPO } from "../helpers/daemon.js";
import { rest } from "../helpers/rest.js";

const FIXTURE = join(REPO, "test/fixtures/ready-server-cluster.mjs");
const SUPVISORSCTL = join(REPO, "dist/bin/supvisorsctl.mjs");
const TIMEOUT = 60_000;

const RULES = `<?xml version="1.0"?>
<root>
  <application name="web">
    <starting_strategy>CONFIG</starting_strategy>
    <programs><program pattern="srv_"><identifiers>#</identifiers><start_sequence>1</start_sequence></program></programs>
  </application>
  <application name="misc">
    <programs><program name="tool"><start_sequence>0</start_sequence></program></programs>
  </application>
</root>
`;


/** The status of one GET, 0 when it fails (refused, reset, no answer in time). */
function status(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = get({ host: "127.0.0.1", port, path: "/", agent: false, timeout: 5000 }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", () => resolve(0));
  });
}

/** Probes every port about every 20 ms until stopped: the fewest 200s seen at once, and the probe count. */
function prober(ports: readonly number[]): { stop: () => Promise<{ min: number; probes: number }> } {
  let running = true;
  let min = Infinity;
  let probes = 0;
  const loop = (async () => {
    while (running) {
      const all = await Promise.all(ports.map(status));
      min = Math.min(min, all.filter((s) => s === 200).length);
      probes++;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return { min, probes };
    },
  };
}

/** A call that must answer in time (a hung rolling restart fails the test instead of hanging it). */
function inTime<T>(p: Promise<T>, what: string, ms = TIMEOUT * 2): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

function sctl(i: ClusterInstance, ...words: string[]): Promise<{ out: string; code: number }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SUPVISORSCTL, "-s", `http://${i.identifier}`, ...words], { env: { ...process.env, NO_COLOR: "1" }, timeout: TIMEOUT }, (err, stdout, stderr) => {
      resolve({ out: stdout + stderr, code: err ? (typeof err.code === "number" ? err.code : -1) : 0 });
    });
  });
}

t.test("rolling restart of a program running on 3 instances", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "sv-rolling-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "rules.xml"), RULES);
  const ports: number[] = [];
  while (ports.length < 3) {
    const p = await freePort();
    if (!ports.includes(p)) ports.push(p);
  }
  // Only srv_<i> runs on instance i (`#`): there, every srv_* serves that instance's port.
  const programs = (i: number) =>
    [
      "[group:web]\nprograms = srv\n",
      "[program:srv]",
      "process_name = srv_%(process_num)d",
      "numprocs = 3",
      `command = ${process.execPath} ${FIXTURE} ${ports[i]} 300 {dir}/fail`,
      "autostart = false",
      "startsecs = 1",
      "stopwaitsecs = 5",
      `readiness_check = http://127.0.0.1:${ports[i]}/`,
      "readiness_interval = 0.1",
      "readiness_timeout = 2",
      "",
      "[group:misc]\nprograms = tool\n",
      "[program:tool]\ncommand = /bin/sleep 300\nautostart = false\nstartsecs = 0\n",
    ].join("\n");
  const cluster = await TestCluster.create({ size: 3, supvisors: `rules_files = ${dir}/rules.xml`, programs });
  t.teardown(() => cluster.teardown());
  const [a0, a1, a2] = cluster.instances as [ClusterInstance, ClusterInstance, ClusterInstance];
  await cluster.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION", "OPERATION everywhere", 30_000);
  t.equal(await a0.slowRpc(TIMEOUT, "supvisors.start_application", "CONFIG", "web", true), true);
  // Ready (start_application's answer) may come before startsecs: RUNNING soon after.
  const onePerInstance = { srv_0: ["RUNNING", [a0.identifier]], srv_1: ["RUNNING", [a1.identifier]], srv_2: ["RUNNING", [a2.identifier]] };
  const placed = async () => {
    const p = await placement(a1, "web");
    const key = (x: object) => JSON.stringify(Object.entries(x).sort());
    return key(p) === key(onePerInstance) ? p : undefined;
  };
  t.same(await poll(placed, TIMEOUT, "one process per instance, RUNNING").catch(() => placement(a1, "web")), onePerInstance, "one process per instance");

  const instances = [a0, a1, a2];
  const pids = async () => Promise.all(instances.map(async (x, i) => ((await x.rpc("supervisor.getProcessInfo", `web:srv_${i}`)) as { pid: number }).pid));
  /** Every process RUNNING (or ready) with a pid none of `before` had. */
  const allNew = (before: readonly number[]) =>
    poll(async () => {
      const now = await pids();
      return now.every((p, i) => p > 0 && p !== before[i]) ? now : undefined;
    }, TIMEOUT, "every process with a new pid");
  await poll(async () => ((await Promise.all(ports.map(status))).every((s) => s === 200) ? true : undefined), TIMEOUT, "the 3 servers answering 200");

  await t.test("batch_size 1: at every probe at least 2 of 3 servers answer 200; every pid new", async (t) => {
    const before = await pids();
    const probe = prober(ports);
    // The prober stops whatever the call answers (a fault must not leave it probing forever).
    const outcome = await a1.slowRpc(TIMEOUT * 2, "supvisors.rolling_restart", "web:srv", 1, true).then((v) => ({ v }), (err: Error) => ({ v: err.message }));
    const { min, probes } = await probe.stop();
    const result = outcome.v;
    t.equal(result, true);
    t.ok(probes > 0, `${probes} probes`);
    t.ok(min >= 2, `at least 2 of 3 ready at every probe (fewest seen: ${min})`);
    const after = await pids();
    t.ok(after.every((p, i) => p > 0 && p !== before[i]), `every process restarted: ${before} -> ${after}`);
    t.same(await poll(placed, TIMEOUT, "each on its instance again").catch(() => placement(a1, "web")), onePerInstance, "each on its instance again");
    const log = a1.logText();
    t.match(log, /RollingRestart: web:srv: 3 batch\(es\)/);
    const order = [a0, a1, a2].map((x, i) => log.indexOf(`RollingRestart: web:srv: stopping web:srv_${i} on ${x.identifier}`));
    t.ok(order.every((x) => x >= 0) && order[0]! < order[1]! && order[1]! < order[2]!, "in the supvisors_list order, logged");
    t.match(log, new RegExp(`RollingRestart: web:srv: web:srv_2 ready on ${a2.identifier.replaceAll(".", "\\.")}`));
  });

  await t.test("faults: BAD_NAME, NOT_RUNNING, INCORRECT_PARAMETERS", async (t) => {
    t.same(await faultOf(a0.rpc("supvisors.rolling_restart", "nope")), [10, "BAD_NAME: application=nope unknown to Supvisors"]);
    t.same(await faultOf(a0.rpc("supvisors.rolling_restart", "web:nope")), [10, "BAD_NAME: program=nope unknown in application=web"]);
    t.same(await faultOf(a0.rpc("supvisors.rolling_restart", "misc")), [70, "NOT_RUNNING: no process of misc running"]);
    t.same(await faultOf(a0.rpc("supvisors.rolling_restart", "web", 0)), [2, "INCORRECT_PARAMETERS: invalid batch_size=0 - integer >= 1 expected"]);
    const help = (await a0.rpc("system.methodHelp", "supvisors.rolling_restart")) as string;
    t.match(help, /@param int batch_size/);
    t.same(await a0.rpc("system.methodSignature", "supvisors.rolling_restart"), ["boolean", "string", "int", "boolean"]);
  });

  await t.test("wait=False: true at once, a second one refused meanwhile, the rolling goes on", async (t) => {
    const before = await pids();
    t.equal(await a2.rpc("supvisors.rolling_restart", "web", 1, false), true);
    const [code, text] = await faultOf(a2.rpc("supvisors.rolling_restart", "web:srv", 1, true));
    t.equal(code, 60, `one rolling at a time: ${text}`);
    t.match(text, /^ALREADY_STARTED: rolling restart of .* already in progress$/);
    await allNew(before);
    await poll(() => (a2.logText().includes("RollingRestart: web: done") ? true : undefined), TIMEOUT, "the rolling's end in the log");
  });

  await t.test("batch_size 2: two instances at a time, then the third", async (t) => {
    const before = await pids();
    const probe = prober(ports);
    const outcome = await a0.slowRpc(TIMEOUT * 2, "supvisors.rolling_restart", "web:*", 2, true).then((v) => v, (err: Error) => err.message);
    const { min } = await probe.stop();
    t.equal(outcome, true);
    t.ok(min >= 1, `at least 1 of 3 ready at every probe (fewest seen: ${min})`);
    const after = await pids();
    t.ok(after.every((p, i) => p > 0 && p !== before[i]), "every process restarted");
    t.match(a0.logText(), new RegExp(`RollingRestart: web:\\*: batch 1/2 on \\[${a0.identifier}, ${a1.identifier}\\][\\s\\S]*batch 2/2 on \\[${a2.identifier}\\]`.replaceAll(".", "\\.")));
  });

  await t.test("the supvisorsctl command and the REST route", async (t) => {
    let before = await pids();
    t.same(await sctl(a1, "rolling_restart", "-b", "3", "web:srv"), { out: "web:srv rolling restarted: True\n", code: 0 });
    t.ok((await pids()).every((p, i) => p !== before[i]), "restarted by the ctl");
    t.same(await sctl(a1, "rolling_restart", "misc"), { out: "misc: ERROR (NOT_RUNNING: no process of misc running)\n", code: 1 });
    before = await pids();
    const answer = await inTime(rest({ port: a2.spec.port }, "POST", "/api/supvisors/rolling_restart/web?batch_size=3"), "REST rolling_restart");
    t.equal(answer.status, 200, answer.text);
    t.equal(answer.json, true);
    t.ok((await pids()).every((p, i) => p !== before[i]), "restarted by the REST route");
    const bad = await inTime(rest({ port: a2.spec.port }, "POST", "/api/supvisors/rolling_restart/web?batch_size=0"), "REST rolling_restart batch_size=0");
    t.equal(bad.status, 400);
    t.match(bad.json, { code: 2 });
  });
});
