/**
 * The supvisors commands that start and stop applications and processes (spec §10): the
 * strategy-driven ones sent to the Master through the connected instance, the local
 * `start_args`, the `all_start*` fan-out to every running instance, and the program controls
 * (numprocs, enable, disable). Texts, exit statuses and the order of calls are those of
 * Supvisors 0.19's plugin, because scripts parse them.
 */
import { SupvisorsInstanceStates, StartingStrategies } from "../../protocol/supvisors.js";
import { ProcessStates } from "../../supervisord/process/states.js";
import { INT32_MAX, INT32_MIN, isRpcStruct, type RpcStruct, type RpcValue } from "../../supervisord/rpc/codec.js";
import type { Controller } from "../controller.js";
import { CtlError, XmlRpcFault } from "../errors.js";
import { LsbInit } from "../exit-status.js";
import { makeNamespec } from "../namespec.js";
import type { CtlCommand } from "../plugin.js";
import { pySplit } from "../python-text.js";
import {
  argumentError,
  callOrReport,
  helpText,
  num,
  outputTable,
  pyRepr,
  pyStr,
  structs,
  supvisors,
  supvisorsUpcheck,
  wantsAll,
  type Column,
} from "./common.js";

// ---------------------------------------------------------------------------------------------
// Shared pieces

/** `['CONFIG', 'LESS_LOADED', ...]`: Python's str() of the list of enum names. */
const STRATEGY_LIST = pyRepr([...StartingStrategies]);

/** What a strategy command checks before any call, and how it words each failure. */
interface StrategyCheck {
  readonly help: string;
  /** Whether the number of words is acceptable. */
  readonly countOk: (count: number) => boolean;
  readonly countMessage: string;
  /** The message for a word that names no strategy. */
  readonly unknownMessage: (word: string) => string;
}

/** The usual wording; restart_process alone says `unknown strategy=<word>`. */
const unknownFor = (command: string) => () => `unknown strategy for ${command}. use one of ${STRATEGY_LIST}`;

/**
 * The words of a strategy command, the first one turned into the strategy's numeric value
 * (what the API takes). Undefined after the argument error. Names match exactly, as a Python
 * Enum lookup by name does.
 */
function strategyWords(ctl: Controller, arg: string, check: StrategyCheck): { strategy: number; rest: string[] } | undefined {
  const words = pySplit(arg);
  if (!check.countOk(words.length)) {
    argumentError(ctl, check.countMessage, check.help);
    return undefined;
  }
  const strategy = (StartingStrategies as readonly string[]).indexOf(words[0]!);
  if (strategy < 0) {
    argumentError(ctl, check.unknownMessage(words[0]!), check.help);
    return undefined;
  }
  return { strategy, rest: words.slice(1) };
}

/** Python's sorted() on str: code point order (JS's default sort compares UTF-16 units). */
function pySorted(items: readonly string[]): string[] {
  return [...items].sort(byCodePoint);
}

function byCodePoint(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca - cb;
    i += ca > 0xffff ? 2 : 1;
  }
  return a.length - b.length;
}

/**
 * One call per item, each fault reported against the item (exit status 1) without stopping the
 * others; `done` words a success.
 */
async function eachItem(
  ctl: Controller,
  items: readonly string[],
  call: (item: string) => Promise<RpcValue>,
  done: (item: string, result: RpcValue) => string,
  label: (item: string) => string = (item) => item,
): Promise<void> {
  for (const item of items) {
    const result = await callOrReport(ctl, () => call(item), label(item));
    if (result !== undefined) ctl.output(done(item, result));
  }
}

/** The namespecs of a struct list (`appli:proc`, or `proc` when both names are equal). */
function namespecsOf(infos: readonly RpcStruct[]): string[] {
  return infos.map((i) => makeNamespec(pyStr(i["application_name"]), pyStr(i["process_name"])));
}

// ---------------------------------------------------------------------------------------------
// Applications

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

