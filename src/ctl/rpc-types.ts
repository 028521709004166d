/**
 * The shapes of the supervisor.* answers the commands read, checked as they are unpacked so a
 * malformed answer is a clear BadResponseError rather than `undefined` in the output.
 */
import { isRpcStruct, type RpcStruct, type RpcValue } from "../supervisord/rpc/codec.js";
import { BadResponseError } from "./errors.js";

function struct(v: RpcValue, what: string): RpcStruct {
  if (!isRpcStruct(v)) throw new BadResponseError(`expected a struct for ${what}`);
  return v;
}
export function asArray(v: RpcValue, what: string): RpcValue[] {
  if (!Array.isArray(v)) throw new BadResponseError(`expected an array for ${what}`);
  return v;
}
function str(s: RpcStruct, key: string): string {
  const v = s[key];
  if (typeof v !== "string") throw new BadResponseError(`expected a string ${key}`);
  return v;
}
function num(s: RpcStruct, key: string): number {
  const v = s[key];
  if (typeof v !== "number") throw new BadResponseError(`expected an int ${key}`);
  return v;
}
/** Python truthiness of a struct member (booleans arrive as true/false, ints as 0/1). */
function truthy(s: RpcStruct, key: string): boolean {
  const v = s[key];
  return v !== false && v !== 0 && v !== "" && v !== null && v !== undefined;
}

export interface ProcessInfo {
  readonly name: string;
  readonly group: string;
  readonly state: number;
  readonly statename: string;
  readonly description: string;
  readonly pid: number;
  /** Ours: present only for a program with a readiness check (off/pending/ready/unready). */
  readonly readiness?: string;
}
export function toProcessInfo(v: RpcValue): ProcessInfo {
  const s = struct(v, "process info");
  const info: ProcessInfo = {
    name: str(s, "name"),
    group: str(s, "group"),
    state: num(s, "state"),
    statename: str(s, "statename"),
    description: str(s, "description"),
    pid: num(s, "pid"),
  };
  return typeof s.readiness === "string" ? { ...info, readiness: s.readiness } : info;
}
export function toProcessInfos(v: RpcValue): ProcessInfo[] {
  return asArray(v, "process infos").map(toProcessInfo);
}

/** One entry of a group/all operation's result array. */
export interface CallResult {
  readonly name: string;
  readonly group: string;
  readonly status: number;
  readonly description: string;
}
export function toCallResults(v: RpcValue): CallResult[] {
  return asArray(v, "results").map((x) => {
    const s = struct(x, "result");
    return { name: str(s, "name"), group: str(s, "group"), status: num(s, "status"), description: str(s, "description") };
  });
}

export interface ConfigInfo {
  readonly name: string;
  readonly group: string;
  readonly inuse: boolean;
  readonly autostart: boolean;
  readonly group_prio: RpcValue;
  readonly process_prio: RpcValue;
}
export function toConfigInfos(v: RpcValue): ConfigInfo[] {
  return asArray(v, "config infos").map((x) => {
    const s = struct(x, "config info");
    return {
      name: str(s, "name"),
      group: str(s, "group"),
      inuse: truthy(s, "inuse"),
      autostart: truthy(s, "autostart"),
      group_prio: s["group_prio"] ?? null,
      process_prio: s["process_prio"] ?? null,
    };
  });
}

/** reloadConfig's `[[added, changed, removed]]`. */
export interface ConfigChanges {
  readonly added: string[];
  readonly changed: string[];
  readonly removed: string[];
}
export function toConfigChanges(v: RpcValue): ConfigChanges {
  const outer = asArray(v, "reloadConfig");
  const inner = asArray(outer[0] ?? null, "reloadConfig[0]");
  const names = (x: RpcValue | undefined, what: string) =>
    asArray(x ?? null, what).map((n) => {
      if (typeof n !== "string") throw new BadResponseError(`expected group names in ${what}`);
      return n;
    });
  return { added: names(inner[0], "added"), changed: names(inner[1], "changed"), removed: names(inner[2], "removed") };
}

export function asString(v: RpcValue, what: string): string {
  if (typeof v !== "string") throw new BadResponseError(`expected a string for ${what}`);
  return v;
}
