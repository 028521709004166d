import t from "tap";
import { Faults, RpcFault, faultName } from "../../src/supervisord/rpc/faults.js";
import { gettags, signatureFromDoc } from "../../src/supervisord/rpc/gettags.js";
import { createRegistry } from "../../src/supervisord/rpc/system-namespace.js";
import { shutdownGuard, RpcRegistryError } from "../../src/supervisord/rpc/registry.js";
import { dispatchCall } from "../../src/supervisord/rpc/dispatch.js";
import type { RpcValue } from "../../src/supervisord/rpc/values.js";
import type { LogHook } from "../../src/supervisord/rpc/log-hook.js";

t.test("RpcFault builds supervisord's fault strings", async (t) => {
  t.equal(new RpcFault(Faults.BAD_NAME, "foo").faultString, "BAD_NAME: foo");
  t.equal(new RpcFault(Faults.NO_FILE).faultString, "NO_FILE");
  t.equal(new RpcFault(Faults.BAD_ARGUMENTS, 0).faultString, "BAD_ARGUMENTS: 0");
  t.equal(new RpcFault(Faults.SHUTDOWN_STATE).code, 6);
  t.equal(new RpcFault(12345).faultString, "UNKNOWN");
  t.equal(faultName(92), "CANT_REREAD");
  t.equal(faultName(5), "UNKNOWN");
  t.ok(new RpcFault(1) instanceof Error);
});

t.test("gettags reads @param/@return lines like supervisord", async (t) => {
  const help = " Start a process\n\n  @param string name Process name (or ``group:name``)\n  @param boolean wait\n  @return boolean result     Always true\n   unless error\n";
  t.same(signatureFromDoc(help), ["boolean", "string", "boolean"]);
  const tags = gettags(help);
  t.equal(tags.length, 4);
  t.same(tags[3], { line: 4, tag: "return", datatype: "boolean", name: "result", text: "Always true\nunless error" });
  t.same(tags[2]!.name, "wait");
  t.equal(signatureFromDoc("no tags at all"), null);
  t.same(signatureFromDoc("@return"), [""]);
});

function registryWithFake(log: string[] = []) {
  const registry = createRegistry();
  let stopping = false;
  let release: (() => void) | null = null;
  registry.addNamespace(
    "fake",
    {
      echo: { help: "@param string s\n@return string r", call: ([s]) => s! },
      twoOrThree: {
        help: "@param int a\n@param int b\n@param int c\n@return int",
        arity: { min: 2, max: 3 },
        call: (p) => p.length,
      },
      boom: { help: "@return int", call: () => { throw new Error("kaput"); } },
      typo: { help: "@return int", call: () => { throw new TypeError("bad arg"); } },
      fault: { help: "@return int", call: () => { throw new RpcFault(Faults.BAD_NAME, "x"); } },
      nothing: { help: "@return int", call: () => undefined as unknown as RpcValue },
      later: {
        help: "@param string tag\n@return string",
        call: ([tag]) => {
          log.push(`start ${tag}`);
          return new Promise<RpcValue>((resolve) => {
            release = () => {
              log.push(`end ${tag}`);
              resolve(`done ${tag}`);
            };
          });
        },
      },
      laterFault: {
        help: "@return int",
        call: () => Promise.reject(new RpcFault(Faults.ABNORMAL_TERMINATION, "web")),
      },
      sendRemoteCommEvent: { help: "@return boolean", call: () => true },
      nodoc: { help: "undocumented", arity: { min: 0, max: 0 }, call: () => 1 },
    },
    { guard: shutdownGuard(() => stopping) },
  );
  return {
    registry,
    setStopping: (v: boolean) => (stopping = v),
    release: () => release?.(),
  };
}

