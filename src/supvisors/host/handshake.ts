/**
 * The handshake with another instance ("check instance", spec §4.6), over its XML-RPC API:
 * its network description, how it sees us (ISOLATED -> not authorized), its strategies (any
 * difference -> inconsistent), then its state & modes and its processes. A fault at any step is
 * UNKNOWN (back to STOPPED, retried on its next TICK); a transport failure is FAILED. Answers are
 * checked before use: a peer that answers nonsense is treated as one that faults.
 */
import { sameStrategies } from "../fsm/cluster-core.js";
import type { HandshakeResult, Strategies } from "../fsm/core-io.js";
import { isLocalProcessInfo } from "../cluster/message-checks.js";
import type { Identifier, LocalProcessInfo, NetworkDescription, StateModes } from "../types.js";

/** One XML-RPC call to the peer; rejects with a PeerFault-like error (`isFault`) or a transport error. */
export type PeerCall = (method: string, params: readonly (string | number | boolean)[]) => Promise<unknown>;

export interface HandshakeOutcome {
  readonly result: HandshakeResult;
  /** Known once authorized. */
  readonly network: NetworkDescription | null;
  readonly processes: readonly LocalProcessInfo[] | null;
}

/** Whether the error of a PeerCall is an XML-RPC fault (the peer answered) rather than a transport failure. */
export type IsFault = (err: unknown) => boolean;

class BadAnswer extends Error {
  override readonly name = "BadAnswer";
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function expectArray(v: unknown, what: string): unknown[] {
  if (!Array.isArray(v)) throw new BadAnswer(`${what}: array expected`);
  return v;
}

function isStrategies(v: unknown): v is Strategies {
  return isObject(v) && typeof v["auto-fencing"] === "boolean" && typeof v.starting === "string" && typeof v.conciliation === "string" && typeof v.supvisors_failure === "string";
}

/** Plain numbers for <double> values (our decoder keeps integral doubles as RpcDouble-free numbers already). */
function plain(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(plain);
  if (isObject(v)) {
    if (v.constructor?.name === "RpcDouble") return (v as { value: number }).value;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = plain(x);
    return out;
  }
  return v;
}

export async function handshake(call: PeerCall, isFault: IsFault, remote: Identifier, local: Identifier, ours: Strategies): Promise<HandshakeOutcome> {
  const nothing = (result: HandshakeResult): HandshakeOutcome => ({ result, network: null, processes: null });
  try {
    const net = plain(await call("supvisors.get_network_info", [remote]));
    if (!isObject(net) || net.identifier !== remote) throw new BadAnswer("get_network_info: not this instance");
    const stereotypes = Array.isArray(net.stereotypes) ? net.stereotypes.filter((s): s is string => typeof s === "string") : [];
    const network = isObject(net.network) && typeof net.network.machine_id === "string" ? (net.network as unknown as NetworkDescription) : null;

    const seen = expectArray(plain(await call("supvisors.get_instance_info", [local])), "get_instance_info");
    const us = seen[0];
    if (!isObject(us) || typeof us.statename !== "string") throw new BadAnswer("get_instance_info: no state");
    if (us.statename === "ISOLATED") return nothing({ kind: "not_authorized" });

    const theirs = plain(await call("supvisors.get_strategies", []));
    if (!isStrategies(theirs)) throw new BadAnswer("get_strategies: bad payload");
    if (!sameStrategies(theirs, ours)) return nothing({ kind: "inconsistent" });

    const modes = expectArray(plain(await call("supvisors.get_instance_state_modes", [remote])), "get_instance_state_modes")[0];
    if (!isObject(modes) || modes.identifier !== remote) throw new BadAnswer("get_instance_state_modes: not this instance");
    const infos = expectArray(plain(await call("supvisors.get_all_local_process_info", [])), "get_all_local_process_info");
    if (!infos.every(isLocalProcessInfo)) throw new BadAnswer("get_all_local_process_info: bad payload");
    return {
      result: { kind: "authorized", stateModes: modes as unknown as StateModes, machineId: network?.machine_id ?? "", stereotypes },
      network,
      processes: infos as LocalProcessInfo[],
    };
  } catch (err) {
    if (err instanceof BadAnswer || isFault(err)) return nothing({ kind: "unknown" });
    return nothing({ kind: "transport_failure" });
  }
}
