// XML-RPC values as JSON: what Supvisors' Flask application writes of its proxy's results.
import t from "tap";
import { RpcDouble } from "../../src/supervisord/rpc/values.js";
import { rpcToJson } from "../../src/web/rest/json.js";

t.test("ints, doubles, strings, structs and arrays", async (t) => {
  t.equal(rpcToJson(3), "3");
  t.equal(rpcToJson(-2147483649), "-2147483649");
  t.equal(rpcToJson(new RpcDouble(5)), "5.0", "an integral double keeps its .0, as Python writes it");
  t.equal(rpcToJson(0.1), "0.1");
  t.equal(rpcToJson(new RpcDouble(1e-5)), "1e-05", "Python's repr");
  t.equal(rpcToJson(new RpcDouble(Number.NaN)), "null", "not JSON otherwise");
  t.equal(rpcToJson(true), "true");
  t.equal(rpcToJson(null), "null");
  t.equal(rpcToJson('a "b"\n\u00e9'), JSON.stringify('a "b"\n\u00e9'));
  t.equal(rpcToJson([1, "x", [false]]), '[1,"x",[false]]');
  t.equal(rpcToJson({ a: 1, b: { c: new RpcDouble(2) } }), '{"a":1,"b":{"c":2.0}}');
  t.equal(rpcToJson(Buffer.from("hi")), '"aGk="');
  t.equal(rpcToJson(new Date(Date.UTC(2026, 0, 2, 3, 4, 5))), '"2026-01-02T03:04:05.000Z"');
  t.same(JSON.parse(rpcToJson([{ name: "x", pid: 12, load: new RpcDouble(1.5) }])), [{ name: "x", pid: 12, load: 1.5 }]);
});
