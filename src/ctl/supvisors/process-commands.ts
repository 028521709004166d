/**
 * The supvisors commands that start, restart and stop processes (spec §10): the strategy-driven
 * ones sent to the Master through the connected instance (start/restart/stop_process,
 * start_any_process and the `_args` forms), the local `start_args`, and the `all_start*`
 * fan-out to every running instance. Texts, exit statuses and the order of calls are those of
 * Supvisors 0.19's plugin, because scripts parse them.
 */
import { SupvisorsInstanceStates } from "../../protocol/supvisors.js";
import { ProcessStates } from "../../protocol/supervisor.js";
import type { RpcStruct, RpcValue } from "../../supervisord/rpc/codec.js";
import type { Controller } from "../controller.js";
import type { CtlCommand } from "../plugin.js";
import { pySplit } from "../python-text.js";
import { argumentError, callOrReport, helpText, num, pyStr, structs, supvisors, supvisorsUpcheck, wantsAll } from "./common.js";
import { STRATEGY_LIST, eachItem, namespecsOf, pySorted, strategyWords, unknownFor } from "./control-shared.js";

// ---------------------------------------------------------------------------------------------
// Processes

/**
 * The namespecs to act on, sorted. No name or `all`: those get_all_process_info lists (kept by
 * `keep`); its fault is reported and leaves nothing to do.
 */
async function selectNamespecs(ctl: Controller, names: readonly string[], keep: (info: RpcStruct) => boolean = () => true): Promise<string[]> {
  if (!wantsAll(names)) return pySorted(names);
  const infos = await callOrReport(ctl, () => supvisors(ctl).call("get_all_process_info"));
  return pySorted(namespecsOf(structs(infos).filter(keep)));
}

/** supervisor's RUNNING_STATES: what stop_process `all` stops. */
const RUNNING_STATES: readonly number[] = [ProcessStates.RUNNING, ProcessStates.BACKOFF, ProcessStates.STARTING];

const START_PROCESS_HELP = helpText(
  "start_process <strategy> <proc>\t\t\tStart the process named proc with strategy.",
  "start_process <strategy> <proc> <proc>\t\tStart multiple named processes with strategy.",
  "start_process <strategy>\t\t\tStart all processes with strategy.",
);

export const startProcess: CtlCommand = {
  name: "start_process",
  help: START_PROCESS_HELP,
  completes: ["starting-strategies", "namespecs"],
  run: async (ctl, arg) => {
    if (!(await supvisorsUpcheck(ctl))) return;
    const args = strategyWords(ctl, arg, {
      help: START_PROCESS_HELP,
      countOk: (n) => n >= 1,
      countMessage: "start_process requires at least a strategy",
      unknownMessage: unknownFor("start_process"),
    });
    if (!args) return;
    const namespecs = await selectNamespecs(ctl, args.rest);
    await eachItem(
      ctl,
      namespecs,
      (ns) => supvisors(ctl).call("start_process", args.strategy, ns),
      (ns, result) => `${ns} started: ${pyStr(result)}`,
    );
  },
};

const RESTART_PROCESS_HELP = helpText(
  "restart_process <strategy> <proc>\t\tRestart the process named proc using strategy.",
  "restart_process <strategy> <proc> <proc>\tRestart multiple named processes using strategy.",
  "restart_process <strategy> \t\t\tRestart all processes using strategy.",
);

export const restartProcess: CtlCommand = {
  name: "restart_process",
  help: RESTART_PROCESS_HELP,
  completes: ["starting-strategies", "namespecs"],
  run: async (ctl, arg) => {
    if (!(await supvisorsUpcheck(ctl))) return;
    const args = strategyWords(ctl, arg, {
      help: RESTART_PROCESS_HELP,
      countOk: (n) => n >= 1,
      countMessage: "restart_process requires a strategy and a program name",
      unknownMessage: (word) => `unknown strategy=${word}. use one of ${STRATEGY_LIST}`,
    });
    if (!args) return;
    const namespecs = await selectNamespecs(ctl, args.rest);
    await eachItem(
      ctl,
      namespecs,
      (ns) => supvisors(ctl).call("restart_process", args.strategy, ns),
      (ns, result) => `${ns} restarted: ${pyStr(result)}`,
    );
  },
};

