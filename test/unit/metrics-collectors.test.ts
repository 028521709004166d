// The /metrics collectors over fake services: the process series follow getAllProcessInfo and
// the EventBus counters, the readiness and statistics series appear only when there is something
// to show, and the Supvisors series read SupvisorsService's payloads. Every output goes through
// the npm Prometheus parser and the strict line check.
import t from "tap";
import { EventBus } from "../../src/supervisord/events/bus.js";
import { RpcRegistry } from "../../src/supervisord/rpc/registry.js";
import { DaemonMetrics } from "../../src/web/metrics/index.js";
import type { SupvisorsMetricsSource } from "../../src/web/metrics/supvisors-collector.js";
import type { ProcessMetricsService } from "../../src/web/metrics/process-collector.js";
import { parseExposition, samples, value } from "../helpers/prometheus.js";

type Info = ReturnType<ProcessMetricsService["getAllProcessInfo"]>[number] & { readiness?: string };

function info(group: string, name: string, statename: string, state: number, extra: Partial<Info> = {}): Info {
  return { name, group, start: 0, stop: 0, now: 1000, state, statename, spawnerr: "", exitstatus: 0, logfile: "", stdout_logfile: "", stderr_logfile: "", pid: 0, description: "", ...extra } as Info;
}

function fakeService(list: () => Info[]): ProcessMetricsService {
  return {
    getState: () => ({ statecode: 1, statename: "RUNNING" }),
    getSupervisorVersion: () => "4.2.5",
    getIdentification: () => 'my "box"',
    getPID: () => 4242,
    getAllProcessInfo: list,
  };
}

const ref = (group: string, name: string) => ({ group, name });

t.test("process series: states, times, counters from the bus, readiness only where present", async (t) => {
  const bus = new EventBus();
  const registry = new RpcRegistry();
  const m = new DaemonMetrics(bus, registry);
  t.teardown(() => m.close());
  const procs = [
    info("web", "web_0", "RUNNING", 20, { start: 900, pid: 77 }),
    info("g\\x", 'we"ird\nname', "EXITED", 100, { start: 500, stop: 600, exitstatus: 3 }),
    info("ready", "r", "STARTING", 10, { start: 990, pid: 78, readiness: "pending" }),
  ];
  const emit = (group: string, name: string, to: "STARTING" | "EXITED", expected = false) =>
    bus.emit({ kind: "PROCESS_STATE", process: ref(group, name), from: "STOPPED", to, tries: 0, pid: 1, expected });
  emit("web", "web_0", "STARTING");
  emit("web", "web_0", "EXITED", true);
  emit("web", "web_0", "STARTING");
  emit("web", "web_0", "STARTING");
  emit("g\\x", 'we"ird\nname', "STARTING");
  emit("g\\x", 'we"ird\nname', "EXITED", false);
  const p = parseExposition(m.render({ supervisor: fakeService(() => procs), supvisors: null }));
  t.equal(value(p, "supervisord_up"), 1);
  t.equal(value(p, "supervisord_state", { state: "RUNNING" }), 1);
  t.equal(value(p, "supervisord_state", { state: "SHUTDOWN" }), 0);
  t.same(samples(p, "supervisord_info")[0]!.labels, { version: "4.2.5", identification: 'my "box"' });
  t.equal(value(p, "supervisord_pid"), 4242);
  t.equal(value(p, "supervisord_processes", { state: "RUNNING" }), 1);
  t.equal(value(p, "supervisord_processes", { state: "FATAL" }), 0);
  const web = { group: "web", name: "web_0" };
  const weird = { group: "g\\x", name: 'we"ird\nname' };
  t.equal(samples(p, "supervisord_process_state").length, 3, "one state series per process");
  t.equal(value(p, "supervisord_process_state", { ...web, state: "RUNNING" }), 1);
  t.equal(value(p, "supervisord_process_state", { ...weird, state: "EXITED" }), 1, "escaped labels read back");
  t.equal(value(p, "supervisord_process_state_code", weird), 100);
  t.equal(value(p, "supervisord_process_pid", web), 77);
  t.equal(value(p, "supervisord_process_start_time_seconds", web), 900);
  t.equal(value(p, "supervisord_process_uptime_seconds", web), 100);
  t.equal(value(p, "supervisord_process_uptime_seconds", weird), 0, "no uptime without a child");
  t.equal(value(p, "supervisord_process_last_exit_code", weird), 3);
  t.equal(value(p, "supervisord_process_starts_total", web), 3);
  t.equal(value(p, "supervisord_process_restarts_total", web), 2, "every start after the first");
  t.equal(value(p, "supervisord_process_restarts_total", weird), 0);
  t.equal(value(p, "supervisord_process_starts_total", { group: "ready", name: "r" }), 0, "never seen on the bus: 0");
  t.equal(value(p, "supervisord_process_exits_total", { ...web, expected: "true" }), 1);
  t.equal(value(p, "supervisord_process_exits_total", { ...weird, expected: "false" }), 1);
  t.equal(p.get("supervisord_process_starts_total")!.type, "COUNTER");
  t.equal(samples(p, "supervisord_process_ready").length, 1, "ready only for the process with a readiness field");
  t.equal(value(p, "supervisord_process_ready", { group: "ready", name: "r" }), 0);
  t.equal(value(p, "supervisord_process_readiness", { group: "ready", name: "r", state: "pending" }), 1);
  t.notOk(p.has("supervisord_process_cpu_percent"), "no statistics without Supvisors");
  t.notOk(p.has("supvisors_state"), "no supvisors series without Supvisors");
  t.ok(p.has("process_resident_memory_bytes"));

  // A removed group's counters go.
  bus.emit({ kind: "PROCESS_GROUP", change: "REMOVED", group: "web" });
  t.equal(m.counters.get("web", "web_0"), undefined);
  // Without readiness fields, no readiness families at all (a plain config's output).
  const plain = parseExposition(m.render({ supervisor: fakeService(() => procs.slice(0, 2)), supvisors: null }));
  t.notOk(plain.has("supervisord_process_ready"));
});

