/**
 * One process as Supvisors sees it over every instance (spec §4.7): a record per instance where it
 * is configured, the set of instances where it runs, and the synthesised state (conflicts, forced
 * states, lost instances). Pure: times come in as arguments (monotonic ms locally, seconds in
 * payloads).
 */
import { describeProcess } from "../../supervisord/process/describe.js";
import { ProcessStates, type ProcessStateName } from "../../supervisord/process/states.js";
import { nameOfCode } from "../../protocol/supvisors.js";
import type { ReadinessState } from "../../protocol/supervisor.js";
import type { Identifier, LocalProcessInfo, ProcessEvent, ProcessRulesData } from "../types.js";

const S = ProcessStates;
export const STOPPED_STATES: ReadonlySet<number> = new Set([S.STOPPED, S.EXITED, S.FATAL, S.UNKNOWN]);
/** In Supervisor's order, which the conflict synthesis relies on. */
export const RUNNING_STATES: readonly number[] = [S.RUNNING, S.BACKOFF, S.STARTING];

export function stateName(code: number): ProcessStateName {
  return (nameOfCode(ProcessStates, code) ?? "UNKNOWN") as ProcessStateName;
}

/** The record of one instance (InnerProcessInfo, spec §5.2). */
export interface InnerRecord extends Record<string, unknown> {
  group: string;
  name: string;
  state: number;
  statename: string;
  start: number;
  stop: number;
  now: number;
  pid: number;
  description: string;
  spawnerr: string;
  expected: boolean;
  start_monotonic: number;
  stop_monotonic: number;
  now_monotonic: number;
  extra_args: string;
  startsecs: number;
  stopwaitsecs: number;
  process_index: number;
  program_name: string;
  disabled: boolean;
  has_stdout: boolean;
  has_stderr: boolean;
  identifier: Identifier;
  /** Local monotonic seconds at reception. */
  local_mtime: number;
  /** The sender's monotonic seconds of the last event. */
  event_time: number;
  uptime: number;
  has_crashed: boolean;
  /** Ours: the readiness there, for a program with a readiness_check (absent otherwise). */
  readiness?: ReadinessState;
}

function isCrashed(state: number, expected: boolean): boolean {
  return state === S.FATAL || (state === S.EXITED && !expected);
}

/**
 * The sender's time of the last event a loaded record reflects: its last start or stop, not the
 * time of the handshake, so every instance holds the same reference for the forced states.
 */
function lastEventTime(info: LocalProcessInfo): number {
  return Math.max(info.start_monotonic, info.stop_monotonic);
}

function refreshDerived(r: InnerRecord): void {
  r.statename = stateName(r.state);
  r.uptime = r.state === S.RUNNING || r.state === S.STOPPING ? r.now_monotonic - r.start_monotonic : 0;
  r.description = describeProcess({ name: r.name, state: stateName(r.state), pid: r.pid, start: Math.trunc(r.start), stop: Math.trunc(r.stop), now: Math.trunc(r.now), spawnerr: r.spawnerr });
}

export class ProcessStatus {
  readonly records = new Map<Identifier, InnerRecord>();
  running = new Set<Identifier>();
  state: number = S.UNKNOWN;
  expectedExit = true;
  forcedState: number | null = null;
  forcedReason = "";
  /** Local monotonic seconds of the last information received. */
  lastEventMtime = 0;
  /** When (local ms) each record's times were last set (event, load or TICK): its uptime's age. */
  private readonly timesAt = new Map<Identifier, number>();
  extraArgs = "";

  constructor(
    readonly application: string,
    readonly name: string,
    public rules: ProcessRulesData,
  ) {}

  get namespec(): string {
    return `${this.application}:${this.name}`;
  }

  get displayedState(): number {
    return this.forcedState ?? this.state;
  }

  /** Running-like on several instances. */
  conflicting(): boolean {
    return this.running.size > 1;
  }

  crashed(): boolean {
    return isCrashed(this.displayedState, this.expectedExit);
  }

