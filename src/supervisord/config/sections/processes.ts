/**
 * `processes_from_section`: the ProcessConfigs of one `[program:x]` / `[eventlistener:x]` /
 * `[fcgi-program:x]` section. Follows supervisord's order of reads and, on purpose, its shared
 * mutable expansion dictionary: after the first process, options read "once" (directory, log
 * options) also see process_num, numprocs and the program's ENV_ names, exactly as in 4.2.5.
 * Every error is suffixed `in section '<s>' (file: '<f>')`.
 */
import { ConfigError, ValueProblem } from "../errors.js";
import { at, getReq, locate, saneget, type ReadContext } from "../context.js";
import {
  autoRestart,
  boolean,
  byteSize,
  integer,
  listOfExitcodes,
  logfileName,
  octal,
  processOrGroupName,
  resolveUser,
} from "../datatypes.js";
import { dictOfKeyValuePairs } from "../env-pairs.js";
import { expand, comparePython, type Expansions } from "../expand.js";
import { pythonStrRepr } from "../../text.js";
import { signalNumber, signalShortName, SignalValueError } from "../../signals.js";
import type { LogFileSpec, ProcessConfig, ReadinessConfig } from "../types.js";
import {
  readinessCheck,
  readinessFailures,
  readinessInterval,
  readinessOnFailure,
  readinessStartsecs,
  readinessTimeout,
} from "../../readiness/options.js";

/** Sort by (priority, name) like supervisord's Config.__lt__ (stable, names by code point). */
export function byPriorityThenName<T extends { priority: number; name: string }>(a: T, b: T): number {
  return a.priority !== b.priority ? a.priority - b.priority : comparePython(a.name, b.name);
}

function signal(v: string): number {
  try {
    return signalNumber(v);
  } catch (e) {
    if (e instanceof SignalValueError) throw new ValueProblem(e.message);
    throw e;
  }
}

/** What a caller may impose on the section's own options (Supvisors' update_numprocs sets numprocs). */
export interface SectionOverrides {
  readonly numprocs?: number;
}

export function processesFromSection(ctx: ReadContext, section: string, groupName: string, overrides: SectionOverrides = {}): ProcessConfig[] {
  try {
    return readProcesses(ctx, section, groupName, overrides);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof ValueProblem) {
      const file = ctx.doc.section(section)?.file ?? ctx.configfile;
      const suffix = ` in section ${pythonStrRepr(section)} (file: ${pythonStrRepr(file)})`;
      const base = e instanceof ConfigError ? e : new ConfigError(e.message, e.code, locate(ctx, section));
      throw base.withMessage(base.message + suffix).withLocation({ file, section });
    }
    throw e;
  }
}

