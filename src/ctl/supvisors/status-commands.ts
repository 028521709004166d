/**
 * The supvisors commands that only read (spec §10): sversion, sstate, master, strategies,
 * stats_status, instance_status, application_info, application_rules, sstatus, local_status,
 * process_rules and conflicts. Their tables and messages are byte-for-byte those of the
 * Supvisors 0.19 plugin, since scripts parse them.
 */
import { ProcessStates } from "../../protocol/supervisor.js";
import { RpcDouble, isRpcStruct, type RpcStruct, type RpcValue } from "../../supervisord/rpc/codec.js";
import type { Controller } from "../controller.js";
import { makeNamespec, splitNamespec } from "../namespec.js";
import type { CtlCommand } from "../plugin.js";
import { pySplit } from "../python-text.js";
import {
  callOrReport,
  helpText,
  num,
  outputTable,
  pyStr,
  pySorted,
  renderTable,
  simpleLocaltime,
  structs,
  supvisors,
  supvisorsUpcheck,
  wantsAll,
  type Column,
} from "./common.js";
import { follow, takeFollow, type TableSnapshot } from "./follow.js";

// ---- table building blocks ------------------------------------------------------------------

/** A column showing str() of one payload key. */
function keyColumn(title: string, width: number | "fit", key: string): Column<RpcStruct> {
  return { title, width, cell: (r) => pyStr(r[key]) };
}

/**
 * The title and the kept rows, each with its key; the variable widths are measured on every row,
 * as the plugin sizes its columns on the whole answer before filtering it by the names given.
 */
function filteredSnapshot(
  ctl: Controller,
  columns: readonly Column<RpcStruct>[],
  rows: readonly RpcStruct[],
  keep: (r: RpcStruct) => boolean,
  key: (r: RpcStruct) => string,
): TableSnapshot {
  const [title, ...lines] = renderTable(columns, rows, ctl.io.colour);
  const kept = rows.map((r, i) => [r, lines[i]!] as const).filter(([r]) => keep(r));
  return { lines: [title!, ...kept.map(([, l]) => l)], keys: kept.map(([r]) => key(r)) };
}

/** The title and the kept rows, printed (the title even when no row is kept). */
function outputFiltered(ctl: Controller, columns: readonly Column<RpcStruct>[], rows: readonly RpcStruct[], keep: (r: RpcStruct) => boolean): void {
  printSnapshot(ctl, filteredSnapshot(ctl, columns, rows, keep, () => ""));
}

function printSnapshot(ctl: Controller, snapshot: TableSnapshot | null): void {
  for (const l of snapshot?.lines ?? []) ctl.output(l);
}

/** Python's truth value of a decoded value (`if payload:`, `'error' if x else 'ok'`). */
function truthy(v: RpcValue | undefined): boolean {
  if (v === undefined || v === null || v === false || v === "" || v === 0) return false;
  if (v instanceof RpcDouble) return v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (isRpcStruct(v)) return Object.keys(v).length > 0;
  return true;
}

/** supervisor's getProcessStateDescription: the name, or None for an unknown code. */
const STATE_NAMES = new Map<number, string>(Object.entries(ProcessStates).map(([k, v]) => [v, k]));
function processStateDescription(code: RpcValue | undefined): string {
  return STATE_NAMES.get(num(code)) ?? "None";
}

/** A command that checks the API, makes one call and prints lines built from its answer. */
function singleCall(name: string, help: string, method: string, print: (ctl: Controller, answer: RpcValue) => void): CtlCommand {
  return {
    name,
    help,
    run: async (ctl) => {
      if (!(await supvisorsUpcheck(ctl))) return;
      const answer = await callOrReport(ctl, () => supvisors(ctl).call(method));
      if (answer !== undefined) print(ctl, answer);
    },
  };
}

/** The struct answer, or an empty one, so that a malformed answer prints None rather than crashing. */
function asStruct(v: RpcValue): RpcStruct {
  return isRpcStruct(v) ? v : {};
}

// ---- sversion, master, strategies, stats_status ---------------------------------------------

const sversion = singleCall("sversion", helpText("sversion\t\t\tGet the API version of Supvisors."), "get_api_version", (ctl, version) =>
  ctl.output(pyStr(version)),
);

