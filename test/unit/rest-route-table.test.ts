// The REST route table against the methods it calls: every route names a method that exists,
// gives it an argument count the method accepts, and the paths are those of spec §12.
import t from "tap";
import { SUPERVISOR_METHOD_DOCS } from "../../src/supervisord/rpc/supervisor-docs.js";
import { SYSTEM_METHOD_DOCS } from "../../src/supervisord/rpc/system-docs.js";
import { SUPVISORS_METHOD_DOCS } from "../../src/supvisors/rpc/docs.js";
import { RestMatcher } from "../../src/web/rest/match.js";
import { REST_ROUTES, routeNamespace } from "../../src/web/rest/route-table.js";

const DOCS = { system: SYSTEM_METHOD_DOCS, supervisor: SUPERVISOR_METHOD_DOCS, supvisors: SUPVISORS_METHOD_DOCS } as const;

t.test("every route calls a method that exists, with a count of arguments it accepts", async (t) => {
  for (const r of REST_ROUTES) {
    const ns = routeNamespace(r) as keyof typeof DOCS;
    const doc = DOCS[ns]?.[r.rpc.slice(ns.length + 1)];
    t.ok(doc, `${r.path}: ${r.rpc} exists`);
    if (!doc) continue;
    const values = Object.fromEntries(r.params.map((p) => [p.name, "x"]));
    const n = r.args ? r.args(values).length : r.params.length;
    t.ok(n >= doc.arity.min && n <= doc.arity.max, `${r.path}: ${n} arguments for ${r.rpc} (${doc.arity.min}..${doc.arity.max})`);
    t.ok(r.path.startsWith(`/${ns}/`), `${r.path} under /${ns}`);
  }
});

t.test("no two routes share a verb and a path, and every path parameter is declared", async (t) => {
  const seen = new Set<string>();
  for (const r of REST_ROUTES) {
    const key = `${r.verb} ${r.path}`;
    t.notOk(seen.has(key), key);
    seen.add(key);
    for (const m of r.path.matchAll(/\{(\w+)\}/g)) t.ok(r.params.some((p) => p.in === "path" && p.name === m[1]), `${r.path}: {${m[1]}} declared`);
    for (const p of r.params.filter((p) => p.in === "path")) t.ok(r.path.includes(`{${p.name}}`), `${r.path}: ${p.name} in the path`);
  }
  t.doesNotThrow(() => new RestMatcher(REST_ROUTES));
});

t.test("the routes of spec §12: counts per namespace, queries GET, actions POST", async (t) => {
  const count = (ns: string) => REST_ROUTES.filter((r) => routeNamespace(r) === ns).length;
  t.equal(count("system"), 3);
  t.equal(count("supervisor"), 32);
  t.equal(count("supvisors"), 48);
  for (const r of REST_ROUTES) {
    const query = /\.(get|list|method|read|tail)/i.test(r.rpc) && !r.rpc.startsWith("supvisors.test_");
    t.equal(r.verb, query ? "GET" : "POST", `${r.verb} ${r.path}`);
  }
});
