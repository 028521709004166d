/**
 * The typed, immutable result of reading a supervisord.conf (with its includes).
 *
 * Field names deliberately mirror supervisord's own option names (snake_case): users, the
 * XML-RPC `getAllConfigInfo` struct and the differential tests against Python's parser all speak
 * that vocabulary, so keeping it avoids a translation layer where bugs would hide.
 * Every value here is fully expanded (%(...)s done), typed and validated.
 */
import type { ConfigLocation } from "./errors.js";

export type LogLevelName = "critical" | "error" | "warn" | "info" | "debug" | "trace" | "blather";

/** `autorestart`: false = never, "unexpected" = when exit code not in exitcodes, true = always. */
export type AutoRestart = false | "unexpected" | true;

/**
 * A child log destination as written in the config.
 * - auto: `AUTO` or absent: a file created in childlogdir when the group is created.
 * - none: `NONE`/`OFF`: no file.
 * - path: an explicit file (its directory existed at parse time).
 * (`syslog` as a file name is folded into `<channel>_syslog=true` + none, as supervisord does.)
 */
export type LogFileSpec = { readonly kind: "auto" } | { readonly kind: "none" } | { readonly kind: "path"; readonly path: string };

/** `readiness_check` (ours): what must succeed before a process counts as ready. */
export type ReadinessCheck =
  | { readonly kind: "http"; readonly url: string }
  | { readonly kind: "tcp"; readonly host: string; readonly port: number }
  | { readonly kind: "command"; readonly command: string };

/** The readiness_* options of a program (ours; null in ProcessConfig when readiness_check is absent). */
export interface ReadinessConfig {
  readonly check: ReadinessCheck;
  /** Seconds between two check starts (> 0). */
  readonly interval: number;
  /** Seconds one check may take; slower = failed (> 0). */
  readonly timeout: number;
  /** Consecutive failures after ready that make the process unready (>= 1). */
  readonly failures: number;
  /** Seconds from the spawn within which the first pass must come; 0 = no limit. */
  readonly startsecs: number;
  readonly onFailure: "report" | "fail";
}

export interface ProcessConfig {
  /** `[program:x]` / `[eventlistener:x]` / `[fcgi-program:x]` name (text after the first colon). */
  readonly program_name: string;
  /** The section the process came from, e.g. `program:web`, for error messages. */
  readonly section: string;
  /** Expanded process_name. */
  readonly name: string;
  /** Name of the group the process belongs to (the program, or the `[group:x]` that lists it). */
  readonly group: string;
  readonly process_num: number;
  readonly numprocs: number;
  /** The expanded command line, not yet split (splitting is shlex at spawn time, as supervisord). */
  readonly command: string;
  /** The program's own `environment=` pairs (null when absent). Values verbatim. */
  readonly environment: Readonly<Record<string, string>> | null;
  readonly directory: string | null;
  readonly umask: number | null;
  readonly priority: number;
  readonly autostart: boolean;
  readonly autorestart: AutoRestart;
  readonly startsecs: number;
  readonly startretries: number;
  /** `user=` as resolved: uid, primary gid and name; null when not set. */
  readonly user: { readonly name: string; readonly uid: number; readonly gid: number } | null;
  readonly stdout_logfile: LogFileSpec;
  readonly stdout_logfile_maxbytes: number;
  readonly stdout_logfile_backups: number;
  readonly stdout_capture_maxbytes: number;
  readonly stdout_events_enabled: boolean;
  readonly stdout_syslog: boolean;
  /** With redirect_stderr=true this is {kind:"none"} and no stderr channel exists. */
  readonly stderr_logfile: LogFileSpec;
  readonly stderr_logfile_maxbytes: number;
  readonly stderr_logfile_backups: number;
  readonly stderr_capture_maxbytes: number;
  readonly stderr_events_enabled: boolean;
  readonly stderr_syslog: boolean;
  /** Signal number (e.g. 15) and its canonical name without SIG prefix (e.g. "TERM"). */
  readonly stopsignal: number;
  readonly stopsignal_name: string;
  readonly stopwaitsecs: number;
  readonly stopasgroup: boolean;
  readonly killasgroup: boolean;
  readonly exitcodes: readonly number[];
  readonly redirect_stderr: boolean;
  /** `serverurl=`: null means AUTO (computed from the HTTP servers at spawn time). */
  readonly serverurl: string | null;
  /** Readiness check options (ours); null when `readiness_check` is absent (and for event listeners). */
  readonly readiness: ReadinessConfig | null;
}

export interface FcgiSocketConfig {
  /** The socket URL as written after expansion, e.g. `tcp://127.0.0.1:9000` or `unix:///tmp/x.sock`. */
  readonly url: string;
  readonly kind: "tcp" | "unix";
  readonly host?: string;
  readonly port?: number;
  readonly path?: string;
  readonly backlog: number | null;
  /** unix only: owner uid/gid (null = unchanged) and mode. */
  readonly owner: { readonly uid: number; readonly gid: number } | null;
  readonly mode: number | null;
}

interface GroupBase {
  readonly name: string;
  readonly priority: number;
  /**
   * In supervisord's config order: a program's processes sorted by (priority, name); a [group:x]
   * lists its programs' processes in `programs=` order. Run-time operations order them by priority
   * only, stably (as supervisord's Subprocess comparison does).
   */
  readonly processes: readonly ProcessConfig[];
}
export interface ProgramGroupConfig extends GroupBase {
  /** "program": a homogeneous `[program:x]` group; "group": a heterogeneous `[group:x]`. */
  readonly kind: "program" | "group";
}
export interface EventListenerPoolConfig extends GroupBase {
  readonly kind: "eventlistener";
  /** Subscribed event type names, upper-cased, de-duplicated, in config order. */
  readonly events: readonly string[];
  readonly buffer_size: number;
  readonly result_handler: string;
}
export interface FcgiGroupConfig extends GroupBase {
  readonly kind: "fcgi";
  readonly socket: FcgiSocketConfig;
}
export type GroupConfig = ProgramGroupConfig | EventListenerPoolConfig | FcgiGroupConfig;

