/**
 * What reading the `[rpcinterface:supvisors]` options needs from outside the section: the local
 * HTTP server, the supervisord identifier, the host name, the environment, and the two network
 * look-ups (injected, so tests run on fakes and identification stays pure).
 */
import { hostname as osHostname } from "node:os";
import type { Credentials, SupervisorConfig } from "../../supervisord/config/types.js";
import { fileUserDatabase, type UserDatabase } from "../../supervisord/config/users.js";
import type { HostResolver, LocalHost } from "../cluster/identification.js";
import { localHost, systemResolver } from "../cluster/network-info.js";

export interface SupvisorsReadContext {
  /** Port of the local (first) [inet_http_server]; null when there is none: Supvisors requires one. */
  readonly httpPort: number | null;
  /** Its credentials (the internal key is derived from them); null when open. */
  readonly httpAuth: Credentials | null;
  /** Ours: it speaks HTTPS (certfile/keyfile), so do the peer calls. */
  readonly httpSecure?: boolean;
  /** `[supervisord] identifier` ("supervisor" when not set). */
  readonly identifier: string;
  /** `host_node_name` (platform.node()): the host of the lone instance of an empty supvisors_list. */
  readonly hostNodeName: string;
  /** Directory relative paths (globs, logfile, disabilities_file) are resolved against. */
  readonly cwd: string;
  /** For `~` (HOME). (`%(ENV_X)s`, `%(here)s`, `%(host_node_name)s` were expanded by the config reader.) */
  readonly env: NodeJS.ProcessEnv;
  /** For `~user`. */
  readonly users: UserDatabase;
  readonly resolveHost: HostResolver;
  /** Asked only when supvisors_list is not empty. */
  readonly localHost: () => Promise<LocalHost>;
  /** Non-fatal findings (no rules file matched, duplicate item, unknown option...), in order. */
  readonly warn: (text: string) => void;
}

export interface ContextOverrides {
  readonly hostNodeName?: string;
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly users?: UserDatabase;
  readonly resolveHost?: HostResolver;
  readonly localHost?: () => Promise<LocalHost>;
  readonly warn?: (text: string) => void;
}

/** The context of a config read by the core's readConfig; the machine's look-ups unless overridden. */
export function supvisorsReadContext(config: SupervisorConfig, o: ContextOverrides = {}): SupvisorsReadContext {
  const inet = config.servers.find((s) => s.kind === "inet");
  const hostNodeName = o.hostNodeName ?? osHostname();
  return {
    httpPort: inet?.port ?? null,
    httpAuth: inet?.auth ?? null,
    httpSecure: inet?.kind === "inet" && inet.tls !== undefined,
    identifier: config.supervisord.identifier,
    hostNodeName,
    cwd: o.cwd ?? process.cwd(),
    env: o.env ?? process.env,
    users: o.users ?? fileUserDatabase(),
    resolveHost: o.resolveHost ?? systemResolver(),
    localHost: o.localHost ?? (() => localHost(hostNodeName)),
    warn: o.warn ?? (() => {}),
  };
}
