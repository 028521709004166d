/**
 * The RPC method registry: namespaces of methods, and dispatch with supervisord's rules
 * (spec §8.2): a method name is exactly `namespace.method`, a method starting with `_` is never
 * reachable, a wrong argument count is INCORRECT_PARAMETERS, an RpcFault becomes a fault
 * response, and any other exception is an internal error (HTTP 500 plus a CRIT line, written by
 * the HTTP layer).
 *
 * A method may return a Promise: that is supervisord's deferred response. The HTTP layer awaits
 * it without blocking other clients.
 */
import { Faults, RpcFault } from "./faults.js";
import { signatureFromDoc } from "./gettags.js";
import type { RpcValue } from "./values.js";

/** Who is calling; informational (methods must not decide on it). */
export interface RpcCallContext {
  /** e.g. `127.0.0.1:51234` or `unix:/run/supervisor.sock`. */
  readonly peer?: string;
}

export type RpcResult = RpcValue | Promise<RpcValue>;

/**
 * Told of every call dispatched over HTTP (XML-RPC and REST), once its outcome is known: the
 * metrics' counters and latency histogram. It must be cheap (a Map lookup and a few adds) and
 * never throw; null (the default) costs nothing.
 */
export interface RpcCallObserver {
  callDone(method: string, outcome: "ok" | "fault" | "error", seconds: number): void;
}

export interface RpcMethod {
  /** The docstring returned by system.methodHelp; its @param/@return lines make the signature. */
  readonly help: string;
  /** Accepted argument counts; default: exactly as many as the help's @param lines. */
  readonly arity?: { readonly min: number; readonly max: number };
  call(params: RpcValue[], ctx: RpcCallContext): RpcResult;
}

export interface NamespaceOptions {
  /**
   * Runs before every call of the namespace once the argument count is checked; throw an
   * RpcFault to refuse (e.g. SHUTDOWN_STATE while the daemon stops, see shutdownGuard).
   */
  readonly guard?: (method: string) => void;
}

export class RpcRegistryError extends Error {
  readonly code = "RPC_REGISTRY";
  constructor(message: string) {
    super(message);
    this.name = "RpcRegistryError";
  }
}

interface Namespace {
  readonly methods: ReadonlyMap<string, RpcMethod>;
  readonly guard: ((method: string) => void) | undefined;
}

/** A method found by name, ready to be called. */
export interface ResolvedMethod {
  readonly fullName: string;
  readonly method: RpcMethod;
  readonly guard: ((method: string) => void) | undefined;
  readonly shortName: string;
}

const NAME_PART = /^[A-Za-z][A-Za-z0-9_]*$/;

function defaultArity(help: string): { min: number; max: number } {
  const sig = signatureFromDoc(help);
  const n = sig ? sig.length - 1 : 0;
  return { min: n, max: n };
}

export class RpcRegistry {
  private readonly namespaces = new Map<string, Namespace>();
  /** See RpcCallObserver; set by the daemon's metrics. */
  observer: RpcCallObserver | null = null;

  /** Adds (or replaces) a namespace. Names must be identifiers; `_`-prefixed methods are refused. */
  addNamespace(name: string, methods: Readonly<Record<string, RpcMethod>>, options: NamespaceOptions = {}): void {
    if (!NAME_PART.test(name)) throw new RpcRegistryError(`invalid namespace name '${name}'`);
    const map = new Map<string, RpcMethod>();
    for (const [m, def] of Object.entries(methods)) {
      if (!NAME_PART.test(m)) throw new RpcRegistryError(`invalid method name '${name}.${m}'`);
      map.set(m, def);
    }
    this.namespaces.set(name, { methods: map, guard: options.guard });
  }

  removeNamespace(name: string): boolean {
    return this.namespaces.delete(name);
  }

  namespaceNames(): string[] {
    return [...this.namespaces.keys()];
  }

  /** Every `ns.method`, sorted like Python's list.sort() (code point order). */
  listMethods(): string[] {
    const out: string[] = [];
    for (const [ns, { methods }] of this.namespaces) for (const m of methods.keys()) out.push(`${ns}.${m}`);
    return out.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  /** The method for an exact `ns.method` name, or null. */
  lookup(fullName: string): ResolvedMethod | null {
    const parts = fullName.split(".");
    if (parts.length !== 2) return null;
    const [ns, m] = parts as [string, string];
    if (m.startsWith("_")) return null;
    const space = this.namespaces.get(ns);
    const method = space?.methods.get(m);
    if (!space || !method) return null;
    return { fullName, method, guard: space.guard, shortName: m };
  }

  methodHelp(fullName: string): string {
    const r = this.lookup(fullName);
    if (!r) throw new RpcFault(Faults.SIGNATURE_UNSUPPORTED);
    return r.method.help;
  }

  methodSignature(fullName: string): string[] {
    const r = this.lookup(fullName);
    const sig = r ? signatureFromDoc(r.method.help) : null;
    if (!sig) throw new RpcFault(Faults.SIGNATURE_UNSUPPORTED);
    return sig;
  }

  /**
   * Calls a method by name. Throws RpcFault for refusals (UNKNOWN_METHOD, INCORRECT_PARAMETERS,
   * the namespace guard's fault) and whatever the method throws; returns its value or Promise.
   */
  invoke(fullName: string, params: RpcValue[], ctx: RpcCallContext = {}): RpcResult {
    const r = this.lookup(fullName);
    if (!r) throw new RpcFault(Faults.UNKNOWN_METHOD);
    const arity = r.method.arity ?? defaultArity(r.method.help);
    if (params.length < arity.min || params.length > arity.max) throw new RpcFault(Faults.INCORRECT_PARAMETERS);
    r.guard?.(r.shortName);
    return r.method.call(params, ctx);
  }
}

/**
 * A namespace guard refusing every method with SHUTDOWN_STATE while `isStopping()` says so,
 * except the listed ones (supervisord keeps `sendRemoteCommEvent` open; spec §14 item 23).
 */
export function shutdownGuard(isStopping: () => boolean, allowed: readonly string[] = ["sendRemoteCommEvent"]): (method: string) => void {
  const open = new Set(allowed);
  return (method) => {
    if (!open.has(method) && isStopping()) throw new RpcFault(Faults.SHUTDOWN_STATE);
  };
}
