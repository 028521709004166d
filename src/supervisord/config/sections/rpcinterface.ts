/**
 * `[rpcinterface:x]` sections (get_plugins): the factory entry point plus every other key,
 * expanded with the ENV_ names only. Which factories can actually be served is the daemon's
 * decision (`supervisor.rpcinterface:make_main_rpcinterface`, the Supvisors one); this keeps them all.
 */
import { ConfigError } from "../errors.js";
import { locate, saneget, type ReadContext } from "../context.js";
import type { RpcInterfaceConfig } from "../types.js";

const FACTORY_KEY = "supervisor.rpcinterface_factory";

export function rpcInterfacesFromParser(ctx: ReadContext): RpcInterfaceConfig[] {
  const out: RpcInterfaceConfig[] = [];
  for (const section of ctx.doc.sections()) {
    if (!section.startsWith("rpcinterface:")) continue;
    const name = section.slice(section.indexOf(":") + 1);
    const factory = saneget(ctx, section, FACTORY_KEY);
    if (factory === null) {
      throw new ConfigError(`section [${section}] does not specify a ${FACTORY_KEY}`, "MISSING", locate(ctx, section));
    }
    const options: Record<string, string> = {};
    for (const key of ctx.doc.options(section)) {
      if (key !== FACTORY_KEY) options[key] = saneget(ctx, section, key)!;
    }
    out.push({ name, factory, options });
  }
  return out;
}
