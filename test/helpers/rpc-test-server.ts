/** Our HTTP/RPC servers on a temp unix socket and a loopback port, with a fake namespace. */
import { mkdtempSync, rmSync } from "node:fs";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ServerConfig } from "../../src/supervisord/config/types.js";
import { startHttpServers, type HttpServerDeps, type HttpServerHandle } from "../../src/supervisord/http/server.js";
import { Router } from "../../src/supervisord/http/router.js";
import { Faults, RpcFault } from "../../src/supervisord/rpc/faults.js";
import { createRegistry } from "../../src/supervisord/rpc/system-namespace.js";
import type { RpcRegistry } from "../../src/supervisord/rpc/registry.js";
import type { RpcValue } from "../../src/supervisord/rpc/values.js";

export interface TestServers {
  readonly dir: string;
  readonly socket: string;
  readonly port: number;
  readonly registry: RpcRegistry;
  readonly router: Router;
  readonly logLines: string[];
  readonly handles: HttpServerHandle[];
  /** Resolves the pending `fake.wait` calls. */
  release(): void;
  stop(): Promise<void>;
}

export async function startTestServers(
  opts: {
    auth?: { username: string; password: string } | null;
    unixAuth?: { username: string; password: string } | null;
    deps?: Partial<HttpServerDeps>;
    logFiles?: Record<string, string>;
    mainLog?: string | null;
  } = {},
): Promise<TestServers> {
  const dir = mkdtempSync(join(tmpdir(), "rpc-http-"));
  const socket = join(dir, "s.sock");
  const registry = createRegistry();
  const waiting: (() => void)[] = [];
  registry.addNamespace("fake", {
    echo: { help: "@param string s\n@return string r", arity: { min: 0, max: 1 }, call: ([s]) => s ?? "" },
    add: { help: "@param int a\n@param int b\n@return int", call: ([a, b]) => Number(a) + Number(b) },
    fault: { help: "@return int", call: () => { throw new RpcFault(Faults.BAD_NAME, "nosuch"); } },
    boom: { help: "@return int", call: () => { throw new Error("kaput"); } },
    ctrl: { help: "@return string", call: () => "nul\x00 esc\x1b ok" },
    big: { help: "@param int n\n@return string", call: ([n]) => "x".repeat(Number(n)) },
    wait: {
      help: "@param string tag\n@return string",
      call: ([tag]) => new Promise<RpcValue>((resolve) => waiting.push(() => resolve(`released ${String(tag)}`))),
    },
  });
  const router = new Router();
  const logLines: string[] = [];
  const cfgs: ServerConfig[] = [
    { kind: "unix", section: "unix_http_server", file: socket, chmod: 0o700, chown: null, auth: opts.unixAuth ?? null },
    { kind: "inet", section: "inet_http_server", host: "127.0.0.1", port: 0, auth: opts.auth ?? null },
  ];
  const handles = await startHttpServers(cfgs, {
    registry,
    router,
    log: (level, msg) => logLines.push(`${level} ${msg}`),
    resolveLogPath: (name, channel) => opts.logFiles?.[`${name}/${channel}`] ?? null,
    mainLogPath: () => opts.mainLog ?? null,
    stderr: () => {},
    ...opts.deps,
  });
  return {
    dir,
    socket,
    port: handles[1]!.port!,
    registry,
    router,
    logLines,
    handles,
    release() {
      for (const w of waiting.splice(0)) w();
    },
    async stop() {
      await Promise.all(handles.map((h) => h.close()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface RawResponse {
  readonly statusLine: string;
  readonly status: number;
  readonly headers: [string, string][];
  readonly body: Buffer;
  readonly raw: Buffer;
}

/** Sends raw bytes, collects everything until the server closes (or `timeoutMs`). */
export function rawExchange(target: { port: number } | { path: string }, data: string | Buffer, timeoutMs = 5000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const sock: Socket = "port" in target ? connect(target.port, "127.0.0.1") : connect(target.path);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => sock.destroy(), timeoutMs);
    sock.on("connect", () => sock.write(data));
    sock.on("data", (c) => chunks.push(c));
    sock.on("error", (e) => {
      clearTimeout(timer);
      if (chunks.length) resolve(Buffer.concat(chunks));
      else reject(e);
    });
    sock.on("close", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
  });
}

export function parseRawResponse(raw: Buffer): RawResponse {
  const end = raw.indexOf("\r\n\r\n");
  const head = raw.subarray(0, end < 0 ? raw.length : end).toString("latin1");
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers = lines.map((l) => {
    const i = l.indexOf(":");
    return [l.slice(0, i), l.slice(i + 1).trim()] as [string, string];
  });
  return {
    statusLine,
    status: Number(statusLine.split(" ")[1]),
    headers,
    body: end < 0 ? Buffer.alloc(0) : raw.subarray(end + 4),
    raw,
  };
}

export async function rawRequest(target: { port: number } | { path: string }, data: string | Buffer, timeoutMs = 5000): Promise<RawResponse> {
  return parseRawResponse(await rawExchange(target, data, timeoutMs));
}
