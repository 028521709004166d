import t from "tap";
import { SUPERVISOR_METHOD_DOCS } from "../../src/supervisord/rpc/supervisor-docs.js";
import { createRegistry } from "../../src/supervisord/rpc/system-namespace.js";
import { RpcFault, Faults } from "../../src/supervisord/rpc/faults.js";
import type { RpcMethod } from "../../src/supervisord/rpc/registry.js";
import { runPython } from "../helpers/rpc-python.js";
import { startRealSupervisord } from "../helpers/rpc-real-supervisord.js";

t.test("system.* answers equal the real supervisord's for every method", async (t) => {
  const real = await startRealSupervisord();
  t.teardown(() => real.stop());
  const script = `
import json, sys
import xmlrpc.client as x
from supervisor.xmlrpc import SupervisorTransport
p = x.ServerProxy('http://127.0.0.1', transport=SupervisorTransport(None, None, 'unix://${real.socket}'))
out = {'methods': p.system.listMethods(), 'help': {}, 'sig': {}}
for m in out['methods'] + ['nope.x', 'supervisor._update', 'system']:
    try: out['help'][m] = p.system.methodHelp(m)
    except x.Fault as f: out['help'][m] = [f.faultCode, f.faultString]
    try: out['sig'][m] = p.system.methodSignature(m)
    except x.Fault as f: out['sig'][m] = [f.faultCode, f.faultString]
out['multi'] = p.system.multicall([
  {'methodName': 'supervisor.getAPIVersion'}, {'methodName': 'system.multicall', 'params': [[]]}, {},
  {'methodName': 'nope.x'}, {'methodName': 'system.methodHelp', 'params': []}, {'methodName': 'a.b.c'},
  {'methodName': 'system.methodSignature', 'params': ['system.listMethods']},
])
print(json.dumps(out))
`;
  const expected = JSON.parse(runPython(script)) as {
    methods: string[];
    help: Record<string, unknown>;
    sig: Record<string, unknown>;
    multi: unknown[];
  };
  const registry = createRegistry();
  const methods: Record<string, RpcMethod> = {};
  for (const [name, doc] of Object.entries(SUPERVISOR_METHOD_DOCS)) {
    methods[name] = {
      help: doc.help,
      arity: doc.arity,
      call: () => {
        if (name === "getAPIVersion") return "3.0";
        throw new RpcFault(Faults.FAILED, "not implemented in this test");
      },
    };
  }
  registry.addNamespace("supervisor", methods);
  t.same(registry.listMethods(), expected.methods);
  t.equal(expected.methods.length, 41);
  const answer = (f: () => unknown): unknown => {
    try {
      return f();
    } catch (e) {
      if (e instanceof RpcFault) return [e.code, e.faultString];
      throw e;
    }
  };
  for (const m of Object.keys(expected.help)) {
    t.same(answer(() => registry.methodHelp(m)), expected.help[m], `methodHelp ${m}`);
    t.same(answer(() => registry.methodSignature(m)), expected.sig[m], `methodSignature ${m}`);
    const short = m.split(".")[1]!;
    if (m.startsWith("supervisor.") && expected.methods.includes(m)) t.same(SUPERVISOR_METHOD_DOCS[short]!.signature, expected.sig[m], `stored signature ${m}`);
  }
  const multi = registry.invoke(
    "system.multicall",
    [
      [
        { methodName: "supervisor.getAPIVersion" },
        { methodName: "system.multicall", params: [[]] },
        {},
        { methodName: "nope.x" },
        { methodName: "system.methodHelp", params: [] },
        { methodName: "a.b.c" },
        { methodName: "system.methodSignature", params: ["system.listMethods"] },
      ],
    ],
    {},
  );
  t.same(multi, expected.multi);
});