const STOP_PROCESS_HELP = helpText(
  "stop_process <proc>\t\tStop the process named proc.",
  "stop_process <proc> <proc>\tStop multiple named processes.",
  "stop_process\t\t\tStop all named processes.",
);

export const stopProcess: CtlCommand = {
  name: "stop_process",
  help: STOP_PROCESS_HELP,
  completes: "namespecs",
  run: async (ctl, arg) => {
    if (!(await supvisorsUpcheck(ctl))) return;
    const namespecs = await selectNamespecs(ctl, pySplit(arg), (i) => RUNNING_STATES.includes(num(i["statecode"])));
    // The answer is not printed: a success is just `<namespec> stopped`.
    await eachItem(ctl, namespecs, (ns) => supvisors(ctl).call("stop_process", ns), (ns) => `${ns} stopped`);
  },
};

const START_ANY_PROCESS_HELP = helpText(
  "start_any_process <strategy> <regex>\t\t\tStart a process whose namespec matches the regular expression and with a starting strategy.",
  "start_any_process <strategy> <regex> <regex>\t\tStart multiple processes whose namespec matches the regular expressions and with a starting strategy.",
);

/** A regular expression is reported quoted, its answer (the namespec started) bare. */
const quoted = (regex: string) => `"${regex}"`;

export const startAnyProcess: CtlCommand = {
  name: "start_any_process",
  help: START_ANY_PROCESS_HELP,
  completes: ["starting-strategies", "namespecs"],
  run: async (ctl, arg) => {
    if (!(await supvisorsUpcheck(ctl))) return;
    const args = strategyWords(ctl, arg, {
      help: START_ANY_PROCESS_HELP,
      countOk: (n) => n >= 2,
      countMessage: "start_any_process requires a strategy and at least a regular expression",
      unknownMessage: unknownFor("start_any_process"),
    });
    if (!args) return;
    await eachItem(
      ctl,
      pySorted(args.rest),
      (regex) => supvisors(ctl).call("start_any_process", args.strategy, regex),
      (_, result) => `${pyStr(result)} started`,
      quoted,
    );
  },
};

// The reference's help line names start_process here; kept, since `help` output is compared.
const START_PROCESS_ARGS_HELP = helpText(
  "start_process <strategy> <proc> <arg_list>\tStart the process named proc with additional arguments arg_list.",
);

export const startProcessArgs: CtlCommand = {
  name: "start_process_args",
  help: START_PROCESS_ARGS_HELP,
  completes: ["starting-strategies", "namespecs"],
  run: async (ctl, arg) => {
    if (!(await supvisorsUpcheck(ctl))) return;
    const args = strategyWords(ctl, arg, {
      help: START_PROCESS_ARGS_HELP,
      countOk: (n) => n >= 3,
      countMessage: "start_process_args requires a strategy, a program namespec and extra arguments",
      unknownMessage: unknownFor("start_process_args"),
    });
    if (!args) return;
    const [namespec, ...extra] = args.rest as [string, ...string[]];
    await eachItem(
      ctl,
      [namespec],
      (ns) => supvisors(ctl).call("start_process", args.strategy, ns, extra.join(" ")),
      (ns, result) => `${ns} started: ${pyStr(result)}`,
    );
  },
};

const START_ANY_PROCESS_ARGS_HELP = helpText(
  "start_any_process_args <strategy> <regex> <arg_list>\tStart a process whose namespec matches the regular expression, using a starting strategy and additional arguments arg_list.",
);

export const startAnyProcessArgs: CtlCommand = {
  name: "start_any_process_args",
  help: START_ANY_PROCESS_ARGS_HELP,
  completes: ["starting-strategies", "namespecs"],
  run: async (ctl, arg) => {
    if (!(await supvisorsUpcheck(ctl))) return;
    const args = strategyWords(ctl, arg, {
      help: START_ANY_PROCESS_ARGS_HELP,
      countOk: (n) => n >= 3,
      countMessage: "start_any_process_args requires a strategy, a regular expression and extra arguments",
      unknownMessage: unknownFor("start_any_process_args"),
    });
    if (!args) return;
    const [regex, ...extra] = args.rest as [string, ...string[]];
    await eachItem(
      ctl,
      [regex],
      (re) => supvisors(ctl).call("start_any_process", args.strategy, re, extra.join(" ")),
      (_, result) => `${pyStr(result)} started`,
      quoted,
    );
  },
};

