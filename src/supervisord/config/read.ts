/**
 * Entry points: `readConfig` (supervisord's view of a supervisord.conf with its includes) and
 * `readCtlConfig` (supervisorctl's view: [supervisorctl] only, no includes).
 */
import { existsSync, readFileSync } from "node:fs";
import { hostname as osHostname } from "node:os";
import { resolve } from "node:path";
import { ConfigError } from "./errors.js";
import { locate, messagesInOrder, type ReadContext } from "./context.js";
import { normalizePath, pyDirname, resolveUser } from "./datatypes.js";
import type { Expansions } from "./expand.js";
import { IniDocument } from "./ini.js";
import { processIncludes } from "./include.js";
import { processGroupsFromParser } from "./sections/groups.js";
import { processesFromSection } from "./sections/processes.js";
import { hasSupvisorsInterface, rpcInterfacesFromParser, supvisorsEventOptions } from "./sections/rpcinterface.js";
import { serverConfigsFromParser } from "./sections/servers.js";
import { readSupervisordSection, type RawSupervisordOptions } from "./sections/supervisord.js";
import { readSupervisorctlSection } from "./sections/supervisorctl.js";
import { fileUserDatabase, type UserDatabase } from "./users.js";
import { ValueProblem } from "./errors.js";
import type { CtlConfig, CtlPluginSection, GroupConfig, ProgramDefinition, SupervisorConfig, SupervisorctlConfig, SupervisordOptions } from "./types.js";

export interface ReadConfigOptions {
  /** supervisord's own environment (ENV_ expansions, HOME for `~`, TMPDIR); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Directory relative paths are resolved against; default process.cwd(). */
  cwd?: string;
  /** `host_node_name`; default os.hostname(). */
  hostname?: string;
  /** passwd/group source; default /etc/passwd and /etc/group. */
  users?: UserDatabase;
}

function loadDocument(file: string, cwd: string): IniDocument {
  const abs = resolve(cwd, file);
  if (!existsSync(abs)) throw new ConfigError(`could not find config file ${file}`, "NOT_FOUND", { file });
  let text: string;
  try {
    text = readFileSync(abs, "utf8");
  } catch {
    throw new ConfigError(`could not read config file ${file}`, "NOT_FOUND", { file });
  }
  const doc = new IniDocument();
  doc.read(text, file);
  return doc;
}

function environExpansions(env: NodeJS.ProcessEnv): Expansions {
  const m: Expansions = new Map();
  for (const [k, v] of Object.entries(env)) if (v !== undefined) m.set(`ENV_${k}`, v);
  return m;
}

function makeContext(file: string, opts: ReadConfigOptions, doc: IniDocument): ReadContext {
  const cwd = opts.cwd ?? process.cwd();
  const env = opts.env ?? process.env;
  return {
    doc,
    configfile: file,
    here: pyDirname(resolve(cwd, file)),
    hostname: opts.hostname ?? osHostname(),
    environExpansions: environExpansions(env),
    messages: { criticals: [], warnings: [], infos: [] },
    cwd,
    env,
    users: opts.users ?? fileUserDatabase(),
  };
}

/** Read a supervisord config file. Throws ConfigError with supervisord's message. */
export function readConfig(file: string, opts: ReadConfigOptions = {}): SupervisorConfig {
  const cwd = opts.cwd ?? process.cwd();
  const doc = loadDocument(file, cwd);
  const ctx = makeContext(file, opts, doc);
  const included = processIncludes(ctx, resolve(cwd, file));
  if (!doc.hasSection("supervisord")) {
    throw new ConfigError(".ini file does not include supervisord section", "MISSING", { file });
  }
  const raw = readSupervisordSection(ctx);
  const rpcinterfaces = rpcInterfacesFromParser(ctx);
  const groups = processGroupsFromParser(ctx, { supvisors: hasSupvisorsInterface(rpcinterfaces) });
  const servers = serverConfigsFromParser(ctx);
  let supervisorctl: SupervisorctlConfig | null = null;
  if (doc.hasSection("supervisorctl")) {
    // supervisord itself never reads [supervisorctl]; a problem there must not stop it.
    try {
      supervisorctl = readSupervisorctlSection(ctx);
    } catch {
      supervisorctl = null;
    }
  }
  const supervisord = finishSupervisordOptions(raw, ctx, locate(ctx, "supervisord", "user"));
  return {
    file: resolve(cwd, file),
    here: ctx.here,
    supervisord,
    groups,
    servers,
    rpcinterfaces,
    supervisorctl,
    included,
    messages: messagesInOrder(ctx.messages),
    programs: programDefinitions(ctx, groups),
  };
}

