/**
 * The XML-RPC client supervisorctl uses: HTTP/1.1 POST /RPC2 over a unix socket or TCP, one
 * persistent connection per client (the reference opens one per command), Basic auth when both
 * username and password are set. Any non-200 answer closes the connection and is an
 * HttpStatusError; faults become XmlRpcFault (spec §8.1).
 */
import http from "node:http";
import https from "node:https";
import { encodeMethodCallBytes, decodeMethodResponse, type RpcValue } from "../supervisord/rpc/codec.js";
import { SUPERVISOR_VERSION } from "../supervisord/version.js";
import {
  BadResponseError,
  CtlError,
  HostLookupError,
  HttpStatusError,
  RemoteDisconnectedError,
  SocketError,
  XmlRpcFault,
} from "./errors.js";
import { basicAuthHeader, parseServerUrl, type ServerEndpoint } from "./server-url.js";
import { caBundle, tlsErrorOf } from "./tls.js";

export interface RpcCaller {
  call(method: string, params?: readonly RpcValue[]): Promise<RpcValue>;
  close(): void;
}

export interface Credentials {
  readonly username: string | null;
  readonly password: string | null;
  /** Answers' `<double>` as RpcDouble (the supvisors commands print them as Python does). */
  readonly keepDoubles?: boolean;
  /** Ours: the PEM CA file that verifies an https:// server (default: the system CAs). */
  readonly caFile?: string | null;
}

export class HttpXmlRpcClient implements RpcCaller {
  private readonly endpoint: ServerEndpoint;
  private readonly url: string;
  private agent: http.Agent | null = null;

  constructor(
    serverurl: string,
    private readonly credentials: Credentials,
  ) {
    this.endpoint = parseServerUrl(serverurl);
    this.url = serverurl;
  }

  async call(method: string, params: readonly RpcValue[] = []): Promise<RpcValue> {
    const body = encodeMethodCallBytes(method, params);
    const { status, reason, data } = await this.post(body);
    if (status !== 200) {
      this.close();
      throw new HttpStatusError(status, reason);
    }
    let response;
    try {
      response = decodeMethodResponse(data, undefined, { keepDoubles: this.credentials.keepDoubles === true });
    } catch (e) {
      throw new BadResponseError(e instanceof Error ? e.message : String(e));
    }
    if (response.kind === "fault") throw new XmlRpcFault(response.faultCode, response.faultString);
    return response.value;
  }

  close(): void {
    this.agent?.destroy();
    this.agent = null;
  }

  private post(body: Buffer): Promise<{ status: number; reason: string; data: Buffer }> {
    const ep = this.endpoint;
    const secure = ep.kind === "tcp" && ep.secure === true;
    this.agent ??= secure
      ? new https.Agent({ keepAlive: true, maxSockets: 1, ca: caBundle(this.credentials.caFile), rejectUnauthorized: true })
      : new http.Agent({ keepAlive: true, maxSockets: 1 });
    const headers: Record<string, string> = {
      Host: ep.kind === "unix" ? "localhost" : ep.hostHeader,
      "User-Agent": `supervisorctl-ts/${SUPERVISOR_VERSION}`,
      "Content-Type": "text/xml",
      Accept: "text/xml",
      "Content-Length": String(body.length),
    };
    const { username, password } = this.credentials;
    if (username !== null && password !== null) headers["Authorization"] = basicAuthHeader(username, password);
    const target =
      ep.kind === "unix" ? { socketPath: ep.socketPath } : { host: ep.host, port: ep.port, autoSelectFamily: true };
    const request = secure ? https.request : http.request;
    const url = this.url;
    return new Promise((resolve, reject) => {
      const req = request({ ...target, agent: this.agent!, method: "POST", path: "/RPC2", headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, reason: res.statusMessage ?? "", data: Buffer.concat(chunks) }),
        );
        res.on("error", (e) => reject(toCtlError(e, ep, url)));
      });
      req.on("error", (e) => reject(toCtlError(e, ep, url)));
      req.end(body);
    });
  }
}

/** Node's socket errors as the reference's exceptions. */
export function toCtlError(e: unknown, ep: ServerEndpoint, url?: string): CtlError {
  if (e instanceof CtlError) return e;
  const tls = url !== undefined ? tlsErrorOf(e, url) : null;
  if (tls) return tls;
  const code = (e as NodeJS.ErrnoException | undefined)?.code ?? "EIO";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return new HostLookupError(ep.kind === "tcp" ? ep.host : "");
  if (code === "ECONNRESET" && (e as Error).message === "socket hang up") return new RemoteDisconnectedError();
  return new SocketError(code, ep.kind === "unix" ? "unix" : "tcp");
}