t.test("dispatch follows supervisord's rules", async (t) => {
  const lines: string[] = [];
  const log: LogHook = (level, msg) => lines.push(`${level} ${msg}`);
  const { registry, setStopping } = registryWithFake();
  const call = (m: string, p: RpcValue[] = []) => dispatchCall(registry, m, p, log);
  t.same(await call("fake.echo", ["hi"]), { kind: "ok", value: "hi" });
  t.same(lines, ["TRAC XML-RPC method called: fake.echo()", "TRAC XML-RPC method fake.echo() returned successfully"]);
  for (const bad of ["fake", "fake.echo.x", "fake._private", "nope.echo", "fake.nope", "", ".", "fake.constructor", "fake.__proto__", "system.hasOwnProperty"]) {
    t.same(await call(bad, ["x"]), { kind: "fault", faultCode: 1, faultString: "UNKNOWN_METHOD" }, bad);
  }
  t.same(await call("fake.echo"), { kind: "fault", faultCode: 2, faultString: "INCORRECT_PARAMETERS" });
  t.same(await call("fake.echo", ["a", "b"]), { kind: "fault", faultCode: 2, faultString: "INCORRECT_PARAMETERS" });
  t.same(await call("fake.twoOrThree", [1, 2]), { kind: "ok", value: 2 });
  t.same(await call("fake.twoOrThree", [1, 2, 3]), { kind: "ok", value: 3 });
  t.equal((await call("fake.twoOrThree", [1])).kind, "fault");
  t.same(await call("fake.typo"), { kind: "fault", faultCode: 2, faultString: "INCORRECT_PARAMETERS" });
  t.same(await call("fake.fault"), { kind: "fault", faultCode: 10, faultString: "BAD_NAME: x" });
  t.match(lines.at(-1), "TRAC XML-RPC method fake.fault() returned fault: [10] BAD_NAME: x");
  const boom = await call("fake.boom");
  t.equal(boom.kind, "error");
  t.equal((await call("fake.nothing")).kind, "error");
  t.same(await call("fake.laterFault"), { kind: "fault", faultCode: 40, faultString: "ABNORMAL_TERMINATION: web" });
  setStopping(true);
  t.same(await call("fake.echo", ["x"]), { kind: "fault", faultCode: 6, faultString: "SHUTDOWN_STATE" });
  t.same(await call("fake.echo"), { kind: "fault", faultCode: 2, faultString: "INCORRECT_PARAMETERS" }, "arity first");
  t.same(await call("fake.sendRemoteCommEvent"), { kind: "ok", value: true });
  t.equal((await call("system.listMethods")).kind, "ok", "system.* still works");
});

t.test("system.listMethods / methodHelp / methodSignature", async (t) => {
  const { registry } = registryWithFake();
  const methods = registry.listMethods();
  t.same(methods.slice(0, 3), ["fake.boom", "fake.echo", "fake.fault"]);
  t.ok(methods.includes("system.multicall"));
  t.same(registry.methodSignature("fake.twoOrThree"), ["int", "int", "int", "int"]);
  t.same(registry.methodSignature("system.methodHelp"), ["string", "string"]);
  t.equal(registry.methodHelp("fake.echo"), "@param string s\n@return string r");
  t.throws(() => registry.methodSignature("fake.nodoc"), { code: 4, faultString: "SIGNATURE_UNSUPPORTED" });
  t.throws(() => registry.methodHelp("fake.missing"), { code: 4 });
  t.throws(() => registry.addNamespace("bad.ns", {}), RpcRegistryError);
  t.throws(() => registry.addNamespace("ok", { _hidden: { help: "", call: () => 1 } }), RpcRegistryError);
  registry.addNamespace("extra", { ping: { help: "@return string", call: () => "pong" } });
  t.ok(registry.listMethods().includes("extra.ping"), "namespaces can be added later");
  t.ok(registry.removeNamespace("extra"));
});

t.test("system.multicall: raw values, fault structs, sequential deferred calls", async (t) => {
  const order: string[] = [];
  const { registry, release } = registryWithFake(order);
  const log: LogHook = () => {};
  const calls: RpcValue = [
    { methodName: "fake.echo", params: ["a"] },
    { methodName: "fake.later", params: ["1"] },
    { methodName: "fake.later", params: ["2"] },
    { methodName: "fake.fault" },
    { params: [] },
    { methodName: "system.multicall", params: [[]] },
    { methodName: "fake.boom", params: [] },
    { methodName: "fake.echo" },
    { methodName: "fake.laterFault" },
    "not a struct",
    { methodName: "fake.echo", params: ["z"] },
  ];
  const pending = dispatchCall(registry, "system.multicall", [calls], log);
  await new Promise((r) => setImmediate(r));
  t.same(order, ["start 1"], "the second deferred call waits for the first");
  release();
  await new Promise((r) => setImmediate(r));
  t.same(order, ["start 1", "end 1", "start 2"]);
  release();
  const outcome = await pending;
  t.equal(outcome.kind, "ok");
  if (outcome.kind !== "ok") return;
  t.same(outcome.value, [
    "a",
    "done 1",
    "done 2",
    { faultCode: 10, faultString: "BAD_NAME: x" },
    { faultCode: 2, faultString: "INCORRECT_PARAMETERS: No methodName" },
    { faultCode: 2, faultString: "INCORRECT_PARAMETERS: Recursive system.multicall forbidden" },
    { faultCode: 30, faultString: "FAILED: <class 'Error'>:kaput" },
    { faultCode: 2, faultString: "INCORRECT_PARAMETERS" },
    { faultCode: 40, faultString: "ABNORMAL_TERMINATION: web" },
    { faultCode: 2, faultString: "INCORRECT_PARAMETERS: call must be a struct" },
    "z",
  ]);
  const sync = registry.invoke("system.multicall", [[{ methodName: "fake.echo", params: ["s"] }]], {});
  t.same(sync, ["s"], "without deferred calls the answer is immediate");
  t.same(await dispatchCall(registry, "system.multicall", ["nope"], log), {
    kind: "fault",
    faultCode: 2,
    faultString: "INCORRECT_PARAMETERS",
  });
});
