/**
 * The `supervisor.*` XML-RPC namespace: a thin adapter that converts XML-RPC arguments the way
 * supervisord's Python methods receive them and calls SupervisorService, which decides everything.
 */
import type { SupervisorService } from "../service/supervisor-service.js";
import { Faults, RpcFault } from "./faults.js";
import type { RpcMethod } from "./registry.js";
import { SUPERVISOR_METHOD_DOCS } from "./supervisor-docs.js";
import type { RpcValue } from "./values.js";

type Impl = (args: RpcValue[]) => unknown;

/** Python truthiness, as the reference's `if wait:`. */
function truthy(v: RpcValue | undefined, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (v === null || v === false || v === 0 || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

/** `int(x)` for offsets and lengths. */
function int(v: RpcValue | undefined): number {
  const n = typeof v === "number" ? v : typeof v === "string" && /^\s*[-+]?\d+\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n)) throw new RpcFault(Faults.INCORRECT_PARAMETERS, String(v));
  return Math.trunc(n);
}

function str(v: RpcValue | undefined): string {
  if (Buffer.isBuffer(v)) return v.toString("utf8");
  return String(v);
}

export function createSupervisorNamespace(svc: SupervisorService): Record<string, RpcMethod> {
  const impls: Record<string, Impl> = {
    getAPIVersion: () => svc.getAPIVersion(),
    getVersion: () => svc.getAPIVersion(),
    getSupervisorVersion: () => svc.getSupervisorVersion(),
    getIdentification: () => svc.getIdentification(),
    getState: () => svc.getState(),
    getPID: () => svc.getPID(),
    readLog: ([o, l]) => svc.readLog(int(o), int(l)),
    readMainLog: ([o, l]) => svc.readLog(int(o), int(l)),
    clearLog: () => svc.clearLog(),
    shutdown: () => svc.shutdown(),
    restart: () => svc.restart(),
    reloadConfig: () => [svc.reloadConfig()],
    addProcessGroup: ([n]) => svc.addProcessGroup(str(n)),
    removeProcessGroup: ([n]) => svc.removeProcessGroup(str(n)),
    startProcess: ([n, w]) => svc.startProcess(str(n), truthy(w, true)),
    startProcessGroup: ([n, w]) => svc.startProcessGroup(str(n), truthy(w, true)),
    startAllProcesses: ([w]) => svc.startAllProcesses(truthy(w, true)),
    stopProcess: ([n, w]) => svc.stopProcess(str(n), truthy(w, true)),
    stopProcessGroup: ([n, w]) => svc.stopProcessGroup(str(n), truthy(w, true)),
    stopAllProcesses: ([w]) => svc.stopAllProcesses(truthy(w, true)),
    signalProcess: ([n, s]) => svc.signalProcess(str(n), s as string | number),
    signalProcessGroup: ([n, s]) => svc.signalProcessGroup(str(n), s as string | number),
    signalAllProcesses: ([s]) => svc.signalAllProcesses(s as string | number),
    getProcessInfo: ([n]) => svc.getProcessInfo(str(n)),
    getAllProcessInfo: () => svc.getAllProcessInfo(),
    getAllConfigInfo: () => svc.getAllConfigInfo(),
    readProcessStdoutLog: ([n, o, l]) => svc.readProcessStdoutLog(str(n), int(o), int(l)),
    readProcessLog: ([n, o, l]) => svc.readProcessStdoutLog(str(n), int(o), int(l)),
    readProcessStderrLog: ([n, o, l]) => svc.readProcessStderrLog(str(n), int(o), int(l)),
    tailProcessStdoutLog: ([n, o, l]) => svc.tailProcessStdoutLog(str(n), int(o), int(l)),
    tailProcessLog: ([n, o, l]) => svc.tailProcessStdoutLog(str(n), int(o), int(l)),
    tailProcessStderrLog: ([n, o, l]) => svc.tailProcessStderrLog(str(n), int(o), int(l)),
    clearProcessLogs: ([n]) => svc.clearProcessLogs(str(n)),
    clearProcessLog: ([n]) => svc.clearProcessLogs(str(n)),
    clearAllProcessLogs: () => svc.clearAllProcessLogs(),
    sendProcessStdin: ([n, c]) => svc.sendProcessStdin(str(n), c),
    sendRemoteCommEvent: ([t, d]) => svc.sendRemoteCommEvent(str(t), str(d)),
  };
  const methods: Record<string, RpcMethod> = {};
  for (const [name, doc] of Object.entries(SUPERVISOR_METHOD_DOCS)) {
    const impl = impls[name];
    if (!impl) throw new Error(`supervisor.${name} has documentation but no implementation`);
    methods[name] = { help: doc.help, arity: doc.arity, call: (params) => impl(params) as ReturnType<RpcMethod["call"]> };
  }
  for (const name of Object.keys(impls)) {
    if (!methods[name]) throw new Error(`supervisor.${name} is implemented but undocumented`);
  }
  return methods;
}
