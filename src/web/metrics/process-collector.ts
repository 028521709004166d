/**
 * The supervisord_* series of the daemon and its processes, read through SupervisorService
 * (DESIGN.md principle 1: the same getAllProcessInfo structs an XML-RPC client gets) plus the
 * counters kept from the EventBus and, with Supvisors' process statistics on, the latest CPU and
 * memory figures. Families are written one after another, each walking the process list once
 * with the label text of each process built once per scrape.
 */
import { ProcessStates, SupervisorStates, type ProcessStateName } from "../../protocol/supervisor.js";
import type { ProcessInfo, SupervisorService } from "../../supervisord/service/supervisor-service.js";
import { escapeLabelValue, labelPairs, type ExpositionWriter } from "./exposition.js";
import type { ProcessCounters } from "./process-counters.js";

export type ProcessMetricsService = Pick<SupervisorService, "getState" | "getSupervisorVersion" | "getIdentification" | "getPID" | "getAllProcessInfo">;

/** The latest statistics of one local process (Supvisors' pstats of the shortest period). */
export interface ProcessUsageFigures {
  /** Percent of one core (IRIX: 100 = one full core), the process and its descendants. */
  readonly cpu: number;
  /** Percent of the physical memory (RSS), the process and its descendants. */
  readonly mem: number;
}

export interface ProcessCollectorSources {
  readonly service: ProcessMetricsService;
  readonly counters: ProcessCounters;
  /** namespec -> figures; null when no process statistics are collected here. */
  readonly usage: (() => ReadonlyMap<string, ProcessUsageFigures> | null) | null;
}

const STATE_NAMES = Object.keys(ProcessStates) as ProcessStateName[];
const DAEMON_STATES = Object.keys(SupervisorStates) as (keyof typeof SupervisorStates)[];
/** States in which the process has a child: its uptime counts. */
const WITH_CHILD = new Set<string>(["STARTING", "RUNNING", "STOPPING"]);

type WithReadiness = ProcessInfo & { readonly readiness?: string };

