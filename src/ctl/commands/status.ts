/** `status` (spec §10.2, exit statuses §10.3, §14 items 8 and 33). */
import { STOPPED_STATES, processStateName } from "../../supervisord/process/states.js";
import { colourState } from "../colour.js";
import type { Controller } from "../controller.js";
import { LsbStatus } from "../exit-status.js";
import { makeNamespec, splitNamespec } from "../namespec.js";
import type { CtlCommand } from "../plugin.js";
import { ljust, pySplit } from "../python-text.js";
import { toProcessInfos, type ProcessInfo } from "../rpc-types.js";

export function formatStatusLines(infos: readonly ProcessInfo[], colour: boolean): string[] {
  const namespecs = infos.map((i) => makeNamespec(i.group, i.name));
  const width = Math.max(30, ...namespecs.map((n) => [...n].length)) + 3;
  return infos.map((info, i) => {
    const state = ljust(info.statename, 10);
    return ljust(namespecs[i]!, width) + (colour ? colourState(info.statename, state) : state) + info.description + readinessSuffix(info);
  });
}

/**
 * Ours: ` (not ready)` for a checked process still waiting for its first pass or failing; nothing
 * for ready/off, and nothing at all without the field, so plain configs print as supervisorctl.
 */
function readinessSuffix(info: ProcessInfo): string {
  return info.readiness === "pending" || info.readiness === "unready" ? " (not ready)" : "";
}

function isStopped(state: number): boolean {
  try {
    return STOPPED_STATES.has(processStateName(state));
  } catch {
    return false;
  }
}

export async function runStatus(ctl: Controller, arg: string): Promise<void> {
  if (!(await ctl.upcheck())) {
    // Whatever upcheck decided, status reports "unknown" (the reference overrides it).
    ctl.exitstatus = LsbStatus.UNKNOWN;
    return;
  }
  const all = toProcessInfos(await ctl.supervisor().call("getAllProcessInfo"));
  const names = pySplit(arg);
  let matching: ProcessInfo[];
  if (names.length === 0 || names.includes("all")) {
    matching = all;
  } else {
    matching = [];
    for (const name of names) {
      const [group, process] = splitNamespec(name);
      const found = all.filter((i) => i.group === group && (process === null || i.name === process));
      matching.push(...found);
      if (found.length === 0) {
        ctl.output(process === null ? `${group}: ERROR (no such group)` : `${name}: ERROR (no such process)`);
        ctl.exitstatus = LsbStatus.UNKNOWN;
      }
    }
  }
  for (const line of formatStatusLines(matching, ctl.io.colour)) ctl.output(line);
  if (matching.some((i) => isStopped(i.state))) ctl.exitstatus = LsbStatus.NOT_RUNNING;
}

export const statusCommand: CtlCommand = {
  name: "status",
  completes: "processes",
  run: runStatus,
  help: [
    "status <name>\t\tGet status for a single process",
    "status <gname>:*\tGet status for all processes in a group",
    "status <name> <name>\tGet status for multiple named processes",
    "status\t\t\tGet all process status info",
  ].join("\n"),
};
