/**
 * `process_groups_from_parser`: heterogeneous `[group:x]`, then `[program:x]`,
 * `[eventlistener:x]` and `[fcgi-program:x]` groups, sorted by (priority, name). Group-level
 * errors carry no `in section ...` suffix, as in supervisord.
 */
import { isAbsolute } from "node:path";
import { ConfigError, ValueProblem } from "../errors.js";
import { at, getAs, getReq, locate, saneget, type ReadContext } from "../context.js";
import {
  colonSeparatedUserGroup,
  boolean,
  integer,
  listOfStrings,
  nameToUid,
  normalizePath,
  octal,
  processOrGroupName,
} from "../datatypes.js";
import { isKnownEventType } from "../../events/hierarchy.js";
import { pythonStrRepr } from "../../text.js";
import { byPriorityThenName, processesFromSection } from "./processes.js";
import type { FcgiSocketConfig, GroupConfig, ProcessConfig } from "../types.js";

const DEFAULT_RESULT_HANDLER = "supervisor.dispatchers:default_handler";

export interface GroupReadOptions {
  /** The config has Supvisors' [rpcinterface:x]: `events=` also knows the names its plugin registers. */
  readonly supvisors?: boolean;
}

export function processGroupsFromParser(ctx: ReadContext, opts: GroupReadOptions = {}): GroupConfig[] {
  const groups: GroupConfig[] = [];
  const all = ctx.doc.sections();
  const homogeneousExclude = new Set<string>();
  const here: [string, string][] = [["here", ctx.here]];
  const o = { expansions: here };

  for (const groupSection of all) {
    if (!groupSection.startsWith("group:")) continue;
    // supervisord reuses the loop variable for the member section, so later messages name it.
    let section = groupSection;
    const groupName = at(ctx, section, undefined, () => processOrGroupName(section.slice(section.indexOf(":") + 1)));
    const programs = at(ctx, section, "programs", () => listOfStrings(saneget(ctx, section, "programs", o)));
    const priority = getReq(ctx, section, "priority", "999", integer, o);
    const members: ProcessConfig[] = [];
    for (const program of programs) {
      const programSection = `program:${program}`;
      const fcgiSection = `fcgi-program:${program}`;
      const hasProgram = all.includes(programSection);
      const hasFcgi = all.includes(fcgiSection);
      if (!hasProgram && !hasFcgi) {
        throw new ConfigError(`[${section}] names unknown program or fcgi-program ${program}`, "VALUE", locate(ctx, groupSection, "programs"));
      }
      if (hasProgram && hasFcgi) {
        throw new ConfigError(
          `[${section}] name ${program} is ambiguous (exists as program and fcgi-program)`,
          "VALUE",
          locate(ctx, groupSection, "programs"),
        );
      }
      section = hasProgram ? programSection : fcgiSection;
      homogeneousExclude.add(section);
      members.push(...processesFromSection(ctx, section, groupName));
    }
    // supervisord keeps the programs= order here (each program's processes sorted); at run time it
    // orders processes by priority only, stably, which process/group.ts does.
    groups.push({ kind: "group", name: groupName, priority, processes: members });
  }

  for (const section of all) {
    if (!section.startsWith("program:") || homogeneousExclude.has(section)) continue;
    const programName = at(ctx, section, undefined, () => processOrGroupName(section.slice(section.indexOf(":") + 1)));
    const priority = getReq(ctx, section, "priority", "999", integer, o);
    const processes = processesFromSection(ctx, section, programName);
    groups.push({ kind: "program", name: programName, priority, processes });
  }

  for (const section of all) {
    if (!section.startsWith("eventlistener:")) continue;
    groups.push(eventListenerPool(ctx, section, o, opts));
  }

  for (const section of all) {
    if (!section.startsWith("fcgi-program:") || homogeneousExclude.has(section)) continue;
    const programName = at(ctx, section, undefined, () => processOrGroupName(section.slice(section.indexOf(":") + 1)));
    const priority = getReq(ctx, section, "priority", "999", integer, o);
    const socket = fcgiSocket(ctx, section, programName, o);
    const processes = processesFromSection(ctx, section, programName);
    groups.push({ kind: "fcgi", name: programName, priority, processes, socket });
  }

  return groups.sort(byPriorityThenName);
}

