/**
 * The checks of enum parameters the `supvisors.*` API accepts (spec §5.1): a strategy as its
 * literal (exact case) or its integer value, a logger level as its description (any case) or
 * Supervisor's number. Refusals are INCORRECT_PARAMETERS with Supvisors' texts, which print
 * Python reprs (`<enum 'StartingStrategies'>`, `['CONFIG', ...]`, `<class 'float'>`).
 */
import { Faults } from "../../protocol/faults.js";
import { ServiceFault } from "../../supervisord/service/fault.js";

/** A decoded XML-RPC argument as the service receives it. */
export type ParamValue = unknown;

function pyList(items: readonly (string | number)[]): string {
  return `[${items.map((x) => (typeof x === "string" ? `'${x}'` : String(x))).join(", ")}]`;
}

/** Python's `type(x)` of a decoded XML-RPC value. */
export function pythonTypeOf(v: ParamValue): string {
  if (v === null || v === undefined) return "<class 'NoneType'>";
  if (typeof v === "boolean") return "<class 'bool'>";
  if (typeof v === "number") return Number.isInteger(v) ? "<class 'int'>" : "<class 'float'>";
  if (typeof v === "string") return "<class 'str'>";
  if (Buffer.isBuffer(v)) return "<class 'xmlrpc.client.Binary'>";
  if (v instanceof Date) return "<class 'xmlrpc.client.DateTime'>";
  if (Array.isArray(v)) return "<class 'list'>";
  if (typeof v === "object" && v.constructor?.name === "RpcDouble") return "<class 'float'>";
  return "<class 'dict'>";
}

/** Python's str() of the same value, as an f-string prints it. */
export function pythonText(v: ParamValue): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(v);
  if (typeof v === "string") return v;
  if (Buffer.isBuffer(v)) return v.toString("latin1");
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return `[${v.map((x) => (typeof x === "string" ? `'${x}'` : pythonText(x))).join(", ")}]`;
  if (typeof v === "object" && "value" in (v as object) && v.constructor?.name === "RpcDouble") return String((v as { value: number }).value);
  return `{${Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `'${k}': ${typeof x === "string" ? `'${x}'` : pythonText(x)}`)
    .join(", ")}}`;
}

function incorrect(message: string, complement: string): ServiceFault {
  return new ServiceFault(Faults.INCORRECT_PARAMETERS, `${message} - ${complement}`);
}

/**
 * One of an enum's literals, given as the literal or its value (index). `enumName` is the Python
 * class name the fault text shows (`StartingStrategies`, `ConciliationStrategies`).
 */
export function enumParam<T extends string>(value: ParamValue, literals: readonly T[], enumName: string): T {
  const klass = `<enum '${enumName}'>`;
  if (typeof value === "string") {
    if ((literals as readonly string[]).includes(value)) return value as T;
    throw incorrect(`invalid ${klass} value=${value}`, `string expected in ${pyList(literals)}`);
  }
  if (typeof value === "number" && Number.isInteger(value)) {
    const lit = literals[value];
    if (value >= 0 && lit !== undefined) return lit;
    throw incorrect(`invalid ${klass} value=${value}`, `integer expected in ${pyList(literals.map((_, i) => i))}`);
  }
  throw incorrect(`invalid ${klass} value=${pythonText(value)} type=${pythonTypeOf(value)}`, "type string or integer expected");
}

/** Supervisor's levels: number -> description, in LevelsByDescription's order. */
export const LOGGER_LEVELS: ReadonlyArray<readonly [number, LoggerLevel]> = [
  [50, "critical"],
  [40, "error"],
  [30, "warn"],
  [20, "info"],
  [10, "debug"],
  [5, "trace"],
  [3, "blather"],
];
export type LoggerLevel = "critical" | "error" | "warn" | "info" | "debug" | "trace" | "blather";

/** change_log_level's argument: a description (any case) or a Supervisor level number. */
export function loggerLevelParam(value: ParamValue): LoggerLevel {
  if (typeof value === "string") {
    const hit = LOGGER_LEVELS.find(([, d]) => d === value.toLowerCase());
    if (hit) return hit[1];
    throw incorrect(`invalid logger value=${value}`, `string expected in ${pyList(LOGGER_LEVELS.map(([, d]) => d))}`);
  }
  if (typeof value === "number" && Number.isInteger(value)) {
    const hit = LOGGER_LEVELS.find(([n]) => n === value);
    if (hit) return hit[1];
    throw incorrect(`invalid logger value=${value}`, `integer expected in ${pyList(LOGGER_LEVELS.map(([n]) => n))}`);
  }
  throw incorrect(`invalid logger value=${pythonText(value)} type=${pythonTypeOf(value)}`, "type string or integer expected");
}

/** A string parameter (a name, an identifier): XML-RPC strings only; anything else is refused. */
export function stringParam(value: ParamValue, what: string): string {
  if (typeof value === "string") return value;
  if (Buffer.isBuffer(value)) return value.toString("utf8");
  throw new ServiceFault(Faults.INCORRECT_PARAMETERS, `invalid ${what}=${pythonText(value)} type=${pythonTypeOf(value)} - type string expected`);
}
