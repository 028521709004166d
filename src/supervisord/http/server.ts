/**
 * The HTTP servers of one daemon: one per [unix_http_server]/[inet_http_server] section, each
 * with its own credentials, all sharing the RPC registry and the route table (spec §7).
 *
 * Per request: auth (401 with `WWW-Authenticate`, connection closed; 400 for an undecodable
 * Basic payload) comes before anything else, then the built-in routes in supervisord's order
 * (/RPC2, /logtail, /mainlogtail, /ok.html), then the routes others added, then 404.
 * Keep-alive connections never time out while idle (supervisorctl keeps one open), but a client
 * that is slow to send its headers or body is cut off by Node's header/request timeouts.
 * Ours: an inet server with certfile/keyfile is an HTTPS server (same handler, same upgrades);
 * its files are read and checked first (tls-material.ts), so a bad one is a clear start-up error.
 */
import { createServer, type IncomingMessage, type Server, type ServerOptions, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import type { Clock } from "../clock.js";
import { realClock } from "../clock.js";
import type { ServerConfig } from "../config/types.js";
import type { LogHook } from "../rpc/log-hook.js";
import type { RpcRegistry } from "../rpc/registry.js";
import { checkBasicAuth } from "./auth.js";
import { HttpBindError } from "./bind-errors.js";
import { listenInet, listenUnix, unlinkOwnSocket } from "./listen.js";
import { createLogtailRoute, createMainLogtailRoute, type LogPathResolver } from "./logtail.js";
import { accessLogLine, errorBody, reasonPhrase, sendError, sendResponse, baseHeaders } from "./medusa.js";
import { createRpcRoute } from "./rpc-handler.js";
import { matches, Router, type HttpContext, type HttpRoute } from "./router.js";
import { splitRequestTarget } from "./unquote.js";
import { loadTlsMaterial } from "./tls-material.js";

export interface HttpServerDeps {
  readonly registry: RpcRegistry;
  /** Main-log hook for the CRIT/ERRO/TRAC lines of spec §5.3. */
  readonly log: LogHook;
  /** Routes added by the web module and the lead; consulted after the built-in ones. */
  readonly router: Router;
  /** `/logtail/<name>/<channel>` → file path, or null (404). */
  readonly resolveLogPath: LogPathResolver;
  /** The main log file, or null (404 on /mainlogtail). */
  readonly mainLogPath: () => string | null;
  readonly clock?: Clock;
  /** Largest XML-RPC request body accepted (413 beyond). Default 10 MB. */
  readonly maxRpcBodyBytes?: number;
  /** Where `Unlinking stale socket <file>` goes; default process.stderr. */
  readonly stderr?: (text: string) => void;
  /** Time allowed to send the request headers (Node's headersTimeout). Default 60 s. */
  readonly headersTimeoutMs?: number;
  /** Time allowed to send a whole request (Node's requestTimeout). Default 300 s. */
  readonly requestTimeoutMs?: number;
  /** What /logtail and /mainlogtail start with, in bytes (default 1024; Supvisors: tailf_limit). */
  readonly tailBacklogBytes?: number;
}

export interface HttpServerHandle {
  readonly config: ServerConfig;
  /** For inet servers, the bound port (useful with port 0 in tests); null for unix. */
  readonly port: number | null;
  /** Ours: true when it speaks HTTPS (certfile/keyfile). */
  readonly secure: boolean;
  /** Stops accepting, drops open connections (streams, keep-alive) and unlinks the socket file. */
  close(): Promise<void>;
}

function builtinRoutes(deps: HttpServerDeps, clock: Clock): HttpRoute[] {
  return [
    createRpcRoute({
      registry: deps.registry,
      log: deps.log,
      ...(deps.maxRpcBodyBytes !== undefined ? { maxBodyBytes: deps.maxRpcBodyBytes } : {}),
    }),
    createLogtailRoute(deps.resolveLogPath, clock, deps.tailBacklogBytes),
    createMainLogtailRoute(deps.mainLogPath, clock, deps.tailBacklogBytes),
    {
      name: "ok",
      // Part of supervisord's UI handler: GET/POST, leading slashes ignored.
      match: (path) => path.replace(/^\/+/, "") === "ok.html",
      handle: ({ req, res }) => {
        if (req.method !== "GET" && req.method !== "POST") return sendError(res, 404);
        sendResponse(res, 200, { "Content-Type": "text/plain" }, "OK");
      },
    },
  ];
}

/** Authorizes a request; on refusal the response is already sent. Returns the user name. */
function authorize(cfg: ServerConfig, req: IncomingMessage, res: ServerResponse): { user: string | null } | null {
  if (!cfg.auth) return { user: null };
  const verdict = checkBasicAuth(req.headers.authorization, cfg.auth);
  if (verdict === "ok") return { user: cfg.auth.username };
  if (verdict === "malformed") {
    sendError(res, 400);
  } else {
    sendError(res, 401, { Connection: "close", "WWW-Authenticate": 'Basic realm="default"' });
  }
  return null;
}

/** A raw Medusa-style error on a socket that has no ServerResponse (bad request line, upgrade). */
function rawError(socket: Duplex, code: number, extra: Record<string, string> = {}): void {
  if (socket.destroyed || !socket.writable) {
    socket.destroy();
    return;
  }
  const body = errorBody(code);
  const headers = { ...baseHeaders(Date.now()), ...extra, "Content-Length": String(Buffer.byteLength(body)), "Content-Type": "text/html", Connection: "close" };
  const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("");
  socket.end(`HTTP/1.1 ${code} ${reasonPhrase(code)}\r\n${head}\r\n${body}`);
}

export function createRequestHandler(cfg: ServerConfig, deps: HttpServerDeps, clock: Clock) {
  const builtins = builtinRoutes(deps, clock);
  return (req: IncomingMessage, res: ServerResponse): void => {
    const started = clock.now();
    const sock = req.socket as Socket;
    const bytesBefore = sock.bytesWritten;
    res.on("finish", () => {
      deps.log("TRAC", accessLogLine(req, res.statusCode, (sock?.bytesWritten ?? bytesBefore) - bytesBefore, started));
    });
    const auth = authorize(cfg, req, res);
    if (!auth) return;
    const target = splitRequestTarget(req.url ?? "/");
    const ctx: HttpContext = {
      req,
      res,
      path: target.path,
      query: target.query,
      uri: target.uri,
      serverSection: cfg.section,
      user: auth.user,
    };
    const route = builtins.find((r) => matches(r.match, target.path)) ?? deps.router.findRoute(target.path);
    if (!route) return sendError(res, 404);
    let result: void | Promise<void>;
    try {
      result = route.handle(ctx);
    } catch (e) {
      return serverError(e);
    }
    if (result) result.catch(serverError);

    function serverError(e: unknown): void {
      deps.log("ERRO", `${cfg.section}:Server Error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (!res.headersSent) sendError(res, 500);
      else res.destroy();
    }
  };
}

function attachUpgrade(server: Server, cfg: ServerConfig, deps: HttpServerDeps): void {
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on("error", () => socket.destroy());
    if (cfg.auth) {
      const verdict = checkBasicAuth(req.headers.authorization, cfg.auth);
      if (verdict === "malformed") return rawError(socket, 400);
      if (verdict !== "ok") return rawError(socket, 401, { "WWW-Authenticate": 'Basic realm="default"' });
    }
    const target = splitRequestTarget(req.url ?? "/");
    const route = deps.router.findUpgrade(target.path);
    if (!route) return rawError(socket, 404);
    try {
      route.handle(req, socket, head, { path: target.path, query: target.query });
    } catch (e) {
      deps.log("ERRO", `${cfg.section}:Server Error: ${String(e)}`);
      rawError(socket, 500);
    }
  });
}

/** Creates and binds one server. Throws HttpBindError with supervisord's messages. */
export async function startHttpServer(cfg: ServerConfig, deps: HttpServerDeps): Promise<HttpServerHandle> {
  const clock = deps.clock ?? realClock;
  const httpOptions: ServerOptions = {
    // Idle keep-alive connections stay open like Medusa's (0 = no idle timeout)...
    keepAliveTimeout: 0,
    // ...but a request must arrive in reasonable time (slowloris).
    headersTimeout: deps.headersTimeoutMs ?? 60_000,
    requestTimeout: deps.requestTimeoutMs ?? 300_000,
  };
  const handler = createRequestHandler(cfg, deps, clock);
  const tls = cfg.kind === "inet" && cfg.tls ? await loadTlsMaterial(cfg.tls, cfg.section) : null;
  // Ours: with certfile/keyfile the same routes (RPC, tails, pages, REST, upgrades) over TLS only.
  const server: Server = tls ? createHttpsServer({ ...httpOptions, cert: tls.cert, key: tls.key }, handler) : createServer(httpOptions, handler);
  if (tls) {
    // A plain-HTTP client or one that refuses our certificate: its connection ends, nothing else.
    server.on("tlsClientError", (err: NodeJS.ErrnoException, socket: Duplex) => {
      deps.log("DEBG", `${cfg.section}: TLS handshake failed: ${err.code ?? err.message}`);
      socket.destroy();
    });
  }
  server.on("clientError", (err: NodeJS.ErrnoException, socket: Duplex) => {
    // Garbage, an oversized header or a timed-out request: answer 400 (408 for timeouts) if the
    // socket can still take it, and drop the connection.
    const code = err.code === "ERR_HTTP_REQUEST_TIMEOUT" ? 408 : 400;
    if (err.code !== "ECONNRESET") rawError(socket, code);
    else socket.destroy();
  });
  attachUpgrade(server, cfg, deps);
  let socketIno: number | null = null;
  if (cfg.kind === "unix") {
    socketIno = await listenUnix(server, cfg, deps.stderr ? { stderr: deps.stderr } : {});
  } else {
    await listenInet(server, cfg);
  }
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : null;
  let closed: Promise<void> | null = null;
  return {
    config: cfg,
    port,
    secure: tls !== null,
    close() {
      closed ??= (async () => {
        const done = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await done;
        if (cfg.kind === "unix" && socketIno !== null) await unlinkOwnSocket(cfg.file, socketIno);
      })();
      return closed;
    },
  };
}

/**
 * Starts every configured server in order. If one fails, the ones already started are closed
 * and the HttpBindError is rethrown (the daemon then exits 2 with its message).
 */
export async function startHttpServers(configs: readonly ServerConfig[], deps: HttpServerDeps): Promise<HttpServerHandle[]> {
  const handles: HttpServerHandle[] = [];
  try {
    for (const cfg of configs) handles.push(await startHttpServer(cfg, deps));
  } catch (e) {
    await Promise.all(handles.map((h) => h.close()));
    throw e;
  }
  return handles;
}

export { HttpBindError, Router };
