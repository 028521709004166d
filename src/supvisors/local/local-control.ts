/**
 * The local supervisord as Supvisors commands it: `start_args` (the configured command plus extra
 * arguments, then supervisor.startProcess), through the daemon's own RPC methods so every check
 * and fault is supervisord's (BAD_NAME, ALREADY_STARTED, SPAWN_ERROR, NO_FILE, DISABLED...).
 */
import { Faults } from "../../protocol/faults.js";
import type { RpcRegistry } from "../../supervisord/rpc/registry.js";
import type { RpcValue } from "../../supervisord/rpc/values.js";
import { ServiceFault } from "../../supervisord/service/fault.js";
import type { SupervisorCore } from "../../supervisord/service/model.js";
import { findLocalProcess } from "./local-process-info.js";

const RUNNING_LIKE = new Set(["STARTING", "RUNNING", "BACKOFF", "STOPPING"]);

export class LocalControl {
  constructor(
    private readonly core: SupervisorCore,
    private readonly registry: RpcRegistry,
  ) {}

  /** Extra arguments of a process now ("" when none or unknown). */
  extraArgs(group: string, name: string): string {
    const p = findLocalProcess(this.core.groups(), `${group}:${name}`);
    return p?.extraArgs ?? "";
  }

  /** supvisors.start_args on this instance: Supervisor semantics, wait included. */
  async startArgs(namespec: string, extraArgs: string, wait: boolean): Promise<boolean> {
    const p = findLocalProcess(this.core.groups(), namespec);
    if (!p) throw new ServiceFault(Faults.BAD_NAME, namespec);
    // Not while it runs: the running process keeps the arguments it was started with (ALREADY_STARTED follows).
    if (!RUNNING_LIKE.has(p.state)) p.setExtraArgs(extraArgs);
    const ns = `${p.config.group}:${p.config.name}`;
    return (await this.registry.invoke("supervisor.startProcess", [ns, wait] as RpcValue[])) as boolean;
  }
}
