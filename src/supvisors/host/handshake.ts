/**
 * The handshake with another instance ("check instance", spec §4.6), over its XML-RPC API:
 * its network description, how it sees us (ISOLATED -> not authorized), its strategies (any
 * difference -> inconsistent), then its state & modes and its processes, all in one
 * system.multicall. A fault in any answer is UNKNOWN (back to STOPPED, retried on its next TICK);
 * a transport failure is FAILED. Answers are checked before use: a peer that answers nonsense is
 * treated as one that faults.
 */
import { sameStrategies } from "../fsm/cluster-core.js";
import type { HandshakeResult, Strategies } from "../fsm/core-io.js";
import { isLocalProcessInfo } from "../cluster/message-checks.js";
import type { RpcValue } from "../../supervisord/rpc/values.js";
import type { Identifier, LocalProcessInfo, NetworkDescription, StateModes } from "../types.js";

/** One XML-RPC call to the peer; rejects with a PeerFault-like error (`isFault`) or a transport error. */
export type PeerCall = (method: string, params: readonly RpcValue[]) => Promise<unknown>;

export interface HandshakeOutcome {
  readonly result: HandshakeResult;
  /** Known once authorized. */
  readonly network: NetworkDescription | null;
  readonly processes: readonly LocalProcessInfo[] | null;
  /** Why it was not authorized (for the log). */
  readonly why?: string;
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

/** The five questions of the handshake, asked in one system.multicall (one round trip, not five). */
function questions(remote: Identifier, local: Identifier): RpcValue[] {
  return [
    { methodName: "supvisors.get_network_info", params: [remote] },
    { methodName: "supvisors.get_instance_info", params: [local] },
    { methodName: "supvisors.get_strategies", params: [] },
    { methodName: "supvisors.get_instance_state_modes", params: [remote] },
    { methodName: "supvisors.get_all_local_process_info", params: [] },
  ];
}

/** One answer of the multicall: the value (supervisord's multicall does not wrap it), or a fault struct (the peer answered: UNKNOWN). */
function answer(results: unknown[], i: number, what: string): unknown {
  if (i >= results.length) throw new BadAnswer(`${what}: missing from the multicall`);
  const r = results[i];
  if (isObject(r) && typeof r.faultCode === "number" && typeof r.faultString === "string") throw new BadAnswer(`${what}: fault ${r.faultCode} ${r.faultString}`);
  return r;
}

export async function handshake(call: PeerCall, isFault: IsFault, remote: Identifier, local: Identifier, ours: Strategies): Promise<HandshakeOutcome> {
  const nothing = (result: HandshakeResult, why: string): HandshakeOutcome => ({ result, network: null, processes: null, why });
  try {
    const results = expectArray(plain(await call("system.multicall", [questions(remote, local)])), "system.multicall");
    const net = answer(results, 0, "get_network_info");
    if (!isObject(net) || net.identifier !== remote) throw new BadAnswer("get_network_info: not this instance");
    const stereotypes = Array.isArray(net.stereotypes) ? net.stereotypes.filter((s): s is string => typeof s === "string") : [];
    const network = isObject(net.network) && typeof net.network.machine_id === "string" ? (net.network as unknown as NetworkDescription) : null;

    const us = expectArray(answer(results, 1, "get_instance_info"), "get_instance_info")[0];
    if (!isObject(us) || typeof us.statename !== "string") throw new BadAnswer("get_instance_info: no state");
    if (us.statename === "ISOLATED") return nothing({ kind: "not_authorized" }, "it sees the local instance ISOLATED");

    const theirs = answer(results, 2, "get_strategies");
    if (!isStrategies(theirs)) throw new BadAnswer("get_strategies: bad payload");
    if (!sameStrategies(theirs, ours)) return nothing({ kind: "inconsistent" }, `its strategies differ: ${JSON.stringify(theirs)}`);

    const modes = expectArray(answer(results, 3, "get_instance_state_modes"), "get_instance_state_modes")[0];
    if (!isObject(modes) || modes.identifier !== remote) throw new BadAnswer("get_instance_state_modes: not this instance");
    const infos = expectArray(answer(results, 4, "get_all_local_process_info"), "get_all_local_process_info");
    if (!infos.every(isLocalProcessInfo)) throw new BadAnswer("get_all_local_process_info: bad payload");
    return {
      result: { kind: "authorized", stateModes: modes as unknown as StateModes, machineId: network?.machine_id ?? "", stereotypes },
      network,
      processes: infos as LocalProcessInfo[],
    };
  } catch (err) {
    const why = (err as Error)?.message ?? String(err);
    if (err instanceof BadAnswer || isFault(err)) return nothing({ kind: "unknown" }, why);
    return nothing({ kind: "transport_failure" }, why);
  }
}
