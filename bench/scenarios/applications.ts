/**
 * Scenario 10: applications across a Supvisors cluster of 3 instances of ours. start_application
 * of 10 programs in 3 ranks (startsecs=1: a 3 s floor), stop_application, failover of a
 * RESTART_PROCESS program after SIGKILL of a non-Master, of the Master, and after SIGSTOP, and the
 * latency of get_all_process_info with 100 processes per instance. Supvisors 0.19 cannot run in
 * this repository's benchmark (shared/oracle/supvisors/README.md), so its figures measured on this
 * machine (issue 18) are printed beside ours.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { poll, stateOf, TestCluster, type ClusterInstance } from "../../test/helpers/cluster.js";
import { decodeMethodResponse, encodeMethodCall } from "../../src/supervisord/rpc/codec.js";
import type { Context } from "../lib/results.js";
import { nowMs } from "../lib/stats.js";

export const SUPVISORS_FIGURES = {
  start: "4.7 s (median)",
  stop: "1.1 s",
  killFailover: "5-10 s, mean 7.3 s",
  masterFailover: "never",
  stopFailover: "10-14 s",
  allProcessInfo: "~20 ms",
};

const RULES = `<?xml version="1.0"?>
<root>
  <application name="bench">
    <starting_strategy>LESS_LOADED</starting_strategy>
    <programs>
      <program pattern="r1_"><start_sequence>1</start_sequence><expected_loading>5</expected_loading></program>
      <program pattern="r2_"><start_sequence>2</start_sequence><expected_loading>5</expected_loading></program>
      <program pattern="r3_"><start_sequence>3</start_sequence><expected_loading>5</expected_loading></program>
    </programs>
  </application>
  <application name="keep">
    <running_failure_strategy>RESTART_PROCESS</running_failure_strategy>
    <programs>
      <program name="on_a2"><identifiers>a2,a1,a0</identifiers></program>
      <program name="on_a0"><identifiers>a0,a1,a2</identifiers></program>
    </programs>
  </application>
</root>
`;

const sleeper = (name: string, extra = "") => `[program:${name}]\ncommand = /bin/sleep 600\nautostart = false\nstartsecs = 1\n${extra}\n`;
const PROGRAMS = [
  "[group:bench]\nprograms = r1,r2,r3\n",
  sleeper("r1", "process_name = r1_%(process_num)d\nnumprocs = 3"),
  sleeper("r2", "process_name = r2_%(process_num)d\nnumprocs = 4"),
  sleeper("r3", "process_name = r3_%(process_num)d\nnumprocs = 3"),
  "[group:keep]\nprograms = on_a2,on_a0\n",
  sleeper("on_a2"),
  sleeper("on_a0"),
  sleeper("many", "process_name = many_%(process_num)03d\nnumprocs = 100"),
].join("\n");

async function operating(c: TestCluster): Promise<void> {
  await c.waitAll(async (i) => {
    const s = await stateOf(i);
    return s.fsm_statename === "OPERATION" && Object.values(s.instance_states).every((x) => x === "RUNNING") && Object.keys(s.instance_states).length === 3;
  }, "OPERATION with 3 RUNNING", 60_000);
}

async function runningOn(observer: ClusterInstance, namespec: string, where: (ids: string[]) => boolean): Promise<boolean> {
  const [p] = (await observer.rpc("supvisors.get_process_info", namespec)) as { statename: string; identifiers: string[] }[];
  return p!.statename === "RUNNING" && where(p!.identifiers);
}

/** Seconds from the signal to the program RUNNING on a survivor. */
async function failover(c: TestCluster, victim: ClusterInstance, observer: ClusterInstance, namespec: string, sig: "SIGKILL" | "SIGSTOP"): Promise<number> {
  const t0 = nowMs();
  victim.signal(sig);
  await poll(async () => ((await runningOn(observer, namespec, (ids) => ids.length === 1 && ids[0] !== victim.identifier)) ? true : undefined), 60_000, `${namespec} RUNNING elsewhere`, 5);
  const s = (nowMs() - t0) / 1000;
  if (sig === "SIGSTOP") {
    victim.signal("SIGCONT");
  } else {
    await victim.waitExit();
    await victim.start();
  }
  await operating(c);
  return s;
}

