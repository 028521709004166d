/**
 * The `system` namespace (spec §8.10): listMethods, methodHelp, methodSignature, multicall,
 * answered from the registry so namespaces added later (supvisors.*) are listed too.
 */
import { Faults, RpcFault } from "./faults.js";
import { invokeMapped } from "./dispatch.js";
import { RpcRegistry, type RpcCallContext, type RpcMethod } from "./registry.js";
import { SYSTEM_METHOD_DOCS } from "./system-docs.js";
import { isRpcStruct, type RpcStruct, type RpcValue } from "./values.js";

function doc(name: string): { help: string; arity: { min: number; max: number } } {
  const d = SYSTEM_METHOD_DOCS[name]!;
  return { help: d.help, arity: d.arity };
}

function faultStruct(code: number, faultString: string): RpcStruct {
  return { faultCode: code, faultString };
}

/** supervisord's `"FAILED: %s:%s" % (type, value)` for an unexpected exception in a sub-call. */
function failedStruct(e: unknown): RpcStruct {
  const name = e instanceof Error ? e.name : typeof e;
  const message = e instanceof Error ? e.message : String(e);
  return faultStruct(Faults.FAILED, `FAILED: <class '${name}'>:${message}`);
}

function isPromise(v: unknown): v is Promise<RpcValue> {
  return typeof (v as { then?: unknown } | null)?.then === "function";
}

/**
 * Runs the calls in order. Each result is the raw value (not wrapped in an array, unlike the
 * usual multicall convention: supervisord's shape, spec §14 item 12) or a fault struct. A deferred
 * call holds back the ones after it, so the whole reply is deferred; without deferred calls the
 * answer is computed synchronously.
 */
function multicall(registry: RpcRegistry, calls: RpcValue, ctx: RpcCallContext): RpcValue | Promise<RpcValue> {
  if (!Array.isArray(calls)) throw new RpcFault(Faults.INCORRECT_PARAMETERS);
  const results: RpcValue[] = [];
  const run = (index: number): RpcValue | Promise<RpcValue> => {
    for (let i = index; i < calls.length; i++) {
      const outcome = runOne(registry, calls[i]!, ctx);
      if (isPromise(outcome)) {
        return outcome.then(
          (value) => {
            results.push(value);
            return run(i + 1);
          },
          (e: unknown) => {
            results.push(e instanceof RpcFault ? faultStruct(e.code, e.faultString) : failedStruct(e));
            return run(i + 1);
          },
        );
      }
      results.push(outcome);
    }
    return results;
  };
  return run(0);
}

function runOne(registry: RpcRegistry, call: RpcValue, ctx: RpcCallContext): RpcValue | Promise<RpcValue> {
  try {
    if (!isRpcStruct(call)) throw new RpcFault(Faults.INCORRECT_PARAMETERS, "call must be a struct");
    const name = call["methodName"];
    const params = call["params"] ?? [];
    if (name === undefined || name === null) throw new RpcFault(Faults.INCORRECT_PARAMETERS, "No methodName");
    if (typeof name !== "string") throw new RpcFault(Faults.INCORRECT_PARAMETERS, "methodName must be a string");
    if (name === "system.multicall") {
      throw new RpcFault(Faults.INCORRECT_PARAMETERS, "Recursive system.multicall forbidden");
    }
    if (!Array.isArray(params)) throw new RpcFault(Faults.INCORRECT_PARAMETERS);
    const value = invokeMapped(registry, name, params, ctx);
    if (value === undefined) throw new TypeError(`method ${name} returned no value`);
    return value;
  } catch (e) {
    return e instanceof RpcFault ? faultStruct(e.code, e.faultString) : failedStruct(e);
  }
}

export function createSystemNamespace(registry: RpcRegistry): Record<string, RpcMethod> {
  return {
    listMethods: { ...doc("listMethods"), call: () => registry.listMethods() },
    methodHelp: {
      ...doc("methodHelp"),
      call: ([name]) => registry.methodHelp(String(name)),
    },
    methodSignature: {
      ...doc("methodSignature"),
      call: ([name]) => registry.methodSignature(String(name)),
    },
    multicall: { ...doc("multicall"), call: ([calls], ctx) => multicall(registry, calls!, ctx) },
  };
}

/** A registry with the system namespace already in place. */
export function createRegistry(): RpcRegistry {
  const registry = new RpcRegistry();
  registry.addNamespace("system", createSystemNamespace(registry));
  return registry;
}
