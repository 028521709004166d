/**
 * XML-RPC over HTTP/1.1: POST /RPC2 to a TCP port or a unix socket, as supervisorctl sends it
 * (spec supervisor.md §8.1), with the daemon's own codec.
 *
 * Connections are kept alive and pooled without a cap: a `wait=true` call holds its connection
 * until the daemon answers (a start_application can take minutes), so other calls made meanwhile
 * must get connections of their own rather than queue behind it.
 */
import http from "node:http";
import https from "node:https";
import { describeTlsFailure, tlsFailureOf } from "../protocol/tls-errors.js";
import { decodeMethodResponse, encodeMethodCallBytes, type RpcValue } from "../supervisord/rpc/codec.js";
import { basicAuthHeader, parseServerUrl, type ServerEndpoint } from "./endpoint.js";
import { RpcFaultError, RpcTransportError } from "./errors.js";

/**
 * How an https:// server is verified (ours). Verification is on unless `rejectUnauthorized` is
 * false; `ca` replaces the system CAs (NODE_EXTRA_CA_CERTS adds to them, as Node reads it).
 */
export interface TlsClientOptions {
  /** PEM CA certificate(s) that sign the server's certificate. */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** false accepts any certificate (tests only: anyone in the middle can read and answer). */
  readonly rejectUnauthorized?: boolean;
}

export interface ClientOptions {
  /** Basic auth, for a server section with `username` and `password`. */
  readonly username?: string;
  readonly password?: string;
  /**
   * Milliseconds a call may take before it fails with a `timeout` RpcTransportError; 0 (the
   * default) waits as long as the daemon needs, which `wait=true` calls do on purpose.
   */
  readonly timeoutMs?: number;
  /** The User-Agent header. */
  readonly userAgent?: string;
  /** For https:// URLs (and the wss:// event stream of a SupvisorsClient). */
  readonly tls?: TlsClientOptions;
}

/** A decoded XML-RPC value (what params and results are made of). */
export type { RpcValue };

export class XmlRpcTransport {
  readonly endpoint: ServerEndpoint;
  private agent: http.Agent | null = null;
  private readonly pending = new Set<http.ClientRequest>();
  private readonly headers: Readonly<Record<string, string>>;
  private readonly timeoutMs: number;
  /** The TLS options given (the event stream of a SupvisorsClient uses them too). */
  readonly tls: TlsClientOptions | undefined;

  constructor(url: string, opts: ClientOptions = {}) {
    this.endpoint = parseServerUrl(url);
    this.tls = opts.tls;
    if ((opts.username === undefined) !== (opts.password === undefined)) {
      throw new TypeError("username and password go together");
    }
    this.timeoutMs = opts.timeoutMs ?? 0;
    this.headers = {
      Host: this.endpoint.kind === "unix" ? "localhost" : this.endpoint.hostHeader,
      "User-Agent": opts.userAgent ?? "supervisord-ts-client",
      "Content-Type": "text/xml",
      Accept: "text/xml",
      ...(opts.username !== undefined ? { Authorization: basicAuthHeader(opts.username, opts.password!) } : {}),
    };
  }

  /** Resolves with the call's value; rejects with RpcFaultError or RpcTransportError. */
  async call(method: string, params: readonly RpcValue[]): Promise<RpcValue> {
    const body = encodeMethodCallBytes(method, params);
    const { status, statusText, data } = await this.post(method, body);
    const url = this.endpoint.url;
    if (status !== 200) {
      throw new RpcTransportError("http", `${url}: HTTP ${status} ${statusText} (${method})`, { url, method, status });
    }
    let response;
    try {
      response = decodeMethodResponse(data);
    } catch (err) {
      throw new RpcTransportError("protocol", `${url}: not an XML-RPC response to ${method}: ${(err as Error).message}`, { url, method, cause: err });
    }
    if (response.kind === "fault") throw new RpcFaultError(response.faultCode, response.faultString, method);
    return response.value;
  }

  /** Ends the idle connections and fails the pending calls (kind `closed`). */
  close(): void {
    for (const req of this.pending) req.destroy(new ClosedError());
    this.pending.clear();
    this.agent?.destroy();
    this.agent = null;
  }

  private post(method: string, body: Buffer, retried = false): Promise<{ status: number; statusText: string; data: Buffer }> {
    const ep = this.endpoint;
    const secure = ep.kind === "tcp" && ep.secure === true;
    this.agent ??= secure
      ? new https.Agent({ keepAlive: true, ...(this.tls?.ca !== undefined ? { ca: this.tls.ca as string | Buffer | (string | Buffer)[] } : {}), rejectUnauthorized: this.tls?.rejectUnauthorized !== false })
      : new http.Agent({ keepAlive: true });
    const url = ep.url;
    const target = ep.kind === "unix" ? { socketPath: ep.socketPath } : { host: ep.host, port: ep.port, autoSelectFamily: true };
    const request = secure ? https.request : http.request;
    return new Promise((resolve, reject) => {
      let settled = false;
      const req = request(
        { ...target, agent: this.agent!, method: "POST", path: "/RPC2", headers: { ...this.headers, "Content-Length": String(body.length) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            if (settled) return;
            settled = true;
            this.pending.delete(req);
            resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? "", data: Buffer.concat(chunks) });
          });
          res.on("error", (err) => fail(err));
        },
      );
      const fail = (err: Error) => {
        if (settled) return;
        settled = true;
        this.pending.delete(req);
        // A kept-alive connection the server closed just as this request went out: the request
        // never reached it (Node's documented case for a retry), so it is sent once more.
        if (!retried && req.reusedSocket && (err as NodeJS.ErrnoException).code === "ECONNRESET") {
          this.post(method, body, true).then(resolve, reject);
          return;
        }
        reject(transportError(err, url, method, this.timeoutMs));
      };
      this.pending.add(req);
      req.on("error", fail);
      if (this.timeoutMs > 0) req.setTimeout(this.timeoutMs, () => req.destroy(new TimeoutError()));
      req.end(body);
    });
  }
}

class ClosedError extends Error {}
class TimeoutError extends Error {}

function transportError(err: Error, url: string, method: string, timeoutMs: number): RpcTransportError {
  if (err instanceof ClosedError) return new RpcTransportError("closed", `${url}: client closed during ${method}`, { url, method });
  if (err instanceof TimeoutError) return new RpcTransportError("timeout", `${url}: no answer to ${method} within ${timeoutMs} ms`, { url, method });
  const code = (err as NodeJS.ErrnoException).code ?? null;
  // A refused certificate or a failed handshake: still `connect`, with Node's code and a message that says so.
  const tls = tlsFailureOf(err);
  if (tls) return new RpcTransportError("connect", `${describeTlsFailure(tls, url)} (${method})`, { url, method, code, cause: err });
  return new RpcTransportError("connect", `${url}: ${err.message} (${method})`, { url, method, code, cause: err });
}
