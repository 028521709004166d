/**
 * The backend of `supvisorsflask`: each call is an XML-RPC call to the instance it fronts (ours,
 * or a real supervisord / Supvisors), as Supvisors' Flask application makes one per request.
 * The caller's Authorization header is passed on, so the instance's own auth applies; a URL with
 * `user:password@` gives fixed credentials instead. Connections are kept alive and several calls
 * run at once (a waiting start does not hold up a getState).
 */
import http from "node:http";
import type { IncomingMessage } from "node:http";
import { decodeMethodResponse, encodeMethodCallBytes } from "../../supervisord/rpc/codec.js";
import type { RpcValue } from "../../supervisord/rpc/values.js";
import type { RestBackend, RestOutcome } from "./handler.js";

export type Upstream =
  | { readonly kind: "tcp"; readonly host: string; readonly port: number; readonly authorization: string | null }
  | { readonly kind: "unix"; readonly socketPath: string; readonly authorization: string | null };

export function proxyBackend(upstream: Upstream, userAgent: string): RestBackend & { close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  const target = upstream.kind === "unix" ? { socketPath: upstream.socketPath } : { host: upstream.host, port: upstream.port };
  const hostHeader = upstream.kind === "unix" ? "localhost" : `${upstream.host}:${upstream.port}`;

  function post(body: Buffer, authorization: string | undefined): Promise<{ status: number; headers: http.IncomingHttpHeaders; data: Buffer }> {
    const headers: Record<string, string> = { Host: hostHeader, "User-Agent": userAgent, "Content-Type": "text/xml", "Content-Length": String(body.length) };
    const auth = upstream.authorization ?? authorization;
    if (auth) headers.Authorization = auth;
    return new Promise((resolve, reject) => {
      const req = http.request({ ...target, agent, method: "POST", path: "/RPC2", headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, data: Buffer.concat(chunks) }));
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(body);
    });
  }

  return {
    // The instance decides: a method it does not have answers UNKNOWN_METHOD, a 400 like any fault.
    serves: () => true,
    async call(rpc: string, args: RpcValue[], req: IncomingMessage): Promise<RestOutcome> {
      let answer;
      try {
        answer = await post(encodeMethodCallBytes(rpc, args), req.headers.authorization);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code ?? "";
        return { kind: "error", status: 502, message: `cannot reach the instance: ${code || (e as Error).message}` };
      }
      // Another status keeps it: a 401 asks the REST client for the instance's credentials.
      if (answer.status === 401) return { kind: "error", status: 401, message: "Unauthorized", headers: { "WWW-Authenticate": answer.headers["www-authenticate"] ?? 'Basic realm="default"' } };
      if (answer.status !== 200) return { kind: "error", status: answer.status >= 500 ? 502 : answer.status, message: `the instance answered HTTP ${answer.status}` };
      try {
        const r = decodeMethodResponse(answer.data, undefined, { keepDoubles: true });
        return r.kind === "fault" ? { kind: "fault", code: r.faultCode, message: r.faultString } : { kind: "ok", value: r.value };
      } catch (e) {
        return { kind: "error", status: 502, message: `bad answer from the instance: ${(e as Error).message}` };
      }
    },
    close: () => agent.destroy(),
  };
}
