/**
 * Reads of the application layer for the cluster tests: where processes run, their records,
 * faults of a call. Thin wrappers over the `supvisors.*` API, as any client would use it.
 */
import type { ClusterInstance } from "./cluster.js";
import { RpcError } from "./cluster.js";

export interface ProcessView {
  readonly application_name: string;
  readonly process_name: string;
  readonly statename: string;
  readonly identifiers: string[];
  readonly extra_args: string;
}

export interface RecordView {
  readonly group: string;
  readonly name: string;
  readonly identifier: string;
  readonly statename: string;
  readonly start_monotonic: number;
  readonly stop_monotonic: number;
  readonly pid: number;
  readonly spawnerr: string;
}

export async function processes(i: ClusterInstance, namespec: string): Promise<ProcessView[]> {
  return (await i.rpc("supvisors.get_process_info", namespec)) as unknown as ProcessView[];
}

/** name -> [state, identifiers] of every process of an application. */
export async function placement(i: ClusterInstance, application: string): Promise<Record<string, [string, string[]]>> {
  return Object.fromEntries((await processes(i, `${application}:*`)).map((p) => [p.process_name, [p.statename, p.identifiers]]));
}

export async function applicationState(i: ClusterInstance, application: string): Promise<string> {
  return ((await i.rpc("supvisors.get_application_info", application)) as { statename: string }).statename;
}

/** The record of one process on one instance, as `observer` holds it. */
export async function recordOf(observer: ClusterInstance, on: ClusterInstance, namespec: string): Promise<RecordView> {
  return ((await observer.rpc("supvisors.get_inner_process_info", on.identifier, namespec)) as unknown as RecordView[])[0]!;
}

/** Every record of an application on every instance, as `observer` holds them. */
export async function records(observer: ClusterInstance, instances: readonly ClusterInstance[], application: string): Promise<RecordView[]> {
  const out: RecordView[] = [];
  for (const i of instances) out.push(...((await observer.rpc("supvisors.get_inner_process_info", i.identifier, `${application}:*`)) as unknown as RecordView[]));
  return out;
}

/** The fault of a call that must fail: [code, text]. */
export async function faultOf(p: Promise<unknown>): Promise<[number, string]> {
  try {
    await p;
  } catch (err) {
    if (err instanceof RpcError) return [err.faultCode, err.faultString];
    throw err;
  }
  throw new Error("the call succeeded");
}

/** get_all_process_info: every process of every application, as `observer` synthesizes it. */
export async function allProcesses(observer: ClusterInstance): Promise<ProcessView[]> {
  return (await observer.rpc("supvisors.get_all_process_info")) as unknown as ProcessView[];
}

/** get_conflicts: the processes of managed applications running on more than one instance. */
export async function conflicts(observer: ClusterInstance): Promise<ProcessView[]> {
  return (await observer.rpc("supvisors.get_conflicts")) as unknown as ProcessView[];
}

/**
 * A subscriber to an instance's ZeroMQ event interface (event_link = ZMQ): every [header, body]
 * in arrival order. ready() resolves once events flow (a SUB's subscription takes a moment).
 */
export class EventLog {
  readonly events: [string, Record<string, unknown>][] = [];
  private sub: import("zeromq").Subscriber | null = null;

  static async open(host: string, port: number): Promise<EventLog> {
    const log = new EventLog();
    const zmq = await import("zeromq");
    const sub = new zmq.Subscriber({ linger: 0 });
    sub.connect(`tcp://${host}:${port}`);
    sub.subscribe();
    log.sub = sub;
    void (async () => {
      try {
        for await (const [h, b] of sub) log.events.push([h!.toString(), JSON.parse(b!.toString()) as Record<string, unknown>]);
      } catch {
        // closed
      }
    })();
    return log;
  }

  /** The instance events of the heartbeat show that the subscription is in place. */
  async ready(): Promise<void> {
    const { poll } = await import("./cluster.js");
    await poll(() => (this.events.some((e) => e[0] === "instance") ? true : undefined), 20_000, "events flowing");
  }

  /** `process` events of an application from index `from`, as "name STATE". */
  processes(application: string, from = 0): string[] {
    return this.events
      .slice(from)
      .filter(([h, b]) => h === "process" && b.application_name === application)
      .map(([, b]) => `${String(b.process_name)} ${String(b.statename)}`);
  }

  /** Raw `event`s of an application from index `from`, as "name STATE", in their owners' clock order. */
  ownerOrdered(application: string, from = 0): string[] {
    const names: Record<number, string> = { 0: "STOPPED", 10: "STARTING", 20: "RUNNING", 30: "BACKOFF", 40: "STOPPING", 100: "EXITED", 200: "FATAL", 1000: "UNKNOWN" };
    return this.events
      .slice(from)
      .filter(([h, b]) => h === "event" && b.group === application)
      .map(([, b]) => b)
      .sort((x, y) => Number(x.now_monotonic) - Number(y.now_monotonic))
      .map((b) => `${String(b.name)} ${names[Number(b.state)] ?? String(b.state)}`);
  }

  close(): void {
    this.sub?.close();
    this.sub = null;
  }
}
