/**
 * Shape checks of what other instances send (internal messages, handshake answers): a peer is
 * trusted with its key, not with its bytes, so every field is checked before the model sees it.
 */
import { ReadinessStates } from "../../protocol/supervisor.js";
import { checkStatsPayload } from "../stats/sample-checks.js";
import type { InternalMessage, LocalProcessInfo, ProcessEvent } from "../types.js";

type FieldType = "string" | "number" | "boolean";

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function hasFields(v: unknown, fields: Readonly<Record<string, FieldType>>): v is Record<string, unknown> {
  if (!isObject(v)) return false;
  for (const [k, t] of Object.entries(fields)) {
    const x = v[k];
    if (typeof x !== t) return false;
    if (t === "number" && !Number.isFinite(x)) return false;
  }
  return true;
}

const LOCAL_INFO: Record<string, FieldType> = {
  group: "string",
  name: "string",
  state: "number",
  statename: "string",
  start: "number",
  stop: "number",
  now: "number",
  pid: "number",
  description: "string",
  spawnerr: "string",
  expected: "boolean",
  start_monotonic: "number",
  stop_monotonic: "number",
  now_monotonic: "number",
  extra_args: "string",
  startsecs: "number",
  stopwaitsecs: "number",
  process_index: "number",
  program_name: "string",
  disabled: "boolean",
  has_stdout: "boolean",
  has_stderr: "boolean",
};

const PROCESS_EVENT: Record<string, FieldType> = {
  identifier: "string",
  nick_identifier: "string",
  name: "string",
  group: "string",
  state: "number",
  now: "number",
  now_monotonic: "number",
  pid: "number",
  expected: "boolean",
  spawnerr: "string",
  extra_args: "string",
  disabled: "boolean",
};

const STATE_MODES: Record<string, FieldType> = {
  identifier: "string",
  nick_identifier: "string",
  now_monotonic: "number",
  fsm_statecode: "number",
  fsm_statename: "string",
  degraded_mode: "boolean",
  discovery_mode: "boolean",
  master_identifier: "string",
  starting_jobs: "boolean",
  stopping_jobs: "boolean",
};

/** Our optional `readiness` member: absent, or one of the state names. */
const readinessOk = (v: Record<string, unknown>) => v.readiness === undefined || (ReadinessStates as readonly unknown[]).includes(v.readiness);

export function isLocalProcessInfo(v: unknown): v is LocalProcessInfo {
  return hasFields(v, LOCAL_INFO) && readinessOk(v);
}

export function isProcessEvent(v: unknown): v is ProcessEvent {
  return (
    hasFields(v, PROCESS_EVENT) &&
    (v.forced === undefined || typeof v.forced === "boolean") &&
    readinessOk(v) &&
    (v.readiness_only === undefined || typeof v.readiness_only === "boolean") &&
    (v.readiness_reason === undefined || typeof v.readiness_reason === "string")
  );
}

/** A message kind and its payload, checked; null when anything is off. */
export function checkInternalMessage(kind: unknown, payload: unknown): InternalMessage | null {
  if (!isObject(payload)) return null;
  switch (kind) {
    case "tick":
      if (typeof payload.boot !== "string" || !Number.isSafeInteger(payload.sequence_counter) || (payload.sequence_counter as number) < 0) return null;
      if (!hasFields(payload, { when: "number", when_monotonic: "number" })) return null;
      return { kind, boot: payload.boot, sequence_counter: payload.sequence_counter as number, when: payload.when as number, when_monotonic: payload.when_monotonic as number };
    case "state": {
      const s = payload.state;
      if (!hasFields(s, STATE_MODES) || !isObject(s.instance_states)) return null;
      if (!Object.values(s.instance_states).every((x) => typeof x === "string")) return null;
      return { kind, state: s as never };
    }
    case "process":
      return isProcessEvent(payload.event) ? { kind, event: payload.event } : null;
    case "process_added":
    case "process_disability":
      return isLocalProcessInfo(payload.info) ? { kind, info: payload.info } : null;
    case "process_removed":
      return typeof payload.name === "string" && typeof payload.group === "string" ? { kind, name: payload.name, group: payload.group } : null;
    case "stats": {
      const stats = checkStatsPayload(payload);
      return stats ? { kind, ...stats } : null;
    }
    default:
      return null;
  }
}
