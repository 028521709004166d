/**
 * SupervisorClient: the `system.*` and `supervisor.*` API of one supervisord, as typed methods
 * grouped by namespace (`client.supervisor.startProcess("web")`, `client.system.listMethods()`),
 * named and ordered exactly as on the wire, with the daemon's defaults for optional parameters.
 */
import type { RpcValue } from "../supervisord/rpc/codec.js";
import type { MethodName, MulticallCall, MulticallResults, ParamsOf, ResultOf } from "./methods.js";
import type { ConfigInfo, ProcessInfo, ProcessResult, ReloadConfigResult, SignalParam, SupervisorState, TailResult } from "./supervisor-types.js";
import { XmlRpcTransport, type ClientOptions } from "./transport.js";

/** What a namespace needs of its client: one typed call. */
export type Invoke = <N extends MethodName>(method: N, params: ParamsOf<N>) => Promise<ResultOf<N>>;

/** A group form of a namespec (`group:*` or `group:`), for which start/stop/signal answer an array. */
export type GroupNamespec = `${string}:*` | `${string}:`;

export class SystemNamespace {
  constructor(private readonly invoke: Invoke) {}

  /** Every method name the server has, sorted. */
  listMethods(): Promise<string[]> {
    return this.invoke("system.listMethods", []);
  }
  methodHelp(name: string): Promise<string> {
    return this.invoke("system.methodHelp", [name]);
  }
  /** `[return type, parameter types...]`; SIGNATURE_UNSUPPORTED for an unknown method. */
  methodSignature(name: string): Promise<string[]> {
    return this.invoke("system.methodSignature", [name]);
  }
  /**
   * Runs the calls in order in one request. Each element of the answer is that call's result or,
   * if it failed, a fault struct (isFaultStruct tells; RpcFaultError.fromStruct makes it an error).
   */
  async multicall<const T extends readonly MulticallCall[]>(calls: T): Promise<MulticallResults<T>> {
    const wire = calls.map((c) => ({ methodName: c.methodName, params: c.params ?? [] }));
    return (await this.invoke("system.multicall", [wire as unknown as readonly MulticallCall[]])) as MulticallResults<T>;
  }
}

export class SupervisorNamespace {
  constructor(private readonly invoke: Invoke) {}

  getAPIVersion(): Promise<string> {
    return this.invoke("supervisor.getAPIVersion", []);
  }
  getVersion(): Promise<string> {
    return this.invoke("supervisor.getVersion", []);
  }
  getSupervisorVersion(): Promise<string> {
    return this.invoke("supervisor.getSupervisorVersion", []);
  }
  getIdentification(): Promise<string> {
    return this.invoke("supervisor.getIdentification", []);
  }
  getState(): Promise<SupervisorState> {
    return this.invoke("supervisor.getState", []);
  }
  getPID(): Promise<number> {
    return this.invoke("supervisor.getPID", []);
  }
  /** The main log: `offset < 0, length 0` = its last bytes; `offset >= 0` reads from there (0 = to the end). */
  readLog(offset: number, length: number): Promise<string> {
    return this.invoke("supervisor.readLog", [offset, length]);
  }
  readMainLog(offset: number, length: number): Promise<string> {
    return this.invoke("supervisor.readMainLog", [offset, length]);
  }
  clearLog(): Promise<boolean> {
    return this.invoke("supervisor.clearLog", []);
  }
  shutdown(): Promise<boolean> {
    return this.invoke("supervisor.shutdown", []);
  }
  restart(): Promise<boolean> {
    return this.invoke("supervisor.restart", []);
  }
  /** Re-reads the configuration without applying it: `[[added, changed, removed]]` group names. */
  reloadConfig(): Promise<ReloadConfigResult> {
    return this.invoke("supervisor.reloadConfig", []);
  }
  addProcessGroup(name: string): Promise<boolean> {
    return this.invoke("supervisor.addProcessGroup", [name]);
  }
  removeProcessGroup(name: string): Promise<boolean> {
    return this.invoke("supervisor.removeProcessGroup", [name]);
  }

