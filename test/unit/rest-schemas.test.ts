/**
 * The JSON Schemas of the XML-RPC results (src/web/rest/schemas.ts): each compiles under ajv's
 * strict mode (JSON Schema 2020-12, as OpenAPI 3.1), its $refs resolve, and each component takes
 * a real payload (shapes copied from the daemon's answers) and refuses that payload with a key
 * missing, a key added, a value of the wrong kind, or a value out of its enumeration.
 * test/cluster/rest-schemas.test.ts checks them against the running daemons.
 */
import t from "tap";
import { Ajv2020 } from "ajv/dist/2020.js";
import { COMPONENT_SCHEMAS, RESULT_SCHEMAS, type JsonSchema } from "../../src/web/rest/schemas.js";
import { buildOpenApi } from "../../src/web/rest/openapi.js";
import { REST_ROUTES } from "../../src/web/rest/route-table.js";
import { validateOpenApi } from "../helpers/rest.js";

const COMPONENTS_ID = "components.json";

/** `#/components/schemas/X` → `components.json#/$defs/X`: the components registered as one schema. */
function rewriteRefs(s: unknown): unknown {
  if (Array.isArray(s)) return s.map(rewriteRefs);
  if (s && typeof s === "object") {
    return Object.fromEntries(
      Object.entries(s).map(([k, v]) => [k, k === "$ref" && typeof v === "string" ? v.replace(/^#\/components\/schemas\//, `${COMPONENTS_ID}#/$defs/`) : rewriteRefs(v)]),
    );
  }
  return s;
}

function refsOf(s: unknown, out: string[] = []): string[] {
  if (Array.isArray(s)) s.forEach((x) => refsOf(x, out));
  else if (s && typeof s === "object") for (const [k, v] of Object.entries(s)) k === "$ref" ? out.push(String(v)) : refsOf(v, out);
  return out;
}

function newAjv(): InstanceType<typeof Ajv2020> {
  const ajv = new Ajv2020({ strict: true, strictTypes: true, strictTuples: true, allErrors: true });
  ajv.addSchema({ $id: COMPONENTS_ID, $defs: rewriteRefs(COMPONENT_SCHEMAS) as Record<string, JsonSchema> });
  return ajv;
}

const ajv = newAjv();
const component = (name: string) => ajv.compile({ $ref: `${COMPONENTS_ID}#/$defs/${name}` });
const result = (method: string) => ajv.compile(rewriteRefs(RESULT_SCHEMAS[method]) as JsonSchema);

// ---- real payloads (from the daemon's answers) ------------------------------------------------

const A0 = "127.0.0.1:18229";
const A1 = "127.0.0.1:24731";

const EXAMPLES: Record<string, unknown[]> = {
  Fault: [{ message: "BAD_NAME: nosuch", code: 10 }],
  Error: [{ message: "Internal Server Error" }],
  SupervisorState: [{ statecode: 1, statename: "RUNNING" }],
  ProcessInfo: [
    { name: "x", group: "x", start: 1796661739, stop: 0, now: 1796661739, state: 20, statename: "RUNNING", spawnerr: "", exitstatus: 0, logfile: "/tmp/x.log", stdout_logfile: "/tmp/x.log", stderr_logfile: "", pid: 17999, description: "pid 17999, uptime 0:00:21" },
    { name: "bad", group: "g", start: 1796661739, stop: 1796661740, now: 1796661745, state: 200, statename: "FATAL", spawnerr: "can't find command '/nonexistent'", exitstatus: -1, logfile: "", stdout_logfile: "", stderr_logfile: "", pid: 0, description: "can't find command '/nonexistent'" },
  ],
  ConfigInfo: [
    {
      autostart: true, directory: "none", uid: "none", command: "/bin/sleep 300", exitcodes: [0], group: "x", group_prio: 999, inuse: true, killasgroup: false, name: "x", process_prio: 999,
      redirect_stderr: false, startretries: 3, startsecs: 1, stdout_capture_maxbytes: 0, stdout_events_enabled: false, stdout_logfile: "/tmp/x-stdout.log", stdout_logfile_backups: 10,
      stdout_logfile_maxbytes: 52428800, stdout_syslog: false, stopsignal: 15, stopwaitsecs: 10, stderr_capture_maxbytes: 0, stderr_events_enabled: false, stderr_logfile: "auto",
      stderr_logfile_backups: 10, stderr_logfile_maxbytes: 52428800, stderr_syslog: false, serverurl: "none",
    },
    {
      autostart: false, directory: "/tmp", uid: 1000, command: "cat", exitcodes: [0, 2], group: "g", group_prio: 5, inuse: false, killasgroup: true, name: "c", process_prio: -1,
      redirect_stderr: true, startretries: 0, startsecs: 0, stdout_capture_maxbytes: 1024, stdout_events_enabled: true, stdout_logfile: "none", stdout_logfile_backups: 0,
      stdout_logfile_maxbytes: 3000000000, stdout_syslog: true, stopsignal: 1, stopwaitsecs: 0, stderr_capture_maxbytes: 0, stderr_events_enabled: false, stderr_logfile: "none",
      stderr_logfile_backups: 0, stderr_logfile_maxbytes: 0, stderr_syslog: false, serverurl: "AUTO",
    },
  ],
  CallResult: [
    { name: "x", group: "x", status: 80, description: "OK" },
    { name: "bad", group: "g", status: 20, description: "NO_FILE: can't find command '/nonexistent'" },
  ],
  TailResult: [["hello\n", 6, false], ["", 0, true]],
  ReloadResult: [[[[], [], []]], [[["added"], ["changed"], ["gone"]]]],
  MethodSignature: [["string"], ["boolean", "string", "boolean"], ["boolean", "double"]],
  SupvisorsState: [
    { identifier: A0, nick_identifier: "a0", now_monotonic: 37876.7499, fsm_statecode: 4, fsm_statename: "OPERATION", degraded_mode: false, discovery_mode: false, master_identifier: A0, starting_jobs: [], stopping_jobs: [A1], instance_states: { [A0]: "RUNNING", [A1]: "RUNNING" } },
  ],
  InstanceStateModes: [
    { identifier: A0, nick_identifier: "a0", now_monotonic: 37876.75, fsm_statecode: 4, fsm_statename: "OPERATION", degraded_mode: false, discovery_mode: false, master_identifier: A0, starting_jobs: false, stopping_jobs: true, instance_states: { [A0]: "RUNNING", [A1]: "CHECKING" } },
    { identifier: A1, nick_identifier: "a1", now_monotonic: 0, fsm_statecode: 0, fsm_statename: "OFF", degraded_mode: false, discovery_mode: false, master_identifier: "", starting_jobs: false, stopping_jobs: false, instance_states: {} },
  ],
  MasterIdentifier: [{ identifier: A0, nick_identifier: "a0" }, {}],
  Strategies: [{ "auto-fencing": false, starting: "CONFIG", conciliation: "USER", supvisors_failure: "CONTINUE" }],
  StatisticsStatus: [{ host_stats: true, process_stats: false, collecting_period: 5 }, { host_stats: false, process_stats: false, collecting_period: 2.5 }],
  NetworkInfo: [
    {
      identifier: A0, nick_identifier: "a0", host_id: "127.0.0.1", http_port: 18229, stereotypes: ["web"],
      network: { machine_id: "3d1219c7", fqdn: "vm", addresses: { eth0: { host_name: "192.0.2.2", aliases: [], ipv4_addresses: ["192.0.2.2"], nic_info: { nic_name: "eth0", ipv4_address: "192.0.2.2", netmask: "255.255.255.0" } } } },
    },
    { identifier: A1, nick_identifier: "a1", host_id: "127.0.0.1", http_port: 24731, stereotypes: [] },
  ],
  InstanceInfo: [
    { identifier: A0, nick_identifier: "a0", node_name: "127.0.0.1", port: 18229, statecode: 3, statename: "RUNNING", loading: 120, process_failure: false, remote_sequence_counter: 1, remote_time: 1796661739, remote_mtime: 37876.71, local_sequence_counter: 1, local_time: 1796661739, local_mtime: 37876.72 },
  ],
  ApplicationInfo: [{ application_name: "x", managed: false, now_monotonic: 37876.7468, statecode: 1, statename: "STARTING", major_failure: false, minor_failure: false }],
  ApplicationRules: [
    { managed: false, application_name: "x" },
    { application_name: "web", managed: true, distribution: "ALL_INSTANCES", identifiers: ["*"], start_sequence: 1, stop_sequence: 0, starting_strategy: "LESS_LOADED", starting_failure_strategy: "ABORT", running_failure_strategy: "CONTINUE", status_formula: "" },
  ],
  ProcessRules: [
    { identifiers: ["*"], start_sequence: 0, stop_sequence: 0, required: false, wait_exit: false, expected_loading: 0, starting_failure_strategy: "ABORT", running_failure_strategy: "CONTINUE", application_name: "x", process_name: "x" },
  ],
  ProcessView: [
    { application_name: "x", process_name: "x", now_monotonic: 37876.75, statecode: 10, statename: "STARTING", expected_exit: true, last_event_mtime: 37876.75, identifiers: [A0], extra_args: "" },
    { application_name: "x", process_name: "y", now_monotonic: 1, statecode: 0, statename: "STOPPED", expected_exit: true, last_event_mtime: 0, identifiers: [], extra_args: "-v" },
  ],
  Conflict: [{ application_name: "web", process_name: "db", now_monotonic: 37876.75, statecode: 20, statename: "RUNNING", expected_exit: true, last_event_mtime: 37876.75, identifiers: [A0, A1], extra_args: "" }],
  LocalProcessInfo: [
    {
      group: "x", name: "x", state: 10, statename: "STARTING", start: 1796661739, stop: 0, now: 1796661739, pid: 17999, description: "", spawnerr: "", expected: true, start_monotonic: 37876.81, stop_monotonic: 0,
      now_monotonic: 37876.81, extra_args: "", startsecs: 1, stopwaitsecs: 10, process_index: 0, program_name: "x", disabled: false, has_stdout: true, has_stderr: true,
    },
  ],
  InnerProcessInfo: [
    {
      group: "x", name: "x", state: 10, statename: "STARTING", start: 1796661739.03, stop: 0, now: 1796661739.25, pid: 0, description: "", spawnerr: "", expected: true, start_monotonic: 37876.49, stop_monotonic: 0,
      now_monotonic: 37876.71, extra_args: "", startsecs: 1, stopwaitsecs: 10, process_index: 0, program_name: "x", disabled: false, has_stdout: true, has_stderr: true, identifier: A0,
      local_mtime: 37876.49, event_time: 37876.49, uptime: 0, has_crashed: false,
    },
  ],
  DistributionPrediction: [
    { application_name: "web", process_name: "db", state: "RUNNING", forced_reason: "", running_identifiers: [A0] },
    { application_name: "web", process_name: "api", state: "FATAL", forced_reason: "No resource available", running_identifiers: [] },
  ],
};

/** Specific refusals, beyond the generic mutations. */
const REFUSED: Record<string, unknown[]> = {
  Fault: [{ message: "x", code: 1.5 }],
  SupervisorState: [{ statecode: 3, statename: "RUNNING" }, { statecode: 1, statename: "running" }],
  ProcessInfo: [{ ...(EXAMPLES.ProcessInfo![0] as object), state: 25 }, { ...(EXAMPLES.ProcessInfo![0] as object), statename: "DEAD" }, { ...(EXAMPLES.ProcessInfo![0] as object), pid: -1 }, { ...(EXAMPLES.ProcessInfo![0] as object), now: 1.5 }],
  ConfigInfo: [{ ...(EXAMPLES.ConfigInfo![0] as object), uid: "root" }, { ...(EXAMPLES.ConfigInfo![0] as object), exitcodes: ["0"] }],
  CallResult: [{ name: "x", group: "x", status: 80, description: "SPAWN_ERROR: x" }, { name: "x", group: "x", status: 7, description: "?" }],
  TailResult: [["x", 1], ["x", 1, false, 0], [1, 1, false], ["x", -1, false]],
  ReloadResult: [[[], [], []], [[["a"], [], []], [[], [], []]], [[["a", "a"], [], []]]],
  MethodSignature: [[], ["str"]],
  SupvisorsState: [{ ...(EXAMPLES.SupvisorsState![0] as object), starting_jobs: false }, { ...(EXAMPLES.SupvisorsState![0] as object), instance_states: { [A0]: "UNKNOWN" } }, { ...(EXAMPLES.SupvisorsState![0] as object), fsm_statecode: 9 }],
  InstanceStateModes: [{ ...(EXAMPLES.InstanceStateModes![0] as object), starting_jobs: [] }],
  MasterIdentifier: [{ identifier: A0 }, { nick_identifier: "a0" }, { identifier: A0, nick_identifier: "a0", other: 1 }],
  Strategies: [{ "auto-fencing": false, starting: "FASTEST", conciliation: "USER", supvisors_failure: "CONTINUE" }],
  StatisticsStatus: [{ host_stats: true, process_stats: false, collecting_period: 0 }],
  NetworkInfo: [{ ...(EXAMPLES.NetworkInfo![1] as object), http_port: 70000 }, { ...(EXAMPLES.NetworkInfo![1] as object), network: { machine_id: "m", fqdn: "f", addresses: { eth0: { host_name: "h" } } } }],
  InstanceInfo: [{ ...(EXAMPLES.InstanceInfo![0] as object), statecode: 6 }, { ...(EXAMPLES.InstanceInfo![0] as object), statename: "SILENT" }, { ...(EXAMPLES.InstanceInfo![0] as object), loading: 1.5 }],
  ApplicationInfo: [{ ...(EXAMPLES.ApplicationInfo![0] as object), statecode: 4, statename: "DELETED" }],
  ApplicationRules: [
    { managed: true, application_name: "x" },
    { ...(EXAMPLES.ApplicationRules![1] as object), managed: false },
    { ...(EXAMPLES.ApplicationRules![1] as object), distribution: "EVERYWHERE" },
    { ...(EXAMPLES.ApplicationRules![1] as object), start_sequence: 128 },
  ],
  ProcessRules: [{ ...(EXAMPLES.ProcessRules![0] as object), expected_loading: 101 }, { ...(EXAMPLES.ProcessRules![0] as object), running_failure_strategy: "ABORT" }],
  ProcessView: [{ ...(EXAMPLES.ProcessView![0] as object), identifiers: [A0, A0] }, { ...(EXAMPLES.ProcessView![0] as object), statecode: 1 }],
  Conflict: [{ ...(EXAMPLES.Conflict![0] as object), identifiers: [A0] }, { ...(EXAMPLES.Conflict![0] as object), identifiers: [] }],
  LocalProcessInfo: [{ ...(EXAMPLES.LocalProcessInfo![0] as object), start: 1796661739.5 }, { ...(EXAMPLES.LocalProcessInfo![0] as object), startsecs: 1.5 }],
  InnerProcessInfo: [{ ...(EXAMPLES.InnerProcessInfo![0] as object), uptime: -1 }],
  DistributionPrediction: [{ ...(EXAMPLES.DistributionPrediction![0] as object), state: "STARTED" }],
};

// ---- generic mutations ------------------------------------------------------------------------

/** The schema object a component's example is checked against: its top object (or oneOf branches). */
function objectBranches(name: string): JsonSchema[] {
  const s = COMPONENT_SCHEMAS[name]!;
  if (Array.isArray(s.oneOf)) return s.oneOf as JsonSchema[];
  return s.type === "object" ? [s] : [];
}

/** A value of another kind: an object for anything else, a string for an object. */
function wrongKind(v: unknown): unknown {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? "x" : { wrong: true };
}

function mutations(name: string, example: unknown): { what: string; value: unknown }[] {
  if (example === null || typeof example !== "object" || Array.isArray(example)) return [];
  const obj = example as Record<string, unknown>;
  const branches = objectBranches(name);
  const out: { what: string; value: unknown }[] = [];
  // The keys required by every branch that fits the example's keys.
  const required = new Set<string>();
  let closed = false;
  for (const b of branches) {
    const props = Object.keys((b.properties as object | undefined) ?? {});
    if (!Object.keys(obj).every((k) => props.includes(k)) || !((b.required as string[] | undefined) ?? []).every((k) => k in obj)) continue;
    for (const k of (b.required as string[] | undefined) ?? []) required.add(k);
    if (b.additionalProperties === false) closed = true;
  }
  for (const k of required) {
    const { [k]: _drop, ...rest } = obj;
    out.push({ what: `without ${k}`, value: rest });
  }
  if (closed) out.push({ what: "with an unknown key", value: { ...obj, surprise: 1 } });
  for (const k of Object.keys(obj)) out.push({ what: `${k} of the wrong kind`, value: { ...obj, [k]: wrongKind(obj[k]) } });
  return out;
}

// ---- tests -------------------------------------------------------------------------------------

t.test("every schema compiles in strict mode and its $refs name components", async (t) => {
  for (const [name, s] of Object.entries(COMPONENT_SCHEMAS)) {
    t.doesNotThrow(() => component(name), `component ${name}`);
    t.type(s.description, "string", `${name} has a description`);
    for (const r of refsOf(s)) t.ok(r.startsWith("#/components/schemas/") && r.slice(21) in COMPONENT_SCHEMAS, `${name}: ${r} resolves`);
  }
  for (const [method, s] of Object.entries(RESULT_SCHEMAS)) {
    t.doesNotThrow(() => result(method), `result of ${method}`);
    t.ok(typeof s.description === "string" || typeof s.$ref === "string", `${method}: a description or a named component`);
    for (const r of refsOf(s)) t.ok(r.slice(21) in COMPONENT_SCHEMAS, `${method}: ${r} resolves`);
  }
  t.same(Object.keys(RESULT_SCHEMAS).filter((m) => !/^(system|supervisor|supvisors)\.\w+$/.test(m)), [], "keyed by full method names");
});

t.test("every component has examples, checked positively and negatively", async (t) => {
  t.same(Object.keys(EXAMPLES).sort(), Object.keys(COMPONENT_SCHEMAS).sort(), "an example for each component");
  for (const [name, examples] of Object.entries(EXAMPLES)) {
    const validate = component(name);
    for (const e of examples) t.ok(validate(e), `${name} takes ${JSON.stringify(e).slice(0, 80)}: ${ajv.errorsText(validate.errors)}`);
    for (const e of examples) for (const m of mutations(name, e)) t.notOk(validate(m.value), `${name} refuses an example ${m.what}`);
    for (const e of REFUSED[name] ?? []) t.notOk(validate(e), `${name} refuses ${JSON.stringify(e).slice(0, 100)}`);
    t.notOk(validate(null), `${name} refuses null`);
  }
});

t.test("the results of the simple methods", async (t) => {
  const takes = (method: string, v: unknown) => {
    const validate = result(method);
    return validate(v);
  };
  t.ok(takes("supervisor.getPID", 1234));
  t.notOk(takes("supervisor.getPID", 0));
  t.notOk(takes("supervisor.getPID", "1234"));
  for (const m of ["supervisor.clearLog", "supervisor.shutdown", "supervisor.restart", "supvisors.shutdown", "supvisors.restart", "supvisors.start_application", "supvisors.enable"]) {
    t.ok(takes(m, true), `${m}: true`);
    t.notOk(takes(m, false), `${m}: never false (a refusal is a fault)`);
  }
  t.ok(takes("supvisors.conciliate", false), "conciliate USER answers false");
  for (const m of ["supervisor.startProcess", "supervisor.stopProcess", "supervisor.signalProcess"]) {
    t.ok(takes(m, true), `${m}: true`);
    t.ok(takes(m, [{ name: "a", group: "g", status: 80, description: "OK" }]), `${m}('g:*'): the group's results`);
    t.notOk(takes(m, [true]), `${m}: not an array of booleans`);
    t.notOk(takes(m, "true"));
  }
  t.ok(takes("system.listMethods", ["supervisor.getState", "system.listMethods"]));
  t.notOk(takes("system.listMethods", ["getState"]), "a method name has its namespace");
  t.notOk(takes("system.listMethods", ["a.b", "a.b"]), "no duplicates");
  t.ok(takes("system.multicall", [1234, { faultCode: 10, faultString: "BAD_NAME: x" }, true]), "multicall: raw results and faults");
  t.ok(takes("supervisor.getAllProcessInfo", []));
  t.notOk(takes("supervisor.getAllProcessInfo", [{}]));
  t.ok(takes("supvisors.start_any_process", "misc:pool_0"));
  t.ok(takes("supvisors.get_conflicts", []));
  t.notOk(takes("supvisors.get_conflicts", [EXAMPLES.ProcessView![0]]), "a process running on one instance is no conflict");
});

t.test("the OpenAPI document with these schemas is valid, and every route's method has a result schema", async (t) => {
  for (const r of REST_ROUTES) t.ok(r.rpc in RESULT_SCHEMAS, `${r.verb} ${r.path}: ${r.rpc} has a schema`);
  const doc = buildOpenApi({ prefix: "/api", routes: REST_ROUTES, version: "0.0.0" });
  const v = await validateOpenApi(doc);
  t.ok(v.valid, `valid OpenAPI 3.1: ${String(JSON.stringify(v.errors)).slice(0, 500)}`);
});
