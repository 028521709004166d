/**
 * JSON Schemas (2020-12, the dialect of OpenAPI 3.1) of every XML-RPC result the REST API
 * answers: the named payloads (`components.schemas` of the OpenAPI document) and, per XML-RPC
 * method, the schema of its result as JSON (ints as integers, doubles as numbers, structs as
 * objects). They describe what the daemon really answers, checked against it by
 * test/cluster/rest-schemas.test.ts: `required` lists the keys always present and
 * `additionalProperties: false` closes the fixed sets, so a schema is a real check.
 *
 * Data only: nothing here is called to serve a request.
 */
import {
  ApplicationStates,
  ConciliationStrategies,
  DistributionRules,
  RunningFailureStrategies,
  StartingFailureStrategies,
  StartingStrategies,
  SupvisorsFailureStrategies,
  SupvisorsInstanceStates,
  SupvisorsStates,
} from "../../protocol/supvisors.js";
import { Faults, SupvisorsFaultCodes } from "../../protocol/faults.js";
import { ProcessStates, SupervisorStates } from "../../supervisord/process/states.js";

/** A JSON Schema object (2020-12). */
export type JsonSchema = Record<string, unknown>;

// ---- builders ---------------------------------------------------------------------------------

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const str = (description: string, extra: Record<string, unknown> = {}): JsonSchema => ({ type: "string", description, ...extra });
const int = (description: string, extra: Record<string, unknown> = {}): JsonSchema => ({ type: "integer", description, ...extra });
const uint = (description: string, extra: Record<string, unknown> = {}): JsonSchema => int(description, { minimum: 0, ...extra });
/** An XML-RPC double (a Python float): any JSON number, integral ones included. */
const num = (description: string, extra: Record<string, unknown> = {}): JsonSchema => ({ type: "number", description, ...extra });
const bool = (description: string): JsonSchema => ({ type: "boolean", description });
const TRUE = (description: string): JsonSchema => ({ type: "boolean", const: true, description });
const strings = (description: string, extra: Record<string, unknown> = {}): JsonSchema => ({ type: "array", description, items: { type: "string" }, ...extra });
const arrayOf = (name: string, description: string): JsonSchema => ({ type: "array", description, items: ref(name) });

/** A struct whose keys are all present, and no other. */
function struct(description: string, properties: Record<string, JsonSchema>, optional: readonly string[] = []): JsonSchema {
  return {
    type: "object",
    description,
    properties,
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
    additionalProperties: false,
  };
}

const codes = (table: Readonly<Record<string, number>>): number[] => Object.values(table);
const names = (table: Readonly<Record<string, number>>): string[] => Object.keys(table);

const PROCESS_STATE_CODE = (description: string): JsonSchema => int(description, { enum: codes(ProcessStates) });
const PROCESS_STATE_NAME = (description: string): JsonSchema => str(description, { enum: names(ProcessStates) });
/** ApplicationStates without DELETED, which only the event interface shows (a deleted application leaves the model). */
const APPLICATION_STATES = Object.fromEntries(Object.entries(ApplicationStates).filter(([k]) => k !== "DELETED"));
/** Every fault code the daemon has: supervisord's and Supvisors' (DISABLED comes from the patched startProcess). */
const FAULT_CODES = [...new Set([...codes(Faults), ...codes(SupvisorsFaultCodes)])].sort((a, b) => a - b);
/** The XML-RPC type names of the @param/@return tags of our method docs. */
const SIGNATURE_TYPES = ["string", "int", "boolean", "double", "array", "struct"];

// ---- components -------------------------------------------------------------------------------

const PROCESS_INFO = struct("a process of supervisord (supervisor.getProcessInfo)", {
  name: str("the process name"),
  group: str("the group name"),
  start: uint("last start, epoch seconds (0 = never started)"),
  stop: uint("last stop, epoch seconds (0 = never stopped)"),
  now: uint("the daemon's time, epoch seconds"),
  state: PROCESS_STATE_CODE("the state code"),
  statename: PROCESS_STATE_NAME("the state name"),
  spawnerr: str("the last spawn error, '' if none"),
  exitstatus: int("the last exit status (-1 = killed by a signal, 0 = none yet)"),
  logfile: str("same as stdout_logfile (deprecated)"),
  stdout_logfile: str("the stdout log file, '' if none"),
  stderr_logfile: str("the stderr log file, '' if none"),
  pid: uint("the pid, 0 when not running"),
  description: str("'pid N, uptime H:MM:SS' when running, the stop time, the spawn error, or ''"),
  readiness: str("ours: the readiness check's verdict, only for a program with readiness_check", { enum: ["off", "pending", "ready", "unready"] }),
}, ["readiness"]);

