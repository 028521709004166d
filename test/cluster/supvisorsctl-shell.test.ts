/**
 * The interactive shell of our supvisorsctl (dist/bin/supvisorsctl.mjs) in a real pseudo-terminal
 * (tmux) against a real 3-instance cluster of our daemon: completion of the Supvisors argument
 * kinds (a starting strategy, an application, a namespec), `help` of a Supvisors command, a
 * start_application that holds the prompt until the application is RUNNING, and Ctrl-D.
 * test/cluster/supvisorsctl.test.ts covers the same commands one-shot; this file covers only
 * what needs a terminal.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { statusCommands } from "../../src/ctl/supvisors/status-commands.js";
import { applicationState, processes } from "../helpers/apps.js";
import { poll, stateOf, TestCluster, type ClusterInstance } from "../helpers/cluster.js";
import { REPO } from "../helpers/daemon.js";

const SUPVISORSCTL = join(REPO, "dist/bin/supvisorsctl.mjs");
const hasTmux = spawnSync("tmux", ["-V"]).status === 0;
const DEADLINE = 20_000;

// `web` has NO application start_sequence, so nothing starts it before the test does; its two
// ranks, each with startsecs = 1, make a waiting start_application last at least 2 s. `batch`
// is there so that completing `we` really picks one application among several.
const RULES = `<?xml version="1.0"?>
<root>
  <application name="web">
    <programs>
      <program name="db"><start_sequence>1</start_sequence></program>
      <program name="front"><start_sequence>2</start_sequence></program>
    </programs>
  </application>
  <application name="batch">
    <programs><program name="job"><start_sequence>1</start_sequence></program></programs>
  </application>
</root>
`;

const program = (name: string) => `[program:${name}]\ncommand = /bin/sleep 3600\nautostart = false\nstartsecs = 1\nstopwaitsecs = 5\n`;
const PROGRAMS = ["[group:web]\nprograms = db,front\n", program("db"), program("front"), "[group:batch]\nprograms = job\n", program("job")].join("\n");

/** tmux expands a tab to the next multiple of 8 columns; the pane holds spaces. */
function expandTabs(line: string): string {
  let out = "";
  for (const ch of line) out += ch === "\t" ? " ".repeat(8 - (out.length % 8)) : ch;
  return out;
}

