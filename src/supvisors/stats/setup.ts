/**
 * Builds the statistics of this instance from the options: the /proc readers and the collector
 * (the portable readers where there is no /proc), the integration
 * for every instance, and the feed of local pids from supervisord's process state events.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import type { LogLevelName } from "../../supervisord/logs/levels.js";
import type { SupervisorEvent } from "../../supervisord/events/types.js";
import { monotonicMs } from "../local/monotonic.js";
import type { InternalMessage, SupvisorsOptions } from "../types.js";
import { StatsCollector } from "./collector.js";
import { HostReader } from "./host-reader.js";
import { PidusageTreeReader, PortableHostReader } from "./portable-readers.js";
import { ProcessTreeReader } from "./process-reader.js";
import { Statistics, type StatsEventsPort } from "./statistics.js";
import { statsDescriptorBudget } from "./sysconf.js";

export interface StatisticsSetup {
  readonly options: SupvisorsOptions;
  readonly localIdentifier: string;
  readonly publish: (msg: InternalMessage) => void;
  readonly events: StatsEventsPort;
  readonly knownProcess: (identifier: string, namespec: string) => boolean;
  /** The local processes and their pids now (0: not running). */
  readonly localProcesses: () => Iterable<readonly [namespec: string, pid: number]>;
  readonly subscribe: (cb: (e: SupervisorEvent) => void) => () => void;
  readonly log: (level: LogLevelName, text: string) => void;
}

/** States whose pid is a live process (STOPPING included: it runs until it is reaped). */
const WITH_PID = new Set(["STARTING", "RUNNING", "STOPPING"]);

/** The statistics and their feed: start() once supervisord runs, close() at the end. */
export interface StatisticsRuntime {
  readonly statistics: Statistics;
  start(): void;
  close(): void;
}

export function createStatistics(s: StatisticsSetup): StatisticsRuntime {
  const o = s.options;
  const nowS = () => monotonicMs() / 1000;
  let statistics: Statistics | null = null;
  const procfs = existsSync("/proc/self/stat");
  // Without /proc (macOS, the BSDs): os.cpus(), statfs and pidusage, the process itself only.
  if (!procfs) s.log("info", "Supvisors: no /proc here: statistics from os.cpus() and pidusage (processes without their descendants, no network or disk I/O)");
  const collector = new StatsCollector(
    procfs ? new HostReader() : new PortableHostReader(),
    // Read after supervisord raised its limits (minfds).
    procfs ? new ProcessTreeReader({ maxKeptFiles: statsDescriptorBudget() }) : new PidusageTreeReader(),
    {
      host: o.statsEnabled.host,
      process: o.statsEnabled.process,
      periodS: o.statsCollectingPeriod,
      selfPid: process.pid,
      nbCores: availableParallelism(),
      nowS,
      onError: (what, err) => s.log("warn", `Supvisors: statistics of ${what} cannot be read: ${(err as Error)?.message ?? err}`),
    },
    (batch) => statistics?.onLocalBatch(batch),
  );
  const stats = new Statistics({
    localIdentifier: s.localIdentifier,
    periods: o.statsPeriods,
    histo: o.statsHisto,
    collector,
    configuredPeriod: o.statsCollectingPeriod,
    publish: s.publish,
    events: s.events,
    nowMonotonic: nowS,
    knownProcess: s.knownProcess,
  });
  statistics = stats;
  let unsubscribe: (() => void) | null = null;
  return {
    statistics: stats,
    start() {
      if (unsubscribe) return;
      for (const [namespec, pid] of s.localProcesses()) if (pid > 0) collector.setPid(namespec, pid);
      unsubscribe = s.subscribe((e) => {
        if (e.kind !== "PROCESS_STATE") return;
        collector.setPid(`${e.process.group}:${e.process.name}`, WITH_PID.has(e.to) ? e.pid : 0);
      });
      collector.start();
    },
    close() {
      unsubscribe?.();
      stats.close();
    },
  };
}
