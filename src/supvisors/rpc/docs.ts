/**
 * What each `supvisors.*` method tells about itself (system.methodHelp), in our words, with the
 * @param/@return lines system.methodSignature reads (Supvisors' own docstrings use Sphinx tags,
 * which supervisord's parser does not read, so its signatures are unsupported; ours work).
 */
import type { MethodDoc } from "../../supervisord/rpc/method-doc.js";

function doc(text: string, params: readonly (readonly [type: string, name: string, what: string])[], ret: readonly [type: string, what: string], optional = 0): MethodDoc {
  const lines = [` ${text}`, ""];
  for (const [t, n, w] of params) lines.push(`        @param ${t} ${n}  ${w}`);
  lines.push(`        @return ${ret[0]} result  ${ret[1]}`, "        ");
  return {
    signature: [ret[0], ...params.map(([t]) => t)],
    arity: { min: params.length - optional, max: params.length },
    paramNames: params.map(([, n]) => n),
    help: lines.join("\n"),
  };
}

const ID: readonly [string, string, string] = ["string", "identifier", "an instance identifier, its nick or a stereotype"];
const NAMESPEC: readonly [string, string, string] = ["string", "namespec", "'group:name', 'group:*' or 'name'"];
const STRATEGY: readonly [string, string, string] = ["string", "strategy", "a starting strategy: CONFIG, LESS_LOADED, MOST_LOADED, LOCAL, LESS_LOADED_NODE, MOST_LOADED_NODE (or 0-5)"];
const APPLICATION: readonly [string, string, string] = ["string", "application_name", "the application (a supervisord group)"];
const EXTRA: readonly [string, string, string] = ["string", "extra_args", "arguments added to the configured command"];
const WAIT: readonly [string, string, string] = ["boolean", "wait", "wait for the end of the job (default true)"];


