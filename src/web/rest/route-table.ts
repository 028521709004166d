/**
 * The REST routes (spec §12: the routes of Supvisors' `supvisorsflask`), as data: the one table
 * that both serves the requests (rest/handler.ts) and writes the OpenAPI document
 * (rest/openapi.ts), so a route cannot be served without being described, or the reverse.
 *
 * Each route names the XML-RPC method it calls and how its path and query parameters become that
 * method's arguments. Nothing here decides anything: the method does, as over XML-RPC.
 */
import { ConciliationStrategies, StartingStrategies } from "../../protocol/supvisors.js";

/** How a parameter's text becomes a value (Flask's converters, plus our enums). */
export type RestParamType =
  /** Any segment (Flask `<string:x>`: no `/`). */
  | { readonly kind: "string" }
  /** Flask `<int:x>`: digits only; `signed` also takes a leading `-`. */
  | { readonly kind: "integer"; readonly signed?: boolean }
  /** Flask `<float:x>`; sent as an XML-RPC double. */
  | { readonly kind: "number" }
  /** Flask-RESTX `inputs.boolean`: true/false/1/0, any case. */
  | { readonly kind: "boolean" }
  /** Flask `<any(a, b):x>`: one of the literals. */
  | { readonly kind: "enum"; readonly values: readonly string[] };

export interface RestParam {
  readonly name: string;
  readonly in: "path" | "query";
  readonly type: RestParamType;
  /** A query parameter's value when absent (Supvisors' defaults: wait=true, extra_args=''). */
  readonly default?: string | boolean | number;
  readonly description: string;
}

export type RestArg = string | number | boolean | { readonly double: number };

export interface RestRoute {
  readonly verb: "GET" | "POST";
  /** Under the namespace prefix, with `{name}` for a path parameter: `/supervisor/readLog/{offset}/{length}`. */
  readonly path: string;
  /** The XML-RPC method called: `supervisor.readLog`. */
  readonly rpc: string;
  readonly params: readonly RestParam[];
  /**
   * The method's arguments from the parsed parameters; default: every parameter in table order.
   * A few routes add fixed ones (`enable_host_statistics` = `enable_host_statistics(true)`).
   */
  readonly args?: (p: Readonly<Record<string, RestArg>>) => RestArg[];
  /** One line for the docs (the method's own help gives the rest). */
  readonly summary?: string;
}

const STRING = { kind: "string" } as const;
const UINT = { kind: "integer" } as const;
const LOG_LEVELS = ["critical", "error", "warn", "info", "debug", "trace", "blather"] as const;

function path(name: string, description: string, type: RestParamType = STRING): RestParam {
  return { name, in: "path", type, description };
}
const WAIT: RestParam = { name: "wait", in: "query", type: { kind: "boolean" }, default: true, description: "if true, answer once the request is complete" };
const EXTRA_ARGS: RestParam = { name: "extra_args", in: "query", type: STRING, default: "", description: "arguments added to the program's command line" };
const NAME = path("name", "a process name: 'group:name', 'group:*' or 'name'");
const GROUP = path("name", "a process group name");
const SIGNAL = path("signal", "a signal name (HUP, TERM, ...) or number");
const OFFSET = path("offset", "where to start reading (negative: from the end)", { kind: "integer", signed: true });
const LENGTH = path("length", "how many bytes to read", UINT);
const IDENTIFIER = path("identifier", "a Supvisors instance: identifier, nick or stereotype");
const NAMESPEC = path("namespec", "'group:name', 'group:*' or 'name'");
const APPLICATION = path("application_name", "a managed application (a supervisord group)");
const PROGRAM = path("program_name", "a program name ([program:x] section)");
const STRATEGY = path("strategy", "a starting strategy", { kind: "enum", values: StartingStrategies });

function get(p: string, rpc: string, params: readonly RestParam[] = [], extra: Partial<RestRoute> = {}): RestRoute {
  return { verb: "GET", path: p, rpc, params, ...extra };
}
function post(p: string, rpc: string, params: readonly RestParam[] = [], extra: Partial<RestRoute> = {}): RestRoute {
  return { verb: "POST", path: p, rpc, params, ...extra };
}

const SYSTEM: readonly RestRoute[] = [
  get("/system/listMethods", "system.listMethods"),
  get("/system/methodHelp/{name}", "system.methodHelp", [path("name", "a method name: 'supervisor.getState'")]),
  get("/system/methodSignature/{name}", "system.methodSignature", [path("name", "a method name: 'supervisor.getState'")]),
];