const startApplication: CtlCommand = {
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

const restartApplication: CtlCommand = {
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

const stopApplication: CtlCommand = {
  name: "stop_application",
  help: STOP_APPLICATION_HELP,
  completes: "applications",
  run: async (ctl, arg) => {
    if (!(await supvisorsUpcheck(ctl))) return;
    await onApplications(ctl, pySplit(arg), "stop", (a) => supvisors(ctl).call("stop_application", a), "stopped");
  },
};

// ---------------------------------------------------------------------------------------------
// Predictions (test_start_*)

/** The DistributionPrediction table: fitted name columns, the predicted state, the reason last. */
const PREDICTION_COLUMNS: readonly Column<RpcStruct>[] = [
  { title: "Application", width: "fit", cell: (r) => pyStr(r["application_name"]) },
  { title: "Process", width: "fit", cell: (r) => pyStr(r["process_name"]) },
  { title: "State", width: 12, cell: (r) => pyStr(r["state"]) },
  { title: "Supervisor", width: "fit", cell: (r) => pyStr(r["running_identifiers"]) },
  { title: "Reason", width: 0, cell: (r) => pyStr(r["forced_reason"]) },
];

/** Runs a test_start_* call; its fault is reported against `item`, else the table is printed. */
async function printPrediction(ctl: Controller, item: string, call: () => Promise<RpcValue>): Promise<void> {
  const predictions = await callOrReport(ctl, call, item);
  if (predictions !== undefined) outputTable(ctl, PREDICTION_COLUMNS, structs(predictions));
}

const TEST_START_APPLICATION_HELP = helpText(
  "test_start_application <strategy> <appli>\t\tTest the starting of the managed application named appli with strategy.",
  "test_start_application <strategy>\t\t\tTest the starting of all managed applications with strategy.",
);

/**
 * The application is looked up first. Any fault there reads as an unknown application (exit
 * status 2, no help); an unmanaged one prints the help but, as in the reference, leaves the
 * exit status alone.
 */
async function testableApplication(ctl: Controller, name: string): Promise<boolean> {
  let info: RpcValue;
  try {
    info = await supvisors(ctl).call("get_application_info", name);
  } catch (e) {
    if (!(e instanceof XmlRpcFault)) throw e;
    ctl.output(`ERROR: unknown application "${name}"`);
    ctl.exitstatus = LsbInit.INVALID_ARGS;
    return false;
  }
  if (!isRpcStruct(info) || info["managed"] !== true) {
    ctl.output(`ERROR: ${name} unmanaged`);
    ctl.output(TEST_START_APPLICATION_HELP);
    return false;
  }
  return true;
}

const testStartApplication: CtlCommand = {
  name: "test_start_application",
  help: TEST_START_APPLICATION_HELP,
  completes: ["starting-strategies", "applications"],
  run: async (ctl, arg) => {
    if (!(await supvisorsUpcheck(ctl))) return;
    const args = strategyWords(ctl, arg, {
      help: TEST_START_APPLICATION_HELP,
      countOk: (n) => n === 2,
      countMessage: "test_start_application requires one strategy and one application name",
      unknownMessage: unknownFor("test_start_application"),
    });
    if (!args) return;
    const name = args.rest[0]!;
    if (!(await testableApplication(ctl, name))) return;
    await printPrediction(ctl, name, () => supvisors(ctl).call("test_start_application", args.strategy, name));
  },
};

const TEST_START_PROCESS_HELP = helpText(
  "test_start_process <strategy> <proc>\t\t\tStart the process named proc with strategy.",
  "test_start_process <strategy>\t\t\tStart all processes with strategy.",
);

const testStartProcess: CtlCommand = {
  name: "test_start_process",
  help: TEST_START_PROCESS_HELP,
  completes: ["starting-strategies", "namespecs"],
  run: async (ctl, arg) => {
    if (!(await supvisorsUpcheck(ctl))) return;
    const args = strategyWords(ctl, arg, {
      help: TEST_START_PROCESS_HELP,
      countOk: (n) => n === 2,
      countMessage: "test_start_process requires one strategy and one namespec",
      unknownMessage: unknownFor("test_start_process"),
    });
    if (!args) return;
    const namespec = args.rest[0]!;
    await printPrediction(ctl, namespec, () => supvisors(ctl).call("test_start_process", args.strategy, namespec));
  },
};

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

const startProcess: CtlCommand = {
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

const restartProcess: CtlCommand = {
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

const stopProcess: CtlCommand = {
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

const startAnyProcess: CtlCommand = {
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

const startProcessArgs: CtlCommand = {
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

const startAnyProcessArgs: CtlCommand = {
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

const startArgs: CtlCommand = {
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
    urls.set(pyStr(info["identifier"]), `http://${pyStr(info["node_name"])}:${Math.trunc(num(info["port"]))}`);
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

const allStart: CtlCommand = {
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

const allStartArgs: CtlCommand = {
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

// ---------------------------------------------------------------------------------------------
// Programs: numprocs, enable, disable

/** Python 3.11 refuses to convert a decimal string longer than this (sys.int_info). */
const PY_INT_MAX_DIGITS = 4300;

/**
 * Python's int() of one word, base 10: an optional sign, decimal digits of any script, single
 * underscores between digits. Undefined where Python raises ValueError.
 */
export function pyInt(word: string): number | undefined {
  const m = /^([+-]?)(\p{Nd}+(?:_\p{Nd}+)*)$/u.exec(word);
  if (!m) return undefined;
  const digits = [...m[2]!.replace(/_/g, "")];
  if (digits.length > PY_INT_MAX_DIGITS) return undefined;
  const value = digits.reduce((acc, d) => acc * 10 + digitValue(d), 0);
  return m[1] === "-" ? -value : value;
}

/**
 * The value of a Unicode decimal digit. Unicode encodes every set of decimal digits as a run
 * of ten consecutive code points from 0 to 9, so a digit's value is its distance to the start
 * of the run of digits it sits in, modulo ten.
 */
function digitValue(d: string): number {
  const cp = d.codePointAt(0)!;
  if (cp >= 0x30 && cp <= 0x39) return cp - 0x30;
  let start = cp;
  while (/\p{Nd}/u.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

/**
 * Python's xmlrpc.client refuses to send an int outside 32 bits (our encoder would send an
 * `<i8>`); supervisorctl then prints its usual one-line report of the exception.
 */
class XmlRpcIntOverflowError extends CtlError {
  readonly code = "XMLRPC_INT_OVERFLOW";
  readonly pythonClass = "OverflowError";
  readonly pythonOrigin = { file: "/usr/lib/python3.11/xmlrpc/client.py", line: 552 };
  constructor() {
    super("int exceeds XML-RPC limits");
  }
  pythonStr(): string {
    return this.message;
  }
}

function numprocsCommand(name: "update_numprocs" | "lazy_update_numprocs", help: string, lazy: boolean): CtlCommand {
  return {
    name,
    help,
    completes: "groups",
    run: async (ctl, arg) => {
      if (!(await supvisorsUpcheck(ctl))) return;
      const words = pySplit(arg);
      if (words.length < 2) return argumentError(ctl, `${name} requires a program name and a numprocs values`, help);
      const value = pyInt(words[1]!);
      if (value === undefined || !(value > 0)) return argumentError(ctl, "numprocs must be a strictly positive integer", help);
      if (value < INT32_MIN || value > INT32_MAX) throw new XmlRpcIntOverflowError();
      const program = words[0]!;
      // The lazy form also passes wait=True explicitly; the plain form lets both default.
      const params: RpcValue[] = lazy ? [program, value, true, true] : [program, value];
      const result = await callOrReport(ctl, () => supvisors(ctl).call("update_numprocs", ...params));
      if (result !== undefined) ctl.output(`${program} numprocs updated: ${pyStr(result)}`);
    },
  };
}

const updateNumprocs = numprocsCommand(
  "update_numprocs",
  helpText("update_numprocs program_name numprocs\t\tUpdate the program numprocs."),
  false,
);

const lazyUpdateNumprocs = numprocsCommand(
  "lazy_update_numprocs",
  helpText("lazy_update_numprocs program_name numprocs\t\tUpdate the program numprocs (lazy mode)."),
  true,
);

function programSwitch(name: "enable" | "disable", help: string): CtlCommand {
  return {
    name,
    help,
    completes: "groups",
    run: async (ctl, arg) => {
      if (!(await supvisorsUpcheck(ctl))) return;
      const words = pySplit(arg);
      if (words.length < 1) return argumentError(ctl, `${name} requires a program name`, help);
      // Only the first word counts; a fault is not reported against the program.
      const program = words[0]!;
      const result = await callOrReport(ctl, () => supvisors(ctl).call(name, program));
      if (result !== undefined) ctl.output(`${program} ${name}d: ${pyStr(result)}`);
    },
  };
}

const enable = programSwitch("enable", helpText("enable program_name\t\t\tEnable the program."));
const disable = programSwitch("disable", helpText("disable program_name\t\t\tDisable the program."));

export const controlCommands: readonly CtlCommand[] = [
  startApplication,
  testStartApplication,
  restartApplication,
  stopApplication,
  startArgs,
  allStart,
  allStartArgs,
  startProcess,
  testStartProcess,
  startAnyProcess,
  startProcessArgs,
  startAnyProcessArgs,
  stopProcess,
  restartProcess,
  updateNumprocs,
  lazyUpdateNumprocs,
  enable,
  disable,
];
