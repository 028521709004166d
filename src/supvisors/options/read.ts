/**
 * `[rpcinterface:supvisors]` -> SupvisorsOptions (spec §2.2, 0.19 names, the 0.16/0.17 spellings
 * the spec gives, and our own options). Where Supvisors logs a bad value and carries on with the
 * default, we stop start-up: a cluster whose instances silently disagree on a setting is worse
 * than one that does not start. Every error is the core's ConfigError, naming the section, the
 * option and the value, located at the option's file:line.
 */
import { ConfigError, ValueProblem, type ConfigErrorCode, type ConfigLocation } from "../../supervisord/config/errors.js";
import { existingDirpath, expandUser, loggingLevel, normalizePath } from "../../supervisord/config/datatypes.js";
import type { RpcInterfaceConfig } from "../../supervisord/config/types.js";
import { pythonStrRepr } from "../../supervisord/text.js";
import { resolve } from "node:path";
import {
  ConciliationStrategies,
  EventLinks,
  StartingStrategies,
  SupvisorsFailureStrategies,
  type SynchronizationOption,
} from "../../protocol/supvisors.js";
import { checkPortCollisions, IdentificationError, identifyInstances } from "../cluster/identification.js";
import type { SupvisorsOptions } from "../types.js";
import type { SupvisorsReadContext } from "./context.js";
import { internalKeyOf } from "./internal-key.js";
import { readableCaFile } from "./tls-ca.js";
import * as v from "./values.js";

/** Every option we read; anything else in the section gets a warning (a typo would otherwise go unseen). */
const KNOWN_OPTIONS = new Set([
  "supvisors_list", "software_name", "software_icon", "multicast_group", "multicast_interface", "multicast_ttl",
  "stereotypes", "rules_files", "css_files", "auto_fence", "event_link", "event_port", "internal_port",
  "synchro_options", "synchro_timeout", "inactivity_ticks", "core_identifiers", "disabilities_file",
  "starting_strategy", "conciliation_strategy", "supvisors_failure_strategy", "stats_enabled",
  "stats_collecting_period", "stats_periods", "stats_histo", "stats_irix_mode", "tail_limit", "tailf_limit",
  "logfile", "logfile_maxbytes", "logfile_backups", "loglevel",
  // ours
  "tick_period", "quorum", "internal_key", "tls_ca_file",
]);

/** Names of older Supvisors versions that are not read any more, with what replaced them. */
const OBSOLETE_OPTIONS: Readonly<Record<string, string>> = {
  rules_file: "removed in Supvisors 0.12: use rules_files",
  force_synchro_if: "renamed core_identifiers in Supvisors 0.11",
};

const FACTORY_KEY = "supervisor.rpcinterface_factory";

/** The section's values with their locations, and located errors. */
class SectionReader {
  readonly sectionName: string;
  constructor(readonly section: RpcInterfaceConfig) {
    this.sectionName = `rpcinterface:${section.name}`;
  }

  raw(option: string): string | null {
    return Object.hasOwn(this.section.options, option) ? this.section.options[option]! : null;
  }

  has(option: string): boolean {
    return this.raw(option) !== null;
  }

  where(option?: string): ConfigLocation {
    const at = option !== undefined ? this.section.locations[option] : undefined;
    return at ?? { ...this.section.where, section: this.sectionName, ...(option !== undefined && this.has(option) ? { option } : {}) };
  }

  error(option: string | undefined, message: string, code: ConfigErrorCode = "VALUE"): ConfigError {
    return new ConfigError(message, code, this.where(option));
  }

  bad(option: string, value: string, reason: string): ConfigError {
    return this.error(option, `invalid value ${pythonStrRepr(value)} for ${option} in section [${this.sectionName}]: ${reason}`);
  }

  /** The converted value, or `fallback` when the option is absent. */
  get<T>(option: string, fallback: T, convert: (text: string) => T): T {
    const text = this.raw(option);
    if (text === null) return fallback;
    try {
      return convert(text);
    } catch (e) {
      if (e instanceof ValueProblem) throw this.bad(option, text, e.message);
      throw e;
    }
  }
}

/**
 * Reads and checks every option, then identifies the instances (which resolves hosts: hence
 * async). Throws ConfigError; never anything else for bad input.
 */