export function writeProcessMetrics(w: ExpositionWriter, src: ProcessCollectorSources): void {
  const { service } = src;
  const state = service.getState().statename;
  w.single("supervisord_up", "gauge", "1 when the daemon answers (a scrape that gets an answer always says 1).", 1);
  w.family("supervisord_state", "gauge", "The daemon's state (supervisor.getState): 1 for the current one.");
  for (const s of DAEMON_STATES) w.sample("supervisord_state", `state="${s}"`, s === state ? 1 : 0);
  w.family("supervisord_info", "gauge", "Always 1; the labels tell the supervisord version and identification.");
  w.sample("supervisord_info", labelPairs("version", service.getSupervisorVersion(), "identification", service.getIdentification()), 1);
  w.single("supervisord_pid", "gauge", "The daemon's pid.", service.getPID());

  let infos: WithReadiness[];
  try {
    infos = service.getAllProcessInfo();
  } catch {
    // Shutting down (SHUTDOWN_STATE): no process series, as getAllProcessInfo gives none.
    return;
  }
  const n = infos.length;
  const labels = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const p = infos[i]!;
    labels[i] = `group="${escapeLabelValue(p.group)}",name="${escapeLabelValue(p.name)}"`;
  }

  const byState = new Map<string, number>(STATE_NAMES.map((s) => [s, 0]));
  for (let i = 0; i < n; i++) byState.set(infos[i]!.statename, (byState.get(infos[i]!.statename) ?? 0) + 1);
  w.family("supervisord_processes", "gauge", "Number of processes in each state.");
  for (const [s, count] of byState) w.sample("supervisord_processes", `state="${escapeLabelValue(s)}"`, count);

  w.family("supervisord_process_state", "gauge", "1, with the process's current state name as the state label (one series per process).");
  for (let i = 0; i < n; i++) w.sample("supervisord_process_state", `${labels[i]},state="${escapeLabelValue(infos[i]!.statename)}"`, 1);
  w.family("supervisord_process_state_code", "gauge", "The process's state code as supervisord numbers it (0 STOPPED, 10 STARTING, 20 RUNNING, 30 BACKOFF, 40 STOPPING, 100 EXITED, 200 FATAL, 1000 UNKNOWN).");
  for (let i = 0; i < n; i++) w.sample("supervisord_process_state_code", labels[i]!, infos[i]!.state);
  w.family("supervisord_process_pid", "gauge", "The process's pid (0 when it has none).");
  for (let i = 0; i < n; i++) w.sample("supervisord_process_pid", labels[i]!, infos[i]!.pid);
  w.family("supervisord_process_start_time_seconds", "gauge", "Unix time of the process's last start (0 when never started).");
  for (let i = 0; i < n; i++) w.sample("supervisord_process_start_time_seconds", labels[i]!, infos[i]!.start);
  w.family("supervisord_process_uptime_seconds", "gauge", "Seconds since the last start while the process has a child (STARTING, RUNNING, STOPPING), else 0.");
  for (let i = 0; i < n; i++) {
    const p = infos[i]!;
    w.sample("supervisord_process_uptime_seconds", labels[i]!, WITH_CHILD.has(p.statename) && p.start > 0 ? Math.max(0, p.now - p.start) : 0);
  }
  w.family("supervisord_process_last_exit_code", "gauge", "The exit status of the process's last exit (getProcessInfo's exitstatus).");
  for (let i = 0; i < n; i++) w.sample("supervisord_process_last_exit_code", labels[i]!, infos[i]!.exitstatus);

  const { counters } = src;
  w.family("supervisord_process_starts_total", "counter", "Starts of the process (transitions to STARTING) since the daemon started.");
  for (let i = 0; i < n; i++) w.sample("supervisord_process_starts_total", labels[i]!, counters.get(infos[i]!.group, infos[i]!.name)?.starts ?? 0);
  w.family("supervisord_process_restarts_total", "counter", "Starts of the process after its first one since the daemon started (automatic or requested).");
  for (let i = 0; i < n; i++) w.sample("supervisord_process_restarts_total", labels[i]!, Math.max(0, (counters.get(infos[i]!.group, infos[i]!.name)?.starts ?? 0) - 1));
  w.family("supervisord_process_exits_total", "counter", "Exits of the process (transitions to EXITED), expected = the exit status is in exitcodes.");
  for (let i = 0; i < n; i++) {
    const c = counters.get(infos[i]!.group, infos[i]!.name);
    w.sample("supervisord_process_exits_total", `${labels[i]},expected="true"`, c?.exitsExpected ?? 0);
    w.sample("supervisord_process_exits_total", `${labels[i]},expected="false"`, c?.exitsUnexpected ?? 0);
  }

  // Readiness (our option): only processes whose struct carries the field, i.e. with a check.
  let withReadiness = 0;
  for (let i = 0; i < n; i++) if (typeof infos[i]!.readiness === "string") withReadiness++;
  if (withReadiness > 0) {
    w.family("supervisord_process_ready", "gauge", "1 when the process's readiness check passes (readiness ready), else 0; only processes with a readiness_check.");
    for (let i = 0; i < n; i++) {
      const r = infos[i]!.readiness;
      if (typeof r === "string") w.sample("supervisord_process_ready", labels[i]!, r === "ready" ? 1 : 0);
    }
    w.family("supervisord_process_readiness", "gauge", "1, with the readiness state (off, pending, ready, unready) as the state label; only processes with a readiness_check.");
    for (let i = 0; i < n; i++) {
      const r = infos[i]!.readiness;
      if (typeof r === "string") w.sample("supervisord_process_readiness", `${labels[i]},state="${escapeLabelValue(r)}"`, 1);
    }
  }

  const usage = src.usage?.() ?? null;
  if (usage !== null) {
    const figures = new Array<ProcessUsageFigures | undefined>(n);
    for (let i = 0; i < n; i++) figures[i] = usage.get(`${infos[i]!.group}:${infos[i]!.name}`);
    w.family("supervisord_process_cpu_percent", "gauge", "CPU of the process and its descendants over the last statistics period, percent of one core (100 = one full core); from Supvisors' process statistics.");
    for (let i = 0; i < n; i++) if (figures[i] !== undefined) w.sample("supervisord_process_cpu_percent", labels[i]!, figures[i]!.cpu);
    w.family("supervisord_process_memory_percent", "gauge", "Resident memory of the process and its descendants, percent of the physical memory; from Supvisors' process statistics.");
    for (let i = 0; i < n; i++) if (figures[i] !== undefined) w.sample("supervisord_process_memory_percent", labels[i]!, figures[i]!.mem);
  }
}

/** The daemon's own CPU and memory under the client libraries' standard names. */
export function writeDaemonProcessMetrics(w: ExpositionWriter, startTimeSeconds: number): void {
  const cpu = process.cpuUsage();
  w.single("process_cpu_seconds_total", "counter", "User and system CPU time of the daemon itself, seconds.", (cpu.user + cpu.system) / 1e6);
  w.single("process_resident_memory_bytes", "gauge", "Resident memory of the daemon itself, bytes.", process.memoryUsage.rss());
  w.single("process_start_time_seconds", "gauge", "Unix time the daemon started.", startTimeSeconds);
}
