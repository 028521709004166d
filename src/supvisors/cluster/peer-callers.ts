/**
 * XML-RPC calls to the other instances (handshakes; the commands of the next layers), over their
 * HTTP servers with the cluster's common credentials. A fault the peer answers (PeerFault) is not
 * a transport failure (PeerTransportError: refused, reset, timeout, bad HTTP); only the latter
 * marks the peer FAILED.
 *
 * Ours: when the inet servers speak HTTPS (certfile/keyfile), so do these calls, verifying each
 * peer's certificate against `tls_ca_file` (else the system CAs) and the host as supvisors_list
 * writes it (a name is checked against the certificate's DNS names, an address against its IPs).
 */
import { Agent, request } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { isIP } from "node:net";
import { describeTlsFailure, tlsFailureOf } from "../../protocol/tls-errors.js";
import type { Credentials } from "../../supervisord/config/types.js";
import { decodeMethodResponse, encodeMethodCall, type RpcValue } from "../../supervisord/rpc/codec.js";
import type { Identifier, InstanceIdentity } from "../types.js";

export class PeerFault extends Error {
  override readonly name = "PeerFault";
  readonly code = "PEER_FAULT";
  constructor(
    readonly faultCode: number,
    readonly faultString: string,
  ) {
    super(`${faultCode}: ${faultString}`);
  }
}

export class PeerTransportError extends Error {
  override readonly name = "PeerTransportError";
  readonly code = "PEER_TRANSPORT";
}

/** Largest answer read from a peer (a process list of thousands of programs stays far below). */
const MAX_ANSWER = 64 * 1024 * 1024;

/** How the peers are reached over HTTPS; null = plain HTTP. */
export interface PeerTls {
  /** PEM CA bundle (tls_ca_file); undefined: the system CAs. */
  readonly ca?: Buffer;
}

export class PeerCallers {
  private readonly byId: ReadonlyMap<Identifier, InstanceIdentity>;
  private readonly agent: Agent;
  private readonly authHeader: string | null;

  constructor(
    instances: readonly InstanceIdentity[],
    auth: Credentials | null,
    private readonly timeoutMs: number,
    private readonly tls: PeerTls | null = null,
  ) {
    this.agent = tls
      ? new HttpsAgent({ keepAlive: true, maxSockets: 4, rejectUnauthorized: true, ...(tls.ca ? { ca: tls.ca } : {}) })
      : new Agent({ keepAlive: true, maxSockets: 4 });
    this.byId = new Map(instances.map((i) => [i.identifier, i]));
    this.authHeader = auth ? `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}` : null;
  }

  isFault(err: unknown): boolean {
    return err instanceof PeerFault;
  }

  /** One call; `timeoutMs` overrides the default (the handshake allows a busy peer more time). */
  call(id: Identifier, method: string, params: readonly RpcValue[], timeoutMs: number = this.timeoutMs): Promise<unknown> {
    const peer = this.byId.get(id);
    if (!peer) return Promise.reject(new PeerTransportError(`unknown instance ${id}`));
    const body = encodeMethodCall(method, params as RpcValue[]);
    const headers: Record<string, string | number> = { "Content-Type": "text/xml", "Content-Length": Buffer.byteLength(body) };
    if (this.authHeader) headers.Authorization = this.authHeader;
    const send = this.tls ? httpsRequest : request;
    // The certificate names the host as written in supvisors_list; SNI takes names only.
    const identity = this.tls && isIP(peer.hostId) === 0 ? { servername: peer.hostId } : {};
    return new Promise((resolve, reject) => {
      const req = send({ host: peer.ipAddress, port: peer.httpPort, path: "/RPC2", method: "POST", agent: this.agent, headers, timeout: timeoutMs, ...identity }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > MAX_ANSWER) req.destroy(new PeerTransportError(`answer of ${id} larger than ${MAX_ANSWER} bytes`));
          else chunks.push(c);
        });
        res.on("error", (err) => reject(new PeerTransportError(err.message)));
        res.on("end", () => {
          if (res.statusCode !== 200) return reject(new PeerTransportError(`HTTP ${res.statusCode} from ${id}`));
          try {
            const r = decodeMethodResponse(Buffer.concat(chunks));
            if (r.kind === "fault") reject(new PeerFault(r.faultCode, r.faultString));
            else resolve(r.value);
          } catch (err) {
            reject(new PeerTransportError(`unreadable answer from ${id}: ${(err as Error).message}`));
          }
        });
      });
      req.on("timeout", () => req.destroy(new PeerTransportError(`no answer from ${id} in ${timeoutMs} ms`)));
      req.on("error", (err) => {
        if (err instanceof PeerTransportError) return reject(err);
        const tls = tlsFailureOf(err);
        reject(new PeerTransportError(tls ? describeTlsFailure(tls, `https://${peer.hostId}:${peer.httpPort}`) : err.message));
      });
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** The text of a failed call: a fault's `NAME: detail` (a PeerFault or the local registry's fault), or the error's message. */
export function faultText(err: unknown): string {
  if (typeof err === "object" && err !== null) {
    const o = err as { faultString?: unknown; message?: unknown };
    if (typeof o.faultString === "string") return o.faultString;
    if (typeof o.message === "string") return o.message;
  }
  return String(err);
}