/**
 * The program sections behind `groups`. A later expansion reads the same document with the
 * expansion state the read ended with (what Supvisors' kept parser holds); its warnings go nowhere,
 * as supervisord logged the section's warnings once already.
 */
function programDefinitions(ctx: ReadContext, groups: readonly GroupConfig[]): ReadonlyMap<string, ProgramDefinition> {
  const out = new Map<string, ProgramDefinition>();
  for (const g of groups) {
    for (const p of g.processes) {
      if (out.has(p.program_name)) continue;
      const section = p.section;
      out.set(p.program_name, {
        name: p.program_name,
        section,
        numprocs: p.numprocs,
        processes: (group, numprocs) =>
          processesFromSection({ ...ctx, messages: { criticals: [], warnings: [], infos: [] } }, section, group, { numprocs }),
      });
    }
  }
  return out;
}

/**
 * What supervisord's realize() does after reading: resolve `user`, make logfile (unless
 * `syslog`) and pidfile absolute against the startup directory.
 */
export function finishSupervisordOptions(
  raw: RawSupervisordOptions,
  where: { cwd: string; env: NodeJS.ProcessEnv; users: UserDatabase },
  userLocation: { file?: string; line?: number } = {},
): SupervisordOptions {
  let user: SupervisordOptions["user"] = null;
  if (raw.user !== null) {
    try {
      user = resolveUser(raw.user, where.users);
    } catch (e) {
      if (e instanceof ValueProblem) throw new ConfigError(e.message, "VALUE", { ...userLocation, section: "supervisord", option: "user" });
      throw e;
    }
  }
  return {
    logfile: raw.logfile === "syslog" ? "syslog" : normalizePath(raw.logfile, where),
    logfile_maxbytes: raw.logfile_maxbytes,
    logfile_backups: raw.logfile_backups,
    loglevel: raw.loglevel,
    pidfile: normalizePath(raw.pidfile, where),
    umask: raw.umask,
    nodaemon: raw.nodaemon,
    silent: raw.silent,
    minfds: raw.minfds,
    minprocs: raw.minprocs,
    nocleanup: raw.nocleanup,
    childlogdir: raw.childlogdir,
    user,
    directory: raw.directory,
    strip_ansi: raw.strip_ansi,
    environment: raw.hasEnvironment ? raw.environment : null,
    identifier: raw.identifier,
  };
}

/** supervisorctl's reading of a config file: only [supervisorctl] (required), no [include]. */
export function readCtlConfig(file: string, opts: ReadConfigOptions = {}, knownFactories: readonly string[] = []): CtlConfig {
  const cwd = opts.cwd ?? process.cwd();
  const doc = loadDocument(file, cwd);
  const ctx = makeContext(file, opts, doc);
  if (!doc.hasSection("supervisorctl")) {
    throw new ConfigError(".ini file does not include supervisorctl section", "MISSING", { file });
  }
  return { ...readSupervisorctlSection(ctx), ctlplugins: ctlPluginSections(doc, file, knownFactories), supvisorsEvents: supvisorsEventOptions(doc) };
}

/**
 * The `[ctlplugin:x]` sections, in file order, with supervisorctl's errors: no factory, or one
 * that this program cannot load (Python would fail to import it).
 */
function ctlPluginSections(doc: IniDocument, file: string, knownFactories: readonly string[]): CtlPluginSection[] {
  const KEY = "supervisor.ctl_factory";
  const out: CtlPluginSection[] = [];
  for (const section of doc.sections()) {
    if (!section.startsWith("ctlplugin:")) continue;
    const entry = doc.get(section, KEY);
    const where = { file, section, line: entry?.line ?? doc.section(section)?.line };
    if (entry === undefined) throw new ConfigError(`section [${section}] does not specify a ${KEY}`, "MISSING", where);
    const factory = entry.value.trim();
    if (!knownFactories.includes(factory)) {
      throw new ConfigError(`${factory} cannot be resolved within [${section}]`, "VALUE", { ...where, option: KEY });
    }
    out.push({ name: section.slice("ctlplugin:".length), factory });
  }
  return out;
}