function rawCall(i: ClusterInstance, method: string): Promise<{ body: Buffer; ms: number }> {
  const body = encodeMethodCall(method, []);
  return new Promise((resolve, reject) => {
    const t0 = nowMs();
    const req = request({ host: i.spec.host, port: i.spec.port, path: "/RPC2", method: "POST", agent: false, headers: { "Content-Type": "text/xml", "Content-Length": Buffer.byteLength(body) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ body: Buffer.concat(chunks), ms: nowMs() - t0 }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

export async function applications(ctx: Context): Promise<void> {
  const r = ctx.results;
  const S = "10 applications";
  const start = r.metric(S, `start_application, 10 programs in 3 ranks, startsecs=1, s (Supvisors: ${SUPVISORS_FIGURES.start})`, { text: "< 3.3 s (3 s floor + 10%)", check: (o) => o < 3.3 });
  const stop = r.metric(S, `stop_application of the same, s (Supvisors: ${SUPVISORS_FIGURES.stop})`, { text: "< 0.2 s", check: (o) => o < 0.2 });
  const kill = r.metric(S, `failover after SIGKILL of a non-Master: RUNNING elsewhere, s (startsecs=1; Supvisors: ${SUPVISORS_FIGURES.killFailover})`, { text: "< 2 s", check: (o) => o < 2 });
  const master = r.metric(S, `failover after SIGKILL of the Master, s (startsecs=1; Supvisors: ${SUPVISORS_FIGURES.masterFailover})`, { text: "< 2 s", check: (o) => o < 2 });
  const stopped = r.metric(S, `failover after SIGSTOP of a non-Master, s (startsecs=1; Supvisors: ${SUPVISORS_FIGURES.stopFailover})`, { text: "< 3 s", check: (o) => o < 3 });
  const info = r.metric(S, `get_all_process_info, 100 processes per instance, request to last byte, ms (Supvisors: ${SUPVISORS_FIGURES.allProcessInfo})`, { text: "< 10 ms", check: (o) => o < 10 });

  const dir = mkdtempSync(join(tmpdir(), "bench-apps-"));
  writeFileSync(join(dir, "rules.xml"), RULES);
  const c = await TestCluster.create({ size: 3, supvisors: `rules_files = ${dir}/rules.xml\nconciliation_strategy = SENICIDE`, programs: PROGRAMS });
  try {
    const [a0, a1, a2] = c.instances as [ClusterInstance, ClusterInstance, ClusterInstance];
    await operating(c);
    for (let rep = 0; rep < ctx.reps; rep++) {
      let t0 = nowMs();
      await a1.slowRpc(60_000, "supvisors.start_application", "LESS_LOADED", "bench", true);
      start.add("ours", (nowMs() - t0) / 1000);
      t0 = nowMs();
      await a1.slowRpc(60_000, "supvisors.stop_application", "bench", true);
      stop.add("ours", (nowMs() - t0) / 1000);
    }
    ctx.log(`start_application ${start.samples.ours.map((x) => x.toFixed(2)).join(", ")} s; stop ${stop.samples.ours.map((x) => x.toFixed(3)).join(", ")} s`);

    // 100 processes per instance (a 100-process program defined on every instance): the query's
    // latency as scenario 3 measures it, from the request to the answer's last byte, a new
    // connection per call; the client's decoding is not counted (checked on the first and last).
    for (let i = 0; i < 20; i++) await rawCall(a1, "supvisors.get_all_process_info");
    const calls = ctx.quick ? 30 : 100;
    for (let i = 0; i < calls; i++) {
      const r = await rawCall(a1, "supvisors.get_all_process_info");
      info.add("ours", r.ms);
      if (i === 0 || i === calls - 1) {
        const v = decodeMethodResponse(r.body);
        const n = v.kind === "ok" && Array.isArray(v.value) ? v.value.length : -1;
        if (n < 100) throw new Error(`get_all_process_info listed ${n} processes`);
      }
    }

    const reps = ctx.quick ? 1 : Math.min(ctx.reps, 3);
    for (let rep = 0; rep < reps; rep++) {
      // keep:on_a2 on a2, keep:on_a0 on a0 (the Master), each by its identifiers.
      await a0.slowRpc(30_000, "supvisors.start_process", "CONFIG", "keep:on_a2", "", true);
      await a0.slowRpc(30_000, "supvisors.start_process", "CONFIG", "keep:on_a0", "", true);
      kill.add("ours", await failover(c, a2, a0, "keep:on_a2", "SIGKILL"));
      stopped.add("ours", await failover(c, a1, a0, "keep:on_a2", "SIGSTOP").catch(() => NaN));
      master.add("ours", await failover(c, a0, a2, "keep:on_a0", "SIGKILL"));
      // A SIGSTOPped instance comes back with its program still running: SENICIDE keeps the restarted one.
      // a0 restarted: it is the Master again (the smallest nick); the programs go back to their first instance.
      for (const ns of ["keep:on_a2", "keep:on_a0"]) await a0.slowRpc(30_000, "supvisors.stop_process", ns, true).catch(() => undefined);
    }
    ctx.log(`failover kill ${kill.samples.ours.map((x) => x.toFixed(2)).join(", ")} s; master ${master.samples.ours.map((x) => x.toFixed(2)).join(", ")} s; SIGSTOP ${stopped.samples.ours.map((x) => x.toFixed(2)).join(", ")} s`);
  } finally {
    await c.teardown();
    rmSync(dir, { recursive: true, force: true });
  }
}
