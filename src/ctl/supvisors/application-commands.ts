/**
 * The supvisors commands that start, restart and stop managed applications (spec §10):
 * start_application, restart_application and stop_application, sent with a strategy (but for
 * stop) to the Master through the connected instance. An unmanaged application is skipped with
 * a hint at the supervisor command to use instead, an unknown one reported, as Supvisors 0.19's
 * plugin does, because scripts parse these texts.
 */
import type { RpcValue } from "../../supervisord/rpc/codec.js";
import type { Controller } from "../controller.js";
import { LsbInit } from "../exit-status.js";
import type { CtlCommand } from "../plugin.js";
import { pySplit } from "../python-text.js";
import { callOrReport, helpText, pyStr, structs, supvisors, supvisorsUpcheck, wantsAll } from "./common.js";
import { eachItem, pySorted, strategyWords, unknownFor } from "./control-shared.js";

/** Application name -> managed, from get_all_applications_info; undefined after a fault. */
async function managedByName(ctl: Controller): Promise<Map<string, boolean> | undefined> {
  const infos = await callOrReport(ctl, () => supvisors(ctl).call("get_all_applications_info"));
  if (infos === undefined) return undefined;
  // A later duplicate wins, as when Python builds a dict from the list.
  return new Map(structs(infos).map((i) => [pyStr(i["application_name"]), i["managed"] === true]));
}

/**
 * The applications to act on. No name or `all`: every managed one, sorted. Otherwise the given
 * names in order; an unmanaged one is skipped with a hint at the supervisor command `fallback`
 * to use, an unknown one is reported (exit status 2) and skipped.
 */
function selectApplications(ctl: Controller, names: readonly string[], managed: ReadonlyMap<string, boolean>, fallback: string): string[] {
  if (wantsAll(names)) return pySorted([...managed].filter(([, m]) => m).map(([name]) => name));
  const selected: string[] = [];
  for (const name of names) {
    const isManaged = managed.get(name);
    if (isManaged === undefined) {
      ctl.output(`${name}: ERROR (no such application)`);
      ctl.exitstatus = LsbInit.INVALID_ARGS;
    } else if (isManaged) {
      selected.push(name);
    } else {
      ctl.output(`${name}: IGNORED (unmanaged. use ${fallback} ${name}:*)`);
    }
  }
  return selected;
}

/** The flow shared by start/restart/stop_application once the arguments are checked. */
async function onApplications(
  ctl: Controller,
  names: readonly string[],
  fallback: string,
  call: (application: string) => Promise<RpcValue>,
  done: string,
): Promise<void> {
  const managed = await managedByName(ctl);
  if (managed === undefined) return;
  const selected = selectApplications(ctl, names, managed, fallback);
  await eachItem(ctl, selected, call, (name, result) => `${name} ${done}: ${pyStr(result)}`);
}

const START_APPLICATION_HELP = helpText(
  "start_application <strategy> <appli>\t\tStart the managed application named appli with strategy.",
  "start_application <strategy> <appli> <appli>\tStart multiple managed named applications with strategy",
  "start_application <strategy>\t\t\tStart all managed applications with strategy.",
);

export const startApplication: CtlCommand = {
  name: "start_application",
  help: START_APPLICATION_HELP,
  completes: ["starting-strategies", "applications"],
  run: async (ctl, arg) => {
    if (!(await supvisorsUpcheck(ctl))) return;
    const args = strategyWords(ctl, arg, {
      help: START_APPLICATION_HELP,
      countOk: (n) => n >= 1,
      countMessage: "start_application requires at least a strategy",
      unknownMessage: unknownFor("start_application"),
    });
    if (!args) return;
    await onApplications(ctl, args.rest, "start", (a) => supvisors(ctl).call("start_application", args.strategy, a), "started");
  },
};

const RESTART_APPLICATION_HELP = helpText(
  "restart_application <strategy> <appli>\t\tRestart the managed application named appli with strategy.",
  "restart_application <strategy> <appli> <appli>\tRestart multiple managed named applications with strategy",
  "restart_application <strategy> \t\t\tRestart all managed applications with strategy.",
);

export const restartApplication: CtlCommand = {
  name: "restart_application",
  help: RESTART_APPLICATION_HELP,
  completes: ["starting-strategies", "applications"],
  run: async (ctl, arg) => {
    if (!(await supvisorsUpcheck(ctl))) return;
    const args = strategyWords(ctl, arg, {
      help: RESTART_APPLICATION_HELP,
      countOk: (n) => n >= 1,
      countMessage: "restart_application requires at least a strategy",
      unknownMessage: unknownFor("restart_application"),
    });
    if (!args) return;
    await onApplications(ctl, args.rest, "restart", (a) => supvisors(ctl).call("restart_application", args.strategy, a), "restarted");
  },
};

const STOP_APPLICATION_HELP = helpText(
  "stop_application <appli>\t\t\tStop the managed application named appli.",
  "stop_application <appli> <appli>\t\tStop multiple managed named applications.",
  "stop_application\t\t\t\tStop all managed applications.",
);

export const stopApplication: CtlCommand = {
  name: "stop_application",
  help: STOP_APPLICATION_HELP,
  completes: "applications",
  run: async (ctl, arg) => {
    if (!(await supvisorsUpcheck(ctl))) return;
    await onApplications(ctl, pySplit(arg), "stop", (a) => supvisors(ctl).call("stop_application", a), "stopped");
  },
};
