/**
 * Opening the daemon's HTTP servers with the main-log lines supervisord writes for them
 * (spec §4.1 step 7), and the route table the web module and REST API add to.
 */
import type { SupervisorConfig } from "../config/types.js";
import { startHttpServers as openAll, Router, type HttpServerHandle } from "../http/server.js";
import type { LogLevelName } from "../logs/levels.js";
import type { LogHook, RpcLogLevel } from "../rpc/log-hook.js";
import type { RpcRegistry } from "../rpc/registry.js";
import type { SupervisorService } from "../service/supervisor-service.js";

const LEVELS: Record<RpcLogLevel, LogLevelName> = {
  CRIT: "critical",
  ERRO: "error",
  WARN: "warn",
  INFO: "info",
  DEBG: "debug",
  TRAC: "trace",
  BLAT: "blather",
};

export interface HttpServers {
  readonly handles: readonly HttpServerHandle[];
  readonly router: Router;
  close(): Promise<void>;
}

export interface OpenServersOptions {
  readonly config: SupervisorConfig;
  readonly registry: RpcRegistry;
  readonly service: SupervisorService;
  readonly log: (level: LogLevelName, message: string) => void;
  readonly logPathOf: (name: string, channel: "stdout" | "stderr") => string | null;
  readonly mainLogPath: () => string | null;
  /** Adds the web pages, REST API... to the router before the servers open. */
  readonly addRoutes?: (router: Router, service: SupervisorService, log: LogHook) => void;
  /** What the streaming tails start with (default 1024 bytes). */
  readonly tailBacklogBytes?: number;
}

export async function startHttpServers(o: OpenServersOptions): Promise<HttpServers> {
  const router = new Router();
  o.addRoutes?.(router, o.service, (level, message) => o.log(LEVELS[level], message));
  const handles = await openAll(o.config.servers, {
    registry: o.registry,
    log: (level, message) => o.log(LEVELS[level], message),
    router,
    resolveLogPath: (name, channel) => (channel === "stdout" || channel === "stderr" ? o.logPathOf(name, channel) : null),
    mainLogPath: o.mainLogPath,
    ...(o.tailBacklogBytes !== undefined ? { tailBacklogBytes: o.tailBacklogBytes } : {}),
  });
  for (const s of o.config.servers) {
    for (const r of o.config.rpcinterfaces) o.log("info", `RPC interface '${r.name}' initialized`);
    if (!s.auth) o.log("critical", `Server '${s.section}' running without any HTTP authentication checking`);
  }
  return {
    handles,
    router,
    close: async () => {
      await Promise.all(handles.map((h) => h.close()));
    },
  };
}