const LOGFILE = (stream: string) => str(`the ${stream} log file as configured: a path, 'auto' (after a reread) or 'none'`);

const CONFIG_INFO = struct("the configuration of a process (an entry of supervisor.getAllConfigInfo)", {
  autostart: bool("started when supervisord starts"),
  directory: str("the working directory, 'none' if not set"),
  uid: { anyOf: [uint("the uid of the user option"), { const: "none" }], description: "the uid of the user option, 'none' if not set" },
  command: str("the command line"),
  exitcodes: { type: "array", description: "the expected exit codes", items: { type: "integer" } },
  group: str("the group name"),
  group_prio: int("the group's priority"),
  inuse: bool("the group is active (added)"),
  killasgroup: bool("SIGKILL goes to the process group"),
  name: str("the process name"),
  process_prio: int("the process's priority"),
  redirect_stderr: bool("stderr goes to the stdout log"),
  startretries: uint("spawn attempts before FATAL"),
  startsecs: uint("seconds to stay up to be RUNNING"),
  stdout_capture_maxbytes: uint("capture mode buffer size of stdout"),
  stdout_events_enabled: bool("PROCESS_LOG_STDOUT events emitted"),
  stdout_logfile: LOGFILE("stdout"),
  stdout_logfile_backups: uint("rotated stdout log files kept"),
  stdout_logfile_maxbytes: uint("stdout log size that triggers a rotation (0 = never)"),
  stdout_syslog: bool("stdout also sent to syslog"),
  stopsignal: uint("the stop signal's number"),
  stopwaitsecs: uint("seconds to wait before SIGKILL"),
  stderr_capture_maxbytes: uint("capture mode buffer size of stderr"),
  stderr_events_enabled: bool("PROCESS_LOG_STDERR events emitted"),
  stderr_logfile: LOGFILE("stderr"),
  stderr_logfile_backups: uint("rotated stderr log files kept"),
  stderr_logfile_maxbytes: uint("stderr log size that triggers a rotation (0 = never)"),
  stderr_syslog: bool("stderr also sent to syslog"),
  serverurl: str("the SUPERVISOR_SERVER_URL given to the process, 'none' if not set"),
});

const SUPERVISOR_STATE = struct("the daemon's state (supervisor.getState)", {
  statecode: int("the state code (1 = RUNNING)", { enum: codes(SupervisorStates) }),
  statename: str("the state name", { enum: names(SupervisorStates) }),
});

const CALL_RESULT: JsonSchema = {
  ...struct("the outcome for one process of a group or 'all' operation", {
    name: str("the process name"),
    group: str("the group name"),
    status: int("80 (SUCCESS) or the fault code", { enum: FAULT_CODES }),
    description: str("'OK' or the fault string"),
  }),
  if: { properties: { status: { const: Faults.SUCCESS } } },
  then: { properties: { description: { const: "OK" } } },
};

const TAIL_RESULT: JsonSchema = {
  type: "array",
  description: "[data, offset, overflow] of supervisor.tailProcess*Log: pass offset back to read on",
  prefixItems: [str("the bytes read, as text"), uint("the log file's size: the offset of the next read"), bool("more than length bytes were there: data is only the end")],
  items: false,
  minItems: 3,
};

const GROUP_NAMES = (what: string): JsonSchema => strings(`group names ${what}`, { uniqueItems: true });
const RELOAD_RESULT: JsonSchema = {
  type: "array",
  description: "[[added, changed, removed]] of supervisor.reloadConfig: group names, a one-element array",
  prefixItems: [
    {
      type: "array",
      description: "[added, changed, removed]",
      prefixItems: [GROUP_NAMES("added to the config"), GROUP_NAMES("changed in the config"), GROUP_NAMES("removed from the config")],
      items: false,
      minItems: 3,
    },
  ],
  items: false,
  minItems: 1,
};

