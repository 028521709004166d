/**
 * `[rpcinterface:x]` sections (get_plugins): the factory entry point plus every other key,
 * expanded with the ENV_ names only. Which factories can actually be served is the daemon's
 * decision (`supervisor.rpcinterface:make_main_rpcinterface`, the Supvisors one); this keeps them all,
 * with where each key was written, so a plugin can name file:line in its own errors.
 */
import type { IniDocument } from "../ini.js";
import { ConfigError, type ConfigLocation } from "../errors.js";
import { locate, saneget, type GetOptions, type ReadContext } from "../context.js";
import type { RpcInterfaceConfig } from "../types.js";

const FACTORY_KEY = "supervisor.rpcinterface_factory";

/**
 * The Supvisors plugin expands its file globs (rules_files, css_files, software_icon) with
 * `%(here)s` and `%(host_node_name)s` as well as the ENV_ names. supervisord's saneget would reject
 * those two names before the plugin sees them, so for that one factory the reader offers them:
 * a config meant for Supvisors reads as its documentation says. Other sections are untouched.
 */
const SUPVISORS_FACTORY = "supvisors.plugin:make_supvisors_rpcinterface";

/** The config turns the Supvisors layer on (one [rpcinterface:x] with its factory). */
export function hasSupvisorsInterface(rpcinterfaces: readonly RpcInterfaceConfig[]): boolean {
  return rpcinterfaces.some((r) => r.factory === SUPVISORS_FACTORY);
}

/**
 * event_link and event_port of the config's Supvisors section, raw, for a client that
 * subscribes to the event interface (the ctl's `--follow`); null without such a section.
 */
export function supvisorsEventOptions(doc: IniDocument): { link: string | null; port: string | null } | null {
  for (const section of doc.sections()) {
    if (!section.startsWith("rpcinterface:")) continue;
    if (doc.get(section, "supervisor.rpcinterface_factory")?.value.trim() !== SUPVISORS_FACTORY) continue;
    return { link: doc.get(section, "event_link")?.value ?? null, port: doc.get(section, "event_port")?.value ?? null };
  }
  return null;
}

function where(ctx: ReadContext, section: string, option?: string): ConfigLocation {
  const { file, line } = locate(ctx, section, option);
  return option === undefined ? { file, line, section } : { file, line, section, option };
}

export function rpcInterfacesFromParser(ctx: ReadContext): RpcInterfaceConfig[] {
  const out: RpcInterfaceConfig[] = [];
  for (const section of ctx.doc.sections()) {
    if (!section.startsWith("rpcinterface:")) continue;
    const name = section.slice(section.indexOf(":") + 1);
    const factory = saneget(ctx, section, FACTORY_KEY);
    if (factory === null) {
      throw new ConfigError(`section [${section}] does not specify a ${FACTORY_KEY}`, "MISSING", locate(ctx, section));
    }
    const opts: GetOptions =
      factory === SUPVISORS_FACTORY
        ? { expansions: [["here", ctx.here], ["host_node_name", ctx.hostname]] }
        : {};
    const options: Record<string, string> = {};
    const locations: Record<string, ConfigLocation> = {};
    for (const key of ctx.doc.options(section)) {
      locations[key] = where(ctx, section, key);
      if (key !== FACTORY_KEY) options[key] = saneget(ctx, section, key, opts)!;
    }
    out.push({ name, factory, options, where: where(ctx, section), locations });
  }
  return out;
}
