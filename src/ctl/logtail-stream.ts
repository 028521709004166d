/**
 * The streaming GET client behind `tail -f`, `maintail -f` and `fg` (spec §11.3): sends the
 * same bytes as supervisor's http_client on a plain socket (node:http adds `Connection: close`,
 * which makes supervisord's medusa hold a never-ending response back), prints each body piece
 * as it arrives (chunked or Content-Length framing), and reports failures on stderr the way the
 * reference's Listener does. It never retries: the stream ends when the server ends it, the
 * caller aborts it, or it fails.
 */
import net from "node:net";
import tls from "node:tls";
import { HttpStreamParser } from "./http-stream-parser.js";
import { decodeChunk } from "../supervisord/text.js";
import { toCtlError } from "./transport.js";
import { basicAuthHeader, parseServerUrl } from "./server-url.js";
import { caBundle, serverName } from "./tls.js";

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
  /** Ours: the CA file for an https:// server URL. */
  readonly caFile?: string | null;
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
  // urlparse(serverurl + path).netloc: empty for unix:///path URLs.
  const host = endpoint.kind === "unix" ? "" : new URL(req.serverurl).host;
  let head = `GET ${req.path} HTTP/1.1\r\nHost: ${host}\r\nAccept-Encoding: chunked\r\nAccept: */*\r\nUser-agent: Supervisor HTTP Client\r\n`;
  if (req.password) head += `Authorization: ${basicAuthHeader(req.username, req.password)}\r\n`;
  // The reference ends its header block with one CRLF too many; servers ignore it.
  head += "\r\n\r\n";
  const ep = endpoint;

  return new Promise((resolve) => {
    let finished = false;
    let socket: net.Socket;
    try {
      socket =
        ep.kind === "unix"
          ? net.connect(ep.socketPath)
          : ep.secure
            ? tls.connect({ host: ep.host, port: ep.port, servername: serverName(ep.host), ca: caBundle(req.caFile), rejectUnauthorized: true })
            : net.connect({ host: ep.host, port: ep.port, autoSelectFamily: true });
    } catch (e) {
      // An unusable CA file.
      sinks.err(`${url} Cannot connect, error: ${(e as Error).message}`);
      return resolve();
    }
    const finish = () => {
      if (finished) return;
      finished = true;
      req.signal.removeEventListener("abort", finish);
      socket.destroy();
      resolve();
    };
    const parser = new HttpStreamParser();
    // A TLS socket may write only once the handshake is done.
    socket.on(ep.kind === "tcp" && ep.secure ? "secureConnect" : "connect", () => socket.write(head));
    socket.on("data", (data: Buffer) => {
      if (finished) return;
      let events;
      try {
        events = parser.push(data);
      } catch (e) {
        sinks.err(`${url} Cannot connect, error: <class 'ValueError'> (${(e as Error).message})`);
        finish();
        return;
      }
      for (const ev of events) {
        if (finished) return;
        if (ev.kind === "status" && ev.code !== 200) {
          sinks.err(`${url} Cannot read, status code ${ev.code}`);
          finish();
        } else if (ev.kind === "body") sinks.out(decodeChunk(ev.data));
        else if (ev.kind === "end") finish();
      }
    });
    socket.on("end", finish);
    socket.on("close", finish);
    socket.on("error", (e) => {
      if (finished) return;
      const ce = toCtlError(e, ep, req.serverurl);
      sinks.err(ce.code === "TLS" ? `${url} Cannot connect, error: ${ce.message}` : `${url} Cannot connect, error: <class '${ce.pythonClass}'> (${ce.pythonStr()})`);
      finish();
    });
    if (req.signal.aborted) finish();
    else req.signal.addEventListener("abort", finish);
  });
}