const METHOD_SIGNATURE: JsonSchema = {
  type: "array",
  description: "[return type, parameter types...] of system.methodSignature",
  items: { type: "string", enum: SIGNATURE_TYPES },
  minItems: 1,
};

const FAULT = struct("an XML-RPC fault of the method (HTTP 400)", {
  message: str("the fault string: 'NAME' or 'NAME: detail'"),
  code: int("the fault code"),
});

const ERROR = struct("an error that is not a fault of the method", { message: str("what went wrong") });

// ---- supvisors components ---------------------------------------------------------------------

const FSM_CODE = int("the Supvisors state code", { enum: codes(SupvisorsStates) });
const FSM_NAME = str("the Supvisors state name", { enum: names(SupvisorsStates) });
const INSTANCE_STATES_MAP: JsonSchema = {
  type: "object",
  description: "identifier -> state of each instance, as this one sees them",
  additionalProperties: { type: "string", enum: names(SupvisorsInstanceStates) },
};

const STATE_MODES_COMMON = {
  identifier: str("the instance that produced it"),
  nick_identifier: str("its nick"),
  now_monotonic: num("its monotonic time when produced, seconds", { minimum: 0 }),
  fsm_statecode: FSM_CODE,
  fsm_statename: FSM_NAME,
  degraded_mode: bool("a synchronization condition no longer holds"),
  discovery_mode: bool("the instances are discovered (multicast)"),
  master_identifier: str("the Master, '' if none"),
};

const SUPVISORS_STATE = struct("the global state and modes (supvisors.get_supvisors_state)", {
  ...STATE_MODES_COMMON,
  starting_jobs: strings("the instances having starting jobs", { uniqueItems: true }),
  stopping_jobs: strings("the instances having stopping jobs", { uniqueItems: true }),
  instance_states: INSTANCE_STATES_MAP,
});

const INSTANCE_STATE_MODES = struct("the last state and modes an instance published (supvisors.get_*_state_modes)", {
  ...STATE_MODES_COMMON,
  starting_jobs: bool("it has starting jobs"),
  stopping_jobs: bool("it has stopping jobs"),
  instance_states: INSTANCE_STATES_MAP,
});

const MASTER_IDENTIFIER: JsonSchema = {
  type: "object",
  description: "the Master (supvisors.get_master_identifier): both keys, or an empty object while none is elected",
  properties: { identifier: str("the Master's identifier"), nick_identifier: str("its nick") },
  dependentRequired: { identifier: ["nick_identifier"], nick_identifier: ["identifier"] },
  additionalProperties: false,
};

const STRATEGIES = struct("the strategies of the instance (supvisors.get_strategies)", {
  "auto-fencing": bool("a lost instance is isolated for good"),
  starting: str("the default starting strategy", { enum: [...StartingStrategies] }),
  conciliation: str("the conciliation strategy", { enum: [...ConciliationStrategies] }),
  supvisors_failure: str("the Supvisors failure strategy", { enum: [...SupvisorsFailureStrategies] }),
});

const STATISTICS_STATUS = struct("statistics collection of the instance (supvisors.get_statistics_status)", {
  host_stats: bool("host statistics are collected"),
  process_stats: bool("process statistics are collected"),
  collecting_period: num("the collecting period, seconds", { exclusiveMinimum: 0 }),
});

const NIC = struct("one network interface of the host", {
  host_name: str("the host name its address resolves to"),
  aliases: strings("the other names of that address"),
  ipv4_addresses: strings("the addresses of that name"),
  nic_info: struct("the interface itself", {
    nic_name: str("the interface name"),
    ipv4_address: str("its IPv4 address"),
    netmask: str("its netmask"),
  }),
});

const NETWORK_INFO = struct(
  "identity and network of an instance (supvisors.get_network_info)",
  {
    identifier: str("the instance identifier (host_id:http_port)"),
    nick_identifier: str("its nick"),
    host_id: str("the host as written in supvisors_list"),
    http_port: uint("its HTTP port", { maximum: 65535 }),
    stereotypes: strings("its stereotypes"),
    network: struct("the host's network, once known (from the handshake)", {
      machine_id: str("the machine id"),
      fqdn: str("the host's fully qualified name"),
      addresses: { type: "object", description: "interface name -> description (loopback excluded)", additionalProperties: NIC },
    }),
  },
  ["network"],
);

