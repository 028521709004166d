/**
 * Every supervisorctl command, run by the REAL Python supervisorctl and by OURS against two
 * identical daemons in lockstep: stdout, stderr and exit status must be identical once pids,
 * uptimes, dates and temp paths are normalised.
 */
import t, { type Test } from "tap";
import { Pair, baseConfig, buildOurCtl } from "./harness.js";

interface Step {
  readonly args: readonly string[];
  readonly input?: string;
  /** Group operations report in completion order in the reference: compare lines as a set. */
  readonly unordered?: boolean;
  /**
   * Lines a daemon may print either way, racy answer -> the other one. supervisord reaps inline
   * right after each spawn, so a program that exits at once is answered by whether its exit was
   * already there (seen on a fast day, between two real daemons).
   */
  readonly racy?: Readonly<Record<string, string>>;
}
type Edit = { readonly edit: string };
/** Wait on both daemons between steps whose effects are asynchronous (reload, shutdown). */
type Wait = { readonly wait: "settle" | "exit" };

const sortLines = (s: string) => s.split("\n").sort().join("\n");

async function runSteps(t: Test, steps: readonly (Step | Edit | Wait)[], extra = ""): Promise<void> {
  const pair = new Pair(baseConfig(extra), await buildOurCtl());
  t.teardown(async () => {
    await pair.stop();
    pair.cleanup();
  });
  await pair.start();
  for (const step of steps) {
    if ("wait" in step) {
      await (step.wait === "settle" ? pair.settle() : pair.waitExit());
      continue;
    }
    if ("edit" in step) {
      pair.writeConfig(baseConfig(step.edit));
      continue;
    }
    const { real, ours } = pair.run(step.args, { input: step.input });
    const label = step.args.join(" ") || "(shell)";
    const racy = step.racy ?? {};
    const settled = (s: string) => s.split("\n").map((l) => racy[l] ?? l).join("\n");
    const view = (s: string) => (step.unordered ? sortLines(settled(s)) : settled(s));
    t.equal(view(ours.stdout), view(real.stdout), `${label}: stdout`);
    t.equal(ours.stderr, real.stderr, `${label}: stderr`);
    t.equal(ours.status, real.status, `${label}: exit status`);
  }
}

t.test("status, pid, avail, version, help and unknown commands", async (t) => {
  await runSteps(t, [
    { args: ["status"] },
    { args: ["status", "cat", "grp:*", "nosuch", "nog:*"] },
    { args: ["status", "grp:", "multi:multi_01"] },
    { args: ["status", "all"] },
    { args: ["status", "cat"] },
    { args: ["avail"] },
    { args: ["avail", "x"] },
    { args: ["pid"] },
    { args: ["pid", "cat", "exiter"] },
    { args: ["pid", "all"] },
    { args: ["pid", "nosuch"] },
    { args: ["version"] },
    { args: ["version", "x"] },
    { args: ["help"] },
    ...["start", "stop", "restart", "signal", "tail", "maintail", "status", "pid", "avail", "reread", "add", "remove",
      "update", "clear", "shutdown", "reload", "version", "fg", "open", "quit", "exit", "help", "EOF", "nosuch"].map(
      (c) => ({ args: ["help", c] }),
    ),
    { args: ["?"] },
    { args: ["foo"] },
    { args: ["!ls"] },
    { args: ["status:x"] },
    { args: ["EOF"] },
    { args: ["quit"] },
  ]);
});

t.test("start, stop, restart, signal, clear", async (t) => {
  await runSteps(t, [
    { args: ["start"] },
    { args: ["start", "nosuch"] },
    { args: ["start", "nog:*"] },
    { args: ["start", "nofile"] },
    { args: ["start", "quick"] },
    { args: ["start", "exiter"] },
    { args: ["start", "cat"] },
    { args: ["start", "grp:ga:x"] },
    { args: ["stop"] },
    { args: ["stop", "cat"] },
    { args: ["stop", "cat", "nosuch", "nog:*"] },
    // `quick` is retrying in BACKOFF after `start quick`: let it reach FATAL on both daemons first.
    { wait: "settle" },
    {
      args: ["start", "all"],
      unordered: true,
      racy: { "exiter: ERROR (abnormal termination)": "exiter: started" },
    },
    { args: ["stop", "grp:*"], unordered: true },
    { args: ["start", "grp:"], unordered: true },
    { args: ["restart"] },
    { args: ["restart", "multi:*"], unordered: true },
    { args: ["restart", "cat", "nosuch"] },
    { args: ["signal"] },
    { args: ["signal", "HUP"] },
    { args: ["signal", "HUP", "cat"] },
    { args: ["signal", "FOO", "echoer"] },
    { args: ["signal", "HUP", "exiter"] },
    { args: ["signal", "USR1", "multi:*"], unordered: true },
    { args: ["signal", "HUP", "nog:*"] },
    { args: ["clear"] },
    { args: ["clear", "echoer"] },
    { args: ["clear", "nosuch", "grp:*"] },
    { args: ["clear", "all"] },
    { args: ["stop", "all"], unordered: true },
    { args: ["status"] },
  ]);
});