const master = singleCall("master", helpText("master\t\t\t\tGet the Supvisors Master identification."), "get_master_identifier", (ctl, answer) => {
  // `{}` (and, from older servers, `''`) means no Master is elected yet.
  if (!truthy(answer)) return ctl.output("No Supvisors Master");
  const payload = asStruct(answer);
  ctl.output(`Nick identifier: ${pyStr(payload.nick_identifier)}`);
  ctl.output(`Identifier:      ${pyStr(payload.identifier)}`);
});

const strategies = singleCall("strategies", helpText("strategies\t\t\tGet the Supvisors strategies."), "get_strategies", (ctl, answer) => {
  const s = asStruct(answer);
  ctl.output(`Auto-fencing: ${pyStr(s["auto-fencing"])}`);
  ctl.output(`Failure:      ${pyStr(s.supvisors_failure)}`);
  ctl.output(`Conciliation: ${pyStr(s.conciliation)}`);
  ctl.output(`Starting:     ${pyStr(s.starting)}`);
});

const statsStatus = singleCall(
  "stats_status",
  helpText("stats_status\t\t\tGet the Supvisors statistics collection status."),
  "get_statistics_status",
  (ctl, answer) => {
    const s = asStruct(answer);
    ctl.output(`Collecting Host statistics:    ${pyStr(s.host_stats)}`);
    ctl.output(`Collecting Process statistics: ${pyStr(s.process_stats)}`);
    ctl.output(`Collecting statistics period:  ${pyStr(s.collecting_period)}`);
  },
);

// ---- sstate ---------------------------------------------------------------------------------

/** Every column is padded, the last one included (the plugin's template ends with a width). */
const SSTATE_COLUMNS: readonly Column<RpcStruct>[] = [
  keyColumn("Nickname", "fit", "nick_identifier"),
  keyColumn("Supvisors identifier", "fit", "identifier"),
  { ...keyColumn("State", 16, "fsm_statename"), state: true },
  keyColumn("Degraded", 10, "degraded_mode"),
  keyColumn("Discovery", 11, "discovery_mode"),
  keyColumn("Master", "fit", "master_identifier"),
  keyColumn("Starting", "fit", "starting_jobs"),
  keyColumn("Stopping", "fit", "stopping_jobs"),
];

/** Names given: every instance's own state and modes; none: the global form (job lists). */
async function sstateSnapshot(ctl: Controller, identifiers: readonly string[]): Promise<TableSnapshot | null> {
  const answer = await callOrReport(ctl, async () =>
    identifiers.length > 0 ? supvisors(ctl).call("get_all_instances_state_modes") : [await supvisors(ctl).call("get_supvisors_state")],
  );
  const stateModes = structs(answer);
  if (stateModes.length === 0) return null;
  const all = wantsAll(identifiers);
  return filteredSnapshot(ctl, SSTATE_COLUMNS, stateModes, (sm) => all || namedInstance(sm, identifiers), (sm) => pyStr(sm.identifier));
}

async function runSstate(ctl: Controller, arg: string): Promise<void> {
  if (!(await supvisorsUpcheck(ctl))) return;
  const [live, identifiers] = takeFollow(pySplit(arg));
  // Any state, mode or instance change may change a row.
  if (live) return follow(ctl, { headers: ["supvisors", "instance"], snapshot: () => sstateSnapshot(ctl, identifiers) });
  printSnapshot(ctl, await sstateSnapshot(ctl, identifiers));
}

/** An instance is named by its identifier or its nick. */
function namedInstance(info: RpcStruct, names: readonly string[]): boolean {
  return names.includes(pyStr(info.identifier)) || names.includes(pyStr(info.nick_identifier));
}

// ---- instance_status ------------------------------------------------------------------------

const INSTANCE_COLUMNS: readonly Column<RpcStruct>[] = [
  keyColumn("Nickname", "fit", "nick_identifier"),
  keyColumn("Supvisors identifier", "fit", "identifier"),
  keyColumn("Host", "fit", "node_name"),
  keyColumn("Port", 7, "port"),
  { ...keyColumn("State", 11, "statename"), state: true },
  { title: "Load", width: 6, cell: (r) => `${pyStr(r.loading)}%` },
  { title: "Time", width: 10, cell: (r) => simpleLocaltime(num(r.local_time)) },
  keyColumn("Counter", 9, "remote_sequence_counter"),
  { title: "Processes", width: 11, cell: (r) => (truthy(r.process_failure) ? "error" : "ok") },
];