const INSTANCE_INFO = struct("state, load and heartbeat counters of an instance (supvisors.get_*instance*_info)", {
  identifier: str("the instance identifier (host_id:http_port)"),
  nick_identifier: str("its nick"),
  node_name: str("the host as written in supvisors_list"),
  port: uint("its HTTP port", { maximum: 65535 }),
  statecode: int("the instance state code", { enum: codes(SupvisorsInstanceStates) }),
  statename: str("the instance state name", { enum: names(SupvisorsInstanceStates) }),
  loading: uint("the expected loading of the processes running there, percent (not capped)"),
  process_failure: bool("running, and one of its processes crashed"),
  remote_sequence_counter: uint("the last heartbeat counter received from it"),
  remote_time: int("its wall time in that heartbeat, epoch seconds"),
  remote_mtime: num("its monotonic time in that heartbeat, seconds"),
  local_sequence_counter: uint("the local heartbeat counter when received"),
  local_time: int("the local wall time when received, epoch seconds"),
  local_mtime: num("the local monotonic time when received, seconds"),
});

const APPLICATION_INFO = struct("state and failures of an application (supvisors.get_*application*_info)", {
  application_name: str("the application (a supervisord group)"),
  managed: bool("rules of a rules file apply to it"),
  now_monotonic: num("the local monotonic time, seconds"),
  statecode: int("the application state code", { enum: codes(APPLICATION_STATES) }),
  statename: str("the application state name", { enum: names(APPLICATION_STATES) }),
  major_failure: bool("a required process failed (or the operational status formula is false)"),
  minor_failure: bool("a process that is not required failed"),
});

const SEQUENCE = (what: string) => uint(`rank in the ${what} sequence (0 = not in it)`, { maximum: 127 });

const APPLICATION_RULES: JsonSchema = {
  description: "the rules of an application (supvisors.get_application_rules): the name and managed=false, or all the rules",
  oneOf: [
    struct("an unmanaged application: no rules", { application_name: str("the application"), managed: { const: false, description: "false" } }),
    struct("a managed application", {
      application_name: str("the application"),
      managed: { const: true, description: "true" },
      distribution: str("how its processes may spread over the instances", { enum: [...DistributionRules] }),
      identifiers: strings("where it may run, as written (aliases expanded; '*' = anywhere, '#' first = by index)"),
      start_sequence: SEQUENCE("global start"),
      stop_sequence: SEQUENCE("global stop"),
      starting_strategy: str("its starting strategy", { enum: [...StartingStrategies] }),
      starting_failure_strategy: str("what a failed start of a required process does", { enum: [...StartingFailureStrategies] }),
      running_failure_strategy: str("what a crash of one of its processes does", { enum: [...RunningFailureStrategies] }),
      status_formula: str("the operational_status formula, '' if none"),
    }),
  ],
};

const PROCESS_RULES = struct("the rules of a process (supvisors.get_process_rules)", {
  application_name: str("the application"),
  process_name: str("the process"),
  identifiers: strings("where it may run (aliases expanded; empty while a '#' or '@' rule is unresolved)"),
  start_sequence: SEQUENCE("application's start"),
  stop_sequence: SEQUENCE("application's stop"),
  required: bool("the application fails without it"),
  wait_exit: bool("the start sequence waits for its expected exit"),
  expected_loading: uint("its expected loading, percent", { maximum: 100 }),
  starting_failure_strategy: str("what a failed start of it does", { enum: [...StartingFailureStrategies] }),
  running_failure_strategy: str("what a crash of it does", { enum: [...RunningFailureStrategies] }),
});

const PROCESS_VIEW_PROPERTIES = {
  application_name: str("the application (a supervisord group)"),
  process_name: str("the process"),
  now_monotonic: num("the local monotonic time, seconds"),
  statecode: PROCESS_STATE_CODE("the state shown (a forced state first), over all instances"),
  statename: PROCESS_STATE_NAME("its name"),
  expected_exit: bool("the last exit was expected"),
  last_event_mtime: num("the local monotonic time of its last event from any instance, seconds"),
  identifiers: strings("the instances where it runs (more than one = a conflict)", { uniqueItems: true }),
  extra_args: str("the extra arguments of its last start"),
};

