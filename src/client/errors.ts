/**
 * The two ways a call fails, kept apart because a caller reacts to them differently:
 * - RpcFaultError: the daemon answered with an XML-RPC fault (BAD_NAME, ALREADY_STARTED, ...);
 *   the request reached it and was refused, retrying the same call gets the same answer.
 * - RpcTransportError: no XML-RPC answer at all (connection refused, no socket file, HTTP 401 or
 *   500, a body that is not XML-RPC, a timeout); the daemon may not even have seen the call.
 */
import { faultName, type FaultName, type SupvisorsFaultName } from "../protocol/faults.js";

export type KnownFaultName = FaultName | SupvisorsFaultName;

/** A fault as XML-RPC carries it (and as system.multicall reports a failed call). */
export interface FaultStruct {
  readonly faultCode: number;
  readonly faultString: string;
}

export class RpcFaultError extends Error {
  /** The fault's name for its code (supervisord's table plus Supvisors' codes), `UNKNOWN` if none. */
  override readonly name: KnownFaultName | "UNKNOWN";
  /** `faultString` without its `NAME: ` prefix (the process name, Supvisors' message...), `""` if none. */
  readonly detail: string;

  constructor(
    readonly code: number,
    readonly faultString: string,
    /** The method that was called (`system.multicall` elements name their own). */
    readonly method: string,
  ) {
    const name = faultName(code);
    const detail = faultDetail(name, faultString);
    // name + ": " + message prints exactly the fault string, as supervisorctl shows faults.
    super(name === "UNKNOWN" ? faultString : detail || name);
    this.name = name;
    this.detail = detail;
  }

  /** Whether this is the named fault: `err.is("BAD_NAME")`. */
  is(name: KnownFaultName): boolean {
    return this.name === name;
  }

  static fromStruct(f: FaultStruct, method: string): RpcFaultError {
    return new RpcFaultError(f.faultCode, f.faultString, method);
  }
}

/** supervisord writes `NAME` or `NAME: detail` (spec supervisor.md §8.3). */
function faultDetail(name: string, faultString: string): string {
  if (faultString === name) return "";
  if (faultString.startsWith(`${name}: `)) return faultString.slice(name.length + 2);
  return faultString;
}

/** True for a `{faultCode: int, faultString: string}` struct (a failed element of a multicall). */
export function isFaultStruct(v: unknown): v is FaultStruct {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const f = v as Record<string, unknown>;
  return typeof f.faultCode === "number" && typeof f.faultString === "string" && Object.keys(f).length === 2;
}

/**
 * - `connect`: the connection failed or broke (`code` = Node's, e.g. ECONNREFUSED, ENOENT for a
 *   missing unix socket, ECONNRESET);
 * - `http`: an HTTP answer other than 200 (`status`, e.g. 401 without or with wrong credentials);
 * - `protocol`: a 200 whose body is not an XML-RPC response;
 * - `timeout`: no answer within the client's timeoutMs;
 * - `closed`: the client was closed while the call was pending.
 */
export type TransportFailure = "connect" | "http" | "protocol" | "timeout" | "closed";

export class RpcTransportError extends Error {
  override readonly name = "RpcTransportError";

  constructor(
    readonly kind: TransportFailure,
    message: string,
    readonly details: {
      readonly url: string;
      readonly method: string;
      /** HTTP status of an `http` failure, else null. */
      readonly status?: number | null;
      /** Node's error code of a `connect` failure (ECONNREFUSED, ENOENT, ...), else null. */
      readonly code?: string | null;
      readonly cause?: unknown;
    },
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
  }

  get status(): number | null {
    return this.details.status ?? null;
  }

  get code(): string | null {
    return this.details.code ?? null;
  }

  get url(): string {
    return this.details.url;
  }

  get method(): string {
    return this.details.method;
  }
}