async function runInstanceStatus(ctl: Controller, arg: string): Promise<void> {
  if (!(await supvisorsUpcheck(ctl))) return;
  const answer = await callOrReport(ctl, () => supvisors(ctl).call("get_all_instances_info"));
  if (answer === undefined) return;
  // The title is printed even when the cluster list is empty.
  const identifiers = pySplit(arg);
  const all = wantsAll(identifiers);
  outputFiltered(ctl, INSTANCE_COLUMNS, structs(answer), (info) => all || namedInstance(info, identifiers));
}

// ---- application_info -----------------------------------------------------------------------

const APPLICATION_INFO_COLUMNS: readonly Column<RpcStruct>[] = [
  keyColumn("Application", "fit", "application_name"),
  { ...keyColumn("State", 10, "statename"), state: true },
  keyColumn("Major", 7, "major_failure"),
  keyColumn("Minor", 7, "minor_failure"),
];

async function runApplicationInfo(ctl: Controller, arg: string): Promise<void> {
  if (!(await supvisorsUpcheck(ctl))) return;
  const answer = await callOrReport(ctl, () => supvisors(ctl).call("get_all_applications_info"));
  if (answer === undefined) return;
  const names = pySplit(arg);
  const all = wantsAll(names);
  outputFiltered(ctl, APPLICATION_INFO_COLUMNS, structs(answer), (info) => all || names.includes(pyStr(info.application_name)));
}

// ---- application_rules ----------------------------------------------------------------------

/** An unmanaged application has no rule beyond its name: every other cell is n/a. */
function managedCell(key: string, fallback?: string): (r: RpcStruct) => string {
  return (r) => {
    if (!truthy(r.managed)) return "n/a";
    const v = r[key];
    return v === undefined && fallback !== undefined ? fallback : pyStr(v);
  };
}

/**
 * The Supervisor column is sized on the identifiers the answers carry (unmanaged ones carry none
 * and show n/a), like the plugin's width rule that skips rows without the key.
 */
function applicationRulesColumns(rulesList: readonly RpcStruct[]): Column<RpcStruct>[] {
  const carried = rulesList.filter((r) => r.identifiers !== undefined).map((r) => [...pyStr(r.identifiers)].length);
  const identifiersWidth = Math.max("Supervisor".length, ...carried) + 2;
  return [
    keyColumn("Application", "fit", "application_name"),
    // The plugin prints the literals True / False here, whatever the server sent.
    { title: "Managed", width: 9, cell: (r) => (truthy(r.managed) ? "True" : "False") },
    { title: "Distribution", width: 17, cell: managedCell("distribution") },
    { title: "Supervisor", width: identifiersWidth, cell: managedCell("identifiers", "n/a") },
    { title: "Start", width: 7, cell: managedCell("start_sequence") },
    { title: "Stop", width: 7, cell: managedCell("stop_sequence") },
    { title: "Starting", width: 18, cell: managedCell("starting_strategy") },
    { title: "Starting_Failure", width: 18, cell: managedCell("starting_failure_strategy") },
    { title: "Running_Failure", width: 0, cell: managedCell("running_failure_strategy") },
  ];
}

/** No name or `all`: every application the server knows, managed or not, in its order. */
async function applicationNames(ctl: Controller, arg: string): Promise<string[]> {
  const names = pySplit(arg);
  if (!wantsAll(names)) return names;
  const answer = await callOrReport(ctl, () => supvisors(ctl).call("get_all_applications_info"));
  return structs(answer).map((info) => pyStr(info.application_name));
}

async function runApplicationRules(ctl: Controller, arg: string): Promise<void> {
  if (!(await supvisorsUpcheck(ctl))) return;
  const rulesList: RpcStruct[] = [];
  for (const application of await applicationNames(ctl, arg)) {
    const rules = await callOrReport(ctl, () => supvisors(ctl).call("get_application_rules", application), application);
    if (rules !== undefined) rulesList.push(asStruct(rules));
  }
  if (rulesList.length > 0) outputTable(ctl, applicationRulesColumns(rulesList), rulesList);
}

// ---- sstatus --------------------------------------------------------------------------------

const SSTATUS_COLUMNS: readonly Column<RpcStruct>[] = [
  keyColumn("Application", "fit", "application_name"),
  keyColumn("Process", "fit", "process_name"),
  { ...keyColumn("State", 12, "statename"), state: true },
  // Whether the exit was expected only means something for an EXITED process.
  { title: "Expected", width: 10, cell: (r) => (num(r.statecode) === ProcessStates.EXITED ? pyStr(r.expected_exit) : "n/a") },
  keyColumn("Supervisor", 0, "identifiers"),
];