t.test("tail and maintail", async (t) => {
  await runSteps(t, [
    { args: ["tail", "echoer"] },
    { args: ["tail", "echoer", "stderr"] },
    { args: ["tail", "echoer", "STDOUT"] },
    { args: ["tail", "-5", "echoer"] },
    { args: ["tail", "-x", "echoer"] },
    { args: ["tail", "echoer", "foo"] },
    { args: ["tail"] },
    { args: ["tail", "a", "b", "c", "d"] },
    { args: ["tail", "nosuch"] },
    { args: ["tail", "-f"] },
    { args: ["tail", "-f", "nosuch"] },
    { args: ["maintail", "-3"] },
    { args: ["maintail", "x"] },
    { args: ["maintail", "-x"] },
    { args: ["maintail", "-f", "-x"] },
  ]);
});

t.test("reread, add, remove, update after editing the config", async (t) => {
  const newprog = "[program:newprog]\ncommand=/bin/sleep 1000\nstartsecs=0\n";
  const changedCat = "[program:newprog]\ncommand=/bin/sleep 1000\nstartsecs=0\n";
  await runSteps(t, [
    { args: ["reread"] },
    { args: ["reread", "x"] },
    { args: ["add", "nosuch"] },
    { args: ["add", "cat"] },
    { args: ["remove", "nosuch"] },
    { args: ["remove", "cat"] },
    { args: ["update", "nosuch"] },
    { edit: newprog },
    { args: ["reread"] },
    { args: ["update", "cat"] },
    { args: ["update", "newprog"] },
    { args: ["status"] },
    { args: ["stop", "newprog"] },
    { args: ["remove", "newprog"] },
    { args: ["add", "newprog"] },
    { args: ["avail"] },
    { edit: "" },
    { args: ["update", "all"] },
    { edit: changedCat },
    { args: ["update"] },
    { args: ["status"] },
    { edit: "[program:broken]\ncommand=\n" },
    { args: ["reread"] },
  ]);
});

t.test("shell on a piped stdin, confirmations, fg errors, open, reload, shutdown", async (t) => {
  await runSteps(t, [
    { args: [], input: "status cat\nfoo\n\nhelp help\n" },
    { args: [], input: "" },
    { args: ["-i", "status"] },
    { args: ["-i", "shutdown"], input: "n\n" },
    { args: ["-i", "reload"], input: "no\n" },
    { args: ["fg"] },
    { args: ["fg", "a", "b"] },
    { args: ["fg", "nosuch"] },
    { args: ["fg", "exiter"] },
    { args: ["open", "ftp://x"] },
    { args: [], input: "open ftp://x\nopen unix:///nonexistent.sock\nstatus\n" },
    { args: ["reload"] },
    { wait: "settle" },
    { args: ["status"] },
    { args: ["shutdown"] },
    { wait: "exit" },
    { args: ["shutdown"] },
    { args: ["status"] },
    { args: ["avail"] },
  ]);
});

t.test("options, config and connection errors", async (t) => {
  await runSteps(t, [
    { args: ["-s", "unix:///nonexistent.sock", "status"] },
    { args: ["-s", "unix:///nonexistent.sock", "pid"] },
    { args: ["-s", "unix:///nonexistent.sock", "avail"] },
    { args: ["-s", "unix:///nonexistent.sock", "shutdown"] },
    { args: ["-s", "http://127.0.0.1:1", "status"] },
    { args: ["-s", "http://127.0.0.1:1", "reread"] },
    { args: ["-s", "http://127.0.0.1:1", "shutdown"] },
    { args: ["-s", "ftp://x", "status"] },
    { args: ["-s", "ftp://x", "add"] },
    { args: ["-s", "foo", "status"] },
    { args: ["-x"] },
    { args: ["--serv"] },
    { args: ["--serverurl"] },
    { args: ["--s", "x"] },
    { args: ["--help=3"] },
    { args: ["-h"] },
    { args: ["-?", "status"] },
    { args: ["-c", "/nonexistent.conf", "status"] },
    { args: ["-s", "unix:///a", "-s", "unix:///b", "status"] },
    { args: ["-i", "-i", "status"] },
    { args: ["--", "status", "cat"] },
    { args: ["status", "-s", "x"] },
  ]);
});
