/** start, stop, restart, signal, clear (spec §10.2, exit statuses §10.3). */
import { Faults } from "../../protocol/faults.js";
import type { Controller } from "../controller.js";
import { UnknownResultCodeError, XmlRpcFault } from "../errors.js";
import { LsbInit } from "../exit-status.js";
import { makeNamespec, splitNamespec } from "../namespec.js";
import type { CtlCommand } from "../plugin.js";
import { pySplit } from "../python-text.js";
import { toCallResults, type CallResult } from "../rpc-types.js";

function faultAsResult(e: XmlRpcFault, group: string, process: string | null): CallResult {
  // The reference builds the namespec from split_namespec's parts: a whole-group name that
  // reaches a per-process method (e.g. `clear foo:*`) is shown as `foo:None`.
  return { status: e.faultCode, group, name: process ?? "None", description: e.faultString };
}

export function startResultLine(r: CallResult): string {
  const name = makeNamespec(r.group, r.name);
  switch (r.status) {
    case Faults.BAD_NAME:
      return `${name}: ERROR (no such process)`;
    case Faults.NO_FILE:
      return `${name}: ERROR (no such file)`;
    case Faults.NOT_EXECUTABLE:
      return `${name}: ERROR (file is not executable)`;
    case Faults.ALREADY_STARTED:
      return `${name}: ERROR (already started)`;
    case Faults.SPAWN_ERROR:
      return `${name}: ERROR (spawn error)`;
    case Faults.ABNORMAL_TERMINATION:
      return `${name}: ERROR (abnormal termination)`;
    case Faults.SUCCESS:
      return `${name}: started`;
  }
  throw new UnknownResultCodeError(r.status, name, "start");
}

export function signalResultLine(r: CallResult, success = "signalled"): string {
  const name = makeNamespec(r.group, r.name);
  switch (r.status) {
    case Faults.BAD_NAME:
      return `${name}: ERROR (no such process)`;
    case Faults.BAD_SIGNAL:
      return `${name}: ERROR (bad signal name)`;
    case Faults.NOT_RUNNING:
      return `${name}: ERROR (not running)`;
    case Faults.SUCCESS:
      return `${name}: ${success}`;
    case Faults.FAILED:
      return r.description;
  }
  throw new UnknownResultCodeError(r.status, name, "signal");
}

export function clearResultLine(r: CallResult): string {
  const name = makeNamespec(r.group, r.name);
  switch (r.status) {
    case Faults.BAD_NAME:
      return `${name}: ERROR (no such process)`;
    case Faults.FAILED:
      return `${name}: ERROR (failed)`;
    case Faults.SUCCESS:
      return `${name}: cleared`;
  }
  throw new UnknownResultCodeError(r.status, name, "clear");
}

function printResults(ctl: Controller, results: CallResult[], format: (r: CallResult) => string, benign?: number): void {
  for (const r of results) {
    ctl.output(format(r));
    ctl.setExitstatusFromFault(r.status, benign);
  }
}

const START_HELP = [
  "start <name>\t\tStart a process",
  "start <gname>:*\t\tStart all processes in a group",
  "start <name> <name>\tStart multiple processes or groups",
  "start all\t\tStart all processes",
].join("\n");

/** A plugin may word a result code of its own (supvisors: DISABLED); the rest as supervisorctl. */
function startLineFor(ctl: Controller): (r: CallResult) => string {
  return (r) => {
    for (const plugin of ctl.table.list()) {
      const line = plugin.startResult?.(r);
      if (line !== undefined) return line;
    }
    return startResultLine(r);
  };
}

async function runStart(ctl: Controller, arg: string): Promise<void> {
  if (!(await ctl.upcheck())) return;
  const startResultLine = startLineFor(ctl);
  const names = pySplit(arg);
  const sv = ctl.supervisor();
  if (names.length === 0) {
    ctl.output("Error: start requires a process name");
    ctl.exitstatus = LsbInit.INVALID_ARGS;
    ctl.output(START_HELP);
    return;
  }
  if (names.includes("all")) {
    printResults(ctl, toCallResults(await sv.call("startAllProcesses")), startResultLine, Faults.ALREADY_STARTED);
    return;
  }
  for (const name of names) {
    const [group, process] = splitNamespec(name);
    if (process === null) {
      try {
        printResults(ctl, toCallResults(await sv.call("startProcessGroup", group)), startResultLine, Faults.ALREADY_STARTED);
      } catch (e) {
        if (e instanceof XmlRpcFault && e.faultCode === Faults.BAD_NAME) {
          ctl.output(`${group}: ERROR (no such group)`);
          ctl.exitstatus = LsbInit.INVALID_ARGS;
        } else {
          ctl.exitstatus = LsbInit.GENERIC;
          throw e;
        }
      }
      continue;
    }
    try {
      await sv.call("startProcess", name);
    } catch (e) {
      if (!(e instanceof XmlRpcFault)) throw e;
      const r = faultAsResult(e, group, process);
      ctl.output(startResultLine(r));
      ctl.setExitstatusFromFault(r.status, Faults.ALREADY_STARTED);
      continue;
    }
    ctl.output(`${makeNamespec(group, process)}: started`);
  }
}

const STOP_HELP = [
  "stop <name>\t\tStop a process",
  "stop <gname>:*\t\tStop all processes in a group",
  "stop <name> <name>\tStop multiple processes or groups",
  "stop all\t\tStop all processes",
].join("\n");

const stopResultLine = (r: CallResult) => signalResultLine(r, "stopped");

