/**
 * The two kinds of server URL supervisorctl can talk to (spec §10.1), plus ours: `https://` (a
 * tcp endpoint marked `secure`, port 443 by default).
 */
import { UnknownProtocolError } from "./errors.js";

export type ServerEndpoint =
  | { readonly kind: "unix"; readonly socketPath: string }
  | { readonly kind: "tcp"; readonly host: string; readonly port: number; readonly hostHeader: string; readonly secure?: true };

/**
 * As SupervisorTransport: `http://host[:port]` (port 80 by default) or `unix://<path>`;
 * anything else is the reference's ValueError.
 */
export function parseServerUrl(serverurl: string): ServerEndpoint {
  const secure = serverurl.startsWith("https://");
  if (secure || serverurl.startsWith("http://")) {
    const u = new URL(serverurl);
    const host = u.hostname.replace(/^\[|\]$/g, "");
    const defaultPort = secure ? 443 : 80;
    const port = u.port === "" ? defaultPort : Number(u.port);
    // http.client sends the port in Host only when it is not the default.
    const hostHeader = port === defaultPort ? u.hostname : `${u.hostname}:${port}`;
    return secure ? { kind: "tcp", host, port, hostHeader, secure: true } : { kind: "tcp", host, port, hostHeader };
  }
  if (serverurl.startsWith("unix://")) return { kind: "unix", socketPath: serverurl.slice(7) };
  throw new UnknownProtocolError(serverurl);
}

export function basicAuthHeader(username: string | null, password: string | null): string {
  // Python formats None as "None"; the streaming client does that when only a password is set.
  return "Basic " + Buffer.from(`${username}:${password}`, "utf8").toString("base64");
}
