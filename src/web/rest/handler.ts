/**
 * Serves the REST API under a prefix: each request is matched in the route table, its parameters
 * become the XML-RPC method's arguments, a backend calls the method (the daemon's own registry,
 * or a remote instance for supvisorsflask), and the outcome is written as JSON the way Supvisors'
 * Flask application writes it: the result, a fault as 400 `{"message", "code"}`, other errors
 * as `{"message"}` with their status. Also serves the OpenAPI document and its docs page.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from "node:http";
import { RpcDouble, type RpcValue } from "../../supervisord/rpc/values.js";
import { sendResponse } from "../../supervisord/http/medusa.js";
import { DOCS_CSP, docsAsset, docsPage } from "./docs-ui.js";
import { rpcToJsonBytes } from "./json.js";
import { RestMatcher } from "./match.js";
import { buildOpenApi } from "./openapi.js";
import { REST_ROUTES, routeNamespace, type RestArg, type RestRoute } from "./route-table.js";

export type RestOutcome =
  | { readonly kind: "ok"; readonly value: RpcValue }
  | { readonly kind: "fault"; readonly code: number; readonly message: string }
  /** Not a fault: the backend failed (an internal error, the remote instance unreachable). */
  | { readonly kind: "error"; readonly status: number; readonly message: string; readonly headers?: OutgoingHttpHeaders };

export interface RestBackend {
  /** Whether the XML-RPC namespace is served; its routes are 404 and undocumented otherwise. */
  serves(namespace: string): boolean;
  call(rpc: string, args: RpcValue[], req: IncomingMessage): Promise<RestOutcome>;
}

export interface RestApiOptions {
  /** `/api` on the daemon; `` in supvisorsflask (routes at the root, as Flask serves them). */
  readonly prefix: string;
  readonly backend: RestBackend;
  /** info.version of the document. */
  readonly version: string;
  readonly title?: string;
  /** More paths of the docs page and the document (supvisorsflask: `/` and `/swagger.json`, as Flask-RESTX). */
  readonly extraDocsPaths?: readonly string[];
  readonly extraSpecPaths?: readonly string[];
}

// Flask's own texts for these statuses.
const NOT_FOUND = "The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.";
const NOT_ALLOWED = "The method is not allowed for the requested URL.";

const JSON_TYPE = "application/json";

export class RestApi {
  private readonly docsPaths: ReadonlySet<string>;
  private readonly specPaths: ReadonlySet<string>;
  private readonly assetsAt: string;
  /** The matcher and document for a set of served namespaces (a reload can change it). */
  private cache: { key: string; matcher: RestMatcher; spec: string } | null = null;

  constructor(private readonly opts: RestApiOptions) {
    this.docsPaths = new Set([`${opts.prefix}/docs`, `${opts.prefix}/docs/`, ...(opts.extraDocsPaths ?? [])]);
    this.specPaths = new Set([`${opts.prefix}/openapi.json`, ...(opts.extraSpecPaths ?? [])]);
    this.assetsAt = `${opts.prefix}/docs/`;
  }

  /** The routes served now. */
  routes(): RestRoute[] {
    return REST_ROUTES.filter((r) => this.opts.backend.serves(routeNamespace(r)));
  }

  /** The OpenAPI document of the routes served now. */
  document(): Record<string, unknown> {
    return JSON.parse(this.current().spec) as Record<string, unknown>;
  }