function eventListenerPool(ctx: ReadContext, section: string, o: { expansions: [string, string][] }, opts: GroupReadOptions): GroupConfig {
  const poolName = section.slice(section.indexOf(":") + 1);
  // Listeners default to a "high" priority so they start first and stop last.
  const priority = getReq(ctx, section, "priority", "-1", integer, o);
  const bufferSize = getReq(ctx, section, "buffer_size", "10", integer, o);
  if (bufferSize < 1) {
    throw new ConfigError(`[${section}] section sets invalid buffer_size (${bufferSize})`, "VALUE", locate(ctx, section, "buffer_size"));
  }
  const resultHandler = saneget(ctx, section, "result_handler", o) ?? DEFAULT_RESULT_HANDLER;
  if (resultHandler !== DEFAULT_RESULT_HANDLER) {
    // Python entry points cannot be imported here; only the built-in OK/FAIL handler exists.
    throw new ConfigError(`${resultHandler} cannot be resolved within [${section}]`, "VALUE", locate(ctx, section, "result_handler"));
  }
  const events: string[] = [];
  for (const name of listOfStrings(saneget(ctx, section, "events", o) ?? "")) {
    const upper = name.toUpperCase();
    if (!events.includes(upper)) events.push(upper);
  }
  if (events.length === 0) {
    throw new ConfigError(`[${section}] section requires an "events" line`, "MISSING", locate(ctx, section, "events"));
  }
  for (const ev of events) {
    if (!isKnownEventType(ev, { supvisors: opts.supvisors === true })) {
      throw new ConfigError(`Unknown event type ${ev} in [${section}] events`, "VALUE", locate(ctx, section, "events"));
    }
  }
  if (getReq(ctx, section, "redirect_stderr", "false", boolean, o)) {
    throw new ConfigError(
      `[${section}] section sets redirect_stderr=true but this is not allowed because it will interfere with the eventlistener protocol`,
      "VALUE",
      locate(ctx, section, "redirect_stderr"),
    );
  }
  const processes = processesFromSection(ctx, section, poolName);
  return { kind: "eventlistener", name: poolName, priority, processes, events, buffer_size: bufferSize, result_handler: resultHandler };
}

/** Python formats these two errors with a stray tuple: ValueError("... %s ...", value). */
function tupleMessage(template: string, value: string): string {
  return `(${pythonStrRepr(template)}, ${pythonStrRepr(value)})`;
}

function fcgiSocket(ctx: ReadContext, section: string, programName: string, o: { expansions: [string, string][] }): FcgiSocketConfig {
  const procUserRaw = saneget(ctx, section, "user", o);
  const procUid = procUserRaw === null ? null : at(ctx, section, "user", () => nameToUid(procUserRaw, ctx.users));
  const backlog = getAs(ctx, section, "socket_backlog", null, integer, o);
  if (backlog !== null && (backlog < 1 || backlog > 65535)) {
    throw new ConfigError(`Invalid socket_backlog value ${backlog}`, "VALUE", locate(ctx, section, "socket_backlog"));
  }
  const ownerRaw = saneget(ctx, section, "socket_owner", o);
  let owner: { uid: number; gid: number } | null = null;
  if (ownerRaw !== null) {
    owner = at(ctx, section, "socket_owner", () => {
      try {
        return colonSeparatedUserGroup(ownerRaw, ctx.users);
      } catch {
        throw new ValueProblem(`Invalid socket_owner value ${ownerRaw}`);
      }
    });
  }
  const modeRaw = saneget(ctx, section, "socket_mode", o);
  let mode: number | null = null;
  if (modeRaw !== null) {
    mode = at(ctx, section, "socket_mode", () => {
      try {
        return octal(modeRaw);
      } catch {
        throw new ValueProblem(`Invalid socket_mode value ${modeRaw}`);
      }
    });
  }
  const sock = saneget(ctx, section, "socket", { expansions: [["program_name", programName], ...o.expansions] });
  if (!sock) {
    throw new ConfigError(`[${section}] section requires a "socket" line`, "MISSING", locate(ctx, section, "socket"));
  }
  return at(ctx, section, "socket", () => {
    try {
      return parseFcgiSocket(ctx, sock, procUid, owner, mode, backlog);
    } catch (e) {
      if (e instanceof ValueProblem) throw new ValueProblem(`${e.message} in [${section}] socket`);
      throw e;
    }
  });
}

function parseFcgiSocket(
  ctx: ReadContext,
  sock: string,
  procUid: number | null,
  owner: { uid: number; gid: number } | null,
  mode: number | null,
  backlog: number | null,
): FcgiSocketConfig {
  if (sock.startsWith("unix://")) {
    const raw = sock.slice(7);
    if (!isAbsolute(raw)) throw new ValueProblem(tupleMessage("Unix socket path %s is not an absolute path", raw));
    const path = normalizePath(raw, ctx);
    let socketOwner = owner;
    if (socketOwner === null) {
      const myUid = process.getuid?.() ?? 0;
      if (procUid !== null && procUid !== myUid) socketOwner = { uid: procUid, gid: ctx.users.userById(procUid)!.gid };
    }
    return { url: `unix://${path}`, kind: "unix", path, backlog, owner: socketOwner, mode: mode ?? 0o700 };
  }
  if (owner !== null || mode !== null) {
    throw new ValueProblem("socket_owner and socket_mode params should only be used with a Unix domain socket");
  }
  const m = /^tcp:\/\/([^\s:]+):(\d+)$/.exec(sock);
  if (m) {
    const host = m[1]!.toLowerCase();
    const port = Number(m[2]);
    if (port < 1) throw new ValueProblem(`${port} is below lower bound (1)`);
    if (port > 0xffff) throw new ValueProblem(`${port} is above upper bound (65535)`);
    return { url: `tcp://${host}:${port}`, kind: "tcp", host, port, backlog, owner: null, mode: null };
  }
  throw new ValueProblem(tupleMessage("Bad socket format %s", sock));
}

