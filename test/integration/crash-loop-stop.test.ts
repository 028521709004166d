/**
 * Stopping a crash loop (issue 16): `command=false`, `startsecs=0`, `autorestart=true` restarts
 * about once a second. On ours the process waits out that second in EXITED (the pacing), where a
 * stop used to be refused with NOT_RUNNING while the restart stayed scheduled; supervisord spends
 * it with the next child RUNNING. Every way of stopping must end the loop at the first call, with
 * the answer supervisord gives to a stop it can do: the real supervisorctl (`stop NAME`,
 * `stop GROUP:*`, `stop all`) and stopProcess with and without wait, on ours and on the real
 * supervisord 4.2.5. The real one is racy here (its loop can be caught in EXITED too, and then
 * answers `ERROR (not running)`), so it gets a few tries; ours must succeed at the first.
 */
import t from "tap";
import { execFile } from "node:child_process";
import { TestDaemon, hasReal, waitFor, type DaemonKind } from "../helpers/daemon.js";

const REAL_CTL = "/usr/bin/supervisorctl";
if (!hasReal) t.plan(0, "the real supervisord is not installed (apt-get install supervisor)");
t.jobs = 4;

const PROGRAMS = `
[supervisorctl]

[program:crash]
command=false
startsecs=0
autorestart=true

[group:crashers]
programs=crash
`;

function ctl(d: TestDaemon, ...args: string[]): Promise<{ stdout: string; status: number }> {
  return new Promise((resolve) => {
    execFile(REAL_CTL, ["-c", d.conf, "-s", `unix://${d.sock}`, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ stdout: (stdout.trim() || `(stderr) ${stderr.trim()} ${err?.message ?? ""}`).trim(), status: err ? Number((err as { code?: number }).code ?? -1) : 0 });
    });
  });
}

type Way = { readonly name: string; readonly stop: (d: TestDaemon) => Promise<string>; readonly ok: string };

const WAYS: readonly Way[] = [
  { name: "supervisorctl stop crashers:crash", stop: async (d) => (await ctl(d, "stop", "crashers:crash")).stdout, ok: "crashers:crash: stopped" },
  { name: "supervisorctl stop crashers:*", stop: async (d) => (await ctl(d, "stop", "crashers:*")).stdout, ok: "crashers:crash: stopped" },
  { name: "supervisorctl stop all", stop: async (d) => (await ctl(d, "stop", "all")).stdout, ok: "crashers:crash: stopped" },
  { name: "stopProcess wait=true", stop: async (d) => String(await d.rpc("supervisor.stopProcess", "crashers:crash", true).catch((e: Error) => e.message)), ok: "true" },
  { name: "stopProcess wait=false", stop: async (d) => String(await d.rpc("supervisor.stopProcess", "crashers:crash", false).catch((e: Error) => e.message)), ok: "true" },
];

const spawns = (d: TestDaemon) => d.messages().filter((m) => m.startsWith("INFO spawned: 'crash'")).length;

async function stateOf(d: TestDaemon): Promise<string> {
  const info = (await d.rpc("supervisor.getProcessInfo", "crashers:crash")) as { statename: string };
  return info.statename;
}

for (const way of WAYS) {
  for (const kind of ["ours", "real"] as DaemonKind[]) {
    t.test(`${kind}: ${way.name} ends a crash loop${kind === "ours" ? " at the first call" : ""}`, async (t) => {
      const d = new TestDaemon(kind, { programs: PROGRAMS });
      t.teardown(async () => {
        await d.stop();
        d.cleanup();
      });
      await d.start();
      // The loop is going: three exits seen.
      await d.waitForLog("exited: crash (exit status 1; not expected)", 20_000, 3);
      const answers: string[] = [];
      for (let attempt = 0; attempt < (kind === "ours" ? 1 : 5); attempt++) {
        const answer = await way.stop(d);
        answers.push(answer);
        if (answer === way.ok) break;
      }
      t.equal(answers.at(-1), way.ok, `answered as a stop that worked (answers: ${JSON.stringify(answers)})`);
      if (kind === "ours") t.equal(answers.length, 1, "at the first call");
      // A non-waiting stop may answer before the STOPPED transition: poll for it.
      let state = "";
      const deadline = Date.now() + 10_000;
      while ((state = await stateOf(d)) !== "STOPPED" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      t.equal(state, "STOPPED");
      // No spawn after it: watched over more than two pacing periods (the loop restarts every ~1 s).
      const before = spawns(d);
      await new Promise((r) => setTimeout(r, 2500));
      t.equal(spawns(d), before, "no spawn after the stop");
      t.equal(await stateOf(d), "STOPPED", "still STOPPED");
      const status = await ctl(d, "status", "crashers:crash");
      t.match(status.stdout, /^crashers:crash\s+STOPPED\s/, "supervisorctl status shows STOPPED");
    });
  }
}
