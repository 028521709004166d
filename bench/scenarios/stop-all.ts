/** Scenario 2: supervisor.stopAllProcesses(wait=True) on N running programs, until all STOPPED. */
import type { Daemon } from "../lib/daemon.js";
import { decode, rpcRaw, structs } from "../lib/rpc.js";

export async function stopAll(d: Daemon, n: number): Promise<number> {
  const { body, ms } = await rpcRaw(d.sock, "supervisor.stopAllProcesses", [true]);
  const failed = structs(decode(body)).filter((r) => r.status !== 80);
  if (failed.length) throw new Error(`${d.kind}: ${failed.length} stops failed, e.g. ${JSON.stringify(failed[0])}`);
  const stopped = (await d.processes()).filter((p) => p.statename === "STOPPED").length;
  if (stopped !== n) throw new Error(`${d.kind}: ${stopped}/${n} STOPPED after stopAllProcesses`);
  return ms / 1000;
}
