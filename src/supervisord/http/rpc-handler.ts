/**
 * The `/RPC2` route (spec §8.1, §14 item 27): any path starting with /RPC2, POST only (else 400),
 * Content-Length required (else 411), body capped (413, connection closed, nothing buffered past
 * the cap), unparseable XML or no method name → 400 with an ERRO line, a fault → 200 fault
 * document, an unexpected error → 500 with a CRIT line. Deferred (Promise) results are awaited
 * without holding up any other client.
 */
import type { IncomingMessage } from "node:http";
import { decodeMethodCall, encodeFault, encodeResponseBytes, XmlRpcParseError } from "../rpc/codec.js";
import { dispatchCall } from "../rpc/dispatch.js";
import type { LogHook } from "../rpc/log-hook.js";
import { pythonStrRepr } from "../text.js";
import type { RpcRegistry } from "../rpc/registry.js";
import { sendError, sendResponse } from "./medusa.js";
import type { HttpContext, HttpRoute } from "./router.js";

export const DEFAULT_MAX_RPC_BODY = 10 * 1024 * 1024;
/** Request data quoted in log lines is cut here: a 10 MB body must not become a 10 MB log line. */
const MAX_LOGGED_DATA = 16 * 1024;

export interface RpcRouteOptions {
  readonly registry: RpcRegistry;
  readonly log: LogHook;
  readonly maxBodyBytes?: number;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, length: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let got = 0;
    req.on("data", (c: Buffer) => {
      got += c.length;
      if (got > length) {
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks, got)));
    req.on("aborted", () => resolve(null));
    req.on("error", () => resolve(null));
  });
}

function loggedData(body: Buffer | string): string {
  const text = typeof body === "string" ? body : body.toString("utf8");
  const cut = text.length > MAX_LOGGED_DATA ? text.slice(0, MAX_LOGGED_DATA) : text;
  return pythonStrRepr(cut) + (cut.length < text.length ? `... (${text.length - cut.length} more characters)` : "");
}

function describeError(e: unknown): string {
  if (e instanceof Error) return e.stack ?? `${e.name}: ${e.message}`;
  return String(e);
}

export function createRpcRoute(opts: RpcRouteOptions): HttpRoute {
  const maxBody = opts.maxBodyBytes ?? DEFAULT_MAX_RPC_BODY;
  const { registry, log } = opts;
  return {
    name: "xmlrpc",
    match: { prefix: "/RPC2" },
    async handle(ctx: HttpContext): Promise<void> {
      const { req, res } = ctx;
      if (req.method !== "POST") return sendError(res, 400);
      const lengthHeader = req.headers["content-length"];
      if (lengthHeader === undefined) return sendError(res, 411);
      const length = Number(lengthHeader);
      if (!Number.isSafeInteger(length) || length < 0) return sendError(res, 400, { Connection: "close" });
      if (length > maxBody) return sendError(res, 413, { Connection: "close" });
      let body: Buffer | null;
      try {
        body = await readBody(req, length);
      } catch {
        return sendError(res, 413, { Connection: "close" });
      }
      if (body === null || res.destroyed) return;
      let call;
      try {
        call = decodeMethodCall(body);
      } catch (e) {
        if (!(e instanceof XmlRpcParseError)) throw e;
        log("ERRO", `XML-RPC request data ${loggedData(body)} is invalid: ${e.reason}`);
        return sendError(res, 400);
      }
      const peer = req.socket.remoteAddress ? `${req.socket.remoteAddress}:${req.socket.remotePort}` : "localhost";
      const outcome = await dispatchCall(registry, call.methodName, call.params, log, { peer });
      let xml: Buffer | string;
      try {
        if (outcome.kind === "error") throw outcome.error;
        xml = outcome.kind === "ok" ? encodeResponseBytes(outcome.value) : encodeFault(outcome.faultCode, outcome.faultString);
      } catch (e) {
        if (outcome.kind === "error" && outcome.deferred) {
          log("ERRO", `XML-RPC response callback error ${describeError(e)}`);
        } else {
          log("CRIT", `Handling XML-RPC request with data ${loggedData(body)} raised an unexpected exception: ${describeError(e)}`);
        }
        return sendError(res, 500);
      }
      sendResponse(res, 200, { "Content-Type": "text/xml" }, xml);
    },
  };
}
