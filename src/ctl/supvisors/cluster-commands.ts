/**
 * The supvisors commands that act on the whole cluster or on the connected instance's own
 * Supvisors (spec §10): conciliate, restart_sequence, sreload, sshutdown, end_sync, loglevel and
 * the statistics controls. Each prints `<What>: <Python str of the answer>`.
 */
import { ConciliationStrategies } from "../../protocol/supvisors.js";
import { RpcDouble, type RpcValue } from "../../supervisord/rpc/codec.js";
import { parsePythonFloat } from "../../supervisord/rpc/python-float.js";
import type { Controller } from "../controller.js";
import { LsbInit } from "../exit-status.js";
import type { CtlCommand } from "../plugin.js";
import { pySplit } from "../python-text.js";
import { argumentError, callOrReport, helpText, pyRepr, pyStr, supvisors, supvisorsUpcheck } from "./common.js";

/** Supervisor's LevelsByDescription, in its declaration order (what `help loglevel` lists). */
export const LOG_LEVELS: ReadonlyArray<readonly [string, number]> = [
  ["critical", 50],
  ["error", 40],
  ["warn", 30],
  ["info", 20],
  ["debug", 10],
  ["trace", 5],
  ["blather", 3],
];

/** A command that checks the API, makes one call and prints `<label>: <result>`. */
function oneCall(name: string, help: string, label: string, call: (ctl: Controller) => Promise<RpcValue>): CtlCommand {
  return {
    name,
    help,
    run: async (ctl) => {
      if (!(await supvisorsUpcheck(ctl))) return;
      const result = await callOrReport(ctl, () => call(ctl));
      if (result !== undefined) ctl.output(`${label}: ${pyStr(result)}`);
    },
  };
}

const CONCILIATE_HELP = helpText("conciliate <strategy>\t\t\tConciliate process conflicts using strategy");

const conciliate: CtlCommand = {
  name: "conciliate",
  help: CONCILIATE_HELP,
  completes: "conciliation-strategies",
  run: async (ctl, arg) => {
    if (!(await supvisorsUpcheck(ctl))) return;
    const words = pySplit(arg);
    if (words.length < 1) return argumentError(ctl, "conciliate requires a strategy", CONCILIATE_HELP);
    const value = (ConciliationStrategies as readonly string[]).indexOf(words[0]!);
    if (value < 0) {
      return argumentError(ctl, `unknown strategy for conciliate. use one of ${pyRepr([...ConciliationStrategies])}`, CONCILIATE_HELP);
    }
    const result = await callOrReport(ctl, () => supvisors(ctl).call("conciliate", value));
    if (result !== undefined) ctl.output(`Conciliated: ${pyStr(result)}`);
  },
};

const END_SYNC_HELP = helpText(
  "end_sync\t\t\t\tEnd the Supvisors synchronization phase",
  "end_sync master_identifier\t\tEnd the Supvisors synchronization phase and select this identifier as Supvisors Master instance ",
);

const endSync: CtlCommand = {
  name: "end_sync",
  help: END_SYNC_HELP,
  completes: "instances",
  run: async (ctl, arg) => {
    if (!(await supvisorsUpcheck(ctl))) return;
    const words = pySplit(arg);
    if (words.length > 1) return argumentError(ctl, "end_sync optionally takes one single Supvisors identifier", END_SYNC_HELP);
    const result = await callOrReport(ctl, () => supvisors(ctl).call("end_sync", words[0] ?? ""));
    if (result !== undefined) ctl.output(`End of Synchronization phase requested: ${pyStr(result)}`);
  },
};

const LOGLEVEL_HELP = helpText(
  "loglevel lvl\t\t\t\tChange the level of local Supvisors' logger to lvl.",
  `\t\t\t\t\tApplicable values are: dict_values(${pyRepr(LOG_LEVELS.map(([d]) => d))}).`,
);

const loglevel: CtlCommand = {
  name: "loglevel",
  help: LOGLEVEL_HELP,
  completes: "log-levels",
  run: async (ctl, arg) => {
    if (!(await supvisorsUpcheck(ctl))) return;
    const words = pySplit(arg);
    if (words.length < 1) return argumentError(ctl, "loglevel requires a level", LOGLEVEL_HELP);
    // Exact, lower-case descriptions only, as supervisor's getLevelNumByDescription.
    const level = LOG_LEVELS.find(([d]) => d === words[0])?.[1];
    if (level === undefined) return argumentError(ctl, "unknown level for Logger", LOGLEVEL_HELP);
    const result = await callOrReport(ctl, () => supvisors(ctl).call("change_log_level", level));
    if (result !== undefined) ctl.output(`Logger level changed: ${pyStr(result)}`);
  },
};

