/**
 * One XML-RPC call from decoded request to outcome, with supervisord's TRAC lines
 * (spec §5.3). The HTTP layer turns the outcome into a response: a value or a fault is a 200
 * XML document, an internal error is a 500 with a CRIT line.
 */
import { Faults, RpcFault } from "./faults.js";
import type { LogHook } from "./log-hook.js";
import type { RpcCallContext, RpcRegistry, RpcResult } from "./registry.js";
import type { RpcValue } from "./values.js";

export type RpcOutcome =
  | { readonly kind: "ok"; readonly value: RpcValue }
  | { readonly kind: "fault"; readonly faultCode: number; readonly faultString: string }
  /** Not an RpcFault: a bug or an unexpected failure; `deferred` says it came after the call returned. */
  | { readonly kind: "error"; readonly error: unknown; readonly deferred: boolean };

function isPromise(v: unknown): v is Promise<RpcValue> {
  return typeof (v as { then?: unknown } | null)?.then === "function";
}

/**
 * Calls the method, mapping a synchronous TypeError to INCORRECT_PARAMETERS like supervisord's
 * `traverse` does (a method handed the wrong kind of argument), so a bad argument is a fault and
 * not an internal error.
 */
export function invokeMapped(registry: RpcRegistry, method: string, params: RpcValue[], ctx: RpcCallContext): RpcResult {
  try {
    return registry.invoke(method, params, ctx);
  } catch (e) {
    if (e instanceof TypeError) throw new RpcFault(Faults.INCORRECT_PARAMETERS);
    throw e;
  }
}

export async function dispatchCall(
  registry: RpcRegistry,
  method: string,
  params: RpcValue[],
  log: LogHook,
  ctx: RpcCallContext = {},
): Promise<RpcOutcome> {
  const observer = registry.observer;
  if (observer === null) return dispatch(registry, method, params, log, ctx);
  const t0 = performance.now();
  const outcome = await dispatch(registry, method, params, log, ctx);
  observer.callDone(method, outcome.kind, (performance.now() - t0) / 1000);
  return outcome;
}

async function dispatch(registry: RpcRegistry, method: string, params: RpcValue[], log: LogHook, ctx: RpcCallContext): Promise<RpcOutcome> {
  let result: RpcResult;
  log("TRAC", `XML-RPC method called: ${method}()`);
  try {
    result = invokeMapped(registry, method, params, ctx);
  } catch (e) {
    if (e instanceof RpcFault) {
      log("TRAC", `XML-RPC method ${method}() returned fault: [${e.code}] ${e.faultString}`);
      return { kind: "fault", faultCode: e.code, faultString: e.faultString };
    }
    return { kind: "error", error: e, deferred: false };
  }
  log("TRAC", `XML-RPC method ${method}() returned successfully`);
  if (!isPromise(result)) return result === undefined ? undefinedResult(method) : { kind: "ok", value: result };
  try {
    const value = await result;
    return value === undefined ? undefinedResult(method) : { kind: "ok", value };
  } catch (e) {
    if (e instanceof RpcFault) return { kind: "fault", faultCode: e.code, faultString: e.faultString };
    return { kind: "error", error: e, deferred: true };
  }
}

function undefinedResult(method: string): RpcOutcome {
  return { kind: "error", error: new TypeError(`method ${method} returned no value`), deferred: false };
}
