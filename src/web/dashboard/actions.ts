/**
 * How a dashboard action runs (spec §11): through the RPC registry, as a client would call it,
 * waiting when the call waits; its success message or `<method>: <fault text>` becomes the
 * footer message, stamped `at <ctime>`, carried by the redirect that follows. Nothing here throws
 * for a refusal: a fault is a red footer, never a 500.
 */
import { RpcFault } from "../../supervisord/rpc/faults.js";
import type { RpcValue } from "../../supervisord/rpc/values.js";
import type { ActionService } from "../actions.js";
import { ctime } from "../html.js";
import type { DashboardPort } from "./port.js";
import type { Snapshot } from "./snapshot.js";
import type { Gravity, ViewContext } from "./view-context.js";

export interface ActionResult {
  readonly message: string;
  readonly gravity: Gravity;
}

export interface ActionRequest {
  readonly ctx: ViewContext;
  readonly snap: Snapshot;
  readonly port: DashboardPort;
  /** The local supervisord's service (the processes page runs Supervisor's own actions). */
  readonly supervisor: ActionService;
  readonly now: () => number;
}

export type ActionHandler = (req: ActionRequest) => Promise<ActionResult> | ActionResult;

export const info = (message: string): ActionResult => ({ message, gravity: "info" });
export const warn = (message: string): ActionResult => ({ message, gravity: "warn" });
export const erro = (message: string): ActionResult => ({ message, gravity: "erro" });

/** The text of a failure: a fault's `NAME: detail`, or the error's message. */
export function faultText(err: unknown): string {
  if (err instanceof RpcFault) return err.faultString;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Calls `method` and reports `success`, or `<short method name>: <fault>` (Supvisors' wording).
 * A call that answers later (wait=true) is awaited.
 */
export async function rpcAction(port: DashboardPort, method: string, params: RpcValue[], success: string): Promise<ActionResult> {
  try {
    await port.call(method, params);
    return info(success);
  } catch (err) {
    return erro(`${method.slice(method.indexOf(".") + 1)}: ${faultText(err)}`);
  }
}

/** The message as the footer shows it: `<text> at <ctime>`. */
export function stamped(result: ActionResult, nowMs: number): ActionResult {
  return { message: `${result.message} at ${ctime(nowMs)}`, gravity: result.gravity };
}

/** Supervisor's messages (web/actions.ts) carry no gravity: theirs start with ERROR or name a fault. */
export function supervisorGravity(message: string): Gravity {
  return message.startsWith("ERROR") || message.includes("unexpected rpc fault") || message.startsWith("No such") ? "erro" : "info";
}