/** No name or `all`: one call for everything; else one call per namespec, each fault reported. */
async function processInfos(ctl: Controller, arg: string): Promise<RpcStruct[]> {
  const namespecs = pySplit(arg);
  if (wantsAll(namespecs)) return structs(await callOrReport(ctl, () => supvisors(ctl).call("get_all_process_info")));
  const infos: RpcStruct[] = [];
  for (const namespec of namespecs) {
    const answer = await callOrReport(ctl, () => supvisors(ctl).call("get_process_info", namespec), namespec);
    infos.push(...structs(answer));
  }
  return infos;
}

async function sstatusSnapshot(ctl: Controller, namespecs: readonly string[]): Promise<TableSnapshot | null> {
  const infos = await processInfos(ctl, namespecs.join(" "));
  if (infos.length === 0) return null;
  return filteredSnapshot(ctl, SSTATUS_COLUMNS, infos, () => true, (r) => `${pyStr(r.application_name)}:${pyStr(r.process_name)}`);
}

async function runSstatus(ctl: Controller, arg: string): Promise<void> {
  if (!(await supvisorsUpcheck(ctl))) return;
  const [live, namespecs] = takeFollow(pySplit(arg));
  if (live) return follow(ctl, { headers: ["process"], snapshot: () => sstatusSnapshot(ctl, namespecs) });
  printSnapshot(ctl, await sstatusSnapshot(ctl, namespecs));
}

// ---- local_status ---------------------------------------------------------------------------

/** A zero time prints `0`, any other one the local HH:MM:SS. */
function timeCell(key: string): (r: RpcStruct) => string {
  return (r) => (truthy(r[key]) ? simpleLocaltime(num(r[key])) : "0");
}

const LOCAL_STATUS_COLUMNS: readonly Column<RpcStruct>[] = [
  keyColumn("Application", "fit", "group"),
  keyColumn("Process", "fit", "name"),
  keyColumn("Disabled", 10, "disabled"),
  { title: "State", width: 12, cell: (r) => processStateDescription(r.state), state: true },
  { title: "Start", width: 12, cell: timeCell("start") },
  { title: "Now", width: 12, cell: timeCell("now") },
  keyColumn("PID", 8, "pid"),
  keyColumn("Extra args", 0, "extra_args"),
];

/**
 * The local processes named, by supervisor's namespec rules (`g:*` is the whole group), in
 * the order of the names; a name matching nothing is silently skipped, as in the plugin.
 */
function matchLocal(infos: readonly RpcStruct[], names: readonly string[]): RpcStruct[] {
  if (wantsAll(names)) return [...infos];
  return names.flatMap((name) => {
    const [group, process] = splitNamespec(name);
    return infos.filter((i) => pyStr(i.group) === group && (process === null || pyStr(i.name) === process));
  });
}

async function runLocalStatus(ctl: Controller, arg: string): Promise<void> {
  if (!(await supvisorsUpcheck(ctl))) return;
  const infos = structs(await callOrReport(ctl, () => supvisors(ctl).call("get_all_local_process_info")));
  const matching = matchLocal(infos, pySplit(arg));
  if (matching.length > 0) outputTable(ctl, LOCAL_STATUS_COLUMNS, matching);
}

// ---- process_rules --------------------------------------------------------------------------

const PROCESS_RULES_COLUMNS: readonly Column<RpcStruct>[] = [
  keyColumn("Application", "fit", "application_name"),
  keyColumn("Process", "fit", "process_name"),
  keyColumn("Start", 7, "start_sequence"),
  keyColumn("Stop", 7, "stop_sequence"),
  keyColumn("Required", 12, "required"),
  keyColumn("WaitExit", 12, "wait_exit"),
  { title: "Loading", width: 12, cell: (r) => `${pyStr(r.expected_loading)}%` },
  keyColumn("Strategy", 22, "running_failure_strategy"),
  keyColumn("Supervisor", 0, "identifiers"),
];

/** No name or `all`: the namespec of every process the server knows. */
async function ruleNamespecs(ctl: Controller, arg: string): Promise<string[]> {
  const names = pySplit(arg);
  if (!wantsAll(names)) return names;
  const answer = await callOrReport(ctl, () => supvisors(ctl).call("get_all_process_info"));
  return structs(answer).map((info) => makeNamespec(pyStr(info.application_name), pyStr(info.process_name)));
}

