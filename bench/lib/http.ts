/**
 * HTTP requests as the benchmarks make them: one request on a new connection (no agent, as
 * supervisorctl and a Prometheus scrape after an idle interval do), timed from sending to the last
 * byte of the answer; and a free loopback port for a daemon's [inet_http_server].
 */
import { request, type OutgoingHttpHeaders } from "node:http";
import { createServer } from "node:net";
import { nowMs } from "./stats.js";

export type Endpoint = { readonly socketPath: string } | { readonly host: string; readonly port: number };

export interface TimedAnswer {
  readonly body: Buffer;
  /** From sending to the last byte. */
  readonly ms: number;
  readonly type: string;
}

/** Rejects on a status other than 200 (with the start of the body) and after 300 s without an answer. */
export function timedRequest(to: Endpoint, method: string, path: string, payload: string | null): Promise<TimedAnswer> {
  const headers: OutgoingHttpHeaders = payload === null ? {} : { "Content-Type": "text/xml", "Content-Length": Buffer.byteLength(payload) };
  return new Promise((resolve, reject) => {
    const t0 = nowMs();
    const req = request({ ...to, agent: false, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const ms = nowMs() - t0;
        if (res.statusCode !== 200) reject(new Error(`${method} ${path}: HTTP ${res.statusCode} ${Buffer.concat(chunks).toString().slice(0, 300)}`));
        else resolve({ body: Buffer.concat(chunks), ms, type: String(res.headers["content-type"] ?? "") });
      });
      res.on("error", reject);
    });
    req.setTimeout(300_000, () => req.destroy(new Error(`${method} ${path}: no answer in 300 s`)));
    req.on("error", reject);
    req.end(payload ?? undefined);
  });
}

/** A port the kernel gives on 127.0.0.1 (bound, then released for the daemon to bind). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (typeof a === "object" && a ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
}