/** Ours: a process's readiness (only for a program with a readiness_check). */
const READINESS_NAMES = ["off", "pending", "ready", "unready"];
const READINESS = str("ours: its readiness (only when its program has a readiness_check)", { enum: READINESS_NAMES });
const READINESS_BY_INSTANCE: JsonSchema = {
  type: "object",
  description: "ours: identifier -> readiness of the instances where its program has a readiness_check (absent when none has)",
  additionalProperties: { type: "string", enum: READINESS_NAMES },
};

const PROCESS_VIEW = struct("a process over all instances (supvisors.get_*process_info)", { ...PROCESS_VIEW_PROPERTIES, readiness: READINESS_BY_INSTANCE }, ["readiness"]);

const CONFLICT = struct(
  "a process of a managed application running on several instances (supvisors.get_conflicts)",
  {
    ...PROCESS_VIEW_PROPERTIES,
    identifiers: strings("the instances where it runs: two or more", { uniqueItems: true, minItems: 2 }),
    readiness: READINESS_BY_INSTANCE,
  },
  ["readiness"],
);

const LOCAL_PROCESS_PROPERTIES = {
  group: str("the group name"),
  name: str("the process name"),
  state: PROCESS_STATE_CODE("the state code"),
  statename: PROCESS_STATE_NAME("the state name"),
  start: uint("last start, epoch seconds (0 = never)"),
  stop: uint("last stop, epoch seconds (0 = never)"),
  now: uint("the daemon's time, epoch seconds"),
  pid: uint("the pid, 0 when not running"),
  description: str("supervisord's description of the process"),
  spawnerr: str("the last spawn error, '' if none"),
  expected: bool("the last exit was expected (no spawn error)"),
  start_monotonic: num("last start, monotonic seconds (0 = never)", { minimum: 0 }),
  stop_monotonic: num("last stop, monotonic seconds (0 = never)", { minimum: 0 }),
  now_monotonic: num("the daemon's monotonic time, seconds", { minimum: 0 }),
  extra_args: str("the extra arguments of its last start"),
  startsecs: uint("the startsecs option"),
  stopwaitsecs: uint("the stopwaitsecs option"),
  process_index: uint("its index among the program's processes (process_num)"),
  program_name: str("its program section name"),
  disabled: bool("its program is disabled (supvisors.disable)"),
  has_stdout: bool("a stdout log file is configured"),
  has_stderr: bool("a stderr log file is configured"),
};

const LOCAL_PROCESS_INFO = struct("a process of the local supervisord, for Supvisors (supvisors.get_*local_process_info)", { ...LOCAL_PROCESS_PROPERTIES, readiness: READINESS }, ["readiness"]);

const INNER_PROCESS_INFO = struct(
  "debug: the record an instance holds of a process on an instance (supvisors.get_*inner_process_info)",
  {
    ...LOCAL_PROCESS_PROPERTIES,
    // The process events carry the sender's wall time as a float: times updated by them are doubles.
    start: num("last start, epoch seconds (0 = never)", { minimum: 0 }),
    stop: num("last stop, epoch seconds (0 = never)", { minimum: 0 }),
    now: num("the owner's time of the last event or heartbeat, epoch seconds", { minimum: 0 }),
    identifier: str("the instance the record is of"),
    nick_identifier: str("its nick, when the record has it"),
    local_mtime: num("the local monotonic time of the last information, seconds"),
    event_time: num("the owner's monotonic time of the last event, seconds"),
    uptime: num("seconds up as of the owner's last time (0 unless RUNNING or STOPPING)", { minimum: 0 }),
    has_crashed: bool("it crashed there at least once"),
    readiness: READINESS,
  },
  ["nick_identifier", "readiness"],
);

const DISTRIBUTION_PREDICTION = struct("what a start would do to a process (supvisors.test_start_*)", {
  application_name: str("the application"),
  process_name: str("the process"),
  state: PROCESS_STATE_NAME("the predicted state"),
  forced_reason: str("why it would not start ('No resource available'), '' otherwise"),
  running_identifiers: strings("where it would run", { uniqueItems: true }),
});