async function runProcessRules(ctl: Controller, arg: string): Promise<void> {
  if (!(await supvisorsUpcheck(ctl))) return;
  const rulesList: RpcStruct[] = [];
  for (const namespec of pySorted(await ruleNamespecs(ctl, arg))) {
    const answer = await callOrReport(ctl, () => supvisors(ctl).call("get_process_rules", namespec), namespec);
    rulesList.push(...structs(answer));
  }
  if (rulesList.length > 0) outputTable(ctl, PROCESS_RULES_COLUMNS, rulesList);
}

// ---- conflicts ------------------------------------------------------------------------------

const CONFLICT_COLUMNS: readonly Column<RpcStruct>[] = [
  keyColumn("Application", "fit", "application_name"),
  keyColumn("Process", "fit", "process_name"),
  { ...keyColumn("State", 12, "statename"), state: true },
  keyColumn("Supervisor", 0, "identifiers"),
];

/** No conflict prints nothing at all, not even the title. */
const conflicts = singleCall("conflicts", helpText("conflicts\t\t\t\tGet the Supvisors conflicts."), "get_conflicts", (ctl, answer) => {
  const rows = structs(answer);
  if (rows.length > 0) outputTable(ctl, CONFLICT_COLUMNS, rows);
});

// ---- the table ------------------------------------------------------------------------------

export const statusCommands: readonly CtlCommand[] = [
  sversion,
  {
    name: "sstate",
    run: runSstate,
    completes: "instances",
    help: helpText(
      "sstate\t\t\t\tGet the Supvisors state and modes.",
      "sstate <identifier>\t\t\tGet the Supvisors instance state and modes.",
      "sstate <identifier> <identifier>\tGet the state and modes for multiple Supvisors instances",
      "sstate all\t\t\tGet the state and modes for all Supvisors instances",
    ),
  },
  master,
  strategies,
  statsStatus,
  {
    name: "instance_status",
    run: runInstanceStatus,
    completes: "instances",
    help: helpText(
      "instance_status <identifier>\t\t\tGet the status of the Supvisors instance.",
      "instance_status <identifier> <identifier>\tGet the status for multiple Supvisors instances",
      "instance_status\t\t\t\t\tGet the status of all Supvisors instances.",
    ),
  },
  {
    name: "application_info",
    run: runApplicationInfo,
    completes: "applications",
    help: helpText(
      "application_info <appli>\t\tGet the status of application named appli.",
      "application_info <appli> <appli>\tGet the status for multiple named application",
      "application_info\t\t\tGet the status of all applications.",
    ),
  },
  {
    name: "application_rules",
    run: runApplicationRules,
    completes: "applications",
    help: helpText(
      "application_rules <appli>\t\t\tGet the rules of the application named appli.",
      "application_rules <appli> <appli>\t\tGet the rules for multiple named applications",
      "application_rules\t\t\t\tGet the rules of all applications.",
    ),
  },
  {
    name: "sstatus",
    run: runSstatus,
    completes: "namespecs",
    help: helpText(
      "sstatus <proc>\t\t\t\tGet the status of the process named proc.",
      "sstatus <appli>:*\t\t\tGet the process status of application named appli.",
      "sstatus <proc> <proc>\t\t\tGet the status for multiple named processes",
      "sstatus\t\t\t\t\tGet the status of all processes.",
    ),
  },
  {
    name: "local_status",
    run: runLocalStatus,
    completes: "processes",
    help: helpText(
      "local_status <proc>\t\t\tGet the local status of the process named proc.",
      "local_status <appli>:*\t\t\tGet the local status of all processes in the application named appli.",
      "local_status <proc> <proc>\t\tGet the local status for multiple named processes",
      "local_status\t\t\t\tGet the local status of all processes.",
    ),
  },
  {
    name: "process_rules",
    run: runProcessRules,
    completes: "namespecs",
    help: helpText(
      "process_rules <proc>\t\t\tGet the rules of the process named proc.",
      "process_rules <appli>:*\t\t\tGet the rules of all processes in the application named appli.",
      "process_rules <proc> <proc>\t\tGet the rules for multiple named processes",
      "process_rules\t\t\t\tGet the rules of all processes.",
    ),
  },
  conflicts,
];