  /** Whether a (raw) request path is the API's. */
  owns(rawPath: string): boolean {
    const p = this.opts.prefix;
    return p === "" || rawPath === p || rawPath.startsWith(`${p}/`) || this.docsPaths.has(rawPath) || this.specPaths.has(rawPath);
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const rawPath = q < 0 ? url : url.slice(0, q);
    const query = q < 0 ? null : url.slice(q + 1);
    const verb = req.method ?? "GET";
    if (this.docsPaths.has(rawPath) || this.specPaths.has(rawPath) || rawPath.startsWith(this.assetsAt)) {
      if (verb !== "GET" && verb !== "HEAD") return sendJson(res, 405, { message: NOT_ALLOWED }, verb, { Allow: "GET, HEAD, OPTIONS" });
      return this.serveDocs(res, rawPath, verb);
    }
    const { matcher } = this.current();
    const sub = rawPath.slice(this.opts.prefix.length);
    if (verb === "OPTIONS") {
      const verbs = matcher.verbsAt(sub);
      if (verbs.length === 0) return sendJson(res, 404, { message: NOT_FOUND }, verb);
      return sendResponse(res, 200, { Allow: allowed(verbs).join(", "), "Content-Length": 0 }, "");
    }
    const m = matcher.match(verb, sub, query);
    switch (m.kind) {
      case "not-found":
        return sendJson(res, 404, { message: NOT_FOUND }, verb);
      case "method-not-allowed":
        return sendJson(res, 405, { message: NOT_ALLOWED }, verb, { Allow: allowed(m.allow).join(", ") });
      case "bad-request":
        return sendJson(res, 400, { errors: m.errors, message: m.message }, verb);
      case "call": {
        const outcome = await this.opts.backend.call(m.rpc, m.args.map(toRpc), req);
        if (outcome.kind === "ok") return sendBody(res, 200, rpcToJsonBytes(outcome.value, "\n"), verb);
        if (outcome.kind === "fault") return sendJson(res, 400, { message: outcome.message, code: outcome.code }, verb);
        return sendJson(res, outcome.status, { message: outcome.message }, verb, outcome.headers);
      }
    }
  }

  private current(): { matcher: RestMatcher; spec: string } {
    const routes = this.routes();
    const key = [...new Set(routes.map(routeNamespace))].join(",");
    if (this.cache?.key !== key) {
      const spec = JSON.stringify(buildOpenApi({ prefix: this.opts.prefix, routes, version: this.opts.version, ...(this.opts.title ? { title: this.opts.title } : {}) }));
      this.cache = { key, matcher: new RestMatcher(routes), spec };
    }
    return this.cache;
  }

  private serveDocs(res: ServerResponse, rawPath: string, verb: string): void {
    const head = verb === "HEAD";
    if (this.specPaths.has(rawPath)) return sendBody(res, 200, this.current().spec, verb);
    if (this.docsPaths.has(rawPath)) {
      const page = docsPage(this.opts.title ?? "supervisord REST API", this.assetsAt, `${this.opts.prefix}/openapi.json`);
      return sendResponse(res, 200, { "Content-Type": "text/html;charset=utf-8", "Content-Security-Policy": DOCS_CSP, "X-Content-Type-Options": "nosniff" }, head ? "" : page);
    }
    const asset = docsAsset(rawPath.slice(this.assetsAt.length));
    if (!asset) return sendJson(res, 404, { message: NOT_FOUND }, verb);
    sendResponse(res, 200, { "Content-Type": asset.type, "X-Content-Type-Options": "nosniff", "Cache-Control": "max-age=3600" }, head ? "" : asset.body);
  }
}

/** What an Allow header lists for the verbs of a path (Flask adds HEAD to GET, and OPTIONS). */
export function allowed(verbs: readonly string[]): string[] {
  const all = new Set([...verbs, "OPTIONS"]);
  if (all.has("GET")) all.add("HEAD");
  return [...all].sort();
}

function toRpc(a: RestArg): RpcValue {
  return typeof a === "object" ? new RpcDouble(a.double) : a;
}

function sendJson(res: ServerResponse, status: number, body: object, verb: string, headers: OutgoingHttpHeaders = {}): void {
  sendBody(res, status, `${JSON.stringify(body)}\n`, verb, headers);
}

function sendBody(res: ServerResponse, status: number, body: string | Buffer, verb: string, headers: OutgoingHttpHeaders = {}): void {
  sendResponse(res, status, { ...headers, "Content-Type": JSON_TYPE }, verb === "HEAD" ? "" : body);
}
