/**
 * Where a client connects: the two server URL forms supervisorctl's `serverurl` takes
 * (spec supervisor.md §10.1), `http://host[:port]` (port 80 when absent) and `unix://<path>`,
 * and ours, `https://host[:port]` (port 443 when absent; an inet server with certfile/keyfile).
 * As in supervisorctl, any path in an http URL is ignored: XML-RPC always goes to /RPC2.
 */
export type ServerEndpoint =
  | { readonly kind: "unix"; readonly url: string; readonly socketPath: string }
  | { readonly kind: "tcp"; readonly url: string; readonly host: string; readonly port: number; readonly hostHeader: string; readonly secure?: true };

export function parseServerUrl(url: string): ServerEndpoint {
  if (url.startsWith("unix://")) {
    const socketPath = url.slice("unix://".length);
    if (socketPath === "") throw new TypeError(`no socket path in server URL ${JSON.stringify(url)}`);
    return { kind: "unix", url, socketPath };
  }
  const secure = url.startsWith("https://");
  if (secure || url.startsWith("http://")) {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new TypeError(`invalid server URL ${JSON.stringify(url)}`);
    }
    if (u.hostname === "") throw new TypeError(`no host in server URL ${JSON.stringify(url)}`);
    const defaultPort = secure ? 443 : 80;
    const port = u.port === "" ? defaultPort : Number(u.port);
    // [::1] in the URL, ::1 for the socket; the Host header keeps the brackets, as HTTP wants.
    const host = u.hostname.replace(/^\[|\]$/g, "");
    const hostHeader = port === defaultPort ? u.hostname : `${u.hostname}:${port}`;
    return secure ? { kind: "tcp", url, host, port, hostHeader, secure: true } : { kind: "tcp", url, host, port, hostHeader };
  }
  throw new TypeError(`unknown protocol for server URL ${JSON.stringify(url)}: http://host:port, https://host:port or unix:///path expected`);
}

export function basicAuthHeader(username: string, password: string): string {
  return "Basic " + Buffer.from(`${username}:${password}`, "utf8").toString("base64");
}

/**
 * The websocket event interface of the instance at `endpoint` (spec supvisors.md §7.1): the
 * daemon's default event_port is its HTTP port + 1. A unix socket says nothing of a TCP port, so
 * there the port must be given. An https server serves its event interface as wss (same certificate).
 */
export function defaultEventUrl(endpoint: ServerEndpoint, port?: number): string {
  if (endpoint.kind === "unix" && port === undefined) {
    throw new TypeError(`the event interface of ${endpoint.url} cannot be guessed: give its url or port`);
  }
  const host = endpoint.kind === "tcp" ? endpoint.host : "127.0.0.1";
  const p = port ?? (endpoint as { port: number }).port + 1;
  const scheme = endpoint.kind === "tcp" && endpoint.secure ? "wss" : "ws";
  return `${scheme}://${host.includes(":") ? `[${host}]` : host}:${p}`;
}
