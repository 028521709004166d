/**
 * Routes of the HTTP servers, tried in order like Medusa's handler list (spec §7.1): the built-in
 * ones (/RPC2, /logtail, /mainlogtail, /ok.html) come first, then whatever the web module and
 * the lead add with addRoute, then 404. Routes added after the servers started apply at once.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Duplex } from "node:stream";

/** One request as a handler sees it; auth has already passed. */
export interface HttpContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  /** Percent-decoded path, without the query. */
  readonly path: string;
  /** Raw query string without `?`, or null. */
  readonly query: string | null;
  /** Medusa's `request.uri`: decoded path plus `?query`. */
  readonly uri: string;
  /** Section name of the server that received the request. */
  readonly serverSection: string;
  /** The authenticated user, or null on a server without auth. */
  readonly user: string | null;
}

export type RouteMatcher = { readonly exact: string } | { readonly prefix: string } | ((path: string) => boolean);

export interface HttpRoute {
  /** For diagnostics and removal. */
  readonly name: string;
  readonly match: RouteMatcher;
  handle(ctx: HttpContext): void | Promise<void>;
}

/** A websocket (or other) upgrade handler; auth has already passed. */
export interface UpgradeRoute {
  readonly name: string;
  readonly match: RouteMatcher;
  handle(req: IncomingMessage, socket: Duplex, head: Buffer, ctx: { path: string; query: string | null }): void;
}

export function matches(m: RouteMatcher, path: string): boolean {
  if (typeof m === "function") return m(path);
  if ("exact" in m) return path === m.exact;
  return path.startsWith(m.prefix);
}

export class Router {
  private readonly routes: HttpRoute[] = [];
  private readonly upgrades: UpgradeRoute[] = [];

  /** Appends a route (tried after the ones added before it). */
  addRoute(route: HttpRoute): void {
    this.routes.push(route);
  }

  /** Inserts a route ahead of all routes added with addRoute. */
  prependRoute(route: HttpRoute): void {
    this.routes.unshift(route);
  }

  removeRoute(name: string): void {
    const i = this.routes.findIndex((r) => r.name === name);
    if (i >= 0) this.routes.splice(i, 1);
  }

  addUpgrade(route: UpgradeRoute): void {
    this.upgrades.push(route);
  }

  findRoute(path: string): HttpRoute | null {
    return this.routes.find((r) => matches(r.match, path)) ?? null;
  }

  findUpgrade(path: string): UpgradeRoute | null {
    return this.upgrades.find((r) => matches(r.match, path)) ?? null;
  }
}
