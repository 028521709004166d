/**
 * `supvisorsflask`: the REST API as a separate process in front of one instance, at the root
 * paths (`/supervisor/getState`, ...) as Supvisors' Flask application serves them, with the docs
 * page at `/` and the document at `/swagger.json` (Flask-RESTX's places) and `/openapi.json`.
 * Unlike Supvisors' (which asks `supvisors.get_api_version` before every request), it also fronts
 * a plain supervisord: the `system` and `supervisor` routes work, the `supvisors` ones answer the
 * instance's UNKNOWN_METHOD fault.
 */
import http from "node:http";
import { parseArgs } from "node:util";
import { SUPERVISOR_VERSION } from "../../supervisord/version.js";
import { RestApi } from "./handler.js";
import { proxyBackend, type Upstream } from "./proxy-backend.js";

export interface FlaskOptions {
  readonly upstream: Upstream;
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly debug: boolean;
}

export type FlaskArgs = { readonly kind: "run"; readonly options: FlaskOptions } | { readonly kind: "help"; readonly text: string } | { readonly kind: "error"; readonly text: string };

const PROG = "supvisorsflask";

function usage(urlRequired: boolean): string {
  return `usage: ${PROG} [--help] ${urlRequired ? "-u SUPERVISOR_URL" : "[-u SUPERVISOR_URL]"} [-h HOST] [-p PORT] [-d]\n`;
}

function help(urlRequired: boolean): string {
  return `${usage(urlRequired)}
Serve the REST API of a Supervisor / Supvisors instance (its XML-RPC API as REST routes)

options:
  --help                show this help message and exit
  -u SUPERVISOR_URL, --supervisor_url SUPERVISOR_URL
                        the instance's URL (http://host:port or unix:///path),
                        required unless SUPERVISOR_SERVER_URL is set
  -h HOST, --host HOST  the address to listen on (default 127.0.0.1)
  -p PORT, --port PORT  the port to listen on (default 5000)
  -d, --debug           print each call made to the instance
`;
}

/** argparse's behaviour: an error prints the usage and `prog: error: ...`, exit status 2. */
export function parseFlaskArgs(argv: readonly string[], env: NodeJS.ProcessEnv): FlaskArgs {
  const fromEnv = env.SUPERVISOR_SERVER_URL;
  const required = !fromEnv;
  const fail = (text: string): FlaskArgs => ({ kind: "error", text: `${usage(required)}${PROG}: error: ${text}\n` });
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        help: { type: "boolean" },
        supervisor_url: { type: "string", short: "u" },
        host: { type: "string", short: "h" },
        port: { type: "string", short: "p" },
        debug: { type: "boolean", short: "d" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    return fail((e as Error).message.replace(/\. To specify a positional argument.*$/s, ""));
  }
  if (values.help) return { kind: "help", text: help(required) };
  const url = values.supervisor_url ?? fromEnv;
  if (!url) return fail("the following arguments are required: -u/--supervisor_url");
  const upstream = parseUpstream(url);
  if (!upstream) return fail(`argument -u/--supervisor_url: The URL provided is invalid: ${url}`);
  let port = 5000;
  if (values.port !== undefined) {
    if (!/^\d+$/.test(values.port) || Number(values.port) > 65535) return fail(`argument -p/--port: invalid int value: '${values.port}'`);
    port = Number(values.port);
  }
  return { kind: "run", options: { upstream, url, host: values.host ?? "127.0.0.1", port, debug: values.debug === true } };
}

/** `http://[user:password@]host:port` (the port is required, as Supvisors requires it) or `unix:///path`. */
export function parseUpstream(url: string): Upstream | null {
  if (url.startsWith("unix://")) {
    const socketPath = url.slice("unix://".length);
    return socketPath.startsWith("/") ? { kind: "unix", socketPath, authorization: null } : null;
  }
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== "http:" || !u.hostname || !u.port) return null;
  const authorization = u.username ? `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString("base64")}` : null;
  return { kind: "tcp", host: u.hostname.replace(/^\[|\]$/g, ""), port: Number(u.port), authorization };
}

export interface FlaskServer {
  readonly server: http.Server;
  readonly api: RestApi;
  close(): Promise<void>;
}

/** Listens; `log` gets werkzeug-like access lines. */
export async function startFlaskServer(o: FlaskOptions, log: (line: string) => void): Promise<FlaskServer> {
  const backend = proxyBackend(o.upstream, `${PROG}/${SUPERVISOR_VERSION}`);
  const traced: typeof backend = o.debug
    ? {
        ...backend,
        call: async (rpc, args, req) => {
          const out = await backend.call(rpc, args, req);
          log(`call ${rpc}(${args.map((a) => JSON.stringify(a)).join(", ")}) -> ${out.kind === "ok" ? "ok" : out.kind === "fault" ? `fault ${out.code} ${out.message}` : `error ${out.status} ${out.message}`}`);
          return out;
        },
      }
    : backend;
  const api = new RestApi({ prefix: "", backend: traced, version: SUPERVISOR_VERSION, title: "supvisorsflask", extraDocsPaths: ["/"], extraSpecPaths: ["/swagger.json"] });
  const server = http.createServer((req, res) => {
    res.on("finish", () => log(`${req.socket.remoteAddress ?? "-"} - - [${new Date().toISOString()}] "${req.method} ${req.url} HTTP/${req.httpVersion}" ${res.statusCode} -`));
    api.handle(req, res).catch((e: unknown) => {
      log(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (!res.headersSent) {
        res.writeHead(500, { "Content-Type": "application/json" });
        res.end(`${JSON.stringify({ message: "Internal Server Error" })}\n`);
      } else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(o.port, o.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    server,
    api,
    close: () =>
      new Promise<void>((resolve) => {
        backend.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