export const COMPONENT_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  Fault: FAULT,
  Error: ERROR,
  // supervisor.* and system.*
  SupervisorState: SUPERVISOR_STATE,
  ProcessInfo: PROCESS_INFO,
  ConfigInfo: CONFIG_INFO,
  CallResult: CALL_RESULT,
  TailResult: TAIL_RESULT,
  ReloadResult: RELOAD_RESULT,
  MethodSignature: METHOD_SIGNATURE,
  // supvisors.*
  SupvisorsState: SUPVISORS_STATE,
  InstanceStateModes: INSTANCE_STATE_MODES,
  MasterIdentifier: MASTER_IDENTIFIER,
  Strategies: STRATEGIES,
  StatisticsStatus: STATISTICS_STATUS,
  NetworkInfo: NETWORK_INFO,
  InstanceInfo: INSTANCE_INFO,
  ApplicationInfo: APPLICATION_INFO,
  ApplicationRules: APPLICATION_RULES,
  ProcessRules: PROCESS_RULES,
  ProcessView: PROCESS_VIEW,
  Conflict: CONFLICT,
  LocalProcessInfo: LOCAL_PROCESS_INFO,
  InnerProcessInfo: INNER_PROCESS_INFO,
  DistributionPrediction: DISTRIBUTION_PREDICTION,
};

// ---- results ----------------------------------------------------------------------------------

/** startProcess and co: true, or an array of results for a group form ('group:*'). */
const TRUE_OR_RESULTS = (what: string): JsonSchema => ({
  description: `true once ${what}; an array of results for 'group:*'`,
  anyOf: [{ type: "boolean", const: true }, { type: "array", items: ref("CallResult") }],
});

const LOG_TEXT = str("the bytes read, as text");
const TAIL = ref("TailResult");

const SUPERVISOR_RESULTS: Record<string, JsonSchema> = {
  getAPIVersion: str("the API version, '3.0'"),
  getVersion: str("the API version, '3.0' (alias of getAPIVersion)"),
  getSupervisorVersion: str("the supervisord version"),
  getIdentification: str("the identifier option"),
  getState: ref("SupervisorState"),
  getPID: uint("the daemon's pid", { minimum: 1 }),
  readLog: LOG_TEXT,
  readMainLog: LOG_TEXT,
  clearLog: TRUE("always true unless a fault"),
  shutdown: TRUE("always true: the daemon shuts down next"),
  restart: TRUE("always true: the daemon restarts next"),
  reloadConfig: ref("ReloadResult"),
  addProcessGroup: TRUE("true once added"),
  removeProcessGroup: TRUE("true once removed"),
  startProcess: TRUE_OR_RESULTS("started"),
  startProcessGroup: arrayOf("CallResult", "a result per process that was not running"),
  startAllProcesses: arrayOf("CallResult", "a result per process that was not running"),
  stopProcess: TRUE_OR_RESULTS("stopped"),
  stopProcessGroup: arrayOf("CallResult", "a result per process that was running"),
  stopAllProcesses: arrayOf("CallResult", "a result per process that was running"),
  signalProcess: TRUE_OR_RESULTS("signalled"),
  signalProcessGroup: arrayOf("CallResult", "a result per signallable process"),
  signalAllProcesses: arrayOf("CallResult", "a result per signallable process"),
  getProcessInfo: ref("ProcessInfo"),
  getAllProcessInfo: arrayOf("ProcessInfo", "every process, by group then name"),
  getAllConfigInfo: arrayOf("ConfigInfo", "every process of the last parsed config, by name"),
  readProcessStdoutLog: LOG_TEXT,
  readProcessLog: LOG_TEXT,
  readProcessStderrLog: LOG_TEXT,
  tailProcessStdoutLog: TAIL,
  tailProcessLog: TAIL,
  tailProcessStderrLog: TAIL,
  clearProcessLogs: TRUE("always true unless a fault"),
  clearProcessLog: TRUE("always true unless a fault"),
  clearAllProcessLogs: arrayOf("CallResult", "a result per process"),
  sendProcessStdin: TRUE("always true unless a fault"),
  sendRemoteCommEvent: TRUE("always true unless a fault"),
};

