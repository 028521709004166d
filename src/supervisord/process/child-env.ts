/**
 * The environment a child starts with (spec §3.8 step 4): supervisord's own environment at start,
 * plus the SUPERVISOR_* variables, then [supervisord] environment=, then the program's own
 * environment= (the program wins).
 */
import type { ProcessConfig } from "../config/types.js";

export function childEnvironment(
  config: ProcessConfig,
  daemonEnv: NodeJS.ProcessEnv,
  supervisordEnv: Readonly<Record<string, string>> | null,
  serverUrl: string | null,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(daemonEnv)) if (v !== undefined) env[k] = v;
  env.SUPERVISOR_ENABLED = "1";
  if (serverUrl) env.SUPERVISOR_SERVER_URL = serverUrl;
  else delete env.SUPERVISOR_SERVER_URL;
  env.SUPERVISOR_PROCESS_NAME = config.name;
  env.SUPERVISOR_GROUP_NAME = config.group;
  if (supervisordEnv) Object.assign(env, supervisordEnv);
  if (config.environment) Object.assign(env, config.environment);
  return env;
}

import type { ServerConfig } from "../config/types.js";

/**
 * SUPERVISOR_SERVER_URL when a program's serverurl is AUTO: the first unix server, else the first
 * inet server (`localhost` when it binds all interfaces), else none.
 */
export function defaultServerUrl(servers: readonly ServerConfig[]): string | null {
  const unix = servers.find((s) => s.kind === "unix");
  if (unix && unix.kind === "unix") return `unix://${unix.file}`;
  const inet = servers.find((s) => s.kind === "inet");
  if (inet && inet.kind === "inet") return `${inet.tls ? "https" : "http"}://${inet.host || "localhost"}:${inet.port}`;
  return null;
}
