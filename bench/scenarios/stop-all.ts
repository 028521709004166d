/** Scenario 2: supervisor.stopAllProcesses(wait=True) on N running programs, until all STOPPED. */
import type { Daemon } from "../lib/daemon.js";
import { machineBusySeconds } from "../lib/load.js";
import { cpuNs } from "../lib/proc.js";
import { decode, rpcRaw, structs } from "../lib/rpc.js";

export interface StopAllResult {
  /** From the call to the last byte of its answer. */
  readonly seconds: number;
  /** CPU time of the daemon (all its threads) over the call. */
  readonly daemonCpuS: number;
  /** CPU time all CPUs were busy over the call: the daemon, the children's exits, the client, others. */
  readonly busyS: number;
}

export async function stopAll(d: Daemon, n: number): Promise<StopAllResult> {
  const cpu0 = cpuNs(d.pid);
  const busy0 = machineBusySeconds();
  const { body, ms } = await rpcRaw(d.sock, "supervisor.stopAllProcesses", [true]);
  const busyS = machineBusySeconds() - busy0;
  const daemonCpuS = (cpuNs(d.pid) - cpu0) / 1e9;
  const failed = structs(decode(body)).filter((r) => r.status !== 80);
  if (failed.length) throw new Error(`${d.kind}: ${failed.length} stops failed, e.g. ${JSON.stringify(failed[0])}`);
  const stopped = (await d.processes()).filter((p) => p.statename === "STOPPED").length;
  if (stopped !== n) throw new Error(`${d.kind}: ${stopped}/${n} STOPPED after stopAllProcesses`);
  return { seconds: ms / 1000, daemonCpuS, busyS };
}