t.test("supvisorsctl shell under a terminal, on a 3-instance cluster", { skip: hasTmux ? false : "tmux not installed" }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "sv-shell-"));
  // A private tmux server on a socket in our temp dir, with no user config: other tests'
  // sessions are never touched, and killing this server takes the ctl and the pane's shell with
  // it. One teardown, in this order: the server is killed before its socket's dir goes away.
  const socket = join(dir, "tmux.sock");
  const tmux = (...args: string[]) => execFileSync("tmux", ["-S", socket, "-f", "/dev/null", ...args], { encoding: "utf8" });
  let cluster: TestCluster | undefined;
  t.teardown(async () => {
    spawnSync("tmux", ["-S", socket, "kill-server"]);
    await cluster?.teardown();
    rmSync(dir, { recursive: true, force: true });
  });
  writeFileSync(join(dir, "rules.xml"), RULES);
  cluster = await TestCluster.create({ size: 3, supvisors: `rules_files = ${dir}/rules.xml\nevent_link = WS`, programs: PROGRAMS });

  await cluster.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION", "OPERATION everywhere");
  // The ctl talks to an instance that is not the master, so the waiting start also goes through
  // the forwarding of the request to the master and back.
  const master = (await stateOf(cluster.instances[0]!)).master_identifier;
  const target = cluster.instances.find((i) => i.identifier !== master) as ClusterInstance;
  await poll(async () => ((await applicationState(target, "web")) === "STOPPED" ? true : undefined), DEADLINE, "web known and STOPPED on the ctl's instance");

  const ctlConf = join(dir, "ctl.conf");
  writeFileSync(ctlConf, `[supervisorctl]\nserverurl = http://${target.identifier}\nprompt = svt\n`);
  // The pane's shell reports the ctl's exit status, then stays so the pane can still be read.
  const session = "shell";
  tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "50", `${process.execPath} ${SUPVISORSCTL} -c ${ctlConf} -s http://${target.identifier}; echo EXITED=$?; sleep 60`);
  const pane = () => tmux("capture-pane", "-p", "-J", "-S", "-", "-t", session);
  const keys = (...k: string[]) => void tmux("send-keys", "-t", session, ...k);
  const see = (re: RegExp, what: string) => poll(() => (re.test(pane()) ? true : undefined), DEADLINE, what);
  const prompts = () => (pane().match(/^svt> /gm) ?? []).length;
  const nextPrompt = (before: number, what: string) => poll(() => (prompts() > before ? true : undefined), DEADLINE, what);

  await see(/^web:db\s+STOPPED/m, "initial status");
  await see(/^svt> $/m, "first prompt");

  await t.test("a starting strategy completes as the first argument", async (t) => {
    keys("start_application LESS_");
    keys("Tab");
    // Both LESS_LOADED and LESS_LOADED_NODE match: only their common prefix is inserted.
    await see(/^svt> start_application LESS_LOADED$/m, "common prefix of the strategies");
    keys("Tab");
    await see(/^LESS_LOADED\s+LESS_LOADED_NODE\s*$/m, "strategy candidate list");
    t.pass("LESS_ completes to LESS_LOADED, a second Tab lists LESS_LOADED and LESS_LOADED_NODE");
    t.notMatch(pane(), /^.*MOST_LOADED.*$/m, "only the matching strategies are listed");
    keys("C-u");
  });

  await t.test("an application name completes as the second argument", async (t) => {
    keys("start_application CONFIG we");
    keys("Tab");
    await see(/^svt> start_application CONFIG web $/m, "application completion");
    t.pass("start_application CONFIG we -> start_application CONFIG web");
    keys("C-u");
  });

  await t.test("a namespec completes for sstatus", async (t) => {
    keys("sstatus web:d");
    keys("Tab");
    await see(/^svt> sstatus web:db $/m, "namespec completion");
    const n = prompts();
    keys("Enter");
    await nextPrompt(n, "sstatus done");
    t.match(pane(), /^svt> sstatus web:db \nApplication\s+Process\s+State\s+Expected\s+Supervisor\s*\nweb\s+db\s+STOPPED\s+n\/a\s+\[\]\s*\nsvt> /m, "the completed command runs");
  });

  await t.test("help sstatus", async (t) => {
    const n = prompts();
    keys("help sstatus", "Enter");
    await nextPrompt(n, "help done");
    const help = statusCommands.find((c) => c.name === "sstatus")!.help!;
    const expected = ["svt> help sstatus", "*** No help on sstatus", ...help.split("\n").map(expandTabs), "svt> "].join("\n");
    const text = pane();
    const shown = text.slice(text.lastIndexOf("svt> help sstatus")).slice(0, expected.length);
    t.equal(shown, expected, "the default plugin has no such topic, then the supvisors plugin's help, then the prompt");
  });

  await t.test("start_application waits for the application to be RUNNING before the prompt", async (t) => {
    keys("start_application CONFIG we");
    keys("Tab");
    await see(/^svt> start_application CONFIG web $/m, "completed start command");
    const command = /^svt> start_application CONFIG web \n/gm;
    // What the pane shows after the last echo of the command line. capture-pane prints every
    // row of the pane, so the line being edited is followed by empty rows too: before Enter
    // and while the command runs the tail is blank either way; what matters is that it stays
    // blank (no output, no prompt) until the result.
    const afterCommand = (text: string): string | null => {
      let end = -1;
      for (const m of text.matchAll(command)) end = m.index + m[0].length;
      return end < 0 ? null : text.slice(end);
    };
    const sent = Date.now();
    keys("Enter");
    const seen: { state: string; tail: string }[] = [];
    const done = await poll(
      async () => {
        // The state is read BEFORE the pane: a blank tail read after the application was seen
        // STARTING proves the ctl was still waiting while the application was starting.
        const state = await applicationState(target, "web").catch(() => "?");
        const tail = afterCommand(pane());
        if (tail === null) return undefined;
        if (tail.includes("web started:")) return tail;
        seen.push({ state, tail });
        return undefined;
      },
      30_000,
      "start_application result",
      20,
    );
    const elapsed = Date.now() - sent;
    const starting = seen.filter((x) => x.state === "STARTING");
    t.ok(starting.length > 0, `the pane was read while web was STARTING (${starting.length} of ${seen.length} reads before the result)`);
    const printed = seen.find((x) => x.tail.trim() !== "");
    t.notOk(printed, `nothing (no prompt, no output) after the command line before the result${printed ? `: ${JSON.stringify(printed)}` : ""}`);
    // Two ranks one after the other, each RUNNING only after startsecs = 1 (timers may fire a few ms early).
    t.ok(elapsed >= 1900, `the command lasted the two ranks' startsecs: ${elapsed} ms`);
    t.match(done, /^web started: True\n/, "the result line comes right after the command line");
    await see(/^svt> start_application CONFIG web \nweb started: True\nsvt> $/m, "prompt after the result");
    t.equal(await applicationState(target, "web"), "RUNNING", "RUNNING by the time the prompt is back");
    const procs = await processes(target, "web:*");
    t.same(
      procs.map((p) => [p.process_name, p.statename]).sort(),
      [
        ["db", "RUNNING"],
        ["front", "RUNNING"],
      ],
    );
  });

  await t.test("sstatus --follow redraws the table in place; Ctrl-C gives the prompt back", async (t) => {
    const n = prompts();
    keys("sstatus --follow web:*", "Enter");
    await see(/^web\s+front\s+RUNNING/m, "the followed table");
    await target.slowRpc(30_000, "supvisors.stop_process", "web:front", true);
    await see(/^web\s+front\s+STOPPED/m, "front STOPPED in the table");
    const text = pane();
    const shown = text.slice(text.lastIndexOf("svt> sstatus --follow web:*"));
    // Redrawn, not appended: one title and one row per process, whatever changed in between.
    t.equal((shown.match(/^Application\s+Process/gm) ?? []).length, 1, `one table on the screen:\n${shown}`);
    t.equal((shown.match(/^web\s+front\s/gm) ?? []).length, 1, "front's row replaced in place");
    t.equal(prompts(), n, "no prompt while following");
    keys("C-c");
    await nextPrompt(n, "prompt after Ctrl-C");
    t.pass("Ctrl-C ends --follow and the shell goes on");
  });

  await t.test("Ctrl-D leaves with exit status 0", async (t) => {
    keys("C-d");
    await see(/EXITED=\d+/, "the ctl exits");
    t.match(pane(), /^svt> \nEXITED=0$/m, "Ctrl-D prints an empty line and exits 0");
  });
});
