/**
 * LocalProcessInfo (spec §5.2) of the local supervisord's processes: what the handshake hands to
 * the other instances and what `supvisors.get_all_local_process_info` answers. Read from the
 * core's port (service/model.ts), which holds the process configs the payload needs.
 */
import type { ManagedGroup, ManagedProcess } from "../../supervisord/service/model.js";
import type { ReadinessState } from "../../protocol/supervisor.js";
import type { LocalProcessInfo } from "../types.js";

/** Per-process extras the Supvisors layer keeps (start_args, disable): defaults until they exist. */
export interface LocalExtras {
  extraArgs(group: string, name: string): string;
  disabled(program: string): boolean;
}

export const NO_EXTRAS: LocalExtras = { extraArgs: () => "", disabled: () => false };

/** The process's readiness (ours): "none" when its program has no readiness_check. */
export function readinessOf(p: ManagedProcess): ReadinessState {
  // A core without readiness (a test's fake) has no such member: none.
  return p.readiness ?? "none";
}

/** One process; `wallMs`/`monoMs` are the same instant on the two clocks. */
export function localProcessInfo(p: ManagedProcess, wallMs: number, monoMs: number, extras: LocalExtras = NO_EXTRAS): LocalProcessInfo {
  const info = p.info(wallMs);
  const c = p.config;
  const now_monotonic = monoMs / 1000;
  const toMono = (wallSeconds: number) => (wallSeconds > 0 ? Math.max(0, now_monotonic - (info.now - wallSeconds)) : 0);
  const readiness = readinessOf(p);
  const out: LocalProcessInfo = {
    group: info.group,
    name: info.name,
    state: info.state,
    statename: info.statename,
    start: info.start,
    stop: info.stop,
    now: info.now,
    pid: info.pid,
    description: info.description,
    spawnerr: info.spawnerr,
    expected: !info.spawnerr,
    start_monotonic: toMono(info.start),
    stop_monotonic: toMono(info.stop),
    now_monotonic,
    extra_args: extras.extraArgs(info.group, info.name),
    startsecs: c.startsecs,
    stopwaitsecs: c.stopwaitsecs,
    process_index: c.process_num,
    program_name: c.program_name,
    disabled: extras.disabled(c.program_name),
    has_stdout: c.stdout_logfile.kind !== "none",
    has_stderr: c.stderr_logfile.kind !== "none",
  };
  // Additive, and only where configured: a plain config's payload stays Supvisors' own.
  return readiness === "none" ? out : { ...out, readiness };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Every process, in supervisord's getAllProcessInfo order (by group, then name). */
export function allLocalProcessInfo(groups: readonly ManagedGroup[], wallMs: number, monoMs: number, extras: LocalExtras = NO_EXTRAS): LocalProcessInfo[] {
  const all = groups.flatMap((g) => g.processes);
  all.sort((a, b) => cmp(a.config.group, b.config.group) || cmp(a.config.name, b.config.name));
  return all.map((p) => localProcessInfo(p, wallMs, monoMs, extras));
}

/** The process of a namespec `group:name` or `name` (a lone name is its own group), or undefined. */
export function findLocalProcess(groups: readonly ManagedGroup[], namespec: string): ManagedProcess | undefined {
  const i = namespec.indexOf(":");
  const group = i < 0 ? namespec : namespec.slice(0, i);
  const name = i < 0 ? namespec : namespec.slice(i + 1);
  return groups.find((g) => g.config.name === group)?.processes.find((p) => p.config.name === name);
}
