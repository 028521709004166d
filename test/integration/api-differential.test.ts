/**
 * Differential XML-RPC acceptance test (issue: HTTP servers, XML-RPC and the complete
 * supervisor/system API). test/helpers/python_rpc_suite.py calls every supervisor.* and system.*
 * method with Python's xmlrpc.client over the unix socket (good and bad arguments, every fault,
 * group forms, wait/no-wait, config rereads, restart and shutdown) and prints a normalised JSON
 * transcript. It runs against OURS and the REAL supervisord 4.2.5 on the same config, concurrently,
 * and the transcripts must be identical step by step, except for the steps labelled `KNOWN`, where
 * the reference fails (HTTP 500 / ill-formed XML) and ours answers properly (asserted below).
 */
import t from "tap";
import { execFile } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TestDaemon, hasReal, REPO, type DaemonKind } from "../helpers/daemon.js";

if (!hasReal) t.plan(0, "the real supervisord is not installed (apt-get install supervisor)");

const SUITE = join(REPO, "test/helpers/python_rpc_suite.py");

const PROGRAMS = `
[program:cat]
command=/bin/cat
startsecs=0
redirect_stderr=true

[program:echoer]
command=/bin/sh -c "printf 'out-line\\nsecond line\\n'; printf 'err-line\\n' >&2; exec sleep 1000"
startsecs=0
stderr_logfile={dir}/echoer-err.log

[program:badutf]
command=/usr/bin/printf '\\377\\376 bad\\n'
startsecs=0
autorestart=false
stdout_logfile={dir}/badutf.log

[program:ctrl]
command=/bin/sh -c "printf 'a\\001b\\n'; exec sleep 1000"
startsecs=0
stdout_logfile={dir}/ctrl.log

[program:nolog]
command=/bin/sleep 1000
startsecs=0
stdout_logfile=NONE
stderr_logfile=NONE

[program:sleeper]
command=/bin/sleep 1000
startsecs=1
autostart=false

[program:nofile]
command=/nonexistent/prog
autostart=false

[program:notexec]
command={dir}/adir
autostart=false

[program:noperm]
command={dir}/noexec.sh
autostart=false

[program:quick]
command=/bin/sh -c "echo quick; exit 3"
startsecs=1
startretries=0
autostart=false

[program:stubborn]
command=/bin/sh -c "trap '' TERM; echo ready; while :; do sleep 0.1; done"
startsecs=0
stopwaitsecs=3
autostart=false

[program:closer]
command=/bin/sh -c "exec 0<&-; echo closed; exec sleep 1000"
startsecs=0
autostart=false

[group:grp]
programs=ga,gb
priority=20

[program:ga]
command=/bin/sleep 1000
startsecs=1
autostart=false
priority=2

[program:gb]
command=/bin/sleep 1000
startsecs=1
autostart=false
priority=1

[group:mixed]
programs=m_ok,m_nofile,m_quick
priority=30

[program:m_ok]
command=/bin/sleep 1000
startsecs=1
autostart=false
priority=3

[program:m_nofile]
command=/nonexistent/m
autostart=false
priority=1

[program:m_quick]
command=/bin/sh -c "exit 1"
startsecs=1
startretries=0
autostart=false
priority=2

[program:multi]
command=/bin/sleep 1000
process_name=%(program_name)s_%(process_num)d
numprocs=2
startsecs=0
autostart=false
`;

/** Steps that may differ from the reference on purpose (tap `todo`); none at the moment. */
const TODO = new Map<string, string>();

/**
 * Waiting stops of several processes: the reference reaps inline after each kill, so a process
 * that died at once may be reported before one of higher priority; its own order is racy there.
 * Likewise a waiting "start all" mixing quick failures and slow successes: which 50 ms poll sees
 * each failure depends on load. These results are compared as sets.
 */
const UNORDERED = new Set([
  "start all (wait)",
  "start all again",
  "start mixed group",
  "stop g: (wait)",
  "stop group (wait)",
  "stop mixed group",
  "stop multi:*",
  "stop group after signals",
  "stop all (wait)",
  "stop multi",
  "stop multi again",
]);

/**
 * The reference reaps inline right after each spawn (rpcinterface.startProcess calls reap() before
 * transition()), so a program that exits at once gets an answer that depends on whether its exit
 * is already there (load and the machine's speed decide; both seen on this 2-core machine under
 * the full suite). Ours reports an exit once the child's pipes are drained, never inline, and
 * answers as the reference does when the exit is not there yet. For these programs the
 * reference's other answer is taken as OK; everything else is still compared exactly.
 * - startProcess / startAllProcesses(wait=False): SPAWN_ERROR (50) for startsecs=1 programs that
 *   exit at once (a fault for a single process, a result in the list for all).
 * - startAllProcesses(wait=True): ABNORMAL_TERMINATION (40) for a startsecs=0 program that exits
 *   at once (inline: RUNNING -> EXITED before transition(), so the waiter sees EXITED).
 */
const RACY_INLINE_REAP = new Map<string, Map<string, number>>([
  ["start quick nowait", new Map([["quick", 50]])],
  ["start all nowait", new Map([["quick", 50], ["m_quick", 50]])],
  ["start all (wait)", new Map([["badutf", 40]])],
  ["start all again", new Map([["badutf", 40]])],
]);

