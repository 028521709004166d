/**
 * Issue "process lifecycle" acceptance: no byte of child output is lost at full speed (with and
 * without rotation), and a long crash-restart loop leaves no zombie and no leaked descriptor.
 */
import t from "tap";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { TestDaemon, waitFor } from "../helpers/daemon.js";
import { fdCount, zombiesOf } from "../helpers/proc.js";

const MB = 1024 * 1024;
const TOTAL = 500 * MB;

function logFiles(dir: string, base: string): string[] {
  return readdirSync(dir)
    .filter((f) => f === base || f.startsWith(`${base}.`))
    .map((f) => join(dir, f));
}
const sizeOf = (files: string[]) => files.reduce((n, f) => n + statSync(f).size, 0);

t.test("a child writing 500 MB as fast as it can loses no byte", async (t) => {
  const d = new TestDaemon("ours", {
    programs: [
      "[program:flat]",
      `command=/usr/bin/head -c ${TOTAL} /dev/zero`,
      "stdout_logfile={dir}/flat.log",
      "stdout_logfile_maxbytes=0",
      "startsecs=0",
      "autorestart=false",
      "[program:rotated]",
      // Text with line structure, so rotated pieces are not all alike.
      `command=/bin/sh -c "yes 'supervised output line' | head -c ${TOTAL}"`,
      "stdout_logfile={dir}/rotated.log",
      "stdout_logfile_maxbytes=50MB",
      "stdout_logfile_backups=20",
      "startsecs=0",
      "autorestart=false",
      "",
    ].join("\n"),
  });
  t.teardown(async () => {
    await d.stop();
    d.cleanup();
  });
  await d.start();
  await d.waitForLog("exited: flat (exit status 0; expected)", 240_000);
  await d.waitForLog("exited: rotated (exit status 0; expected)", 240_000);
  // The exit is logged only once the output is in the file: no waiting needed.
  t.equal(statSync(join(d.dir, "flat.log")).size, TOTAL, "flat log is exactly 500 MB");
  const rotated = logFiles(d.dir, "rotated.log");
  t.ok(rotated.length >= 10, `rotated into ${rotated.length} files`);
  t.equal(sizeOf(rotated), TOTAL, "base file + backups add up to 500 MB");
  for (const f of rotated.filter((f) => !f.endsWith("rotated.log"))) {
    const st = statSync(f);
    t.ok(st.size >= 50 * MB, `${f} rotated at the limit`);
  }
  // Rotated files end on whole chunks: the text still reads as whole lines across files.
  const newest = readFileSync(join(d.dir, "rotated.log.1"));
  t.match(newest.subarray(0, 64).toString(), /^(?:[a-z ]*\n)?supervised output line/);
});


t.test("1,000 crash-restarts leave no zombie and no leaked descriptor", async (t) => {
  const N = 50;
  const d = new TestDaemon("ours", {
    programs: [
      "[program:crasher]",
      `command=/bin/sh -c "echo out; echo err >&2; exit 1"`,
      "process_name=%(program_name)s_%(process_num)02d",
      `numprocs=${N}`,
      "startsecs=0",
      "autorestart=true",
      "autostart=false",
      "",
    ].join("\n"),
  });
  t.teardown(async () => {
    await d.stop();
    d.cleanup();
  });
  await d.start();
  // One warm-up round so lazily created descriptors (thread pool, etc.) exist in the baseline.
  await d.rpc("supervisor.startAllProcesses");
  await d.rpc("supervisor.stopAllProcesses");
  await waitFor(() => zombiesOf(d.pid).length === 0, 10_000, "no zombies after warm-up");
  await new Promise((r) => setTimeout(r, 500));
  const baseline = fdCount(d.pid);
  const before = d.messages().filter((m) => m.includes("spawned: 'crasher_")).length;

  await d.rpc("supervisor.startAllProcesses", false);
  await d.waitForLog("spawned: 'crasher_", 180_000, before + 1000);
  await d.rpc("supervisor.stopAllProcesses");
  const infos = (await d.rpc("supervisor.getAllProcessInfo")) as { statename: string }[];
  t.ok(
    infos.every((i) => ["STOPPED", "EXITED", "FATAL"].includes(i.statename)),
    "every process is stopped",
  );
  await new Promise((r) => setTimeout(r, 500));
  t.same(zombiesOf(d.pid), [], "no zombie children");
  await waitFor(() => fdCount(d.pid) <= baseline, 5_000, "descriptors back to the baseline").catch(() => {});
  t.equal(fdCount(d.pid), baseline, `the daemon holds as many descriptors as before (${baseline})`);
  const spawned = d.messages().filter((m) => m.includes("spawned: 'crasher_")).length - before;
  t.ok(spawned >= 1000, `${spawned} restarts`);
});
