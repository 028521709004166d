/**
 * The interactive shell in a real pseudo-terminal (tmux): completion, history (in memory and in
 * history_file), `tail -f` and `fg` ended by Ctrl-C back to the prompt, Ctrl-C at the prompt,
 * unknown syntax, and Ctrl-D leaving with an empty line.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import t from "tap";
import { Daemon, baseConfig, buildOurCtl, settle, waitFor } from "./harness.js";

const hasTmux = spawnSync("tmux", ["-V"]).status === 0;

function tmux(...args: string[]): string {
  return execFileSync("tmux", args, { encoding: "utf8" });
}

t.test("interactive shell under a terminal", { skip: hasTmux ? false : "tmux not installed" }, async (t) => {
  const ourCtl = await buildOurCtl();
  const daemon = new Daemon("tmux", (dir) => baseConfig()(dir).replace("[supervisorctl]\n", `[supervisorctl]\nhistory_file=${dir}/history\nprompt=tst\n`));
  const session = `ctl-test-${process.pid}`;
  t.teardown(async () => {
    spawnSync("tmux", ["kill-session", "-t", session]);
    await daemon.stop();
    daemon.cleanup();
  });
  await daemon.start();
  await settle(daemon);

  tmux("new-session", "-d", "-s", session, "-x", "150", "-y", "50", `${process.execPath} ${ourCtl} -c ${daemon.conf}; echo EXITED=$?; sleep 30`);
  const pane = () => tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", session);
  const keys = (...k: string[]) => tmux("send-keys", "-t", session, ...k);
  const see = (re: RegExp, what: string) => waitFor(() => re.test(pane()), 20_000, what);
  const prompts = () => (pane().match(/^tst> /gm) ?? []).length;
  const nextPrompt = async (before: number, what: string) => waitFor(() => prompts() > before, 20_000, what);

  await see(/^cat\s+RUNNING\s+pid \d+/m, "initial status");
  await see(/^tst> $/m, "first prompt");
  t.pass("runs status first, then prompts with the configured prompt");

  keys("star");
  keys("Tab");
  await see(/^tst> start $/m, "single completion");
  keys("C-u");
  keys("sta");
  keys("Tab");
  await new Promise((r) => setTimeout(r, 300));
  keys("Tab");
  await see(/^start\s+status\s*$/m, "candidate list");
  t.pass("command names complete");

  keys("C-u");
  let n = prompts();
  keys("status gr");
  keys("Tab");
  await see(/^tst> status grp:\S* ?$/m, "group completion");
  keys("C-u");
  keys("status ech");
  keys("Tab");
  await see(/^tst> status echoer $/m, "process completion");
  keys("Enter");
  await nextPrompt(n, "status echoer done");
  t.match(pane(), /tst> status echoer \necho(er)?\s+RUNNING/, "completed command runs");

  n = prompts();
  keys("frobnicate 1", "Enter");
  await nextPrompt(n, "unknown syntax");
  t.match(pane(), /\*\*\* Unknown syntax: frobnicate 1\n/);

  n = prompts();
  keys("Up");
  await see(/^tst> frobnicate 1$/m, "history recall");
  keys("C-u", "Enter");
  await nextPrompt(n, "empty line gives a prompt");

  n = prompts();
  keys("tail -f echoer", "Enter");
  await see(/==> Press Ctrl-C to exit <==\nhello out\n/, "tail -f output");
  keys("C-c");
  await nextPrompt(n, "prompt after Ctrl-C in tail -f");
  t.pass("Ctrl-C ends tail -f and returns to the prompt");

  n = prompts();
  keys("fg cat", "Enter");
  await see(/tst> fg cat\n==> Press Ctrl-C to exit <==\n/, "fg banner");
  keys("ping-through-fg", "Enter");
  await see(/ping-through-fg\nping-through-fg\n/, "cat echoes the line sent to its stdin");
  keys("C-c");
  await see(/Exiting foreground\n/, "fg exit message");
  await nextPrompt(n, "prompt after fg");

  n = prompts();
  keys("half typed");
  keys("C-c");
  await nextPrompt(n, "fresh prompt after Ctrl-C at the prompt");
  t.notMatch(pane(), /Unknown syntax: half typed/, "Ctrl-C discards the typed line");

  keys("C-d");
  await see(/EXITED=0/, "exit on Ctrl-D");
  t.match(pane(), /tst> \nEXITED=0/, "Ctrl-D prints an empty line and exits 0");

  const history = readFileSync(`${daemon.dir}/history`, "utf8").split("\n");
  t.ok(history.includes("frobnicate 1"), "history_file saved");
  t.ok(history.includes("tail -f echoer"));
  t.notOk(history.includes("half typed"));
});
