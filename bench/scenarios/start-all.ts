/** Scenario 1: supervisor.startAllProcesses(wait=True) on N stopped programs, until all RUNNING. */
import type { Daemon } from "../lib/daemon.js";
import { decode, rpcRaw, structs } from "../lib/rpc.js";

/** Seconds from the call to its answer; throws unless every process answered SUCCESS and is RUNNING. */
export async function startAll(d: Daemon, n: number): Promise<number> {
  const { body, ms } = await rpcRaw(d.sock, "supervisor.startAllProcesses", [true]);
  const failed = structs(decode(body)).filter((r) => r.status !== 80);
  if (failed.length) throw new Error(`${d.kind}: ${failed.length} starts failed, e.g. ${JSON.stringify(failed[0])}`);
  const running = (await d.processes()).filter((p) => p.statename === "RUNNING").length;
  if (running !== n) throw new Error(`${d.kind}: ${running}/${n} RUNNING after startAllProcesses`);
  return ms / 1000;
}