function racyAsOk(s: Step): Step {
  const racy = RACY_INLINE_REAP.get(s.step);
  if (!racy) return s;
  if (s.fault) {
    const { fault, ...rest } = s;
    return racy.get(fault[1].slice(fault[1].indexOf(": ") + 2)) === fault[0] ? { ...rest, ok: true } : s;
  }
  if (!Array.isArray(s.ok)) return s;
  return {
    ...s,
    ok: s.ok.map((r: { name?: string; status?: number }) =>
      r && racy.get(r.name ?? "") === r.status ? { ...r, status: 80, description: "OK" } : r,
    ),
  };
}

function sortedResults(s: Step): Step {
  if (!Array.isArray(s.ok)) return s;
  return { ...s, ok: [...s.ok].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)) };
}

interface Step {
  step: string;
  call?: string;
  args?: unknown[];
  ok?: unknown;
  fault?: [number, string];
  http?: number;
  parse_error?: string;
  note?: unknown;
}

function runSuite(d: TestDaemon): Promise<Step[]> {
  return new Promise((resolve, reject) => {
    execFile(
      "/usr/bin/python3",
      [SUITE, d.sock, d.conf, d.dir, String(d.pid)],
      { maxBuffer: 64 * 1024 * 1024, timeout: 150_000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${d.kind}: ${err.message}\n${stderr}`));
        else resolve(JSON.parse(stdout) as Step[]);
      },
    );
  });
}

async function run(kind: DaemonKind): Promise<{ steps: Step[]; daemon: TestDaemon }> {
  const d = new TestDaemon(kind, { programs: PROGRAMS });
  mkdirSync(join(d.dir, "adir"));
  writeFileSync(join(d.dir, "noexec.sh"), "#!/bin/sh\n");
  chmodSync(join(d.dir, "noexec.sh"), 0o644);
  t.teardown(async () => {
    await d.stop();
    d.cleanup();
  });
  await d.start();
  const steps = await runSuite(d);
  await d.waitExit(30_000);
  return { steps, daemon: d };
}

t.test("every supervisor.* and system.* method, ours vs the reference", async (t) => {
  const [ours, real] = await Promise.all([run("ours"), run("real")]);
  const dump = process.env["API_DIFF_DUMP"];
  if (dump) for (const [n, r] of [["ours", ours], ["real", real]] as const) writeFileSync(join(dump, `${n}.json`), JSON.stringify(r.steps, null, 1));
  t.equal(ours.steps.length, real.steps.length, "same number of steps");
  const known: { ours: Step; real: Step }[] = [];
  for (let i = 0; i < Math.min(ours.steps.length, real.steps.length); i++) {
    const o = ours.steps[i]!;
    const r = real.steps[i]!;
    if (o.step !== r.step) {
      t.fail(`step ${i}: ${o.step} vs ${r.step}`);
      break;
    }
    if (o.step.startsWith("KNOWN")) {
      known.push({ ours: o, real: r });
      continue;
    }
    const todo = TODO.get(o.step);
    const view = (x: Step) => (UNORDERED.has(o.step) ? sortedResults(racyAsOk(x)) : racyAsOk(x));
    t.same(view(o), view(r), `${i}: ${o.step}`, todo ? { todo } : {});
  }

  const byStep = new Map(known.map((k) => [k.ours.step, k]));
  const k = (name: string) => byStep.get(name)!;
  // Documented reference bugs (spec §8.3, §8.6): strict UTF-8 decoding gives HTTP 500 there; we
  // decode with replacement characters.
  t.same(k("KNOWN invalid utf-8 read").real, { ...k("KNOWN invalid utf-8 read").real, http: 500 });
  t.same(k("KNOWN invalid utf-8 read").ours.ok, "\ufffd\ufffd bad\n", "ours: replacement characters");
  t.equal(k("KNOWN invalid utf-8 tail").real.http, 500);
  t.same(k("KNOWN invalid utf-8 tail").ours.ok, ["\ufffd\ufffd bad\n", 7, false]);
  // multicall's argument must be an array: the reference fails with an AttributeError (HTTP 500).
  t.equal(k("KNOWN multicall of a non-array").real.http, 500);
  t.same(k("KNOWN multicall of a non-array").ours.fault?.[0], 2, "ours: INCORRECT_PARAMETERS");
  // Control characters are emitted raw by the reference (ill-formed XML for the client); ours
  // answers with well-formed XML the Python client parses.
  t.equal(k("KNOWN control characters").real.parse_error, "expat");
  t.type(k("KNOWN control characters").ours.ok, "string", "ours: a readable answer");
  // int("x") raises ValueError inside the reference's method: HTTP 500. Ours: a fault.
  t.equal(k("KNOWN int offset").real.http, 500);
  t.same(k("KNOWN int offset").ours.fault?.[0], 2, "ours: INCORRECT_PARAMETERS");
  // A non-string name: AttributeError in the reference (HTTP 500); ours: BAD_NAME.
  t.equal(k("KNOWN start with an int name").real.http, 500);
  t.same(k("KNOWN start with an int name").ours.fault, [10, "BAD_NAME: 1"]);
  // An int beyond 2^31 in getAllConfigInfo: "int exceeds XML-RPC limits" -> HTTP 500 in the
  // reference; ours encodes it as <i8>, which Python's client reads.
  t.equal(k("KNOWN config info with an int beyond 2^31").real.http, 500);
  const big = (k("KNOWN config info with an int beyond 2^31").ours.ok as Record<string, unknown>[]).find((c) => c["name"] === "big");
  t.equal(big?.["stdout_logfile_maxbytes"], 3 * 1024 ** 3);

  t.equal(ours.daemon.exitCode, 0, "ours exited 0 after shutdown");
  t.equal(real.daemon.exitCode, 0, "the reference exited 0 after shutdown");
});
