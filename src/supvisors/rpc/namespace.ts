/**
 * The `supvisors.*` XML-RPC namespace: a thin adapter from XML-RPC arguments to SupvisorsService,
 * and from its payloads to XML-RPC values (the float fields sent as <double> even when integral,
 * as Python's floats are).
 */
import type { RpcMethod } from "../../supervisord/rpc/registry.js";
import { RpcDouble, type RpcValue } from "../../supervisord/rpc/values.js";
import type { SupvisorsService } from "../service/supvisors-service.js";
import type { SupvisorsControl } from "../service/supvisors-control.js";
import type { StatisticsControl } from "../service/supvisors-statistics.js";
import type { RollingRestartControl } from "../service/rolling-restart.js";
import { ServiceFault } from "../../supervisord/service/fault.js";
import { Faults } from "../../protocol/faults.js";
import { pythonText } from "../service/params.js";
import { SUPVISORS_METHOD_DOCS } from "./docs.js";
import { FLOAT_KEYS } from "../payload-floats.js";

/** Plain payload data to XML-RPC values. */
export function toRpc(v: unknown, key = ""): RpcValue {
  if (v === undefined || v === null) return "";
  if (typeof v === "number") return FLOAT_KEYS.has(key) ? new RpcDouble(v) : v;
  if (typeof v === "string" || typeof v === "boolean") return v;
  if (Array.isArray(v)) return v.map((x) => toRpc(x));
  if (typeof v === "object") {
    const out: Record<string, RpcValue> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = toRpc(x, k);
    return out;
  }
  return String(v);
}

/** A name argument: Supvisors looks names up as given, so a non-string simply matches nothing. */
function name(v: RpcValue | undefined): string {
  if (typeof v === "string") return v;
  if (Buffer.isBuffer(v)) return v.toString("utf8");
  return pythonText(v);
}

type Impl = (args: RpcValue[]) => unknown;

export function createSupvisorsNamespace(svc: SupvisorsService, ctl: SupvisorsControl, stats: StatisticsControl, rolling: RollingRestartControl | null = null): Record<string, RpcMethod> {
  const impls: Record<string, Impl> = {
    get_api_version: () => svc.getApiVersion(),
    get_supvisors_state: () => svc.getSupvisorsState(),
    get_all_instances_state_modes: () => svc.getAllInstancesStateModes(),
    get_instance_state_modes: ([i]) => svc.getInstanceStateModes(name(i)),
    get_master_identifier: () => svc.getMasterIdentifier(),
    get_strategies: () => svc.getStrategies(),
    get_statistics_status: () => svc.getStatisticsStatus(),
    get_network_info: ([i]) => svc.getNetworkInfo(name(i)),
    get_all_instances_info: () => svc.getAllInstancesInfo(),
    get_instance_info: ([i]) => svc.getInstanceInfo(name(i)),
    get_all_applications_info: () => svc.getAllApplicationsInfo(),
    get_application_info: ([a]) => svc.getApplicationInfo(name(a)),
    get_application_rules: ([a]) => svc.getApplicationRules(name(a)),
    get_all_process_info: () => svc.getAllProcessInfo(),
    get_process_info: ([n]) => svc.getProcessInfo(name(n)),
    get_all_local_process_info: () => svc.getAllLocalProcessInfo(),
    get_local_process_info: ([n]) => svc.getLocalProcessInfo(name(n)),
    get_all_inner_process_info: ([i]) => svc.getAllInnerProcessInfo(name(i)),
    get_inner_process_info: ([i, n]) => svc.getInnerProcessInfo(name(i), name(n)),
    get_process_rules: ([n]) => svc.getProcessRules(name(n)),
    get_conflicts: () => svc.getConflicts(),
    change_log_level: ([l]) => svc.changeLogLevel(l),
    end_sync: ([m]) => svc.endSync(m === undefined ? "" : name(m)),
    conciliate: ([s]) => ctl.conciliate(s),
    restart_sequence: ([w]) => ctl.restartSequence(w),
    restart: () => ctl.restart(),
    shutdown: () => ctl.shutdown(),
    start_application: ([s, a, w]) => ctl.startApplication(s, name(a), w),
    stop_application: ([a, w]) => ctl.stopApplication(name(a), w),
    test_start_application: ([s, a]) => ctl.testStartApplication(s, name(a)),
    test_start_process: ([s, n]) => ctl.testStartProcess(s, name(n)),
    restart_application: ([s, a, w]) => ctl.restartApplication(s, name(a), w),
    start_args: ([n, x, w]) => ctl.startArgs(name(n), x, w),
    start_process: ([s, n, x, w]) => ctl.startProcess(s, name(n), x, w),
    start_any_process: ([s, r, x, w]) => ctl.startAnyProcess(s, r, x, w),
    stop_process: ([n, w]) => ctl.stopProcess(name(n), w),
    restart_process: ([s, n, x, w]) => ctl.restartProcess(s, name(n), x, w),
    rolling_restart: ([n, b, w]) => {
      if (!rolling) throw new ServiceFault(Faults.FAILED, "rolling restart not available");
      return rolling.rollingRestart(n, b, w);
    },
    enable: ([p, w]) => ctl.enable(p, w),
    update_numprocs: ([p, n, w, l]) => ctl.updateNumprocs(p, n, w, l),
    disable: ([p, w]) => ctl.disable(p, w),
    enable_host_statistics: ([e]) => stats.enableHostStatistics(e),
    enable_process_statistics: ([e]) => stats.enableProcessStatistics(e),
    update_collecting_period: ([p]) => stats.updateCollectingPeriod(p),
  };
  const methods: Record<string, RpcMethod> = {};
  for (const [method, doc] of Object.entries(SUPVISORS_METHOD_DOCS)) {
    const impl = impls[method];
    if (!impl) throw new Error(`supvisors.${method} has documentation but no implementation`);
    methods[method] = {
      help: doc.help,
      arity: doc.arity,
      call: (params) => {
        const out = impl(params);
        // A waiting control call answers later (its Promise resolves on the event that completes it).
        return out instanceof Promise ? out.then((v) => toRpc(v)) : toRpc(out);
      },
    };
  }
  for (const method of Object.keys(impls)) if (!methods[method]) throw new Error(`supvisors.${method} is implemented but undocumented`);
  return methods;
}