const SUPERVISOR: readonly RestRoute[] = [
  get("/supervisor/getAPIVersion", "supervisor.getAPIVersion"),
  get("/supervisor/getSupervisorVersion", "supervisor.getSupervisorVersion"),
  get("/supervisor/getIdentification", "supervisor.getIdentification"),
  get("/supervisor/getState", "supervisor.getState"),
  get("/supervisor/getPID", "supervisor.getPID"),
  get("/supervisor/readLog/{offset}/{length}", "supervisor.readLog", [OFFSET, LENGTH]),
  post("/supervisor/clearLog", "supervisor.clearLog"),
  post("/supervisor/shutdown", "supervisor.shutdown"),
  post("/supervisor/restart", "supervisor.restart"),
  post("/supervisor/reloadConfig", "supervisor.reloadConfig"),
  post("/supervisor/addProcessGroup/{name}", "supervisor.addProcessGroup", [GROUP]),
  post("/supervisor/removeProcessGroup/{name}", "supervisor.removeProcessGroup", [GROUP]),
  post("/supervisor/startProcess/{name}", "supervisor.startProcess", [NAME, WAIT]),
  post("/supervisor/startProcessGroup/{name}", "supervisor.startProcessGroup", [GROUP, WAIT]),
  post("/supervisor/startAllProcesses", "supervisor.startAllProcesses", [WAIT]),
  post("/supervisor/stopProcess/{name}", "supervisor.stopProcess", [NAME, WAIT]),
  post("/supervisor/stopProcessGroup/{name}", "supervisor.stopProcessGroup", [GROUP, WAIT]),
  post("/supervisor/stopAllProcesses", "supervisor.stopAllProcesses", [WAIT]),
  post("/supervisor/signalProcess/{name}/{signal}", "supervisor.signalProcess", [NAME, SIGNAL]),
  post("/supervisor/signalProcessGroup/{name}/{signal}", "supervisor.signalProcessGroup", [GROUP, SIGNAL]),
  post("/supervisor/signalAllProcesses/{signal}", "supervisor.signalAllProcesses", [SIGNAL]),
  get("/supervisor/getAllConfigInfo", "supervisor.getAllConfigInfo"),
  get("/supervisor/getProcessInfo/{name}", "supervisor.getProcessInfo", [NAME]),
  get("/supervisor/getAllProcessInfo", "supervisor.getAllProcessInfo"),
  get("/supervisor/readProcessStdoutLog/{name}/{offset}/{length}", "supervisor.readProcessStdoutLog", [NAME, OFFSET, LENGTH]),
  get("/supervisor/readProcessStderrLog/{name}/{offset}/{length}", "supervisor.readProcessStderrLog", [NAME, OFFSET, LENGTH]),
  get("/supervisor/tailProcessStdoutLog/{name}/{offset}/{length}", "supervisor.tailProcessStdoutLog", [NAME, OFFSET, LENGTH]),
  get("/supervisor/tailProcessStderrLog/{name}/{offset}/{length}", "supervisor.tailProcessStderrLog", [NAME, OFFSET, LENGTH]),
  post("/supervisor/clearProcessLogs/{name}", "supervisor.clearProcessLogs", [NAME]),
  post("/supervisor/clearAllProcessLogs", "supervisor.clearAllProcessLogs"),
  post("/supervisor/sendProcessStdin/{name}/{chars}", "supervisor.sendProcessStdin", [NAME, path("chars", "the characters to send")]),
  post("/supervisor/sendRemoteCommEvent/{type}/{data}", "supervisor.sendRemoteCommEvent", [path("type", "the event's type"), path("data", "the event's data")]),
];

