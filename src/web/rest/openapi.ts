/**
 * The OpenAPI 3.1 document of the REST API, written from the route table that serves the requests
 * (route-table.ts) and the result schemas (schemas.ts): a route is described if and only if it is
 * served. Each operation's description is its XML-RPC method's own help text.
 */
import { SUPERVISOR_METHOD_DOCS } from "../../supervisord/rpc/supervisor-docs.js";
import { SYSTEM_METHOD_DOCS } from "../../supervisord/rpc/system-docs.js";
import type { MethodDoc } from "../../supervisord/rpc/method-doc.js";
import { SUPVISORS_METHOD_DOCS } from "../../supvisors/rpc/docs.js";
import { routeNamespace, type RestParamType, type RestRoute } from "./route-table.js";
import { COMPONENT_SCHEMAS, RESULT_SCHEMAS, type JsonSchema } from "./schemas.js";

export interface OpenApiOptions {
  /** Where the routes are mounted: `/api` on the daemon, `` in supvisorsflask. */
  readonly prefix: string;
  /** The routes served (the table filtered by the namespaces the server has). */
  readonly routes: readonly RestRoute[];
  readonly version: string;
  readonly title?: string;
}

const DOCS: Readonly<Record<string, Readonly<Record<string, MethodDoc>>>> = {
  system: SYSTEM_METHOD_DOCS,
  supervisor: SUPERVISOR_METHOD_DOCS,
  supvisors: SUPVISORS_METHOD_DOCS,
};

const TAGS = [
  { name: "system", description: "XML-RPC introspection (system.*)" },
  { name: "supervisor", description: "Supervisor's control and status API (supervisor.*)" },
  { name: "supvisors", description: "The Supvisors cluster API (supvisors.*)" },
];

/** Flask-RESTX's answer to a bad parameter, which ours keeps. */
const VALIDATION_ERROR: JsonSchema = {
  type: "object",
  description: "a bad path or query parameter: what is wrong with each",
  properties: { message: { type: "string" }, errors: { type: "object", additionalProperties: { type: "string" } } },
  required: ["message", "errors"],
  additionalProperties: false,
};

const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

export function buildOpenApi(opts: OpenApiOptions): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  const ids = operationIds(opts.routes);
  for (const route of opts.routes) {
    const key = opts.prefix + route.path;
    (paths[key] ??= {})[route.verb.toLowerCase()] = operation(route, ids.get(route)!);
  }
  const used = new Set(opts.routes.map(routeNamespace));
  return {
    openapi: "3.1.0",
    info: {
      title: opts.title ?? "supervisord REST API",
      version: opts.version,
      description:
        "The system, supervisor and supvisors XML-RPC APIs as REST routes (those of Supvisors' supvisorsflask). " +
        "Queries are GET, actions POST; a result is the XML-RPC result as JSON; an XML-RPC fault is a 400 with its message and code.",
    },
    tags: TAGS.filter((t) => used.has(t.name)),
    paths,
    components: {
      schemas: { ...COMPONENT_SCHEMAS, ValidationError: VALIDATION_ERROR },
      securitySchemes: { basicAuth: { type: "http", scheme: "basic", description: "the [inet_http_server] / [unix_http_server] username and password, when set" } },
      responses: {
        BadRequest: {
          description: "an XML-RPC fault of the method (message and code), or a bad path or query parameter (message and errors)",
          content: { "application/json": { schema: { anyOf: [ref("Fault"), ref("ValidationError")] } } },
        },
        Unauthorized: { description: "credentials missing or wrong (the server has auth)" },
        ServerError: { description: "an internal error", content: { "application/json": { schema: ref("Error") } } },
      },
    },
    // Auth is per server: the inet one may ask for it while the unix one does not.
    security: [{ basicAuth: [] }, {}],
  };
}

function operation(route: RestRoute, id: string): Record<string, unknown> {
  const ns = routeNamespace(route);
  const method = route.rpc.slice(ns.length + 1);
  const doc = DOCS[ns]?.[method];
  const help = doc ? helpText(doc.help) : "";
  const result = RESULT_SCHEMAS[route.rpc] ?? {};
  return {
    operationId: id,
    tags: [ns],
    summary: route.summary ?? (help.split("\n")[0] || route.rpc),
    description: help ? `${help}\n\nXML-RPC: \`${route.rpc}\`` : `XML-RPC: \`${route.rpc}\``,
    parameters: route.params.map((p) => ({
      name: p.name,
      in: p.in,
      required: p.in === "path",
      description: p.description,
      schema: { ...paramSchema(p.type), ...(p.default !== undefined ? { default: p.default } : {}) },
    })),
    responses: {
      "200": { description: "the method's result", content: { "application/json": { schema: result } } },
      "400": { $ref: "#/components/responses/BadRequest" },
      "401": { $ref: "#/components/responses/Unauthorized" },
      "500": { $ref: "#/components/responses/ServerError" },
    },
  };
}

function paramSchema(t: RestParamType): JsonSchema {
  switch (t.kind) {
    case "string":
      return { type: "string", minLength: 1 };
    case "integer":
      return t.signed ? { type: "integer" } : { type: "integer", minimum: 0 };
    case "number":
      return { type: "number" };
    case "boolean":
      return { type: "boolean" };
    case "enum":
      return { type: "string", enum: [...t.values] };
  }
}

/**
 * `supervisor_readLog`: the path's literal segments; a route whose literals another route has
 * too (`/supvisors/end_sync/{identifier}`) adds its parameters' names.
 */
export function operationIds(routes: readonly RestRoute[]): Map<RestRoute, string> {
  const base = (r: RestRoute) =>
    r.path
      .split("/")
      .slice(1)
      .filter((s) => !s.startsWith("{"))
      .join("_");
  const count = new Map<string, number>();
  for (const r of routes) count.set(base(r), (count.get(base(r)) ?? 0) + 1);
  return new Map(routes.map((r) => [r, count.get(base(r))! > 1 && r.params.some((p) => p.in === "path") ? [base(r), ...r.params.filter((p) => p.in === "path").map((p) => p.name)].join("_") : base(r)]));
}

/** A docstring's text without its @param/@return lines, its indentation normalised. */
function helpText(help: string): string {
  return help
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => !l.startsWith("@"))
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