export async function readSupvisorsOptions(section: RpcInterfaceConfig, ctx: SupvisorsReadContext): Promise<SupvisorsOptions> {
  const r = new SectionReader(section);
  for (const key of Object.keys(section.options)) {
    if (KNOWN_OPTIONS.has(key) || key === FACTORY_KEY) continue;
    const hint = OBSOLETE_OPTIONS[key];
    ctx.warn(`unknown option ${key} in section [${r.sectionName}] ignored${hint !== undefined ? ` (${hint})` : ""}`);
  }
  if (ctx.httpPort === null) {
    throw r.error(undefined, `Supvisors requires an [inet_http_server] section: section [${r.sectionName}] found but this supervisord has no HTTP port to be identified by`, "MISSING");
  }
  const paths = { cwd: ctx.cwd, env: ctx.env, users: ctx.users };

  const listItems = r.get("supvisors_list", [] as string[], v.list);
  const softwareName = r.get("software_name", "", (s) => s);
  const softwareIcon = r.get("software_icon", null as string | null, (s) => {
    const files = v.globFiles(s, ctx.cwd);
    if (files.length === 0) {
      ctx.warn(`software_icon ${pythonStrRepr(s)} in section [${r.sectionName}] matches no file: no icon`);
      return null;
    }
    if (files.length > 1) ctx.warn(`software_icon ${pythonStrRepr(s)} in section [${r.sectionName}] matches ${files.length} files: ${files[0]} is used`);
    return files[0]!;
  });
  const multicastGroup = r.get("multicast_group", null, v.multicastGroup);
  const multicastInterface = r.get("multicast_interface", null, v.multicastInterface);
  const multicastTtl = r.get("multicast_ttl", 1, (s) => v.intIn(s, 0, 255));
  const stereotypes = r.get("stereotypes", [] as string[], v.list);
  const rulesFiles = r.get("rules_files", [] as string[], (s) => {
    const files = v.globFiles(s, ctx.cwd);
    if (files.length === 0) ctx.warn(`rules_files ${pythonStrRepr(s)} in section [${r.sectionName}] matches no file: no rules`);
    return files;
  });
  const cssFiles = r.get("css_files", [] as string[], (s) => {
    const files = v.globFiles(s, ctx.cwd);
    if (files.length === 0) ctx.warn(`css_files ${pythonStrRepr(s)} in section [${r.sectionName}] matches no file`);
    return files;
  });
  const autoFence = r.get("auto_fence", false, v.bool);
  const eventLink = r.get("event_link", "NONE" as const, (s) => v.oneOf(s, EventLinks));
  const eventPort = r.get("event_port", null, (s) => v.intIn(s, 1, 65535));
  const internalPort = r.get("internal_port", null, (s) => v.intIn(s, 1, 65535));
  const synchroTimeout = r.get("synchro_timeout", 15, (s) => v.intIn(s, 15, 1200));
  const inactivityTicks = r.get("inactivity_ticks", 2, (s) => v.intIn(s, 2, 720));
  const coreIdentifiers = r.get("core_identifiers", [] as string[], v.list);
  const disabilitiesFile = r.get("disabilities_file", null as string | null, (s) => {
    const p = s.trim();
    return p ? resolve(ctx.cwd, expandUser(p, paths)) : null;
  });
  const startingStrategy = r.get("starting_strategy", "CONFIG" as const, (s) => v.oneOf(s, StartingStrategies));
  const conciliationStrategy = r.get("conciliation_strategy", "USER" as const, (s) => v.oneOf(s, ConciliationStrategies));
  let supvisorsFailureStrategy = r.get("supvisors_failure_strategy", "CONTINUE" as const, (s) => v.oneOf(s, SupvisorsFailureStrategies));
  const statsEnabled = r.get("stats_enabled", { host: true, process: true }, v.statsEnabled);
  const statsCollectingPeriod = r.get("stats_collecting_period", 5, (s) => v.floatIn(s, 1, 3600));
  const statsPeriods = r.get("stats_periods", [10], v.statsPeriods);
  const statsHisto = r.get("stats_histo", 200, (s) => v.intIn(s, 10, 1500));
  const statsIrixMode = r.get("stats_irix_mode", false, v.bool);
  const tailLimit = r.get("tail_limit", 1024, v.bytes);
  const tailfLimit = r.get("tailf_limit", 1024, v.bytes);
  const logfile = r.get("logfile", null as string | null, (s) => {
    const p = s.trim();
    if (p.toUpperCase() === "AUTO") return null;
    if (!p) throw new ValueProblem("expected AUTO or a file path");
    return normalizePath(existingDirpath(p, paths), paths);
  });
  const logfileMaxbytes = r.get("logfile_maxbytes", 50 * 1024 * 1024, v.bytes);
  const logfileBackups = r.get("logfile_backups", 10, (s) => v.intIn(s, 0, 1_000_000));
  const loglevel = r.get("loglevel", "info" as const, (s) => {
    try {
      return loggingLevel(s.trim());
    } catch {
      throw new ValueProblem("expected one of critical, error, warn, info, debug, trace, blather");
    }
  });
  const tickPeriod = r.get("tick_period", 0.25, (s) => v.floatIn(s, 0.05, 5));
  const quorum = r.get("quorum", true, v.bool);
  const internalKeyOption = r.get("internal_key", null, v.nonEmpty);
  // Ours: the CA that verifies the peers' HTTPS servers (default: the system CAs).
  const tlsCaFile = r.get("tls_ca_file", null as string | null, (s) => readableCaFile(resolve(ctx.cwd, expandUser(v.nonEmpty(s), paths))));
  if (tlsCaFile !== null && ctx.httpSecure !== true) {
    ctx.warn(`tls_ca_file in section [${r.sectionName}] is ignored: the [inet_http_server] has no certfile/keyfile, so the instances talk plain HTTP`);
  }

  const synchroOptions = finishSynchroOptions(r, ctx, {
    given: r.get("synchro_options", null, v.synchroOptions),
    coreIdentifiers,
    listIsEmpty: listItems.length === 0,
  });
  if (synchroOptions.includes("TIMEOUT") && supvisorsFailureStrategy !== "CONTINUE") {
    ctx.warn(`supvisors_failure_strategy ${supvisorsFailureStrategy} in section [${r.sectionName}] is replaced by CONTINUE: synchro_options contains TIMEOUT`);
    supvisorsFailureStrategy = "CONTINUE";
  }

  let identification;
  try {
    identification = await identifyInstances({
      items: listItems,
      localHttpPort: ctx.httpPort,
      supervisorIdentifier: ctx.identifier,
      hostNodeName: ctx.hostNodeName,
      internalPort,
      eventPort,
      resolveHost: ctx.resolveHost,
      localHost: ctx.localHost,
    });
    checkPortCollisions(identification.instances, eventLink !== "NONE");
  } catch (e) {
    if (!(e instanceof IdentificationError)) throw e;
    const option = r.has("supvisors_list") ? "supvisors_list" : undefined;
    throw r.error(option, `${e.message} (section [${r.sectionName}]${option !== undefined ? `, supvisors_list ${pythonStrRepr(r.raw(option)!)}` : ""})`);
  }
  for (const w of identification.warnings) ctx.warn(w);

  return {
    supvisorsList: identification.instances,
    localIndex: identification.localIndex,
    softwareName,
    softwareIcon,
    multicastGroup,
    multicastInterface,
    multicastTtl,
    stereotypes,
    rulesFiles,
    cssFiles,
    autoFence,
    eventLink,
    eventPort,
    synchroOptions,
    synchroTimeout,
    inactivityTicks,
    coreIdentifiers,
    disabilitiesFile,
    startingStrategy,
    conciliationStrategy,
    supvisorsFailureStrategy,
    statsEnabled,
    statsCollectingPeriod,
    statsPeriods,
    statsHisto,
    statsIrixMode,
    tailLimit,
    tailfLimit,
    logfile,
    logfileMaxbytes,
    logfileBackups,
    loglevel,
    tickPeriod,
    quorum,
    internalKey: internalKeyOf(internalKeyOption, ctx.httpAuth),
    ...(tlsCaFile !== null ? { tlsCaFile } : {}),
  };
}

