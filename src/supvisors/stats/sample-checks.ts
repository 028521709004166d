/**
 * Shape checks of the raw statistics samples another instance sends (spec §9.1): like every
 * internal message, a peer is trusted with its key, not with its bytes. Bounds keep a hostile or
 * broken peer from making this instance keep unbounded series (an interface per sample, say).
 */
import type { CpuJiffies, HostSample, IoCounters, ProcessSample } from "./types.js";

/** More cores, interfaces, mounts or processes than this in one message: refused. */
export const MAX_CPU_ENTRIES = 4097;
export const MAX_ITEMS = 1024;
export const MAX_PROCESSES = 20_000;
const MAX_NAME = 512;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const finite = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const pair = (v: unknown): v is [number, number] => Array.isArray(v) && v.length === 2 && finite(v[0]) && finite(v[1]);

function pairs(v: unknown): v is Record<string, IoCounters> {
  if (!isObject(v)) return false;
  const keys = Object.keys(v);
  return keys.length <= MAX_ITEMS && keys.every((k) => k.length <= MAX_NAME && pair(v[k]));
}

function percents(v: unknown): v is Record<string, number> {
  if (!isObject(v)) return false;
  const keys = Object.keys(v);
  return keys.length <= MAX_ITEMS && keys.every((k) => k.length <= MAX_NAME && finite(v[k]));
}

export function isHostSample(v: unknown): v is HostSample {
  if (!isObject(v) || !finite(v.now) || !finite(v.mem)) return false;
  const cpu = v.cpu;
  if (!Array.isArray(cpu) || cpu.length === 0 || cpu.length > MAX_CPU_ENTRIES || !cpu.every((c): c is CpuJiffies => pair(c))) return false;
  return pairs(v.net_io) && pairs(v.disk_io) && percents(v.disk_usage);
}

export function isProcessSample(v: unknown): v is ProcessSample {
  if (!isObject(v) || typeof v.namespec !== "string" || v.namespec.length > MAX_NAME || !finite(v.now)) return false;
  if (!Number.isSafeInteger(v.pid) || (v.pid as number) < 0) return false;
  if (v.pid === 0) return true;
  if (!finite(v.proc_work) || !finite(v.proc_memory)) return false;
  return v.nb_cores === undefined || (Number.isSafeInteger(v.nb_cores) && (v.nb_cores as number) > 0 && (v.nb_cores as number) < MAX_CPU_ENTRIES);
}

/** The checked content of a `stats` message, or null. */
export function checkStatsPayload(p: Record<string, unknown>): { host: HostSample | null; processes: ProcessSample[]; host_reset: boolean } | null {
  if (p.host !== null && !isHostSample(p.host)) return null;
  if (typeof p.host_reset !== "boolean") return null;
  const list = p.processes;
  if (!Array.isArray(list) || list.length > MAX_PROCESSES || !list.every(isProcessSample)) return null;
  return { host: p.host as HostSample | null, processes: list as ProcessSample[], host_reset: p.host_reset };
}