const SYSTEM_RESULTS: Record<string, JsonSchema> = {
  listMethods: strings("every method name, sorted", { items: { type: "string", pattern: "^[A-Za-z]\\w*\\.[A-Za-z]\\w*$" }, uniqueItems: true }),
  methodHelp: str("the method's documentation"),
  methodSignature: ref("MethodSignature"),
  multicall: { type: "array", description: "per call, in order: its raw result, or a struct {faultCode, faultString}", items: {} },
};

const SUPVISORS_RESULTS: Record<string, JsonSchema> = {
  get_api_version: str("the Supvisors API version, '0.19'"),
  get_supvisors_state: ref("SupvisorsState"),
  get_all_instances_state_modes: arrayOf("InstanceStateModes", "every instance, by identifier"),
  get_instance_state_modes: arrayOf("InstanceStateModes", "the matching instances"),
  get_master_identifier: ref("MasterIdentifier"),
  get_strategies: ref("Strategies"),
  get_statistics_status: ref("StatisticsStatus"),
  get_network_info: ref("NetworkInfo"),
  get_all_instances_info: arrayOf("InstanceInfo", "every instance, by identifier"),
  get_instance_info: arrayOf("InstanceInfo", "the matching instances"),
  get_all_applications_info: arrayOf("ApplicationInfo", "every application, managed or not"),
  get_application_info: ref("ApplicationInfo"),
  get_application_rules: ref("ApplicationRules"),
  get_all_process_info: arrayOf("ProcessView", "every process"),
  get_process_info: arrayOf("ProcessView", "the processes of the namespec"),
  get_all_local_process_info: arrayOf("LocalProcessInfo", "every process of the local supervisord"),
  get_local_process_info: ref("LocalProcessInfo"),
  get_all_inner_process_info: arrayOf("InnerProcessInfo", "the records of the matching instances"),
  get_inner_process_info: arrayOf("InnerProcessInfo", "the records of the namespec on the matching instances"),
  get_process_rules: arrayOf("ProcessRules", "the processes of the namespec"),
  get_conflicts: arrayOf("Conflict", "the conflicting processes"),
  change_log_level: TRUE("always true unless a fault"),
  conciliate: bool("false for USER (nothing done), true otherwise"),
  restart_sequence: TRUE("true once the start sequence is done (or queued, wait=false)"),
  restart: TRUE("always true: every instance restarts next"),
  shutdown: TRUE("always true: every instance shuts down next"),
  end_sync: TRUE("always true unless a fault"),
  start_application: TRUE("true once started (or queued, wait=false)"),
  test_start_application: arrayOf("DistributionPrediction", "the application's processes, by name"),
  stop_application: TRUE("true once stopped (or queued, wait=false)"),
  restart_application: TRUE("true once restarted (or queued, wait=false)"),
  start_args: TRUE("true once started (or spawned, wait=false)"),
  start_process: TRUE("true once started (or queued, wait=false)"),
  test_start_process: arrayOf("DistributionPrediction", "the processes of the namespec, by name"),
  start_any_process: str("the namespec of the process started"),
  stop_process: TRUE("true once stopped (or queued, wait=false)"),
  restart_process: TRUE("true once restarted (or queued, wait=false)"),
  rolling_restart: TRUE("true once every batch is restarted and ready again (or planned, wait=false)"),
  update_numprocs: TRUE("true once done (or queued, wait=false)"),
  enable: TRUE("true once enabled"),
  disable: TRUE("true once disabled"),
  enable_host_statistics: TRUE("always true unless a fault"),
  enable_process_statistics: TRUE("always true unless a fault"),
  update_collecting_period: TRUE("always true unless a fault"),
};

const prefixed = (ns: string, table: Record<string, JsonSchema>) => Object.fromEntries(Object.entries(table).map(([k, v]) => [`${ns}.${k}`, v]));

/** The schema of each XML-RPC method's result as JSON, by full method name. */
export const RESULT_SCHEMAS: Readonly<Record<string, JsonSchema>> = {
  ...prefixed("system", SYSTEM_RESULTS),
  ...prefixed("supervisor", SUPERVISOR_RESULTS),
  ...prefixed("supvisors", SUPVISORS_RESULTS),
};
