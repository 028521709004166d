/**
 * The web pages' HTTP routes: `/`, `/index.html` (status page and actions), `/tail.html`, and the
 * two static assets. Each handler translates the request for SupervisorService and its answer
 * into a page; the server has already checked auth (spec §7.3) before any of this runs.
 */
import type { OutgoingHttpHeaders } from "node:http";
import { errorBody, sendError, sendResponse } from "../supervisord/http/medusa.js";
import type { HttpContext, HttpRoute, Router } from "../supervisord/http/router.js";
import { RpcFault } from "../supervisord/rpc/faults.js";
import type { SupervisorService } from "../supervisord/service/supervisor-service.js";
import { SUPERVISOR_VERSION } from "../supervisord/version.js";
import { runAction, unexpectedFault, type ActionService } from "./actions.js";
import { SCRIPT, SCRIPT_PATH, STYLESHEET, STYLESHEET_PATH } from "./assets.js";
import { requestForm } from "./form.js";
import { pyQuote } from "./html.js";
import { renderStatusPage, type StatusPageModel } from "./status-page.js";
import { renderTailPage, tailModel, type TailService } from "./tail-page.js";

/** What the pages need from the service. */
export type WebService = ActionService &
  TailService &
  Pick<SupervisorService, "getAllProcessInfo" | "getSupervisorVersion" | "getIdentification">;

export interface WebRouteOptions {
  /** Wall clock for the ctime messages and the copyright year. */
  readonly now?: () => number;
}

/** supervisord's page headers: never cached (spec §11.1). */
const NO_CACHE: OutgoingHttpHeaders = {
  Pragma: "no-cache",
  "Cache-Control": "no-cache",
  Expires: "Thu, 01 Jan 1970 00:00:00 GMT",
};

/**
 * Defence in depth on top of escaping: only our own script and stylesheet may run or apply, so
 * even a markup injection could not execute inline script.
 */
const PAGE_SECURITY: OutgoingHttpHeaders = {
  "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'",
  "X-Content-Type-Options": "nosniff",
};

const PAGE_PATHS = new Set(["/", "/index.html", "/tail.html"]);

export function registerWebRoutes(router: Router, service: WebService, opts: WebRouteOptions = {}): void {
  const now = opts.now ?? Date.now;
  router.addRoute({
    name: "web-pages",
    match: (path) => PAGE_PATHS.has(path),
    handle: (ctx) => handlePage(ctx, service, now),
  });
  router.addRoute(assetRoute("web-stylesheet", STYLESHEET_PATH, "text/css", STYLESHEET));
  router.addRoute(assetRoute("web-script", SCRIPT_PATH, "text/javascript", SCRIPT));
}

function assetRoute(name: string, path: string, type: string, body: string): HttpRoute {
  return {
    name,
    match: { exact: path },
    handle: ({ req, res }) => {
      if (req.method !== "GET" && req.method !== "HEAD") return sendError(res, 400);
      const headers = { "Content-Type": `${type};charset=utf-8`, "X-Content-Type-Options": "nosniff" };
      if (req.method === "HEAD") {
        sendResponse(res, 200, headers, "");
        return;
      }
      sendResponse(res, 200, headers, body);
    },
  };
}

async function handlePage(ctx: HttpContext, service: WebService, now: () => number): Promise<void> {
  const { req, res } = ctx;
  // Medusa's UI handler takes GET and POST only; HEAD falls through to its file handler (404).
  if (req.method === "HEAD") return sendError(res, 404);
  if (req.method !== "GET" && req.method !== "POST") return sendError(res, 400);
  const form = await requestForm(ctx);
  if (form === null) return;
  if (ctx.path === "/tail.html") {
    const model = tailModel(service, form.has("processname") ? form.get("processname")! : null, form.get("limit") ?? null);
    return sendPage(ctx, renderTailPage(model));
  }
  const action = form.get("action");
  if (action) {
    const outcome = await runAction(
      service,
      { action, processname: form.get("processname") ?? null, groupname: form.get("groupname") ?? null },
      now,
    );
    if (outcome.kind === "invalid") return sendError(res, 500);
    return redirect(ctx, `/?message=${pyQuote(outcome.message)}`);
  }
  sendPage(ctx, renderStatusPage(statusModel(service, form.get("message") ?? null, now())));
}

/** Collects the page's data; a daemon that is shutting down gets an explanatory flash. */
export function statusModel(service: WebService, message: string | null, nowMs: number): StatusPageModel {
  const year = new Date(nowMs).getFullYear();
  try {
    return {
      processes: service.getAllProcessInfo(),
      message,
      version: service.getSupervisorVersion(),
      identification: service.getIdentification(),
      year,
    };
  } catch (err) {
    if (!(err instanceof RpcFault)) throw err;
    return { processes: [], message: `ERROR: ${unexpectedFault(err)}`, version: SUPERVISOR_VERSION, identification: "supervisor", year };
  }
}

function sendPage({ res }: HttpContext, body: string): void {
  sendResponse(res, 200, { "Content-Type": "text/html;charset=utf-8", ...NO_CACHE, ...PAGE_SECURITY }, body);
}

/** supervisord's redirect after an action: 301 to `http://<Host>/...` with Medusa's error body. */
function redirect({ req, res }: HttpContext, target: string): void {
  const host = req.headers.host || "localhost";
  // Ours: an HTTPS server (certfile/keyfile) redirects to https.
  const scheme = (req.socket as { encrypted?: boolean }).encrypted ? "https" : "http";
  sendResponse(res, 301, { Location: `${scheme}://${host}${target}`, "Content-Type": "text/html", ...NO_CACHE }, errorBody(301));
}