const SUPVISORS: readonly RestRoute[] = [
  get("/supvisors/api_version", "supvisors.get_api_version"),
  get("/supvisors/supvisors_state", "supvisors.get_supvisors_state"),
  get("/supvisors/all_instances_state_modes", "supvisors.get_all_instances_state_modes"),
  get("/supvisors/instance_state_modes/{identifier}", "supvisors.get_instance_state_modes", [IDENTIFIER]),
  get("/supvisors/master_identifier", "supvisors.get_master_identifier"),
  get("/supvisors/strategies", "supvisors.get_strategies"),
  get("/supvisors/statistics_status", "supvisors.get_statistics_status"),
  get("/supvisors/network_info/{identifier}", "supvisors.get_network_info", [IDENTIFIER]),
  get("/supvisors/all_instances_info", "supvisors.get_all_instances_info"),
  get("/supvisors/instance_info/{identifier}", "supvisors.get_instance_info", [IDENTIFIER]),
  get("/supvisors/all_applications_info", "supvisors.get_all_applications_info"),
  get("/supvisors/application_info/{application_name}", "supvisors.get_application_info", [APPLICATION]),
  get("/supvisors/application_rules/{application_name}", "supvisors.get_application_rules", [APPLICATION]),
  get("/supvisors/all_process_info", "supvisors.get_all_process_info"),
  get("/supvisors/process_info/{namespec}", "supvisors.get_process_info", [NAMESPEC]),
  get("/supvisors/all_local_process_info", "supvisors.get_all_local_process_info"),
  get("/supvisors/local_process_info/{namespec}", "supvisors.get_local_process_info", [NAMESPEC]),
  get("/supvisors/all_inner_process_info/{identifier}", "supvisors.get_all_inner_process_info", [IDENTIFIER]),
  get("/supvisors/inner_process_info/{identifier}/{namespec}", "supvisors.get_inner_process_info", [IDENTIFIER, NAMESPEC]),
  get("/supvisors/process_rules/{namespec}", "supvisors.get_process_rules", [NAMESPEC]),
  get("/supvisors/conflicts", "supvisors.get_conflicts"),
  post("/supvisors/start_application/{strategy}/{application_name}", "supvisors.start_application", [STRATEGY, APPLICATION, WAIT]),
  post("/supvisors/test_start_application/{strategy}/{application_name}", "supvisors.test_start_application", [STRATEGY, APPLICATION]),
  post("/supvisors/stop_application/{application_name}", "supvisors.stop_application", [APPLICATION, WAIT]),
  post("/supvisors/restart_application/{strategy}/{application_name}", "supvisors.restart_application", [STRATEGY, APPLICATION, WAIT]),
  post("/supvisors/start_args/{namespec}", "supvisors.start_args", [NAMESPEC, EXTRA_ARGS, WAIT]),
  post("/supvisors/start_process/{strategy}/{namespec}", "supvisors.start_process", [STRATEGY, NAMESPEC, EXTRA_ARGS, WAIT]),
  post("/supvisors/test_start_process/{strategy}/{namespec}", "supvisors.test_start_process", [STRATEGY, NAMESPEC]),
  post("/supvisors/start_any_process/{strategy}/{regex}", "supvisors.start_any_process", [STRATEGY, path("regex", "a regular expression over the namespecs"), EXTRA_ARGS, WAIT]),
  post("/supvisors/stop_process/{namespec}", "supvisors.stop_process", [NAMESPEC, WAIT]),
  post("/supvisors/restart_process/{strategy}/{namespec}", "supvisors.restart_process", [STRATEGY, NAMESPEC, EXTRA_ARGS, WAIT]),
  post("/supvisors/rolling_restart/{target}", "supvisors.rolling_restart", [
    path("target", "an application ('app', 'app:*') or a program ('app:program_name')"),
    { name: "batch_size", in: "query", type: UINT, default: 1, description: "how many instances are restarted at once (>= 1)" },
    WAIT,
  ], { summary: "ours: restarts the target instance by instance, each batch waiting for readiness" }),
  post("/supvisors/update_numprocs/{program_name}/{numprocs}", "supvisors.update_numprocs", [PROGRAM, path("numprocs", "the new number of processes", UINT), WAIT]),
  post("/supvisors/lazy_update_numprocs/{program_name}/{numprocs}", "supvisors.update_numprocs", [PROGRAM, path("numprocs", "the new number of processes", UINT), WAIT], {
    args: (p) => [p.program_name!, p.numprocs!, p.wait!, true],
    summary: "update_numprocs(program_name, numprocs, wait, lazy=true): processes beyond the new number are removed once they stop",
  }),
  post("/supvisors/enable/{program_name}", "supvisors.enable", [PROGRAM, WAIT]),
  post("/supvisors/disable/{program_name}", "supvisors.disable", [PROGRAM, WAIT]),
  post("/supvisors/conciliate/{strategy}", "supvisors.conciliate", [path("strategy", "a conciliation strategy", { kind: "enum", values: ConciliationStrategies })]),
  post("/supvisors/restart_sequence", "supvisors.restart_sequence", [WAIT]),
  post("/supvisors/restart", "supvisors.restart"),
  post("/supvisors/shutdown", "supvisors.shutdown"),
  post("/supvisors/end_sync", "supvisors.end_sync"),
  post("/supvisors/end_sync/{identifier}", "supvisors.end_sync", [IDENTIFIER]),
  post("/supvisors/change_log_level/{log_level}", "supvisors.change_log_level", [path("log_level", "a log level", { kind: "enum", values: LOG_LEVELS })]),
  post("/supvisors/enable_host_statistics", "supvisors.enable_host_statistics", [], { args: () => [true], summary: "enable_host_statistics(true)" }),
  post("/supvisors/disable_host_statistics", "supvisors.enable_host_statistics", [], { args: () => [false], summary: "enable_host_statistics(false)" }),
  post("/supvisors/enable_process_statistics", "supvisors.enable_process_statistics", [], { args: () => [true], summary: "enable_process_statistics(true)" }),
  post("/supvisors/disable_process_statistics", "supvisors.enable_process_statistics", [], { args: () => [false], summary: "enable_process_statistics(false)" }),
  post("/supvisors/update_collecting_period/{period}", "supvisors.update_collecting_period", [path("period", "the new period, in seconds", { kind: "number" })]),
];

/** Every route, in the order of spec §12 (the docs list them so). */
export const REST_ROUTES: readonly RestRoute[] = [...SYSTEM, ...SUPERVISOR, ...SUPVISORS];

/** The XML-RPC namespace a route's method lives in (`supervisor`), which must be served for it to be. */
export function routeNamespace(route: RestRoute): string {
  return route.rpc.slice(0, route.rpc.indexOf("."));
}