  /** Initial information of an instance (handshake or a process added). */
  load(id: Identifier, info: LocalProcessInfo, nowMs: number): void {
    const previous = this.records.get(id);
    const r: InnerRecord = { ...info, identifier: id, local_mtime: nowMs / 1000, event_time: lastEventTime(info), uptime: 0, has_crashed: (previous?.has_crashed ?? false) || isCrashed(info.state, info.expected) };
    refreshDerived(r);
    r.description = info.description;
    this.records.set(id, r);
    this.timesAt.set(id, nowMs);
    this.lastEventMtime = nowMs / 1000;
    if (this.extraArgs !== info.extra_args) {
      // Instances disagree on the extra arguments: reset (Supvisors' documented limitation).
      r.extra_args = "";
      this.extraArgs = "";
    }
    if (info.state !== S.STOPPED) this.forcedState = null;
    this.updateStatus(id, info.state);
  }

  /** A process event from an instance that has a record of it; false when it has none. */
  update(event: ProcessEvent, nowMs: number, external = true): boolean {
    const r = this.records.get(event.identifier);
    if (!r) return false;
    r.state = event.state;
    r.now = event.now;
    r.now_monotonic = event.now_monotonic;
    r.pid = event.pid;
    r.expected = event.expected;
    r.spawnerr = event.spawnerr;
    r.extra_args = event.extra_args;
    r.disabled = event.disabled;
    if (event.readiness !== undefined) r.readiness = event.readiness;
    r.local_mtime = nowMs / 1000;
    this.timesAt.set(event.identifier, nowMs);
    r.event_time = event.now_monotonic;
    this.lastEventMtime = nowMs / 1000;
    this.extraArgs = event.extra_args;
    if (event.state === S.STARTING || event.state === S.BACKOFF) {
      r.start = event.now;
      r.start_monotonic = event.now_monotonic;
    } else if (event.state !== S.FATAL && STOPPED_STATES.has(event.state)) {
      r.stop = event.now;
      r.stop_monotonic = event.now_monotonic;
    }
    refreshDerived(r);
    if (external) r.has_crashed ||= isCrashed(r.state, r.expected);
    this.forcedState = null;
    this.forcedReason = "";
    this.updateStatus(event.identifier, event.state);
    return true;
  }

  /**
   * A synthetic state published by a commanding instance (a start that failed, no resource):
   * applied only if no real event of that instance came after its reference time.
   */
  force(event: ProcessEvent): boolean {
    const r = event.identifier ? this.records.get(event.identifier) : undefined;
    if (r && r.event_time > event.now_monotonic) return false;
    this.forcedState = event.state;
    this.forcedReason = event.spawnerr;
    return true;
  }

  /** The instance is lost: a running process there becomes a local FATAL. True if it runs nowhere now. */
  invalidate(id: Identifier, nowMs: number): boolean {
    if (!this.running.has(id)) return false;
    const r = this.records.get(id)!;
    this.update({ identifier: id, nick_identifier: "", name: this.name, group: this.application, state: S.FATAL, now: r.now, now_monotonic: r.now_monotonic, pid: 0, expected: false, spawnerr: `Supervisor ${id} lost`, extra_args: r.extra_args, disabled: r.disabled }, nowMs, false);
    // Nothing is checked there any more.
    if (r.readiness !== undefined) r.readiness = "off";
    return this.running.size === 0;
  }

  /** Removes an instance's record; true if no instance knows the process any more. */
  remove(id: Identifier): boolean {
    this.records.delete(id);
    this.running.delete(id);
    if (this.records.size > 0) this.updateStatus(null, S.STOPPED);
    return this.records.size === 0;
  }

  /**
   * A readiness change of the process on an instance (ours): the record's readiness only, the
   * state untouched. False when the instance has no record or nothing changed.
   */
  setReadiness(id: Identifier, readiness: ReadinessState, nowMs: number): boolean {
    const r = this.records.get(id);
    if (!r || r.readiness === readiness) return false;
    r.readiness = readiness;
    r.local_mtime = nowMs / 1000;
    this.lastEventMtime = nowMs / 1000;
    return true;
  }

