/** avail, reread, add, remove, update: the commands that act on the configuration (spec §10.2). */
import { Faults } from "../../protocol/faults.js";
import type { Controller } from "../controller.js";
import { XmlRpcFault } from "../errors.js";
import { LsbInit } from "../exit-status.js";
import { makeNamespec } from "../namespec.js";
import type { CtlCommand } from "../plugin.js";
import { ljust, pySplit } from "../python-text.js";
import { toCallResults, toConfigChanges, toConfigInfos, toProcessInfos, type ConfigChanges, type ConfigInfo } from "../rpc-types.js";
import { pyStr } from "../python-values.js";
import { callUnlessShuttingDown } from "./shutdown-guard.js";

function noArguments(ctl: Controller, command: string, arg: string, help: string): boolean {
  if (!arg) return false;
  ctl.output(`Error: ${command} accepts no arguments`);
  ctl.exitstatus = LsbInit.GENERIC;
  ctl.output(help);
  return true;
}

export function availLine(c: ConfigInfo): string {
  return (
    ljust(makeNamespec(c.group, c.name), 32) +
    " " +
    ljust(c.inuse ? "in use" : "avail", 9) +
    " " +
    ljust(c.autostart ? "auto" : "manual", 9) +
    " " +
    `${pyStr(c.group_prio)}:${pyStr(c.process_prio)}`
  );
}

const AVAIL_HELP = "avail\t\t\tDisplay all configured processes";

async function runAvail(ctl: Controller, arg: string): Promise<void> {
  if (noArguments(ctl, "avail", arg, AVAIL_HELP)) return;
  const raw = await callUnlessShuttingDown(ctl, "getAllConfigInfo", "supervisor shutting down");
  if (raw === undefined) return;
  for (const info of toConfigInfos(raw)) ctl.output(availLine(info));
}

export function changeLines(changes: ConfigChanges): string[] {
  const byName = new Map<string, string>();
  for (const [names, what] of [
    [changes.added, "available"],
    [changes.changed, "changed"],
    [changes.removed, "disappeared"],
  ] as const) {
    for (const n of names) byName.set(n, what);
  }
  if (byName.size === 0) return ["No config updates to processes"];
  // Python sorts str by code point; JS's default sort compares UTF-16 units, same for the BMP.
  return [...byName.keys()].sort().map((n) => `${n}: ${byName.get(n)}`);
}

const REREAD_HELP = "reread \t\t\tReload the daemon's configuration files without add/remove";

async function runReread(ctl: Controller, arg: string): Promise<void> {
  if (noArguments(ctl, "reread", arg, REREAD_HELP)) return;
  const sv = ctl.supervisor();
  let changes: ConfigChanges;
  try {
    changes = toConfigChanges(await sv.call("reloadConfig"));
  } catch (e) {
    ctl.exitstatus = LsbInit.GENERIC;
    if (e instanceof XmlRpcFault && e.faultCode === Faults.SHUTDOWN_STATE) ctl.output("ERROR: supervisor shutting down");
    else if (e instanceof XmlRpcFault && e.faultCode === Faults.CANT_REREAD) ctl.output(`ERROR: ${e.faultString}`);
    else throw e;
    return;
  }
  for (const l of changeLines(changes)) ctl.output(l);
}

async function runAdd(ctl: Controller, arg: string): Promise<void> {
  const names = pySplit(arg);
  const sv = ctl.supervisor();
  for (const name of names) {
    try {
      await sv.call("addProcessGroup", name);
    } catch (e) {
      if (!(e instanceof XmlRpcFault)) {
        ctl.exitstatus = LsbInit.GENERIC;
        throw e;
      }
      if (e.faultCode === Faults.SHUTDOWN_STATE) {
        ctl.output("ERROR: shutting down");
        ctl.exitstatus = LsbInit.GENERIC;
      } else if (e.faultCode === Faults.ALREADY_ADDED) {
        ctl.output("ERROR: process group already active");
      } else if (e.faultCode === Faults.BAD_NAME) {
        ctl.output(`ERROR: no such process/group: ${name}`);
        ctl.exitstatus = LsbInit.GENERIC;
      } else {
        ctl.exitstatus = LsbInit.GENERIC;
        throw e;
      }
      continue;
    }
    ctl.output(`${name}: added process group`);
  }
}

async function runRemove(ctl: Controller, arg: string): Promise<void> {
  const names = pySplit(arg);
  const sv = ctl.supervisor();
  for (const name of names) {
    try {
      await sv.call("removeProcessGroup", name);
    } catch (e) {
      if (!(e instanceof XmlRpcFault)) throw e;
      ctl.exitstatus = LsbInit.GENERIC;
      if (e.faultCode === Faults.STILL_RUNNING) ctl.output(`ERROR: process/group still running: ${name}`);
      else if (e.faultCode === Faults.BAD_NAME) ctl.output(`ERROR: no such process/group: ${name}`);
      else throw e;
      continue;
    }
    ctl.output(`${name}: removed process group`);
  }
}

async function runUpdate(ctl: Controller, arg: string): Promise<void> {
  const sv = ctl.supervisor();
  const raw = await callUnlessShuttingDown(ctl, "reloadConfig", "already shutting down");
  if (raw === undefined) return;
  const { added, changed, removed } = toConfigChanges(raw);
  let wanted = new Set(pySplit(arg));
  if (wanted.has("all")) wanted = new Set();
  if (wanted.size) {
    const groups = new Set(toProcessInfos(await sv.call("getAllProcessInfo")).map((i) => i.group));
    for (const g of added) groups.add(g);
    for (const g of wanted) {
      if (!groups.has(g)) {
        ctl.output(`ERROR: no such group: ${g}`);
        ctl.exitstatus = LsbInit.GENERIC;
      }
    }
  }
  const inScope = (g: string) => wanted.size === 0 || wanted.has(g);
  for (const g of removed.filter(inScope)) {
    const results = toCallResults(await sv.call("stopProcessGroup", g));
    ctl.output(`${g}: stopped`);
    if (results.some((r) => r.status === Faults.FAILED)) {
      ctl.output(`${g}: has problems; not removing`);
      ctl.exitstatus = LsbInit.GENERIC;
      continue;
    }
    await sv.call("removeProcessGroup", g);
    ctl.output(`${g}: removed process group`);
  }
  for (const g of changed.filter(inScope)) {
    await sv.call("stopProcessGroup", g);
    ctl.output(`${g}: stopped`);
    await sv.call("removeProcessGroup", g);
    await sv.call("addProcessGroup", g);
    ctl.output(`${g}: updated process group`);
  }
  for (const g of added.filter(inScope)) {
    await sv.call("addProcessGroup", g);
    ctl.output(`${g}: added process group`);
  }
}

export const configCommands: readonly CtlCommand[] = [
  { name: "avail", run: runAvail, help: AVAIL_HELP },
  { name: "reread", run: runReread, help: REREAD_HELP },
  {
    name: "add",
    completes: "groups",
    run: runAdd,
    help: "add <name> [...]\tActivates any updates in config for process/group",
  },
  {
    name: "remove",
    completes: "groups",
    run: runRemove,
    help: "remove <name> [...]\tRemoves process/group from active config",
  },
  {
    name: "update",
    completes: "groups",
    run: runUpdate,
    help: [
      "update\t\t\tReload config and add/remove as necessary, and will restart affected programs",
      "update all\t\tReload config and add/remove as necessary, and will restart affected programs",
      "update <gname> [...]\tUpdate specific groups",
    ].join("\n"),
  },
];