const DEFAULT_SYNCHRO_OPTIONS: readonly SynchronizationOption[] = ["STRICT", "TIMEOUT", "CORE"];

/** The post-checks of synchro_options (spec §2.2): CORE needs core_identifiers, STRICT a list; never empty. */
function finishSynchroOptions(
  r: SectionReader,
  ctx: SupvisorsReadContext,
  o: { given: SynchronizationOption[] | null; coreIdentifiers: readonly string[]; listIsEmpty: boolean },
): SynchronizationOption[] {
  let result = [...(o.given ?? DEFAULT_SYNCHRO_OPTIONS)];
  const explicit = o.given !== null;
  if (o.coreIdentifiers.length === 0 && result.includes("CORE")) {
    if (explicit) ctx.warn(`synchro_options CORE in section [${r.sectionName}] is ignored: core_identifiers is empty`);
    result = result.filter((s) => s !== "CORE");
  }
  if (o.listIsEmpty && result.includes("STRICT")) {
    if (explicit) ctx.warn(`synchro_options STRICT in section [${r.sectionName}] is ignored: supvisors_list is empty`);
    result = result.filter((s) => s !== "STRICT");
  }
  if (result.length === 0) {
    const text = r.raw("synchro_options") ?? "";
    throw r.bad(
      "synchro_options",
      text,
      `no synchronization condition is left (CORE needs core_identifiers, STRICT needs supvisors_list): add TIMEOUT, LIST or USER`,
    );
  }
  return result;
}