async function runStop(ctl: Controller, arg: string): Promise<void> {
  if (!(await ctl.upcheck())) return;
  const names = pySplit(arg);
  const sv = ctl.supervisor();
  if (names.length === 0) {
    ctl.output("Error: stop requires a process name");
    ctl.exitstatus = LsbInit.GENERIC;
    ctl.output(STOP_HELP);
    return;
  }
  if (names.includes("all")) {
    printResults(ctl, toCallResults(await sv.call("stopAllProcesses")), stopResultLine, Faults.NOT_RUNNING);
    return;
  }
  for (const name of names) {
    const [group, process] = splitNamespec(name);
    if (process === null) {
      try {
        printResults(ctl, toCallResults(await sv.call("stopProcessGroup", group)), stopResultLine, Faults.NOT_RUNNING);
      } catch (e) {
        ctl.exitstatus = LsbInit.GENERIC;
        if (e instanceof XmlRpcFault && e.faultCode === Faults.BAD_NAME) ctl.output(`${group}: ERROR (no such group)`);
        else throw e;
      }
      continue;
    }
    try {
      await sv.call("stopProcess", name);
    } catch (e) {
      if (!(e instanceof XmlRpcFault)) throw e;
      const r = faultAsResult(e, group, process);
      ctl.output(stopResultLine(r));
      ctl.setExitstatusFromFault(r.status, Faults.NOT_RUNNING);
      continue;
    }
    ctl.output(`${makeNamespec(group, process)}: stopped`);
  }
}

const SIGNAL_HELP = [
  "signal <signal name> <name>\t\tSignal a process",
  "signal <signal name> <gname>:*\t\tSignal all processes in a group",
  "signal <signal name> <name> <name>\tSignal multiple processes or groups",
  "signal <signal name> all\t\tSignal all processes",
].join("\n");

async function runSignal(ctl: Controller, arg: string): Promise<void> {
  if (!(await ctl.upcheck())) return;
  const args = pySplit(arg);
  if (args.length < 2) {
    ctl.output("Error: signal requires a signal name and a process name");
    ctl.output(SIGNAL_HELP);
    ctl.exitstatus = LsbInit.GENERIC;
    return;
  }
  const [sig, ...names] = args as [string, ...string[]];
  const sv = ctl.supervisor();
  if (names.includes("all")) {
    printResults(ctl, toCallResults(await sv.call("signalAllProcesses", sig)), (r) => signalResultLine(r));
    return;
  }
  for (const name of names) {
    const [group, process] = splitNamespec(name);
    if (process === null) {
      try {
        printResults(ctl, toCallResults(await sv.call("signalProcessGroup", group, sig)), (r) => signalResultLine(r));
      } catch (e) {
        if (e instanceof XmlRpcFault && e.faultCode === Faults.BAD_NAME) {
          ctl.output(`${group}: ERROR (no such group)`);
          ctl.exitstatus = LsbInit.GENERIC;
        } else throw e;
      }
      continue;
    }
    try {
      await sv.call("signalProcess", name, sig);
    } catch (e) {
      if (!(e instanceof XmlRpcFault)) throw e;
      const r = faultAsResult(e, group, process);
      ctl.output(signalResultLine(r));
      ctl.setExitstatusFromFault(r.status);
      continue;
    }
    ctl.output(`${makeNamespec(group, process)}: signalled`);
  }
}

const RESTART_HELP = [
  "restart <name>\t\tRestart a process",
  "restart <gname>:*\tRestart all processes in a group",
  "restart <name> <name>\tRestart multiple processes or groups",
  "restart all\t\tRestart all processes",
  "Note: restart does not reread config files. For that, see reread and update.",
].join("\n");

async function runRestart(ctl: Controller, arg: string): Promise<void> {
  if (!(await ctl.upcheck())) return;
  if (pySplit(arg).length === 0) {
    ctl.output("Error: restart requires a process name");
    ctl.exitstatus = LsbInit.GENERIC;
    ctl.output(RESTART_HELP);
    return;
  }
  await runStop(ctl, arg);
  await runStart(ctl, arg);
}

const CLEAR_HELP = [
  "clear <name>\t\tClear a process' log files.",
  "clear <name> <name>\tClear multiple process' log files",
  "clear all\t\tClear all process' log files",
].join("\n");

async function runClear(ctl: Controller, arg: string): Promise<void> {
  if (!(await ctl.upcheck())) return;
  const names = pySplit(arg);
  if (names.length === 0) {
    ctl.output("Error: clear requires a process name");
    ctl.exitstatus = LsbInit.GENERIC;
    ctl.output(CLEAR_HELP);
    return;
  }
  const sv = ctl.supervisor();
  if (names.includes("all")) {
    printResults(ctl, toCallResults(await sv.call("clearAllProcessLogs")), clearResultLine);
    return;
  }
  for (const name of names) {
    const [group, process] = splitNamespec(name);
    try {
      await sv.call("clearProcessLogs", name);
    } catch (e) {
      if (!(e instanceof XmlRpcFault)) throw e;
      const r = faultAsResult(e, group, process);
      ctl.output(clearResultLine(r));
      ctl.setExitstatusFromFault(r.status);
      continue;
    }
    ctl.output(`${makeNamespec(group, process ?? "None")}: cleared`);
  }
}

export const processControlCommands: readonly CtlCommand[] = [
  { name: "start", completes: "processes", run: runStart, help: START_HELP },
  { name: "stop", completes: "processes", run: runStop, help: STOP_HELP },
  { name: "restart", completes: "processes", run: runRestart, help: RESTART_HELP },
  { name: "signal", completes: "processes", run: runSignal, help: SIGNAL_HELP },
  { name: "clear", completes: "processes", run: runClear, help: CLEAR_HELP },
];
