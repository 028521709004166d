/**
 * The dashboard's HTTP routes, in place of Supervisor's page when the config has
 * `[rpcinterface:supvisors]` (spec §11.1): the pages, their actions (run, then a 303 to the same
 * page with the footer message), the tail pages, the static assets, the user stylesheets and
 * icon, and the live websocket. The server has checked auth before any of this runs.
 */
import { readFile } from "node:fs/promises";
import type { OutgoingHttpHeaders } from "node:http";
import { sendError, sendResponse } from "../../supervisord/http/medusa.js";
import type { HttpContext, Router } from "../../supervisord/http/router.js";
import type { ActionService } from "../actions.js";
import { requestForm } from "../form.js";
import { renderTailPage, tailModel, type TailService } from "../tail-page.js";
import { erro, stamped } from "./actions.js";
import { dashboardAsset } from "./assets.js";
import { ASSET_PREFIX, peerUrl } from "./layout.js";
import { LiveFeed } from "./live.js";
import { hostOfHeader } from "./links.js";
import { renderMainTailPage } from "./pages/maintail-page.js";
import type { DashboardPage } from "./pages/page.js";
import type { DashboardPort } from "./port.js";
import { Snapshot } from "./snapshot.js";
import { ViewContext, type ViewEnv } from "./view-context.js";

export type DashboardSupervisor = ActionService & TailService;

/** The pages that check `processname` against what they show (the others: running here, or supervisord). */
const SELECTS_ITS_OWN_PROCESS: ReadonlySet<string> = new Set(["proc_instance.html", "application.html"]);

/** `processname` must run on the serving instance or be `supervisord` (spec §11.2). */
function checkSelectedProcess(view: ViewContext, snap: Snapshot): void {
  const name = view.processname;
  if (name === null || name === "supervisord") return;
  const local = snap.local.identifier;
  const running = snap.processes().some((p) => `${p.application_name}:${p.process_name}` === name && p.identifiers.includes(local));
  if (!running) view.reject("processname");
}

/** The actions whose `ident` names the instance they act on. */
const ACTIONS_ON_INSTANCE: ReadonlySet<string> = new Set(["pstop", "pkeep", "sup_master_sync"]);

const NO_CACHE: OutgoingHttpHeaders = {
  Pragma: "no-cache",
  "Cache-Control": "no-cache",
  Expires: "Thu, 01 Jan 1970 00:00:00 GMT",
};

/**
 * Only our own scripts, styles and images; the live socket on this same server. Every piece of
 * user data is escaped anyway: this is defence in depth against a markup injection.
 */
const PAGE_SECURITY: OutgoingHttpHeaders = {
  "Content-Security-Policy":
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'self'; form-action 'self'",
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "same-origin",
};

export interface DashboardRouteOptions {
  readonly pages: readonly DashboardPage[];
  readonly now?: () => number;
}

export function registerDashboardRoutes(router: Router, port: DashboardPort, supervisor: DashboardSupervisor, live: LiveFeed, opts: DashboardRouteOptions): void {
  const now = opts.now ?? Date.now;
  const byPath = new Map<string, DashboardPage>();
  for (const p of opts.pages) byPath.set(`/${p.name}`, p);
  const main = byPath.get("/index.html");
  if (main) byPath.set("/", main);

  router.addRoute({
    name: "dashboard-pages",
    match: (path) => byPath.has(path) || path === "/tail.html" || path === "/maintail.html",
    handle: (ctx) => handlePage(ctx, byPath, port, supervisor, now),
  });
  router.addRoute({
    name: "dashboard-assets",
    match: { prefix: `${ASSET_PREFIX}/` },
    handle: (ctx) => handleAsset(ctx, port),
  });
  router.addRoute({
    name: "dashboard-icon",
    match: { exact: "/software_icon.png" },
    handle: (ctx) => sendFile(ctx, port.options.softwareIcon, "image/png"),
  });
  router.addUpgrade(live.upgradeRoute());
}

/** What the parameters are checked against: this cluster's instances, applications and options. */
export function viewEnv(port: DashboardPort, snap: Snapshot): ViewEnv {
  return {
    localIdentifier: port.local.identifier,
    resolveInstance: (name) => (port.instances.find((i) => i.identifier === name) ?? port.instances.find((i) => i.nick === name))?.identifier ?? null,
    hasApplication: (name) => snap.application(name) !== undefined,
    periods: port.options.statsPeriods,
    defaultStrategy: port.options.startingStrategy,
  };
}

