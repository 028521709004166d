/**
 * REST calls for the tests (over a unix socket or TCP, optional basic auth), and the checks of
 * the OpenAPI document: valid by a real validator (@seriousme/openapi-schema-validator), and
 * responses checked against its schemas with ajv (JSON Schema 2020-12, as OpenAPI 3.1 uses).
 */
import { request } from "node:http";
import { Ajv2020 } from "ajv/dist/2020.js";
import { Validator } from "@seriousme/openapi-schema-validator";

export type RestTarget = { readonly sock: string } | { readonly port: number; readonly host?: string; readonly auth?: string };

export interface RestAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
  /** The parsed body, or undefined when it is not JSON. */
  readonly json: unknown;
}

export function rest(target: RestTarget, verb: string, path: string, headers: Record<string, string> = {}): Promise<RestAnswer> {
  const where = "sock" in target ? { socketPath: target.sock } : { host: target.host ?? "127.0.0.1", port: target.port, ...(target.auth ? { auth: target.auth } : {}) };
  return new Promise((resolve, reject) => {
    const req = request({ ...where, agent: false, method: verb, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on("error", reject);
    req.end();
  });
}

/** The JSON of a 200 answer; anything else throws with the answer in the message. */
export async function restOk(target: RestTarget, verb: string, path: string): Promise<unknown> {
  const a = await rest(target, verb, path);
  if (a.status !== 200) throw new Error(`${verb} ${path}: HTTP ${a.status} ${a.text}`);
  return a.json;
}

export async function validateOpenApi(doc: unknown): Promise<{ valid: boolean; errors: unknown }> {
  const v = new Validator();
  const r = await v.validate(doc as Parameters<Validator["validate"]>[0]);
  return { valid: r.valid, errors: r.errors };
}

type OpenApiDoc = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>; components: { schemas: Record<string, unknown> } };

/**
 * Checks bodies against the document: `check(verb, path template, status, body)` gives the ajv
 * errors (null when valid). Refs `#/components/schemas/X` resolve inside the document.
 */
export function responseChecker(doc: unknown): (verb: string, template: string, status: number, body: unknown) => string | null {
  const d = doc as OpenApiDoc;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema({ $id: "openapi.json", components: d.components }, "openapi.json");
  const compiled = new Map<string, ReturnType<typeof ajv.compile>>();
  return (verb, template, status, body) => {
    const op = d.paths[template]?.[verb.toLowerCase()];
    if (!op) return `no operation ${verb} ${template}`;
    let resp = op.responses[String(status)] as { content?: Record<string, { schema: unknown }>; $ref?: string } | undefined;
    if (resp?.$ref) resp = (d.components as unknown as { responses: Record<string, typeof resp> }).responses[resp.$ref.split("/").pop()!];
    const schema = resp?.content?.["application/json"]?.schema;
    if (schema === undefined) return `no schema for ${verb} ${template} ${status}`;
    const key = `${verb} ${template} ${status}`;
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(rewriteRefs(schema) as object);
      compiled.set(key, validate);
    }
    return validate(body) ? null : ajv.errorsText(validate.errors);
  };
}

/** `#/components/...` → `openapi.json#/components/...`, so refs resolve in the registered document. */
function rewriteRefs(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(rewriteRefs);
  if (s && typeof s === "object") {
    return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, k === "$ref" && typeof v === "string" && v.startsWith("#/") ? `openapi.json${v}` : rewriteRefs(v)]));
  }
  return s;
}

/** A path template (`/api/supervisor/getProcessInfo/{name}`) for a concrete path, from the document. */
export function templateOf(doc: unknown, path: string): string | null {
  const parts = path.split("?")[0]!.split("/");
  for (const t of Object.keys((doc as OpenApiDoc).paths)) {
    const tp = t.split("/");
    if (tp.length === parts.length && tp.every((s, i) => s.startsWith("{") || s === parts[i])) return t;
  }
  return null;
}
