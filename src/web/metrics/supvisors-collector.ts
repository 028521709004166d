/**
 * The supvisors_* series (only with [rpcinterface:supvisors]), read through SupvisorsService as
 * the dashboard and the supvisors.* XML-RPC methods read them, plus the latest integrated
 * statistics payloads (hstats / pstats of the shortest period) for the host gauges and the local
 * processes' CPU and memory. Nothing is decided here (DESIGN.md principle 1).
 */
import { ApplicationStates, SupvisorsInstanceStates, SupvisorsStates } from "../../protocol/supvisors.js";
import type { SupvisorsService } from "../../supvisors/service/supvisors-service.js";
import type { HostStatsPayload, ProcessStatsPayload } from "../../supvisors/stats/types.js";
import { escapeLabelValue, labelPairs, type ExpositionWriter } from "./exposition.js";
import type { ProcessUsageFigures } from "./process-collector.js";

export type StatisticsPayloads = ReturnType<SupvisorsMetricsSource["lastStatistics"]>;

export interface SupvisorsMetricsSource {
  readonly service: Pick<SupvisorsService, "getSupvisorsState" | "getAllInstancesInfo" | "getAllApplicationsInfo" | "getConflicts" | "getStatisticsStatus">;
  /** The last hstats and pstats of every live series (every instance, every period). */
  lastStatistics(): { readonly host: readonly HostStatsPayload[]; readonly process: readonly ProcessStatsPayload[] };
}

const SUPVISORS_STATES = Object.keys(SupvisorsStates);
const INSTANCE_STATES = new Set(Object.keys(SupvisorsInstanceStates));
const APPLICATION_STATES = new Set(Object.keys(ApplicationStates));

type Row = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === "string" ? v : String(v ?? ""));
const num = (v: unknown): number => (typeof v === "number" ? v : Number(v ?? 0));
const flag = (v: unknown): number => (v === true ? 1 : 0);

/** Keeps, per key, the payload of the shortest period. */
function shortestPeriod<T extends { readonly target_period: number }>(items: readonly T[], key: (p: T) => string): Map<string, T> {
  const out = new Map<string, T>();
  for (const p of items) {
    const k = key(p);
    const had = out.get(k);
    if (had === undefined || p.target_period < had.target_period) out.set(k, p);
  }
  return out;
}

/** The local processes' latest figures by namespec (null when process statistics are off). */
export function localProcessUsage(src: SupvisorsMetricsSource, stats: StatisticsPayloads): ReadonlyMap<string, ProcessUsageFigures> | null {
  const status = src.service.getStatisticsStatus() as Row;
  if (status.process_stats !== true) return null;
  const local = str((src.service.getSupvisorsState() as Row).identifier);
  const mine = stats.process.filter((p) => p.identifier === local);
  const out = new Map<string, ProcessUsageFigures>();
  for (const [k, p] of shortestPeriod(mine, (p) => p.namespec)) out.set(k, { cpu: p.cpu, mem: p.mem });
  return out;
}

/** `stats`: src.lastStatistics(), read once per scrape. */
export function writeSupvisorsMetrics(w: ExpositionWriter, src: SupvisorsMetricsSource, stats: StatisticsPayloads): void {
  const { service } = src;
  const state = service.getSupvisorsState() as Row;
  const fsm = str(state.fsm_statename);
  const local = str(state.identifier);
  const master = str(state.master_identifier);
  w.family("supvisors_state", "gauge", "The Supvisors state of this instance's view: 1 for the current one.");
  for (const s of SUPVISORS_STATES) w.sample("supvisors_state", `state="${s}"`, s === fsm ? 1 : 0);
  w.single("supvisors_degraded", "gauge", "1 when Supvisors runs in degraded mode (some core instance missing).", flag(state.degraded_mode));

  const instances = service.getAllInstancesInfo() as Row[];
  const instanceLabels = new Map<string, string>();
  for (const i of instances) {
    const id = str(i.identifier);
    instanceLabels.set(id, labelPairs("identifier", id, "nick", str(i.nick_identifier)));
  }
  const labelsOf = (id: string) => instanceLabels.get(id) ?? labelPairs("identifier", id, "nick", id);

  w.family("supvisors_master", "gauge", "1, with the master's identifier and nick as labels; no sample while there is no master.");
  if (master !== "") w.sample("supvisors_master", labelsOf(master), 1);
  w.single("supvisors_is_master", "gauge", "1 when this instance is the master.", master !== "" && master === local ? 1 : 0);

  w.family("supvisors_instance_state", "gauge", "1, with the instance's state as this instance sees it as the state label (one series per instance).");
  for (const i of instances) {
    const s = str(i.statename);
    w.sample("supvisors_instance_state", `${labelsOf(str(i.identifier))},state="${escapeLabelValue(INSTANCE_STATES.has(s) ? s : "UNKNOWN")}"`, 1);
  }
  w.family("supvisors_instance_load", "gauge", "The instance's loading: the sum of the expected_loading of its running processes (percent).");
  for (const i of instances) w.sample("supvisors_instance_load", labelsOf(str(i.identifier)), num(i.loading));
  w.family("supvisors_instance_process_failure", "gauge", "1 when a process of the instance has crashed (FATAL or unexpected EXITED).");
  for (const i of instances) w.sample("supvisors_instance_process_failure", labelsOf(str(i.identifier)), flag(i.process_failure));

  let applications: Row[] = [];
  try {
    applications = service.getAllApplicationsInfo() as Row[];
  } catch {
    // Before DISTRIBUTION: the applications are not known yet.
  }
  w.family("supvisors_application_state", "gauge", "1, with the application's state as the state label (one series per application).");
  for (const a of applications) {
    const s = str(a.statename);
    w.sample("supvisors_application_state", labelPairs("application", str(a.application_name), "state", APPLICATION_STATES.has(s) ? s : "UNKNOWN"), 1);
  }
  w.family("supvisors_application_failure", "gauge", "1 when the application has a major (a required process failed) or a minor failure.");
  for (const a of applications) {
    const app = `application="${escapeLabelValue(str(a.application_name))}"`;
    w.sample("supvisors_application_failure", `${app},kind="major"`, flag(a.major_failure));
    w.sample("supvisors_application_failure", `${app},kind="minor"`, flag(a.minor_failure));
  }
  let conflicts = 0;
  try {
    conflicts = service.getConflicts().length;
  } catch {
    conflicts = 0;
  }
  w.single("supvisors_conflicts", "gauge", "Processes running on more than one instance (conflicts to conciliate).", conflicts);

  const status = service.getStatisticsStatus() as Row;
  w.family("supvisors_statistics_enabled", "gauge", "1 when this instance collects the host or the process statistics.");
  w.sample("supvisors_statistics_enabled", 'kind="host"', flag(status.host_stats));
  w.sample("supvisors_statistics_enabled", 'kind="process"', flag(status.process_stats));

  const hosts = shortestPeriod(stats.host, (p) => p.identifier);
  if (hosts.size > 0) {
    const ids = [...hosts.keys()].sort();
    w.family("supvisors_host_cpu_percent", "gauge", "The instance's host CPU over the last statistics period, mean of its cores, percent.");
    for (const id of ids) w.sample("supvisors_host_cpu_percent", labelsOf(id), hosts.get(id)!.cpu[0] ?? 0);
    w.family("supvisors_host_memory_percent", "gauge", "The instance's host memory in use, percent of its physical memory.");
    for (const id of ids) w.sample("supvisors_host_memory_percent", labelsOf(id), hosts.get(id)!.mem);
  }
}
