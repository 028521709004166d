/** pid, version, shutdown, reload, open, quit/exit (spec §10.2). */
import { Faults } from "../../protocol/faults.js";
import type { Controller } from "../controller.js";
import { pyStr } from "../python-values.js";
import { EndOfInputError, SocketError, XmlRpcFault } from "../errors.js";
import { LsbInit } from "../exit-status.js";
import type { CtlCommand } from "../plugin.js";
import { pySplit, pyStrip } from "../python-text.js";
import { toProcessInfo, toProcessInfos } from "../rpc-types.js";
import { runStatus } from "./status.js";
import { callUnlessShuttingDown } from "./shutdown-guard.js";

async function runPid(ctl: Controller, arg: string): Promise<void> {
  const sv = ctl.supervisor();
  if (!(await ctl.upcheck())) return;
  const names = pySplit(arg);
  if (names.length === 0) {
    ctl.output(pyStr(await sv.call("getPID")));
    return;
  }
  if (names.includes("all")) {
    for (const info of toProcessInfos(await sv.call("getAllProcessInfo"))) ctl.output(String(info.pid));
    return;
  }
  for (const name of names) {
    let pid: number;
    try {
      pid = toProcessInfo(await sv.call("getProcessInfo", name)).pid;
    } catch (e) {
      if (!(e instanceof XmlRpcFault)) throw e;
      ctl.exitstatus = LsbInit.GENERIC;
      if (e.faultCode === Faults.BAD_NAME) ctl.output(`No such process ${name}`);
      else throw e;
      continue;
    }
    ctl.output(String(pid));
    if (pid === 0) ctl.exitstatus = LsbInit.NOT_RUNNING;
  }
}

const VERSION_HELP = "version\t\t\tShow the version of the remote supervisord process";

async function runVersion(ctl: Controller, arg: string): Promise<void> {
  if (arg) {
    ctl.output("Error: version accepts no arguments");
    ctl.exitstatus = LsbInit.GENERIC;
    ctl.output(VERSION_HELP);
    return;
  }
  if (!(await ctl.upcheck())) return;
  ctl.output(pyStr(await ctl.supervisor().call("getSupervisorVersion")));
}

/** Interactive sessions confirm shutdown/reload; anything not starting with y/Y declines. */
async function confirmed(ctl: Controller, question: string): Promise<boolean> {
  if (!ctl.options.interactive) return true;
  const answer = await ctl.io.readLine(question);
  if (answer === null) throw new EndOfInputError(question.startsWith("Really shut") ? "shutdown" : "reload");
  return answer.toLowerCase().startsWith("y");
}

const SHUTDOWN_HELP = "shutdown \tShut the remote supervisord down.";

async function runShutdown(ctl: Controller, arg: string): Promise<void> {
  if (arg) {
    ctl.output("Error: shutdown accepts no arguments");
    ctl.exitstatus = LsbInit.GENERIC;
    ctl.output(SHUTDOWN_HELP);
    return;
  }
  if (!(await confirmed(ctl, "Really shut the remote supervisord process down y/N? "))) return;
  const sv = ctl.supervisor();
  try {
    await sv.call("shutdown");
  } catch (e) {
    if (e instanceof XmlRpcFault) {
      if (e.faultCode === Faults.SHUTDOWN_STATE) {
        ctl.output("ERROR: already shutting down");
        return;
      }
      ctl.exitstatus = LsbInit.GENERIC;
      throw e;
    }
    if (e instanceof SocketError) {
      ctl.exitstatus = LsbInit.GENERIC;
      if (e.errnoCode === "ECONNREFUSED") {
        ctl.output(`ERROR: ${ctl.options.serverurl} refused connection (already shut down?)`);
        return;
      }
      if (e.errnoCode === "ENOENT") {
        ctl.output(`ERROR: ${ctl.options.serverurl} no such file (already shut down?)`);
        return;
      }
    }
    throw e;
  }
  ctl.output("Shut down");
}

const RELOAD_HELP = "reload \t\tRestart the remote supervisord.";

async function runReload(ctl: Controller, arg: string): Promise<void> {
  if (arg) {
    ctl.output("Error: reload accepts no arguments");
    ctl.exitstatus = LsbInit.GENERIC;
    ctl.output(RELOAD_HELP);
    return;
  }
  if (!(await confirmed(ctl, "Really restart the remote supervisord process y/N? "))) return;
  if ((await callUnlessShuttingDown(ctl, "restart", "already shutting down")) === undefined) return;
  ctl.output("Restarted supervisord");
}

async function runOpen(ctl: Controller, arg: string): Promise<void> {
  const url = pyStrip(arg);
  // urlparse's scheme: the text before the first ':' when it is a valid scheme name.
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url);
  const scheme = m ? m[1]!.toLowerCase() : "";
  // https (ours) is accepted too; the message stays the reference's.
  if (scheme !== "unix" && scheme !== "http" && scheme !== "https") {
    ctl.output("ERROR: url must be http:// or unix://");
    ctl.exitstatus = LsbInit.GENERIC;
    return;
  }
  ctl.options.serverurl = url;
  const before = ctl.exitstatus;
  await runStatus(ctl, "");
  ctl.exitstatus = before;
}

const quit = async (ctl: Controller) => {
  ctl.output("");
  return "exit" as const;
};

export const daemonCommands: readonly CtlCommand[] = [
  {
    name: "pid",
    completes: "processes",
    run: runPid,
    help: [
      "pid\t\t\tGet the PID of supervisord.",
      "pid <name>\t\tGet the PID of a single child process by name.",
      "pid all\t\t\tGet the PID of every child process, one per line.",
    ].join("\n"),
  },
  { name: "version", run: runVersion, help: VERSION_HELP },
  { name: "shutdown", run: runShutdown, help: SHUTDOWN_HELP },
  { name: "reload", run: runReload, help: RELOAD_HELP },
  {
    name: "open",
    run: runOpen,
    help: "open <url>\tConnect to a remote supervisord process.\n\t\t(for UNIX domain socket, use unix:///socket/path)",
  },
  { name: "quit", run: quit, help: "quit\tExit the supervisor shell." },
  { name: "exit", run: quit, help: "exit\tExit the supervisor shell." },
];
