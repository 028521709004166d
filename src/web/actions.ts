/**
 * The status page's actions (spec §11.2): each runs through SupervisorService with waiting, and
 * yields the flash message the page shows after the 301. The texts are supervisord's, fault for
 * fault (web/views.py make_callback); the group actions are ours (Supervisor issue #1054).
 */
import { Faults, RpcFault } from "../supervisord/rpc/faults.js";
import type { ProcessResult, SupervisorService } from "../supervisord/service/supervisor-service.js";
import { ctime } from "./html.js";

/** The part of the service the actions use (tests pass a fake). */
export type ActionService = Pick<
  SupervisorService,
  | "getProcessInfo"
  | "startProcess"
  | "stopProcess"
  | "startAllProcesses"
  | "stopAllProcesses"
  | "clearProcessLogs"
  | "startProcessGroup"
  | "stopProcessGroup"
>;

export interface ActionRequest {
  readonly action: string;
  readonly processname: string | null;
  readonly groupname: string | null;
}

/** A message for the redirect, or `invalid` for supervisord's ValueError (HTTP 500). */
export type ActionOutcome = { readonly kind: "message"; readonly message: string } | { readonly kind: "invalid" };

const message = (text: string): ActionOutcome => ({ kind: "message", message: text });

function asFault(err: unknown): RpcFault {
  if (err instanceof RpcFault) return err;
  return new RpcFault(Faults.FAILED, err instanceof Error ? err.message : String(err));
}

/** `unexpected rpc fault [<code>] <text>` — supervisord's catch-all wording. */
/** A fault as the messages need it (an RpcFault, or a group result's status and description). */
export interface FaultLike {
  readonly code: number;
  readonly faultString: string;
}

export function unexpectedFault(f: FaultLike): string {
  return `unexpected rpc fault [${f.code}] ${f.faultString}`;
}

/** Why a start failed, as the status page words it. */
export function startFailureReason(f: FaultLike): string {
  switch (f.code) {
    case Faults.NO_FILE:
      return "no such file";
    case Faults.NOT_EXECUTABLE:
      return "file not executable";
    case Faults.ALREADY_STARTED:
      return "already started";
    case Faults.SPAWN_ERROR:
      return "spawn error";
    case Faults.ABNORMAL_TERMINATION:
      return "abnormal termination";
    default:
      return unexpectedFault(f);
  }
}

/** Runs the action; never throws for a fault (faults become messages). */
export async function runAction(service: ActionService, req: ActionRequest, now: () => number): Promise<ActionOutcome> {
  const { action, processname: ns, groupname } = req;
  switch (action) {
    case "refresh":
      return message(`Page refreshed at ${ctime(now())}`);
    case "stopall":
      await settle(() => service.stopAllProcesses(true));
      return message(`All stopped at ${ctime(now())}`);
    case "restartall":
      // supervisord runs a multicall stopAll + startAll and ignores their results.
      await settle(() => service.stopAllProcesses(true));
      await settle(() => service.startAllProcesses(true));
      return message(`All restarted at ${ctime(now())}`);
    case "startgroup":
    case "stopgroup":
    case "restartgroup":
      return groupname ? message(await runGroupAction(service, action, groupname)) : { kind: "invalid" };
  }
  if (!ns) return { kind: "invalid" };
  // supervisord looks the process up before it looks at the action.
  if (!processExists(service, ns)) return message(`No such process named ${ns}`);
  switch (action) {
    case "start":
      return message(await startMessage(service, ns));
    case "stop":
      try {
        await service.stopProcess(ns, true);
        return message(`Process ${ns} stopped`);
      } catch (err) {
        return message(unexpectedFault(asFault(err)));
      }
    case "restart":
      // Like the reference's multicall: a failed step does not change the message.
      await settle(() => service.stopProcess(ns, true));
      await settle(() => service.startProcess(ns, true));
      return message(`Process ${ns} restarted`);
    case "clearlog":
      try {
        service.clearProcessLogs(ns);
        return message(`Log for ${ns} cleared`);
      } catch (err) {
        return message(unexpectedFault(asFault(err)));
      }
    default:
      return { kind: "invalid" };
  }
}

function processExists(service: ActionService, ns: string): boolean {
  try {
    service.getProcessInfo(ns);
    return true;
  } catch (err) {
    // Only an unknown name means "no such process"; other faults surface from the action itself.
    return !(err instanceof RpcFault && err.code === Faults.BAD_NAME);
  }
}

async function startMessage(service: ActionService, ns: string): Promise<string> {
  try {
    await service.startProcess(ns, true);
    return `Process ${ns} started`;
  } catch (err) {
    return `ERROR: Process ${ns}: ${startFailureReason(asFault(err))}`;
  }
}

/** Calls a service method, swallowing its fault (thrown at once or from the promise). */
async function settle(call: () => unknown): Promise<void> {
  try {
    await call();
  } catch {
    // The reference's multicall records the fault and goes on.
  }
}

const GROUP_VERBS = { startgroup: "started", stopgroup: "stopped", restartgroup: "restarted" } as const;

/**
 * Group actions: `Group <g> started|stopped|restarted`, or `ERROR: Group <g>: <ns>: <reason>; ...`
 * listing every process that failed (for restart, failures of the start half).
 */
async function runGroupAction(service: ActionService, action: keyof typeof GROUP_VERBS, group: string): Promise<string> {
  let results: readonly ProcessResult[];
  try {
    if (action === "stopgroup") {
      results = await service.stopProcessGroup(group, true);
    } else {
      if (action === "restartgroup") await service.stopProcessGroup(group, true);
      results = await service.startProcessGroup(group, true);
    }
  } catch (err) {
    const f = asFault(err);
    if (f.code === Faults.BAD_NAME) return `No such group named ${group}`;
    return `ERROR: Group ${group}: ${unexpectedFault(f)}`;
  }
  return groupMessage(group, GROUP_VERBS[action], action === "stopgroup" ? "stop" : "start", results);
}

/** The message for a group action's per-process results. */
export function groupMessage(group: string, verb: string, kind: "start" | "stop", results: readonly ProcessResult[]): string {
  const failures = results.filter((r) => r.status !== Faults.SUCCESS);
  if (failures.length === 0) return `Group ${group} ${verb}`;
  const parts = failures.map((r) => {
    const f: FaultLike = { code: r.status, faultString: r.description };
    const reason = kind === "start" ? startFailureReason(f) : f.faultString;
    return `${r.group === r.name ? r.name : `${r.group}:${r.name}`}: ${reason}`;
  });
  return `ERROR: Group ${group}: ${parts.join("; ")}`;
}