  /** The readiness on an instance: "none" when the program has no readiness_check there. */
  readinessOn(id: Identifier): ReadinessState {
    return this.records.get(id)?.readiness ?? "none";
  }

  setDisabled(id: Identifier, disabled: boolean): void {
    const r = this.records.get(id);
    if (r) r.disabled = disabled;
  }

  /** A TICK from the instance (received at local `nowMs`) refreshes its record's times. */
  refreshTimes(id: Identifier, remoteMtime: number, remoteTime: number, nowMs: number): void {
    const r = this.records.get(id);
    if (!r) return;
    r.now_monotonic = remoteMtime;
    r.now = remoteTime;
    this.timesAt.set(id, nowMs);
    refreshDerived(r);
  }

  /**
   * The uptime on an instance as of local `nowMs`: the record's, aged by the time since its
   * times were set. Records refreshed by different instances' TICKs are compared this way
   * (SENICIDE, INFANTICIDE); their raw uptimes differ by up to a tick period of skew.
   */
  uptimeAt(id: Identifier, nowMs: number): number {
    const r = this.records.get(id);
    if (!r || r.uptime === 0) return 0;
    return r.uptime + Math.max(0, nowMs - (this.timesAt.get(id) ?? nowMs)) / 1000;
  }

  /** Disabled on every instance that knows it. */
  disabled(): boolean {
    return this.records.size > 0 && [...this.records.values()].every((r) => r.disabled);
  }

  private updateStatus(id: Identifier | null, newState: number): void {
    if (id !== null) {
      if (STOPPED_STATES.has(newState)) this.running.delete(id);
      else if (RUNNING_STATES.includes(newState)) {
        if (STOPPED_STATES.has(this.state)) this.running = new Set([id]);
        else this.running.add(id);
      }
    }
    if (this.running.size > 1) {
      const states = new Set([...this.running].map((i) => this.records.get(i)?.state ?? S.UNKNOWN));
      this.state = [...RUNNING_STATES, S.STOPPING].find((s) => states.has(s)) ?? S.UNKNOWN;
      return;
    }
    if (this.running.size === 1) {
      this.state = this.records.get([...this.running][0]!)?.state ?? S.UNKNOWN;
      this.expectedExit = true;
      return;
    }
    const records = [...this.records.values()];
    if (records.some((r) => r.state === S.STOPPING)) {
      this.state = S.STOPPING;
      this.expectedExit = true;
      return;
    }
    if (records.length === 0) {
      this.state = S.UNKNOWN;
      return;
    }
    const latest = records.reduce((a, b) => (b.local_mtime > a.local_mtime ? b : a));
    this.state = latest.state;
    this.expectedExit = latest.expected;
  }

  /**
   * Ours: identifier -> readiness of the instances whose record has a readiness_check, in the
   * supvisors_list order; null when none has (the payloads then stay Supvisors' own).
   */
  readinessByInstance(order: readonly Identifier[]): Record<Identifier, ReadinessState> | null {
    let out: Record<Identifier, ReadinessState> | null = null;
    for (const id of order) {
      const r = this.records.get(id)?.readiness;
      if (r === undefined || r === "none") continue;
      (out ??= {})[id] = r;
    }
    return out;
  }

  /** ProcessInfo (spec §5.2). `identifiers` in the supvisors_list order; `readiness` (ours) only when configured. */
  payload(nowMs: number, order: readonly Identifier[]): Record<string, unknown> {
    const readiness = this.readinessByInstance(order);
    const base = {
      application_name: this.application,
      process_name: this.name,
      now_monotonic: nowMs / 1000,
      statecode: this.displayedState,
      statename: stateName(this.displayedState),
      expected_exit: this.expectedExit,
      last_event_mtime: this.lastEventMtime,
      identifiers: order.filter((id) => this.running.has(id)),
      extra_args: this.extraArgs,
    };
    return readiness === null ? base : { ...base, readiness };
  }
}