// ---------------------------------------------------------------------------------------------
// Local starts with extra arguments, and the fan-out to every running instance

const START_ARGS_HELP = helpText("start_args <proc> <arg_list>\t\t\tStart the local process named proc with additional arguments arg_list.");

export const startArgs: CtlCommand = {
  name: "start_args",
  help: START_ARGS_HELP,
  completes: "namespecs",
  run: async (ctl, arg) => {
    if (!(await supvisorsUpcheck(ctl))) return;
    const words = pySplit(arg);
    if (words.length < 2) return argumentError(ctl, "start_args requires a process name and extra arguments", START_ARGS_HELP);
    const [namespec, ...extra] = words as [string, ...string[]];
    await eachItem(
      ctl,
      [namespec],
      (ns) => supvisors(ctl).call("start_args", ns, extra.join(" ")),
      (ns, result) => `${ns} started: ${pyStr(result)}`,
    );
  },
};

/**
 * identifier -> `http://<node_name>:<port>` of the instances in CHECKED or RUNNING state, in
 * the answer's order. A fault is reported and leaves none.
 */
async function runningInstanceUrls(ctl: Controller): Promise<Map<string, string>> {
  const infos = await callOrReport(ctl, () => supvisors(ctl).call("get_all_instances_info"));
  const usable: readonly number[] = [SupvisorsInstanceStates.CHECKED, SupvisorsInstanceStates.RUNNING];
  const urls = new Map<string, string>();
  for (const info of structs(infos)) {
    if (!usable.includes(num(info["statecode"]))) continue;
    // `%d` of the port: an integer whatever the answer's type.
    // Ours: https when the ctl talks https (the instances of a cluster share the TLS setting).
    const scheme = ctl.options.serverurl.startsWith("https://") ? "https" : "http";
    urls.set(pyStr(info["identifier"]), `${scheme}://${pyStr(info["node_name"])}:${Math.trunc(num(info["port"]))}`);
  }
  return urls;
}

/**
 * The same start on every running instance, each at its own URL with this session's
 * credentials; a fault on one is reported and the others still tried.
 */
async function startEverywhere(ctl: Controller, namespec: string, call: (url: string) => Promise<RpcValue>): Promise<void> {
  const urls = await runningInstanceUrls(ctl);
  if (urls.size === 0) {
    // Not an error status in the reference: only a failed instance query sets one.
    ctl.output("ERROR: no running Supvisors instance");
    return;
  }
  for (const [identifier, url] of urls) {
    const result = await callOrReport(ctl, () => call(url), namespec);
    if (result !== undefined) ctl.output(`${namespec} started on ${identifier}: ${pyStr(result)}`);
  }
}

const ALL_START_HELP = helpText("all_start <proc>\t\t\tStart the process named proc on all RUNNING Supvisors instances.");

export const allStart: CtlCommand = {
  name: "all_start",
  help: ALL_START_HELP,
  completes: "namespecs",
  run: async (ctl, arg) => {
    if (!(await supvisorsUpcheck(ctl))) return;
    const words = pySplit(arg);
    if (words.length < 1) return argumentError(ctl, "all_start requires a process name", ALL_START_HELP);
    const namespec = words[0]!;
    // Supervisor's own start, without waiting, so that the instances start in parallel.
    await startEverywhere(ctl, namespec, (url) => ctl.proxyAt(url, "supervisor").call("startProcess", namespec, false));
  },
};

const ALL_START_ARGS_HELP = helpText(
  "all_start_args <proc> <arg_list>\t\tStart the process named proc on all RUNNING Supvisors instances with additional arguments arg_list.",
);

export const allStartArgs: CtlCommand = {
  name: "all_start_args",
  help: ALL_START_ARGS_HELP,
  completes: "namespecs",
  run: async (ctl, arg) => {
    if (!(await supvisorsUpcheck(ctl))) return;
    const words = pySplit(arg);
    if (words.length < 2) return argumentError(ctl, "all_start_args requires a process name and extra arguments", ALL_START_ARGS_HELP);
    const [namespec, ...extra] = words as [string, ...string[]];
    await startEverywhere(ctl, namespec, (url) =>
      ctl.proxyAt(url, "supvisors", { keepDoubles: true }).call("start_args", namespec, extra.join(" "), false),
    );
  },
};