export interface Credentials {
  readonly username: string;
  /** Cleartext, or `{SHA}` + lowercase hex SHA-1. */
  readonly password: string;
}
export interface UnixServerConfig {
  readonly kind: "unix";
  /** Section name, e.g. `unix_http_server` (used in the "running without auth" CRIT line). */
  readonly section: string;
  readonly file: string;
  readonly chmod: number;
  readonly chown: { readonly uid: number; readonly gid: number } | null;
  readonly auth: Credentials | null;
}
export interface InetServerConfig {
  readonly kind: "inet";
  readonly section: string;
  /** "" = all interfaces. */
  readonly host: string;
  readonly port: number;
  readonly auth: Credentials | null;
  /**
   * Ours: `certfile` + `keyfile` make the server speak HTTPS only. Absent (not null) on a plain
   * server, so a config without them is the same object as before.
   */
  readonly tls?: InetTlsConfig;
}
/** PEM files of an HTTPS inet server, absolute; read and checked when the server opens. */
export interface InetTlsConfig {
  readonly certfile: string;
  readonly keyfile: string;
}
export type ServerConfig = UnixServerConfig | InetServerConfig;

export interface SupervisordOptions {
  /** Absolute path, or "syslog". */
  readonly logfile: string;
  readonly logfile_maxbytes: number;
  readonly logfile_backups: number;
  readonly loglevel: LogLevelName;
  readonly pidfile: string;
  readonly umask: number;
  readonly nodaemon: boolean;
  readonly silent: boolean;
  readonly minfds: number;
  readonly minprocs: number;
  readonly nocleanup: boolean;
  readonly childlogdir: string;
  readonly user: { readonly name: string; readonly uid: number; readonly gid: number } | null;
  readonly directory: string | null;
  readonly strip_ansi: boolean;
  readonly environment: Readonly<Record<string, string>> | null;
  readonly identifier: string;
}

export interface RpcInterfaceConfig {
  /** The x of `[rpcinterface:x]`. */
  readonly name: string;
  /** `supervisor.rpcinterface_factory`, e.g. `supervisor.rpcinterface:make_main_rpcinterface`. */
  readonly factory: string;
  /** Every other key of the section, raw (expanded only where supervisord expands them). */
  readonly options: Readonly<Record<string, string>>;
  /** File and line of the section header (for the plugin's own error messages). */
  readonly where: ConfigLocation;
  /** File and line of each key of the section (the factory key included). */
  readonly locations: Readonly<Record<string, ConfigLocation>>;
}

export interface SupervisorctlConfig {
  readonly serverurl: string;
  readonly username: string | null;
  readonly password: string | null;
  readonly prompt: string;
  readonly history_file: string | null;
  /** Ours: a PEM CA bundle to verify an https:// serverurl with (absent: the system CAs). */
  readonly ca_file?: string;
}

/** A `[ctlplugin:x]` section: the plugin's name and its `supervisor.ctl_factory`. */
export interface CtlPluginSection {
  readonly name: string;
  readonly factory: string;
}

/** What supervisorctl reads from its config file: [supervisorctl] and the [ctlplugin:x] sections. */
export interface CtlConfig extends SupervisorctlConfig {
  readonly ctlplugins: readonly CtlPluginSection[];
  /** event_link / event_port of the [rpcinterface:supvisors] section, raw; null without one. */
  readonly supvisorsEvents: { readonly link: string | null; readonly port: string | null } | null;
}

/** A message the reader produced that supervisord logs once its logger exists (in this order: CRIT, WARN, INFO). */
export interface ParseMessage {
  readonly level: "critical" | "warn" | "info";
  readonly text: string;
}

/**
 * One `[program:x]` / `[fcgi-program:x]` / `[eventlistener:x]` section as this read saw it, able to
 * expand its processes again for another numprocs (Supvisors' update_numprocs): Supvisors keeps its
 * parser, sets the section's numprocs and runs processes_from_section once more per group.
 */
export interface ProgramDefinition {
  /** The program name (ProcessConfig.program_name). */
  readonly name: string;
  /** e.g. `program:web`. */
  readonly section: string;
  /** numprocs as written (1 by default). */
  readonly numprocs: number;
  /**
   * The section's processes for group `group` with numprocs set to `numprocs`: the same document,
   * expansions (%(process_num)s, %(group_name)s, ENV_...), defaults and checks as the read that
   * made this config, sorted as the reader sorts them. Throws the reader's ConfigError, e.g.
   * `%(process_num) must be present within process_name when numprocs > 1 in section ...`.
   */
  processes(group: string, numprocs: number): ProcessConfig[];
}

export interface SupervisorConfig {
  /** Absolute path of the main config file. */
  readonly file: string;
  /** Directory of the main config file (`%(here)s`). */
  readonly here: string;
  readonly supervisord: SupervisordOptions;
  /** Sorted by (priority, name). */
  readonly groups: readonly GroupConfig[];
  readonly servers: readonly ServerConfig[];
  readonly rpcinterfaces: readonly RpcInterfaceConfig[];
  readonly supervisorctl: SupervisorctlConfig | null;
  /** Files read by [include], in order. */
  readonly included: readonly string[];
  readonly messages: readonly ParseMessage[];
  /** Every program section that made processes of `groups`, by program name. */
  readonly programs: ReadonlyMap<string, ProgramDefinition>;
}
