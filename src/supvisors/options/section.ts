/**
 * Turning the layer on: a `[rpcinterface:x]` section (any x) whose factory is Supvisors' makes
 * this supervisord a Supvisors instance; without one the daemon is a plain supervisord.
 */
import type { RpcInterfaceConfig, SupervisorConfig } from "../../supervisord/config/types.js";

export const SUPVISORS_FACTORY = "supvisors.plugin:make_supvisors_rpcinterface";

/** The `[ctlplugin:supvisors]` factory, accepted (and needing no options) for configs written for Supvisors. */
export { SUPVISORS_CTL_FACTORY } from "../../protocol/supvisors.js";

/** The first `[rpcinterface:x]` with the Supvisors factory, or null when the layer is off. */
export function findSupvisorsSection(config: SupervisorConfig): RpcInterfaceConfig | null {
  return config.rpcinterfaces.find((r) => r.factory === SUPVISORS_FACTORY) ?? null;
}