function readProcesses(ctx: ReadContext, section: string, groupName: string, overrides: SectionOverrides): ProcessConfig[] {
  const programName = at(ctx, section, undefined, () => processOrGroupName(section.slice(section.indexOf(":") + 1)));
  // supervisord's `common_expansions`, mutated by the process loop below.
  const common: Expansions = new Map<string, string | number>([
    ["here", ctx.here],
    ["program_name", programName],
    ["host_node_name", ctx.hostname],
    ["group_name", groupName],
  ]);
  const o = () => ({ expansions: [...common] });
  const S = section;

  const priority = getReq(ctx, S, "priority", "999", integer, o());
  const autostart = getReq(ctx, S, "autostart", "true", boolean, o());
  const autorestart = getReq(ctx, S, "autorestart", "unexpected", autoRestart, o());
  const startsecs = getReq(ctx, S, "startsecs", "1", integer, o());
  const startretries = getReq(ctx, S, "startretries", "3", integer, o());
  const stopsignal = getReq(ctx, S, "stopsignal", "TERM", signal, o());
  const stopwaitsecs = getReq(ctx, S, "stopwaitsecs", "10", integer, o());
  const stopasgroup = getReq(ctx, S, "stopasgroup", "false", boolean, o());
  const killasgroup = getReq(ctx, S, "killasgroup", stopasgroup ? "true" : "false", boolean, o());
  const exitcodes = getReq(ctx, S, "exitcodes", "0", listOfExitcodes, o());
  const redirectStderr = getReq(ctx, S, "redirect_stderr", "false", boolean, o());
  // Supvisors writes the new value into its parser's section before reading it again: same effect.
  const numprocs = overrides.numprocs ?? getReq(ctx, S, "numprocs", "1", integer, o());
  const numprocsStart = getReq(ctx, S, "numprocs_start", "0", integer, o());
  const environmentStr = saneget(ctx, S, "environment", { expand: false }) ?? "";
  const hasEnvironment = ctx.doc.get(S, "environment") !== undefined;
  const stdoutCaptureMaxbytes = getReq(ctx, S, "stdout_capture_maxbytes", "0", byteSize, o());
  const stdoutEvents = getReq(ctx, S, "stdout_events_enabled", "false", boolean, o());
  const stderrCaptureMaxbytes = getReq(ctx, S, "stderr_capture_maxbytes", "0", byteSize, o());
  const stderrEvents = getReq(ctx, S, "stderr_events_enabled", "false", boolean, o());
  let serverurl = saneget(ctx, S, "serverurl", o());
  if (serverurl && serverurl.trim().toUpperCase() === "AUTO") serverurl = null;
  const userRaw = saneget(ctx, S, "user", o());
  const user = userRaw === null ? null : at(ctx, S, "user", () => resolveUser(userRaw, ctx.users));
  const umaskRaw = saneget(ctx, S, "umask", o());
  const umask = umaskRaw === null ? null : at(ctx, S, "umask", () => octal(umaskRaw));
  const processName = at(ctx, S, "process_name", () =>
    processOrGroupName(saneget(ctx, S, "process_name", { expand: false }) ?? "%(program_name)s"),
  );
  if (numprocs > 1 && !processName.includes("%(process_num)")) {
    throw new ConfigError("%(process_num) must be present within process_name when numprocs > 1", "VALUE", locate(ctx, S, "numprocs"));
  }
  if (stopasgroup && !killasgroup) {
    throw new ConfigError("Cannot set stopasgroup=true and killasgroup=false", "VALUE", locate(ctx, S, "killasgroup"));
  }

  const out: ProcessConfig[] = [];
  for (let processNum = numprocsStart; processNum < numprocsStart + numprocs; processNum++) {
    common.set("process_num", processNum);
    common.set("numprocs", numprocs);
    for (const [k, v] of ctx.environExpansions) common.set(k, v);

    const environment = at(ctx, S, "environment", () => dictOfKeyValuePairs(expand(environmentStr, common, "environment")));
    for (const [k, v] of Object.entries(environment)) common.set(`ENV_${k}`, v);

    const directory = saneget(ctx, S, "directory", o());

    const logs = {} as Record<"stdout" | "stderr", { file: LogFileSpec; maxbytes: number; backups: number; syslog: boolean }>;
    for (const ch of ["stdout", "stderr"] as const) {
      const lfKey = `${ch}_logfile`;
      const once = saneget(ctx, S, lfKey, o());
      const spec = at(ctx, S, lfKey, () => logfileName(once === null ? null : expand(once, common, lfKey), ctx));
      const backups = getReq(ctx, S, `${ch}_logfile_backups`, "10", integer, o());
      const maxbytes = getReq(ctx, S, `${ch}_logfile_maxbytes`, "50MB", byteSize, o());
      let syslog = getReq(ctx, S, `${ch}_syslog`, "false", boolean, o());
      let file: LogFileSpec;
      if (spec === "syslog") {
        ctx.messages.warnings.push(
          `For [${S}], ${lfKey}=syslog but this is deprecated and will be removed.  Use ${ch}_syslog=true to enable syslog instead.`,
        );
        file = { kind: "none" };
        syslog = true;
      } else {
        file = spec;
      }
      if (file.kind === "auto" && !maxbytes) {
        ctx.messages.warnings.push(
          `For [${S}], AUTO logging used for ${lfKey} without rollover, set maxbytes > 0 to avoid filling up filesystem unintentionally`,
        );
      }
      logs[ch] = { file, maxbytes, backups, syslog };
    }
    if (redirectStderr) {
      if (logs.stderr.file.kind === "path") {
        ctx.messages.warnings.push(
          `For [${S}], redirect_stderr=true but stderr_logfile has also been set to a filename, the filename has been ignored`,
        );
      }
      logs.stderr.file = { kind: "none" };
    }

    const command = saneget(ctx, S, "command", { expansions: [...common] });
    if (command === null) {
      throw new ConfigError(`program section ${S} does not specify a command`, "MISSING", locate(ctx, S));
    }
    const name = at(ctx, S, "process_name", () => expand(processName, common, "process_name"));
    const readiness = S.startsWith("eventlistener:") ? null : readReadiness(ctx, S, common);

    out.push({
      program_name: programName,
      section: S,
      name,
      group: groupName,
      process_num: processNum,
      numprocs,
      command,
      environment: hasEnvironment ? environment : null,
      directory,
      umask,
      priority,
      autostart,
      autorestart,
      startsecs,
      startretries,
      user,
      stdout_logfile: logs.stdout.file,
      stdout_logfile_maxbytes: logs.stdout.maxbytes,
      stdout_logfile_backups: logs.stdout.backups,
      stdout_capture_maxbytes: stdoutCaptureMaxbytes,
      stdout_events_enabled: stdoutEvents,
      stdout_syslog: logs.stdout.syslog,
      stderr_logfile: logs.stderr.file,
      stderr_logfile_maxbytes: logs.stderr.maxbytes,
      stderr_logfile_backups: logs.stderr.backups,
      stderr_capture_maxbytes: stderrCaptureMaxbytes,
      stderr_events_enabled: stderrEvents,
      stderr_syslog: logs.stderr.syslog,
      stopsignal,
      stopsignal_name: signalShortName(stopsignal),
      stopwaitsecs,
      stopasgroup,
      killasgroup,
      exitcodes,
      redirect_stderr: redirectStderr,
      serverurl,
      readiness,
    });
  }
  return out.sort(byPriorityThenName);
}

/**
 * Our readiness_* options, read per process with the same expansions as `command` (so a check can
 * name `%(process_num)s`'s port). Without readiness_check the others are not even read: null.
 */
function readReadiness(ctx: ReadContext, S: string, common: Expansions): ReadinessConfig | null {
  const o = { expansions: [...common] };
  const raw = saneget(ctx, S, "readiness_check", o);
  if (raw === null) return null;
  return {
    check: at(ctx, S, "readiness_check", () => readinessCheck(raw)),
    interval: getReq(ctx, S, "readiness_interval", "1", readinessInterval, o),
    timeout: getReq(ctx, S, "readiness_timeout", "1", readinessTimeout, o),
    failures: getReq(ctx, S, "readiness_failures", "3", readinessFailures, o),
    startsecs: getReq(ctx, S, "readiness_startsecs", "60", readinessStartsecs, o),
    onFailure: getReq(ctx, S, "readiness_on_failure", "report", readinessOnFailure, o),
  };
}