export const SUPVISORS_METHOD_DOCS: Readonly<Record<string, MethodDoc>> = {
  get_api_version: doc("Version of the Supvisors API this instance speaks.", [], ["string", "the version, e.g. '0.19'"]),
  get_supvisors_state: doc(
    "The global state and modes of Supvisors as this instance sees them: the FSM state, the Master,\n        the degraded mode and the instances having starting or stopping jobs.",
    [],
    ["struct", "state, master and modes"],
  ),
  get_all_instances_state_modes: doc("The last state and modes each instance published, sorted by identifier.", [], ["array", "one struct per instance"]),
  get_instance_state_modes: doc("The last state and modes of the instances matching the name.", [ID], ["array", "one struct per matching instance"]),
  get_master_identifier: doc("The Master instance, or an empty struct while none is elected.", [], ["struct", "identifier and nick_identifier"]),
  get_strategies: doc("The strategies this instance applies (auto-fencing, starting, conciliation, Supvisors failure).", [], ["struct", "the strategies by kind"]),
  get_statistics_status: doc("Whether host and process statistics are collected, and the collecting period.", [], ["struct", "host_stats, process_stats and collecting_period"]),
  get_network_info: doc("Identity and network description of an instance.", [ID], ["struct", "identifier, host, port, stereotypes and network"]),
  get_all_instances_info: doc("State, load and heartbeat counters of every instance, sorted by identifier.", [], ["array", "one struct per instance"]),
  get_instance_info: doc("State, load and heartbeat counters of the instances matching the name.", [ID], ["array", "one struct per matching instance"]),
  get_all_applications_info: doc("State and failures of every application known to Supvisors.", [], ["array", "one struct per application"]),
  get_application_info: doc("State and failures of one application.", [["string", "application_name", "the application (a supervisord group)"]], ["struct", "the application's status"]),
  get_application_rules: doc("The rules of one application (from the rules files, or defaults).", [["string", "application_name", "the application"]], ["struct", "the application's rules"]),
  get_all_process_info: doc("Synthetic status of every process, as seen over all instances.", [], ["array", "one struct per process"]),
  get_process_info: doc("Synthetic status of the processes of a namespec, as seen over all instances.", [NAMESPEC], ["array", "one struct per process"]),
  get_all_local_process_info: doc("The processes of the local supervisord, with what Supvisors needs of them.", [], ["array", "one struct per process"]),
  get_local_process_info: doc("One process of the local supervisord, with what Supvisors needs of it.", [["string", "namespec", "'group:name' or 'name'"]], ["struct", "the process"]),
  get_all_inner_process_info: doc("Debug: the records this instance holds of the processes of the matching instances.", [ID], ["array", "one struct per record"]),
  get_inner_process_info: doc("Debug: the records this instance holds of a namespec's processes on the matching instances.", [ID, NAMESPEC], ["array", "one struct per record"]),
  get_process_rules: doc("The rules of the processes of a namespec.", [NAMESPEC], ["array", "one struct per process"]),
  get_conflicts: doc("The processes of managed applications running on more than one instance.", [], ["array", "one struct per conflicting process"]),
  change_log_level: doc(
    "Changes the log level of this instance's Supvisors logger (with logfile=AUTO, supervisord's too).",
    [["string", "level_param", "a level name (critical..blather) or its number (50..3)"]],
    ["boolean", "always true unless error"],
  ),
  conciliate: doc(
    "Applies a conciliation strategy to every conflict now (CONCILIATION state only); USER does nothing.",
    [["string", "strategy", "SENICIDE, INFANTICIDE, USER, STOP, RESTART, RUNNING_FAILURE (or 0-5)"]],
    ["boolean", "false for USER, else true"],
  ),
  restart_sequence: doc("Runs the automatic start of the applications again from this instance.", [WAIT], ["boolean", "always true unless error"], 1),
  restart: doc("Stops every application with the global stop sequence, then restarts every Supervisor of the cluster.", [], ["boolean", "always true unless error"]),
  shutdown: doc("Stops every application with the global stop sequence, then shuts every Supervisor of the cluster down.", [], ["boolean", "always true unless error"]),
  start_application: doc("Starts a managed application by its start sequence, placing each process by the strategy.", [STRATEGY, APPLICATION, WAIT], ["boolean", "always true unless error"], 1),
  test_start_application: doc("Where each process of the application would start with the strategy; nothing is started.", [STRATEGY, APPLICATION], ["array", "one prediction per process"]),
  test_start_process: doc("Where the processes would start with the strategy; nothing is started.", [STRATEGY, NAMESPEC], ["array", "one prediction per process"]),
  stop_application: doc("Stops a managed application by its stop sequence, wherever its processes run.", [APPLICATION, WAIT], ["boolean", "always true unless error"], 1),
  restart_application: doc("Stops an application, then starts it again with the strategy.", [STRATEGY, APPLICATION, WAIT], ["boolean", "always true unless error"], 1),
  start_args: doc("Starts a process on this instance with extra arguments added to its command (supervisor.startProcess semantics).", [["string", "namespec", "'group:name' or 'name'"], EXTRA, WAIT], ["boolean", "always true unless error"], 1),
  start_process: doc("Starts processes wherever the strategy places them.", [STRATEGY, NAMESPEC, EXTRA, WAIT], ["boolean", "always true unless error"], 2),
  start_any_process: doc("Starts one stopped process whose namespec matches the regular expression, the first one the strategy can place.", [STRATEGY, ["string", "regex", "a regular expression searched in the namespecs"], EXTRA, WAIT], ["string", "the namespec of the process started"], 2),
  stop_process: doc("Stops processes on every instance where they run.", [NAMESPEC, WAIT], ["boolean", "always true unless error"], 1),
  restart_process: doc("Stops processes everywhere, then starts them again wherever the strategy places them.", [STRATEGY, NAMESPEC, EXTRA, WAIT], ["boolean", "always true unless error"], 2),
  rolling_restart: doc(
    "Ours: restarts the running processes of an application or a program, instance by instance (batch_size\n        instances at a time, in the supvisors_list order): stopped then started again on the same instance,\n        each batch waiting for readiness (RUNNING without a readiness_check) before the next one.",
    [
      ["string", "target", "an application ('app' or 'app:*') or a program ('app:program_name', any numprocs)"],
      ["int", "batch_size", "how many instances are restarted at once (default 1)"],
      ["boolean", "wait", "wait for the end of the rolling restart (default true)"],
    ],
    ["boolean", "always true unless error"],
    2,
  ),
  update_numprocs: doc(
    "Changes the number of processes of a program on this instance: new ones are added (and autostarted if\n        configured), surplus ones removed once stopped (at once unless lazy).",
    [["string", "program_name", "the program section name"], ["int", "numprocs", "the new number of processes (> 0)"], WAIT, ["boolean", "lazy", "let surplus processes run until they stop by themselves (default false)"]],
    ["boolean", "always true unless error"],
    2,
  ),
  enable: doc("Enables a program on this instance again (persisted); supervisord may autostart its processes.", [["string", "program_name", "the program section name"], WAIT], ["boolean", "always true unless error"], 1),
  disable: doc("Disables a program on this instance (persisted): its processes are stopped here and cannot be started.", [["string", "program_name", "the program section name"], WAIT], ["boolean", "always true unless error"], 1),
  end_sync: doc(
    "Ends the synchronization phase now (synchro_options has USER), with the given Master or, when\n        empty, the one the election picks.",
    [["string", "master", "the Master's identifier or nick, or '' (default)"]],
    ["boolean", "always true unless error"],
    1,
  ),
  enable_host_statistics: doc("Starts or stops the host statistics of this instance (not persisted).", [["boolean", "enable_host", "true to collect, false to stop"]], ["boolean", "always true unless error"]),
  enable_process_statistics: doc("Starts or stops the process statistics of this instance (not persisted).", [["boolean", "enable_process", "true to collect, false to stop"]], ["boolean", "always true unless error"]),
  update_collecting_period: doc(
    "Sets the minimum interval between two samples of the host or of one process on this instance\n        (not persisted); it applies at once.",
    [["double", "collecting_period", "seconds, 1 to 3600"]],
    ["boolean", "always true unless error"],
  ),
};
