/**
 * Carries out one Commander request on its target: the local supervisord directly, another
 * instance over its XML-RPC API (the same calls a client would make: `supvisors.start_args`,
 * `supervisor.stopProcess`, both without wait, since completion comes from the process events).
 * Resolves when the call was accepted; rejects with the fault's text (`NAME: detail`) or the
 * transport error's message.
 */
import type { CommandRequest } from "../commander/types.js";
import type { Identifier } from "../types.js";
import type { LocalSupervisorPort, PeerCallerPort } from "./ports.js";

/** A start/stop call answers at once (no wait): a few seconds are plenty even on a busy peer. */
const REQUEST_TIMEOUT_MS = 5000;

export async function performRequest(req: CommandRequest, localId: Identifier, local: LocalSupervisorPort, peers: PeerCallerPort): Promise<void> {
  if (req.target === localId) {
    // The order may come from the local core's own event (a stop's STOPPED starting a restart),
    // emitted in the middle of its transition: act once that transition is over, as Supvisors
    // does from its own thread, or the start finds the old child still recorded ("already running").
    await Promise.resolve();
    if (req.kind === "start") await local.startArgs(req.namespec, req.extraArgs);
    else await local.stopProcess(req.namespec);
    return;
  }
  if (req.kind === "start") await peers.call(req.target, "supvisors.start_args", [req.namespec, req.extraArgs, false], REQUEST_TIMEOUT_MS);
  else await peers.call(req.target, "supervisor.stopProcess", [req.namespec, false], REQUEST_TIMEOUT_MS);
}