async function handlePage(ctx: HttpContext, byPath: ReadonlyMap<string, DashboardPage>, port: DashboardPort, supervisor: DashboardSupervisor, now: () => number): Promise<void> {
  const { req, res } = ctx;
  if (req.method !== "GET" && req.method !== "POST") return sendError(res, 405, { Allow: "GET, POST" });
  const form = await requestForm(ctx);
  if (form === null) return;
  if (ctx.path === "/tail.html") {
    const limit = form.get("limit") ?? String(port.options.tailLimit);
    return sendPage(ctx, renderTailPage(tailModel(supervisor, form.has("processname") ? form.get("processname")! : null, limit)));
  }
  if (ctx.path === "/maintail.html") {
    return sendPage(ctx, await renderMainTailPage(port, form.get("limit") ?? String(port.options.tailLimit)));
  }
  const page = byPath.get(ctx.path)!;
  const snap = new Snapshot(port);
  const view = new ViewContext(page.name, form, viewEnv(port, snap));
  const browserHost = hostOfHeader(req.headers.host);
  // The processes and host pages describe the instance serving them: go to the one asked for.
  if (page.localOnly && view.get("ident") !== null && view.identifier !== port.local.identifier) {
    return redirect(ctx, peerUrl({ ctx: view, snap, browserHost }, view.identifier, page.name, { ident: null }), 302);
  }
  if (!SELECTS_ITS_OWN_PROCESS.has(page.name)) checkSelectedProcess(view, snap);
  if (view.action !== null) {
    const handler = Object.hasOwn(page.actions, view.action) ? page.actions[view.action] : undefined;
    let result = handler ? await handler({ ctx: view, snap, port, supervisor, now }) : erro(`Unknown action: ${view.action}`);
    result = stamped(result, now());
    // `ident` was the action's argument there (the instance to stop on, keep on, sync with), not a selection.
    const drop = ACTIONS_ON_INSTANCE.has(view.action) ? (["ident"] as const) : [];
    return redirect(ctx, `/${page.name}${view.query({ message: result.message, gravity: result.gravity }, drop)}`, 303);
  }
  const out = page.render({ ctx: view, snap, browserHost, nowMs: now() });
  if (typeof out !== "string") return redirect(ctx, out.redirect, 303);
  sendPage(ctx, out);
}

function sendPage({ res }: HttpContext, body: string): void {
  sendResponse(res, 200, { "Content-Type": "text/html;charset=utf-8", ...NO_CACHE, ...PAGE_SECURITY }, body);
}

function redirect({ res }: HttpContext, location: string, status: 302 | 303): void {
  sendResponse(res, status, { Location: location, "Content-Type": "text/plain;charset=utf-8", ...NO_CACHE }, `See ${location}\n`);
}

async function handleAsset(ctx: HttpContext, port: DashboardPort): Promise<void> {
  const { req, res } = ctx;
  if (req.method !== "GET" && req.method !== "HEAD") return sendError(res, 405, { Allow: "GET, HEAD" });
  const name = ctx.path.slice(ASSET_PREFIX.length + 1);
  const user = /^user-(\d+)\.css$/.exec(name);
  if (user) return sendFile(ctx, port.options.cssFiles[Number(user[1])] ?? null, "text/css;charset=utf-8");
  const asset = dashboardAsset(name);
  if (!asset) return sendError(res, 404);
  const headers = { "Content-Type": asset.type, "X-Content-Type-Options": "nosniff", "Cache-Control": "no-cache" };
  sendResponse(res, 200, headers, req.method === "HEAD" ? "" : asset.body);
}

async function sendFile(ctx: HttpContext, path: string | null, type: string): Promise<void> {
  const { req, res } = ctx;
  if (req.method !== "GET" && req.method !== "HEAD") return sendError(res, 405, { Allow: "GET, HEAD" });
  if (path === null) return sendError(res, 404);
  let body: Buffer;
  try {
    body = await readFile(path);
  } catch {
    return sendError(res, 404);
  }
  sendResponse(res, 200, { "Content-Type": type, "X-Content-Type-Options": "nosniff" }, req.method === "HEAD" ? "" : body);
}
