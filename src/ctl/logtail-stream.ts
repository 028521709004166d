/**
 * The streaming GET client behind `tail -f`, `maintail -f` and `fg` (spec §11.3): sends the
 * same request as supervisor's http_client, prints each body piece as it arrives (chunked or
 * Content-Length framing, both handled by node:http), and reports failures on stderr the way
 * the reference's Listener does. It never retries: the stream ends when the server ends it, the
 * caller aborts it, or it fails.
 */
import http from "node:http";
import { decodeChunk } from "../supervisord/text.js";
import { toCtlError } from "./transport.js";
import { basicAuthHeader, parseServerUrl } from "./server-url.js";

export interface StreamSinks {
  /** Body text (UTF-8, or `Undecodable: b'...'` per piece, as the reference). */
  readonly out: (text: string) => void;
  /** One diagnostic line without its newline. */
  readonly err: (line: string) => void;
}

export interface StreamRequest {
  readonly serverurl: string;
  /** e.g. `/logtail/web/stdout` or `/mainlogtail`. */
  readonly path: string;
  readonly username: string | null;
  readonly password: string | null;
  readonly signal: AbortSignal;
}

/** Resolves when the stream is over, whichever way; never rejects. */
export function streamLog(req: StreamRequest, sinks: StreamSinks): Promise<void> {
  const url = req.serverurl + req.path;
  let endpoint;
  try {
    endpoint = parseServerUrl(req.serverurl);
  } catch {
    // The reference raises NotImplementedError for other schemes; open/-s already vetted them.
    sinks.err(`${url} Cannot connect, error: <class 'NotImplementedError'> ()`);
    return Promise.resolve();
  }
  const headers: Record<string, string> = {
    // urlparse(serverurl + path).netloc: empty for unix:///path URLs.
    Host: endpoint.kind === "unix" ? "" : new URL(req.serverurl).host,
    "Accept-Encoding": "chunked",
    Accept: "*/*",
    "User-agent": "Supervisor HTTP Client",
  };
  if (req.password) headers["Authorization"] = basicAuthHeader(req.username, req.password);
  const target =
    endpoint.kind === "unix"
      ? { socketPath: endpoint.socketPath }
      : { host: endpoint.host, port: endpoint.port, autoSelectFamily: true };
  const ep = endpoint;

  return new Promise((resolve) => {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      req.signal.removeEventListener("abort", onAbort);
      httpReq.destroy();
      resolve();
    };
    const onAbort = () => finish();
    const httpReq = http.request({ ...target, method: "GET", path: req.path, headers, agent: false }, (res) => {
      if (res.statusCode !== 200) {
        sinks.err(`${url} Cannot read, status code ${res.statusCode}`);
        finish();
        return;
      }
      res.on("data", (piece: Buffer) => {
        if (!finished) sinks.out(decodeChunk(piece));
      });
      res.on("end", finish);
      res.on("error", finish);
    });
    httpReq.on("error", (e) => {
      if (finished) return;
      const ce = toCtlError(e, ep);
      sinks.err(`${url} Cannot connect, error: <class '${ce.pythonClass}'> (${ce.pythonStr()})`);
      finish();
    });
    if (req.signal.aborted) finish();
    else req.signal.addEventListener("abort", onAbort);
    httpReq.end();
  });
}