  /** `wait` (default true): answer once RUNNING (or fail with SPAWN_ERROR...). A group form answers an array. */
  startProcess(name: GroupNamespec, wait?: boolean): Promise<ProcessResult[]>;
  startProcess(name: string, wait?: boolean): Promise<boolean | ProcessResult[]>;
  startProcess(name: string, wait = true): Promise<boolean | ProcessResult[]> {
    return this.invoke("supervisor.startProcess", [name, wait]);
  }
  startProcessGroup(name: string, wait = true): Promise<ProcessResult[]> {
    return this.invoke("supervisor.startProcessGroup", [name, wait]);
  }
  startAllProcesses(wait = true): Promise<ProcessResult[]> {
    return this.invoke("supervisor.startAllProcesses", [wait]);
  }
  /** `wait` (default true): answer once stopped. A group form answers an array. */
  stopProcess(name: GroupNamespec, wait?: boolean): Promise<ProcessResult[]>;
  stopProcess(name: string, wait?: boolean): Promise<boolean | ProcessResult[]>;
  stopProcess(name: string, wait = true): Promise<boolean | ProcessResult[]> {
    return this.invoke("supervisor.stopProcess", [name, wait]);
  }
  stopProcessGroup(name: string, wait = true): Promise<ProcessResult[]> {
    return this.invoke("supervisor.stopProcessGroup", [name, wait]);
  }
  stopAllProcesses(wait = true): Promise<ProcessResult[]> {
    return this.invoke("supervisor.stopAllProcesses", [wait]);
  }
  /** `signal`: a name (`HUP`, `SIGHUP`) or a number. A group form answers an array. */
  signalProcess(name: GroupNamespec, signal: SignalParam): Promise<ProcessResult[]>;
  signalProcess(name: string, signal: SignalParam): Promise<boolean | ProcessResult[]>;
  signalProcess(name: string, signal: SignalParam): Promise<boolean | ProcessResult[]> {
    return this.invoke("supervisor.signalProcess", [name, signal]);
  }
  signalProcessGroup(name: string, signal: SignalParam): Promise<ProcessResult[]> {
    return this.invoke("supervisor.signalProcessGroup", [name, signal]);
  }
  signalAllProcesses(signal: SignalParam): Promise<ProcessResult[]> {
    return this.invoke("supervisor.signalAllProcesses", [signal]);
  }
  getProcessInfo(name: string): Promise<ProcessInfo> {
    return this.invoke("supervisor.getProcessInfo", [name]);
  }
  getAllProcessInfo(): Promise<ProcessInfo[]> {
    return this.invoke("supervisor.getAllProcessInfo", []);
  }
  getAllConfigInfo(): Promise<ConfigInfo[]> {
    return this.invoke("supervisor.getAllConfigInfo", []);
  }
  readProcessStdoutLog(name: string, offset: number, length: number): Promise<string> {
    return this.invoke("supervisor.readProcessStdoutLog", [name, offset, length]);
  }
  readProcessLog(name: string, offset: number, length: number): Promise<string> {
    return this.invoke("supervisor.readProcessLog", [name, offset, length]);
  }
  readProcessStderrLog(name: string, offset: number, length: number): Promise<string> {
    return this.invoke("supervisor.readProcessStderrLog", [name, offset, length]);
  }
  /** `[data, next offset, overflow]`: pass the offset back to follow the log. */
  tailProcessStdoutLog(name: string, offset: number, length: number): Promise<TailResult> {
    return this.invoke("supervisor.tailProcessStdoutLog", [name, offset, length]);
  }
  tailProcessLog(name: string, offset: number, length: number): Promise<TailResult> {
    return this.invoke("supervisor.tailProcessLog", [name, offset, length]);
  }
  tailProcessStderrLog(name: string, offset: number, length: number): Promise<TailResult> {
    return this.invoke("supervisor.tailProcessStderrLog", [name, offset, length]);
  }
  clearProcessLogs(name: string): Promise<boolean> {
    return this.invoke("supervisor.clearProcessLogs", [name]);
  }
  clearProcessLog(name: string): Promise<boolean> {
    return this.invoke("supervisor.clearProcessLog", [name]);
  }
  clearAllProcessLogs(): Promise<ProcessResult[]> {
    return this.invoke("supervisor.clearAllProcessLogs", []);
  }
  sendProcessStdin(name: string, chars: string): Promise<boolean> {
    return this.invoke("supervisor.sendProcessStdin", [name, chars]);
  }
  /** Emits a REMOTE_COMMUNICATION event to the daemon's event listeners. */
  sendRemoteCommEvent(type: string, data: string): Promise<boolean> {
    return this.invoke("supervisor.sendRemoteCommEvent", [type, data]);
  }
}

/**
 * A client of one supervisord at `url` (`http://host:port` or `unix:///path.sock`). Calls fail
 * with RpcFaultError (the daemon refused) or RpcTransportError (no XML-RPC answer).
 */
export class SupervisorClient {
  readonly url: string;
  readonly system: SystemNamespace;
  readonly supervisor: SupervisorNamespace;
  protected readonly transport: XmlRpcTransport;

  constructor(url: string, options: ClientOptions = {}) {
    this.transport = new XmlRpcTransport(url, options);
    this.url = url;
    const invoke: Invoke = (method, params) => this.invoke(method, params);
    this.system = new SystemNamespace(invoke);
    this.supervisor = new SupervisorNamespace(invoke);
  }

  /** Any method by its wire name, typed: `client.call("supervisor.getProcessInfo", "web")`. */
  call<N extends MethodName>(method: N, ...params: ParamsOf<N>): Promise<ResultOf<N>> {
    return this.invoke(method, params);
  }

  /** Any method, untyped (another plugin's namespace, hand-built values). */
  callRaw(method: string, params: readonly RpcValue[] = []): Promise<RpcValue> {
    return this.transport.call(method, params);
  }

  /** system.multicall, typed per element. */
  multicall<const T extends readonly MulticallCall[]>(calls: T): Promise<MulticallResults<T>> {
    return this.system.multicall(calls);
  }

  protected invoke<N extends MethodName>(method: N, params: ParamsOf<N>): Promise<ResultOf<N>> {
    // The parameter tables only hold XML-RPC-encodable values (strings, numbers, booleans,
    // arrays and structs of them); results are trusted to have the documented shapes.
    return this.transport.call(method, params as unknown as readonly RpcValue[]) as Promise<ResultOf<N>>;
  }

  /** Closes the kept-alive connections; calls still pending fail (RpcTransportError `closed`). */
  close(): Promise<void> {
    this.transport.close();
    return Promise.resolve();
  }
}
