/**
 * `GET /metrics` on every HTTP server of the daemon (the server has checked auth, as for every
 * route): the Prometheus text exposition 0.0.4 of the daemon, its processes, its RPC calls and,
 * with Supvisors, the cluster. HEAD answers the headers only; other methods get 405.
 */
import { sendError, sendResponse } from "../../supervisord/http/medusa.js";
import type { HttpRoute } from "../../supervisord/http/router.js";
import { EXPOSITION_CONTENT_TYPE } from "./exposition.js";

export const METRICS_PATH = "/metrics";

export function metricsRoute(render: () => string): HttpRoute {
  return {
    name: "metrics",
    match: { exact: METRICS_PATH },
    handle: ({ req, res }) => {
      if (req.method !== "GET" && req.method !== "HEAD") return sendError(res, 405, { Allow: "GET, HEAD" });
      // Node sends no body for HEAD, with the same Content-Length as the GET would have.
      const body = Buffer.from(render(), "utf8");
      const headers = { "Content-Type": EXPOSITION_CONTENT_TYPE, "Cache-Control": "no-cache" };
      sendResponse(res, 200, headers, body);
    },
  };
}
