// Matching REST requests: parameters converted as Flask's converters and Flask-RESTX's parsers
// do, 404 / 405 told apart, percent-encoding decoded per segment.
import t from "tap";
import { RestMatcher } from "../../src/web/rest/match.js";
import { REST_ROUTES } from "../../src/web/rest/route-table.js";

const m = new RestMatcher(REST_ROUTES);
const call = (verb: string, path: string, query: string | null = null) => {
  const r = m.match(verb, path, query);
  return r.kind === "call" ? [r.rpc, r.args] : r;
};

t.test("path and query parameters become the method's arguments", async (t) => {
  t.same(call("GET", "/supervisor/getState"), ["supervisor.getState", []]);
  t.same(call("HEAD", "/supervisor/getState"), ["supervisor.getState", []], "HEAD is GET");
  t.same(call("GET", "/supervisor/readLog/-100/0"), ["supervisor.readLog", [-100, 0]]);
  t.same(call("POST", "/supervisor/startProcess/web:db"), ["supervisor.startProcess", ["web:db", true]], "wait defaults to true");
  t.same(call("POST", "/supervisor/startProcess/web:db", "wait=false"), ["supervisor.startProcess", ["web:db", false]]);
  t.same(call("POST", "/supervisor/startProcess/web:db", "wait=FALSE&other=1"), ["supervisor.startProcess", ["web:db", false]], "any case, unknown ones ignored");
  t.same(call("POST", "/supvisors/start_process/LESS_LOADED/web:*", "extra_args=-x%201&wait=0"), ["supvisors.start_process", ["LESS_LOADED", "web:*", "-x 1", false]]);
  t.same(call("POST", "/supvisors/start_args/web:db"), ["supvisors.start_args", ["web:db", "", true]]);
  t.same(call("POST", "/supvisors/lazy_update_numprocs/pool/3", "wait=1"), ["supvisors.update_numprocs", ["pool", 3, true, true]]);
  t.same(call("POST", "/supvisors/update_numprocs/pool/3"), ["supvisors.update_numprocs", ["pool", 3, true]]);
  t.same(call("POST", "/supvisors/disable_host_statistics"), ["supvisors.enable_host_statistics", [false]]);
  t.same(call("POST", "/supvisors/update_collecting_period/2.5"), ["supvisors.update_collecting_period", [{ double: 2.5 }]]);
  t.same(call("POST", "/supvisors/update_collecting_period/5"), ["supvisors.update_collecting_period", [{ double: 5 }]], "an integral period is still a double");
  t.same(call("POST", "/supvisors/end_sync"), ["supvisors.end_sync", []]);
  t.same(call("POST", "/supvisors/end_sync/a1"), ["supvisors.end_sync", ["a1"]]);
  t.same(call("GET", "/supvisors/inner_process_info/a1/web%3Adb"), ["supvisors.get_inner_process_info", ["a1", "web:db"]]);
  t.same(call("POST", "/supervisor/sendProcessStdin/cat/a%2Fb%20c"), ["supervisor.sendProcessStdin", ["cat", "a/b c"]], "%2F stays in its segment");
});

t.test("bad parameters: 400 with what is wrong with each", async (t) => {
  t.same(m.match("POST", "/supvisors/start_application/FASTEST/web", "wait=maybe"), {
    kind: "bad-request",
    message: "Input payload validation failed",
    errors: { strategy: "'FASTEST' is not one of CONFIG, LESS_LOADED, MOST_LOADED, LOCAL, LESS_LOADED_NODE, MOST_LOADED_NODE", wait: "Invalid literal for boolean(): maybe" },
  });
  t.match(m.match("GET", "/supervisor/readLog/x/10", null), { kind: "bad-request", errors: { offset: /integer/ } });
  t.match(m.match("GET", "/supervisor/readLog/0/-1", null), { kind: "bad-request", errors: { length: /non-negative/ } });
  t.match(m.match("POST", "/supvisors/update_collecting_period/fast", null), { kind: "bad-request", errors: { period: /number/ } });
  t.match(m.match("POST", "/supvisors/change_log_level/loud", null), { kind: "bad-request", errors: { log_level: /critical, error/ } });
  t.match(m.match("GET", "/supervisor/readLog/99999999999999999999/1", null), { kind: "bad-request", errors: { offset: /out of range/ } });
});

t.test("unknown paths are 404, known ones with the wrong verb 405", async (t) => {
  t.same(m.match("GET", "/supervisor/nothing", null), { kind: "not-found" });
  t.same(m.match("GET", "/supervisor/getProcessInfo/", null), { kind: "not-found" }, "an empty parameter");
  t.same(m.match("GET", "/supervisor/getState/extra", null), { kind: "not-found" });
  t.same(m.match("GET", "/supervisor/getProcessInfo/%E0%A4%A", null), { kind: "not-found" }, "bad percent-encoding");
  t.same(m.match("POST", "/supervisor/getState", null), { kind: "method-not-allowed", allow: ["GET"] });
  t.same(m.match("GET", "/supervisor/shutdown", null), { kind: "method-not-allowed", allow: ["POST"] });
  t.same(m.match("DELETE", "/supervisor/shutdown", null), { kind: "method-not-allowed", allow: ["POST"] });
  t.same(m.verbsAt("/supervisor/getState"), ["GET"]);
  t.same(m.verbsAt("/nowhere"), []);
});
