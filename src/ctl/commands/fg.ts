/**
 * `fg <process>`: stream the process's stdout and stderr while forwarding each typed line to
 * its stdin, until Ctrl-C, end of input, or the process stops running (spec §10.2).
 */
import { ProcessStates } from "../../protocol/supervisor.js";
import { Faults } from "../../protocol/faults.js";
import type { Controller } from "../controller.js";
import { XmlRpcFault } from "../errors.js";
import { LsbInit } from "../exit-status.js";
import { streamLog } from "../logtail-stream.js";
import type { CtlCommand } from "../plugin.js";
import { pySplit } from "../python-text.js";
import { toProcessInfo } from "../rpc-types.js";

const FG_HELP = "fg <process>\tConnect to a process in foreground mode\n\t\tCtrl-C to exit";

async function runFg(ctl: Controller, arg: string): Promise<void> {
  if (!(await ctl.upcheck())) return;
  const names = pySplit(arg);
  if (names.length === 0) {
    ctl.output("ERROR: no process name supplied");
    ctl.exitstatus = LsbInit.GENERIC;
    ctl.output(FG_HELP);
    return;
  }
  if (names.length > 1) {
    ctl.output("ERROR: too many process names supplied");
    ctl.exitstatus = LsbInit.GENERIC;
    return;
  }
  const name = names[0]!;
  const sv = ctl.supervisor();
  let state: number;
  try {
    state = toProcessInfo(await sv.call("getProcessInfo", name)).state;
  } catch (e) {
    if (!(e instanceof XmlRpcFault)) throw e;
    if (e.faultCode === Faults.BAD_NAME) {
      ctl.output("ERROR: bad process name supplied");
      ctl.exitstatus = LsbInit.GENERIC;
    } else {
      ctl.output(`ERROR: ${e.pythonStr()}`);
    }
    return;
  }
  if (state !== ProcessStates.RUNNING) {
    ctl.output("ERROR: process not running");
    ctl.exitstatus = LsbInit.GENERIC;
    return;
  }
  ctl.output("==> Press Ctrl-C to exit <==");
  const o = ctl.options;
  await ctl.interruptibly(async (interrupt) => {
    // One switch stops both streams and the pending read, whichever way fg ends.
    const stop = new AbortController();
    interrupt.addEventListener("abort", () => stop.abort());
    const sinks = { out: (t: string) => ctl.io.write(t), err: (l: string) => ctl.io.errorLine(l) };
    const streams = ["stdout", "stderr"].map((channel) =>
      streamLog(
        { serverurl: o.serverurl, path: `/logtail/${name}/${channel}`, username: o.username, password: o.password, caFile: o.caFile ?? null, signal: stop.signal },
        sinks,
      ),
    );
    try {
      for (;;) {
        const line = await ctl.io.readLine("", { signal: stop.signal });
        if (line === null) {
          ctl.output("Exiting foreground");
          return;
        }
        try {
          await sv.call("sendProcessStdin", name, line + "\n");
        } catch (e) {
          if (!(e instanceof XmlRpcFault)) throw e;
          ctl.output(e.faultCode === Faults.NOT_RUNNING ? "Process got killed" : `ERROR: ${e.pythonStr()}`);
          ctl.output("Exiting foreground");
          return;
        }
        const info = toProcessInfo(await sv.call("getProcessInfo", name));
        if (info.state !== ProcessStates.RUNNING) {
          ctl.output("Process got killed");
          ctl.output("Exiting foreground");
          return;
        }
      }
    } finally {
      stop.abort();
      await Promise.all(streams);
    }
  });
}

export const fgCommand: CtlCommand = { name: "fg", completes: "processes", run: runFg, help: FG_HELP };
