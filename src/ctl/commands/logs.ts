/** tail and maintail, one-shot and `-f` (spec §10.2, §11.3). */
import { pythonStrRepr } from "../../supervisord/text.js";
import { Faults } from "../../protocol/faults.js";
import type { Controller } from "../controller.js";
import { XmlRpcFault } from "../errors.js";
import { LsbInit } from "../exit-status.js";
import { streamLog } from "../logtail-stream.js";
import type { CtlCommand } from "../plugin.js";
import { pySplit } from "../python-text.js";
import { asString } from "../rpc-types.js";

/**
 * The reference warns when Python's stdout encoding is not UTF-*. Python 3.11 coerces the C
 * locale to UTF-8, so only PYTHONIOENCODING can make it so; we honour the same variable.
 */
function checkEncoding(ctl: Controller): void {
  const enc = (process.env["PYTHONIOENCODING"] ?? "").split(":")[0]!;
  if (enc && !enc.toLowerCase().startsWith("utf")) {
    ctl.output(
      `Warning: sys.stdout.encoding is set to ${enc}, so Unicode output may fail. Check your LANG and PYTHONIOENCODING environment settings.`,
    );
  }
}

/** Streams `path` until the server ends it or Ctrl-C; Ctrl-C prints an empty line. */
export async function tailFollow(ctl: Controller, path: string): Promise<void> {
  checkEncoding(ctl);
  ctl.output("==> Press Ctrl-C to exit <==");
  const o = ctl.options;
  let interrupted = false;
  await ctl.interruptibly(async (signal) => {
    signal.addEventListener("abort", () => (interrupted = true));
    await streamLog(
      { serverurl: o.serverurl, path, username: o.username, password: o.password, caFile: o.caFile ?? null, signal },
      { out: (text) => ctl.io.write(text), err: (line) => ctl.io.errorLine(line) },
    );
  });
  if (interrupted) ctl.output("");
}

const TAIL_HELP =
  "tail [-f] <name> [stdout|stderr] (default stdout)\n" +
  "Ex:\n" +
  "tail -f <name>\t\tContinuous tail of named process stdout\n" +
  "\t\t\tCtrl-C to exit.\n" +
  "tail -100 <name>\tlast 100 *bytes* of process stdout\n" +
  "tail <name> stderr\tlast 1600 *bytes* of process stderr";

/** Python's int() on a tail modifier such as `100` or `-5` (surrounding whitespace allowed). */
function pyInt(text: string): number | null {
  const m = /^\s*([+-]?)(\d(?:_?\d)*)\s*$/.exec(text);
  if (!m) return null;
  const n = Number(m[2]!.replace(/_/g, ""));
  return m[1] === "-" ? -n : n;
}

async function runTail(ctl: Controller, arg: string): Promise<void> {
  if (!(await ctl.upcheck())) return;
  const args = pySplit(arg);
  if (args.length < 1 || args.length > 3) {
    ctl.output(args.length < 1 ? "Error: too few arguments" : "Error: too many arguments");
    ctl.exitstatus = LsbInit.GENERIC;
    ctl.output(TAIL_HELP);
    return;
  }
  let modifier: string | null = null;
  if (args[0]!.startsWith("-")) modifier = args.shift()!;
  let name: string;
  let channel: string;
  if (args.length === 1) {
    name = args[0]!;
    channel = "stdout";
  } else if (args.length > 0) {
    name = args[0]!;
    channel = args[args.length - 1]!.toLowerCase();
    if (channel !== "stderr" && channel !== "stdout") {
      ctl.output(`Error: bad channel ${pythonStrRepr(channel)}`);
      ctl.exitstatus = LsbInit.GENERIC;
      return;
    }
  } else {
    ctl.output("Error: tail requires process name");
    ctl.exitstatus = LsbInit.GENERIC;
    return;
  }
  let bytes: number | null = 1600;
  if (modifier !== null) {
    const what = modifier.slice(1);
    if (what === "f") bytes = null;
    else {
      bytes = pyInt(what);
      if (bytes === null) {
        ctl.output(`Error: bad argument ${modifier}`);
        ctl.exitstatus = LsbInit.GENERIC;
        return;
      }
    }
  }
  const sv = ctl.supervisor();
  if (bytes === null) return tailFollow(ctl, `/logtail/${name}/${channel}`);
  checkEncoding(ctl);
  let output: string;
  try {
    const method = channel === "stdout" ? "readProcessStdoutLog" : "readProcessStderrLog";
    output = asString(await sv.call(method, name, -bytes, 0), "log");
  } catch (e) {
    if (!(e instanceof XmlRpcFault)) throw e;
    ctl.exitstatus = LsbInit.GENERIC;
    if (e.faultCode === Faults.NO_FILE) ctl.output(`${name}: ERROR (no log file)`);
    else if (e.faultCode === Faults.FAILED) ctl.output(`${name}: ERROR (unknown error reading log)`);
    else if (e.faultCode === Faults.BAD_NAME) ctl.output(`${name}: ERROR (no such process name)`);
    else throw e;
    return;
  }
  ctl.output(output);
}

const MAINTAIL_HELP =
  "maintail -f \tContinuous tail of supervisor main log file (Ctrl-C to exit)\n" +
  "maintail -100\tlast 100 *bytes* of supervisord main log file\n" +
  "maintail\tlast 1600 *bytes* of supervisor main log file\n";

async function runMaintail(ctl: Controller, arg: string): Promise<void> {
  if (!(await ctl.upcheck())) return;
  const args = pySplit(arg);
  let bytes = 1600;
  if (args.length > 1) {
    ctl.output("Error: too many arguments");
    ctl.exitstatus = LsbInit.GENERIC;
    ctl.output(MAINTAIL_HELP);
    return;
  }
  if (args.length === 1) {
    const a = args[0]!;
    if (!a.startsWith("-")) {
      ctl.output(`Error: bad argument ${a}`);
      ctl.exitstatus = LsbInit.GENERIC;
      return;
    }
    const what = a.slice(1);
    if (what === "f") return tailFollow(ctl, "/mainlogtail");
    const n = pyInt(what);
    if (n === null) {
      ctl.output(`Error: bad argument ${a}`);
      ctl.exitstatus = LsbInit.GENERIC;
      return;
    }
    bytes = n;
  }
  const sv = ctl.supervisor();
  let output: string;
  try {
    output = asString(await sv.call("readLog", -bytes, 0), "log");
  } catch (e) {
    if (!(e instanceof XmlRpcFault)) throw e;
    ctl.exitstatus = LsbInit.GENERIC;
    if (e.faultCode === Faults.NO_FILE) ctl.output("supervisord: ERROR (no log file)");
    else if (e.faultCode === Faults.FAILED) ctl.output("supervisord: ERROR (unknown error reading log)");
    else throw e;
    return;
  }
  ctl.output(output);
}

export const logCommands: readonly CtlCommand[] = [
  { name: "tail", completes: "processes", run: runTail, help: TAIL_HELP },
  { name: "maintail", run: runMaintail, help: MAINTAIL_HELP },
];