type StatsKinds = { host: boolean; process: boolean };

/** `host`, `process`, `all` in any case; none means both. Null (after the errors) when a word is neither. */
function statsKinds(ctl: Controller, arg: string): StatsKinds | null {
  const words = pySplit(arg).map((w) => w.toLowerCase());
  if (words.length === 0) return { host: true, process: true };
  const kinds = { host: false, process: false };
  let bad = false;
  for (const w of words) {
    if (w === "host" || w === "all") kinds.host = true;
    if (w === "process" || w === "all") kinds.process = true;
    if (w !== "host" && w !== "process" && w !== "all") {
      ctl.output(`ERROR: invalid statistics type ${w}`);
      bad = true;
    }
  }
  return bad ? null : kinds;
}

function statsSwitch(name: "enable_stats" | "disable_stats", on: boolean): CtlCommand {
  const verb = on ? "Enable" : "Disable";
  const help = helpText(
    `${name}\t\t\t${verb} host and process statistics collection`,
    `${name} all\t\t${verb} host and process statistics collection`,
    `${name} host\t\t${verb} host statistics collection`,
    `${name} process\t\t${verb} process statistics collection`,
    `${name} host process\t${verb} host and process statistics collection`,
  );
  const done = on ? "enabled" : "disabled";
  return {
    name,
    help,
    completes: "stats-kinds",
    run: async (ctl, arg) => {
      if (!(await supvisorsUpcheck(ctl))) return;
      const kinds = statsKinds(ctl, arg);
      if (kinds === null) {
        ctl.exitstatus = LsbInit.INVALID_ARGS;
        ctl.output(help);
        return;
      }
      if (kinds.host) {
        const r = await callOrReport(ctl, () => supvisors(ctl).call("enable_host_statistics", on));
        if (r !== undefined) ctl.output(`Host statistics ${done}: ${pyStr(r)}`);
      }
      if (kinds.process) {
        const r = await callOrReport(ctl, () => supvisors(ctl).call("enable_process_statistics", on));
        if (r !== undefined) ctl.output(`Process statistics ${done}: ${pyStr(r)}`);
      }
    },
  };
}

const STATS_PERIOD_HELP = helpText("stats_period period\t\tUpdate the host and process statistics collection period");

const statsPeriod: CtlCommand = {
  name: "stats_period",
  help: STATS_PERIOD_HELP,
  run: async (ctl, arg) => {
    if (!(await supvisorsUpcheck(ctl))) return;
    const words = pySplit(arg);
    if (words.length < 1) return argumentError(ctl, "stats_period requires a period", STATS_PERIOD_HELP);
    const value = parsePythonFloat(words[0]!);
    // The real plugin lets a zero or negative period escape as an AssertionError report; the
    // message it meant to print is printed instead.
    if (value === null || !(value > 0)) return argumentError(ctl, "stats_period requires a strictly positive period", STATS_PERIOD_HELP);
    const result = await callOrReport(ctl, () => supvisors(ctl).call("update_collecting_period", new RpcDouble(value)));
    if (result !== undefined) ctl.output(`Statistics period updated: ${pyStr(result)}`);
  },
};

export const clusterCommands: readonly CtlCommand[] = [
  conciliate,
  oneCall(
    "restart_sequence",
    helpText("restart_sequence\t\t\t\t\tTrigger the whole start sequence"),
    "Start sequence completed",
    (ctl) => supvisors(ctl).call("restart_sequence"),
  ),
  oneCall("sreload", helpText("sreload\t\t\t\t\tRestart Supvisors on all instances"), "Restarted", (ctl) => supvisors(ctl).call("restart")),
  oneCall("sshutdown", helpText("sshutdown\t\t\t\tShutdown Supvisors on all instances"), "Shut down", (ctl) => supvisors(ctl).call("shutdown")),
  endSync,
  loglevel,
  statsSwitch("enable_stats", true),
  statsSwitch("disable_stats", false),
  statsPeriod,
];
