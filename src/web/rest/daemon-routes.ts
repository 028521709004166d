/**
 * The REST API on the daemon's own HTTP servers, under `/api`: every call goes through the same
 * registry as XML-RPC (same methods, arity checks, shutdown guard and TRAC lines), so a REST
 * result is the XML-RPC result. The server has checked auth before a route runs.
 */
import type { Router } from "../../supervisord/http/router.js";
import { dispatchCall } from "../../supervisord/rpc/dispatch.js";
import type { LogHook } from "../../supervisord/rpc/log-hook.js";
import type { RpcRegistry } from "../../supervisord/rpc/registry.js";
import { RpcDouble } from "../../supervisord/rpc/values.js";
import { SUPERVISOR_VERSION } from "../../supervisord/version.js";
import { RestApi, type RestBackend } from "./handler.js";

export const REST_PREFIX = "/api";

export function registryBackend(registry: RpcRegistry, log: LogHook): RestBackend {
  return {
    serves: (ns) => registry.namespaceNames().includes(ns),
    async call(rpc, args, req) {
      const peer = req.socket.remoteAddress ? `${req.socket.remoteAddress}:${req.socket.remotePort}` : "localhost";
      // As the XML-RPC decoder hands a <double> to the methods: a plain number.
      const params = args.map((a) => (a instanceof RpcDouble ? a.value : a));
      const outcome = await dispatchCall(registry, rpc, params, log, { peer });
      if (outcome.kind === "ok") return outcome;
      if (outcome.kind === "fault") return { kind: "fault", code: outcome.faultCode, message: outcome.faultString };
      const e = outcome.error;
      log("CRIT", `Handling REST request ${req.method} ${req.url} (${rpc}) raised an unexpected exception: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return { kind: "error", status: 500, message: e instanceof Error ? e.message : String(e) };
    },
  };
}

export function registerRestRoutes(router: Router, registry: RpcRegistry, log: LogHook): RestApi {
  const api = new RestApi({ prefix: REST_PREFIX, backend: registryBackend(registry, log), version: SUPERVISOR_VERSION });
  router.addRoute({
    name: "rest-api",
    match: (path) => path === REST_PREFIX || path.startsWith(`${REST_PREFIX}/`),
    handle: ({ req, res }) => api.handle(req, res),
  });
  return api;
}
