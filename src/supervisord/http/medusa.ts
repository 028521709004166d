/**
 * The HTTP surface supervisord inherits from Medusa 1.12 (spec §7.1): status reasons, the HTML
 * error page, the `Server`/`Date` headers that start every response, and the access-log line.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";

export const SERVER_HEADER = "Medusa/1.12";

const REASONS: Readonly<Record<number, string>> = {
  100: "Continue",
  101: "Switching Protocols",
  200: "OK",
  201: "Created",
  202: "Accepted",
  203: "Non-Authoritative Information",
  204: "No Content",
  205: "Reset Content",
  206: "Partial Content",
  300: "Multiple Choices",
  301: "Moved Permanently",
  302: "Moved Temporarily",
  303: "See Other",
  304: "Not Modified",
  305: "Use Proxy",
  400: "Bad Request",
  401: "Unauthorized",
  402: "Payment Required",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  407: "Proxy Authentication Required",
  408: "Request Time-out",
  409: "Conflict",
  410: "Gone",
  411: "Length Required",
  412: "Precondition Failed",
  413: "Request Entity Too Large",
  414: "Request-URI Too Large",
  415: "Unsupported Media Type",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Time-out",
  505: "HTTP Version not supported",
};

export function reasonPhrase(code: number): string {
  return REASONS[code] ?? "Unknown";
}

/** Medusa's error page, byte for byte. */
export function errorBody(code: number): string {
  return [
    "<head>",
    "<title>Error response</title>",
    "</head>",
    "<body>",
    "<h1>Error response</h1>",
    `<p>Error code ${code}.`,
    `<p>Message: ${reasonPhrase(code)}.`,
    "</body>",
    "",
  ].join("\r\n");
}

/** RFC 1123 date as medusa's build_http_date writes it, e.g. `Wed, 25 Nov 2026 16:09:13 GMT`. */
export function httpDate(ms: number): string {
  return new Date(ms).toUTCString();
}

/** Headers that open every response, in Medusa's order. */
export function baseHeaders(nowMs: number): Record<string, string> {
  return { Server: SERVER_HEADER, Date: httpDate(nowMs) };
}

/** Writes a complete response with Medusa's first headers. */
export function sendResponse(
  res: ServerResponse,
  code: number,
  headers: OutgoingHttpHeaders,
  body: string | Buffer,
  nowMs = Date.now(),
): void {
  if (res.headersSent || res.destroyed) return;
  const buf = typeof body === "string" ? Buffer.from(body) : body;
  res.sendDate = false;
  res.writeHead(code, reasonPhrase(code), { ...baseHeaders(nowMs), ...headers, "Content-Length": buf.length });
  res.end(buf);
}

/** Medusa's `request.error(code)`: the HTML page, optionally closing the connection. */
export function sendError(res: ServerResponse, code: number, extra: OutgoingHttpHeaders = {}, nowMs = Date.now()): void {
  // Medusa sets Content-Length before Content-Type here (sendResponse keeps a key's position).
  sendResponse(res, code, { ...extra, "Content-Length": 0, "Content-Type": "text/html" }, errorBody(code), nowMs);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Medusa's log_date_string: GMT fields followed by the local UTC offset (a Medusa quirk). */
export function accessLogDate(ms: number): string {
  const d = new Date(ms);
  const p2 = (n: number) => String(n).padStart(2, "0");
  const offsetMin = -d.getTimezoneOffset();
  const sign = offsetMin < 0 ? "-" : "+";
  const abs = Math.abs(offsetMin);
  return (
    `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:` +
    `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ` +
    `${sign}${p2(Math.floor(abs / 60))}${p2(abs % 60)}`
  );
}

/** `<host>:<port> - - [<date>] "<request line>" <code> <bytes>` (unix clients: `localhost:0`). */
export function accessLogLine(req: IncomingMessage, code: number, bytes: number, nowMs: number): string {
  // The socket is gone (null) when a handler destroyed the request before answering.
  const sock = req.socket as IncomingMessage["socket"] | null;
  const host = sock?.remoteAddress ?? "localhost";
  const port = sock?.remotePort ?? 0;
  const line = `${req.method} ${req.url} HTTP/${req.httpVersion}`;
  return `${host}:${port} - - [${accessLogDate(nowMs)}] "${line}" ${code} ${bytes}`;
}