t.test("a daemon shutting down: daemon series only", async (t) => {
  const m = new DaemonMetrics(new EventBus(), new RpcRegistry());
  t.teardown(() => m.close());
  const service: ProcessMetricsService = {
    ...fakeService(() => []),
    getState: () => ({ statecode: -1, statename: "SHUTDOWN" }),
    getAllProcessInfo: () => {
      throw new Error("SHUTDOWN_STATE");
    },
  };
  const p = parseExposition(m.render({ supervisor: service, supvisors: null }));
  t.equal(value(p, "supervisord_state", { state: "SHUTDOWN" }), 1);
  t.notOk(p.has("supervisord_process_state"));
});

t.test("the registry observer counts dispatched calls", async (t) => {
  const registry = new RpcRegistry();
  registry.addNamespace("test", { hello: { help: "@return string", call: () => "hi" } });
  const m = new DaemonMetrics(new EventBus(), registry);
  t.equal(registry.observer, m.rpc);
  m.close();
  t.equal(registry.observer, null, "close() detaches it");
});

t.test("supvisors series from the service payloads and the statistics", async (t) => {
  const m = new DaemonMetrics(new EventBus(), new RpcRegistry());
  t.teardown(() => m.close());
  const procs = [info("app", "p", "RUNNING", 20, { start: 1, pid: 9 }), info("app", "q", "STOPPED", 0)];
  const src: SupvisorsMetricsSource = {
    service: {
      getSupvisorsState: () => ({ identifier: "a:1", fsm_statename: "OPERATION", master_identifier: "b:2", degraded_mode: false }),
      getAllInstancesInfo: () => [
        { identifier: "a:1", nick_identifier: "alpha", statename: "RUNNING", loading: 25, process_failure: false },
        { identifier: "b:2", nick_identifier: "beta", statename: "FAILED", loading: 0, process_failure: true },
      ],
      getAllApplicationsInfo: () => [{ application_name: "app", statename: "RUNNING", major_failure: false, minor_failure: true }],
      getConflicts: () => [{}, {}],
      getStatisticsStatus: () => ({ host_stats: true, process_stats: true, collecting_period: 5 }),
    },
    lastStatistics: () => ({
      host: [
        { identifier: "a:1", target_period: 60, cpu: [50], mem: 40 } as never,
        { identifier: "a:1", target_period: 5, cpu: [12.5, 10, 15], mem: 33.3 } as never,
      ],
      process: [
        { identifier: "a:1", namespec: "app:p", target_period: 5, cpu: 150, mem: 1.5 } as never,
        { identifier: "a:1", namespec: "app:p", target_period: 15, cpu: 99, mem: 9 } as never,
        { identifier: "b:2", namespec: "app:q", target_period: 5, cpu: 1, mem: 1 } as never,
      ],
    }),
  };
  const p = parseExposition(m.render({ supervisor: fakeService(() => procs), supvisors: src }));
  t.equal(value(p, "supvisors_state", { state: "OPERATION" }), 1);
  t.equal(value(p, "supvisors_state", { state: "SYNCHRONIZATION" }), 0);
  t.equal(value(p, "supvisors_master", { identifier: "b:2", nick: "beta" }), 1);
  t.equal(value(p, "supvisors_is_master"), 0);
  t.equal(value(p, "supvisors_instance_state", { identifier: "b:2", state: "FAILED" }), 1);
  t.equal(value(p, "supvisors_instance_load", { nick: "alpha" }), 25);
  t.equal(value(p, "supvisors_instance_process_failure", { nick: "beta" }), 1);
  t.equal(value(p, "supvisors_application_state", { application: "app", state: "RUNNING" }), 1);
  t.equal(value(p, "supvisors_application_failure", { application: "app", kind: "minor" }), 1);
  t.equal(value(p, "supvisors_conflicts"), 2);
  t.equal(value(p, "supvisors_host_cpu_percent", { identifier: "a:1" }), 12.5, "the shortest period, mean of the cores");
  t.equal(value(p, "supvisors_host_memory_percent", { identifier: "a:1" }), 33.3);
  t.equal(value(p, "supervisord_process_cpu_percent", { group: "app", name: "p" }), 150, "local process, shortest period");
  t.equal(value(p, "supervisord_process_memory_percent", { group: "app", name: "p" }), 1.5);
  t.equal(samples(p, "supervisord_process_cpu_percent").length, 1, "no figure for a process without statistics, none of other instances");
});
