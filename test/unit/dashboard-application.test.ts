/**
 * The application page (application.html) over a fake DashboardPort: the header (name, state,
 * LED, strategy and period selectors, Start / Stop / Restart), one synthetic row per process in
 * name order (where it runs or the Conciliate button, its description, load, CPU / MEM, which
 * buttons are links), the per-instance rows `pshex` expands, the detailed statistics, each
 * action's RPC with its `wait` and footer message, and the redirect without an application.
 */
import { viewEnv } from "../../src/web/dashboard/routes.js";
import t from "tap";
import { SupvisorsFaultCodes } from "../../src/protocol/faults.js";
import { Faults, RpcFault } from "../../src/supervisord/rpc/faults.js";
import type { RpcValue } from "../../src/supervisord/rpc/values.js";
import type { ProcessHistory } from "../../src/supvisors/stats/types.js";
import { parseForm } from "../../src/web/form.js";
import { APPLICATION_PAGE } from "../../src/web/dashboard/pages/application-page.js";
import type { DashboardInstance, DashboardPort, Payload } from "../../src/web/dashboard/port.js";
import { Snapshot } from "../../src/web/dashboard/snapshot.js";
import { ViewContext } from "../../src/web/dashboard/view-context.js";

const EVIL = `<img src=x onerror="alert('x')">&`;
const NOW = new Date(2026, 4, 6, 12, 0, 0).getTime();

const INSTANCES: DashboardInstance[] = [
  { identifier: "A:1", nick: "alpha", hostId: "host-a", httpPort: 9001 },
  { identifier: "B:2", nick: "beta", hostId: "host-b", httpPort: 9002 },
  { identifier: "C:3", nick: "gamma", hostId: "host-c", httpPort: 9003 },
];

interface Rec {
  state: string;
  start?: number;
  stop?: number;
  description?: string;
  disabled?: boolean;
  has_crashed?: boolean;
  expected?: boolean;
  logs?: boolean;
}

interface Proc {
  app: string;
  name: string;
  state: string;
  expected_exit?: boolean;
  on: string[];
  load?: number;
  records: Record<string, Rec>;
  /** Ours: identifier -> readiness (a program with a readiness_check). */
  readiness?: Record<string, string>;
}

interface World {
  instanceStates: Record<string, string>;
  app: { name: string; managed: boolean; state: string; major: boolean; minor: boolean };
  procs: Proc[];
  histories: Record<string, ProcessHistory>;
  processStats: boolean;
  calls: [string, RpcValue[]][];
  historyReads: [string, string, number][];
  reads: Record<string, number>;
  fault: RpcFault | null;
  forced?: [string, string][];
}

function fakePort(w: World): DashboardPort {
  const count = (k: string) => (w.reads[k] = (w.reads[k] ?? 0) + 1);
  const procInfo = (p: Proc): Payload => ({ application_name: p.app, process_name: p.name, statename: p.state, expected_exit: p.expected_exit ?? true, identifiers: p.on, extra_args: "", ...(p.readiness ? { readiness: p.readiness } : {}) });
  return {
    version: "0.19",
    local: INSTANCES[0]!,
    instances: INSTANCES,
    options: { softwareName: "", softwareIcon: null, cssFiles: [], statsPeriods: [5, 15, 60], startingStrategy: "CONFIG", tailLimit: 1024, tailfLimit: 1024, discoveryMode: false, userSync: false },
    reads: {
      getSupvisorsState: () => ({ fsm_statename: "OPERATION", master_identifier: "A:1", starting_jobs: [], stopping_jobs: [], degraded_mode: false, discovery_mode: false, instance_states: {} }),
      getAllInstancesStateModes: () => [],
      getAllInstancesInfo: () => INSTANCES.map((i) => ({ identifier: i.identifier, nick_identifier: i.nick, node_name: i.hostId, port: i.httpPort, statename: w.instanceStates[i.identifier] ?? "RUNNING", loading: 0, process_failure: false, remote_time: 0, local_time: 0 })),
      getAllApplicationsInfo: () => {
        count("applications");
        const a = w.app;
        return [
          { application_name: a.name, managed: a.managed, statename: a.state, major_failure: a.major, minor_failure: a.minor },
          { application_name: "other", managed: true, statename: "STOPPED", major_failure: false, minor_failure: false },
        ];
      },
      getApplicationInfo: () => ({}),
      getApplicationRules: () => ({ managed: true, starting_strategy: "LESS_LOADED" }),
      getAllProcessInfo: () => {
        count("processes");
        return [...w.procs.map(procInfo), { application_name: "other", process_name: "x", statename: "STOPPED", expected_exit: true, identifiers: [], extra_args: "" }];
      },
      getAllLocalProcessInfo: () => [],
      getAllInnerProcessInfo: (id) => {
        count(`inner|${id}`);
        return w.procs
          .filter((p) => p.records[id])
          .map((p) => {
            const r = p.records[id]!;
            return { ...(p.readiness?.[id] ? { readiness: p.readiness[id] } : {}), identifier: id, group: p.app, name: p.name, statename: r.state, start: r.start ?? 0, stop: r.stop ?? 0, now: 0, pid: 0, description: r.description ?? "", expected: r.expected ?? true, disabled: r.disabled ?? false, has_stdout: r.logs ?? true, has_stderr: r.logs ?? true, uptime: 0, has_crashed: r.has_crashed ?? false };
          });
      },
      getProcessRules: (ns) => {
        count("rules");
        const p = w.procs.find((q) => `${q.app}:${q.name}` === ns);
        return [{ expected_loading: p?.load ?? 0, identifiers: ["*"] }];
      },
      getConflicts: () => [],
      getStatisticsStatus: () => ({ host_stats: w.processStats, process_stats: w.processStats }),
      forcedReasons: () => new Map(w.forced ?? []),
    },
    orders: {
      conciliateProcess: () => true,
      stopProcessOn: async () => true,
      keepProcessOn: async () => true,
    },
    call: async (method: string, params: RpcValue[]) => {
      w.calls.push([method, params]);
      if (w.fault) throw w.fault;
      return true;
    },
    hostHistory: () => null,
    processHistory: (id, ns, period) => {
      w.historyReads.push([id, ns, period]);
      return w.histories[`${id}|${ns}`] ?? null;
    },
    network: () => null,
    onChange: () => () => {},
  };
}

const hist = (cpu: number[], mem: number[]): ProcessHistory => ({ pid: 1, times: cpu.map((_, i) => 100 + 5 * i), cpu, mem });

function world(init: Partial<World> = {}): World {
  return {
    instanceStates: { "C:3": "RUNNING" },
    app: { name: "web", managed: true, state: "RUNNING", major: false, minor: false },
    procs: [
      // sorted: api, db, never, off, worker
      { app: "web", name: "worker", state: "EXITED", expected_exit: false, on: [], load: 3, records: { "A:1": { state: "STOPPED", start: 10, stop: 20, description: "Stopped a while ago" }, "C:3": { state: "EXITED", start: 30, stop: 40, description: "Exited too early", expected: false, has_crashed: true } } },
      { app: "web", name: "api", state: "RUNNING", on: ["B:2"], load: 10, records: { "A:1": { state: "STOPPED", description: "Not started" }, "B:2": { state: "RUNNING", start: 50, description: "pid 12, uptime 0:01:00" } } },
      { app: "web", name: "db", state: "RUNNING", on: ["A:1", "C:3"], load: 25, records: { "A:1": { state: "RUNNING", start: 5, description: "pid 7, uptime 1:00:00" }, "C:3": { state: "RUNNING", start: 6, description: "pid 8, uptime 0:59:00" } } },
      { app: "web", name: "off", state: "STOPPED", on: [], records: { "A:1": { state: "STOPPED", disabled: true, description: "Not started" }, "B:2": { state: "STOPPED", disabled: true, description: "Not started" } } },
      { app: "web", name: "never", state: "STOPPED", on: [], records: { "C:3": { state: "STOPPED", description: "Not started" } } },
    ],
    histories: { "B:2|web:api": hist([1, 2, 3.456], [10, 10, 10.5]), "A:1|web:db": hist([50], [5]), "C:3|web:db": hist([40], [4]) },
    processStats: true,
    calls: [],
    historyReads: [],
    reads: {},
    fault: null,
    ...init,
  };
}

function view(port: DashboardPort, query: string) {
  const snap = new Snapshot(port);
  const ctx = new ViewContext("application.html", parseForm(query), viewEnv(port, snap));
  return { ctx, snap };
}

function renderOut(w: World, query: string) {
  const port = fakePort(w);
  return APPLICATION_PAGE.render({ ...view(port, query), browserHost: "host-a", nowMs: NOW });
}

function render(w: World, query = "appname=web"): string {
  const out = renderOut(w, query);
  if (typeof out !== "string") throw new Error(`unexpected redirect to ${out.redirect}`);
  return out;
}

async function act(w: World, query: string) {
  const port = fakePort(w);
  const { ctx, snap } = view(port, query);
  const handler = APPLICATION_PAGE.actions[ctx.action!];
  if (!handler) return null;
  return handler({ ctx, snap, port, supervisor: {} as never, now: () => NOW });
}

const contents = (page: string) => /<main id="contents" data-live="contents">([\s\S]*?)<\/main>/.exec(page)![1]!;
const header = (page: string) => /<header id="header" data-live="header">([\s\S]*?)<\/header>/.exec(page)![1]!;
const footer = (page: string) => /<footer id="footer" data-live="footer">([\s\S]*?)<\/footer>/.exec(page)![1]!;
interface RowView {
  cls: string;
  ns: string;
  id: string | null;
  html: string;
  cells: string[];
}
function rows(page: string): RowView[] {
  return [...contents(page).matchAll(/<tr class="([^"]*)" data-namespec="([^"]*)"(?: data-identifier="([^"]*)")?>([\s\S]*?)<\/tr>/g)].map((m) => ({
    cls: m[1]!,
    ns: m[2]!,
    id: m[3] ?? null,
    html: m[4]!,
    cells: [...m[4]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => c[1]!),
  }));
}
const hrefs = (text: string) => [...text.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replaceAll("&amp;", "&"));
const text = (cell: string) => cell.replace(/<[^>]*>/g, "");
/** The label of every button of a cell list, with `(off)` for a greyed one. */
const buttons = (html: string) => [...html.matchAll(/<(a|span) class="button[^"]*?( off)?[^"]*"[^>]*>([^<]*)</g)].map((m) => (m[1] === "span" ? `${m[3]}(off)` : m[3]));

t.test("no application, or an unknown one: back to the main page with the error", async (t) => {
  const none = renderOut(world(), "");
  t.type(none, "object");
  const r = (none as { redirect: string }).redirect;
  t.match(r, /^index\.html\?gravity=erro&message=No%20application%20selected%20at%20\w{3}%20\w{3}%20/);
  const unknown = (renderOut(world(), "appname=nope&auto=true&pshex=01") as { redirect: string }).redirect;
  t.match(unknown, /^index\.html\?auto=true&gravity=erro&message=Unknown%20application%3A%20nope%20at%20/, "carried parameters kept, pshex dropped");
  t.notMatch(unknown, "pshex");
  const evil = (renderOut(world(), `appname=${encodeURIComponent(EVIL)}`) as { redirect: string }).redirect;
  t.notMatch(evil, /[<>" ]/, "the name is URL-quoted in the redirect");
  // an action without an application
  t.same(await act(world(), "action=startapp"), { message: "No application selected", gravity: "erro" });
  t.same(await act(world(), "action=start&appname=nope&namespec=web%3Aapi"), { message: "Unknown application: nope", gravity: "erro" });
});

t.test("header: name, state, LED, strategy and period selectors, the application's buttons", async (t) => {
  const page = render(world(), "appname=web&strategy=less_loaded&period=15");
  const h = header(page);
  t.match(h, `<span class="appname">web</span>`);
  t.match(h, `<span class="astate astate-RUNNING">RUNNING</span> <span class="led status_green" title="running"></span> <span class="opstatus">Operational</span>`);
  const strategies = [...h.matchAll(/<a class="(button small strategy[^"]*)" href="([^"]*)">([^<]*)</g)].map((m) => [m[1], m[2]!.replaceAll("&amp;", "&"), m[3]]);
  t.same(strategies, [
    ["button small strategy", "application.html?appname=web&period=15&strategy=CONFIG", "CONFIG"],
    ["button small strategy active", "application.html?appname=web&period=15&strategy=LESS_LOADED", "LESS LOADED"],
    ["button small strategy", "application.html?appname=web&period=15&strategy=MOST_LOADED", "MOST LOADED"],
    ["button small strategy", "application.html?appname=web&period=15&strategy=LOCAL", "LOCAL"],
    ["button small strategy", "application.html?appname=web&period=15&strategy=LESS_LOADED_NODE", "LESS LOADED NODE"],
    ["button small strategy", "application.html?appname=web&period=15&strategy=MOST_LOADED_NODE", "MOST LOADED NODE"],
  ]);
  const periods = [...h.matchAll(/<a class="(button small period[^"]*)" href="([^"]*)">([^<]*)</g)].map((m) => [m[1], m[2]!.replaceAll("&amp;", "&"), m[3]]);
  t.same(periods, [
    ["button small period", "application.html?appname=web&period=5&strategy=LESS_LOADED", "5s"],
    ["button small period active", "application.html?appname=web&period=15&strategy=LESS_LOADED", "15s"],
    ["button small period", "application.html?appname=web&period=60&strategy=LESS_LOADED", "60s"],
  ]);
  for (const a of ["startapp", "stopapp", "restartapp", "rollingapp"]) t.match(h, `href="application.html?action=${a}&amp;appname=web&amp;period=15&amp;strategy=LESS_LOADED"`);
  t.match(h, `href="application.html?appname=web&amp;auto=true&amp;period=15&amp;strategy=LESS_LOADED">auto-refresh`);

  const led = (app: Partial<World["app"]>) => /<span class="led ([^"]*)"/.exec(header(render(world({ app: { ...world().app, ...app } }))))![1];
  t.equal(led({ major: true, minor: true }), "status_red");
  t.equal(led({ minor: true }), "status_yellow");
  t.equal(led({ state: "STARTING" }), "status_green");
  t.equal(led({ state: "STOPPED" }), "status_empty");
  t.equal(led({ state: "STOPPING" }), "status_empty");
  t.match(header(render(world({ app: { ...world().app, major: true } }))), "Not Operational");
  t.match(header(render(world({ app: { ...world().app, minor: true } }))), "Degraded");
  t.notMatch(header(render(world({ app: { ...world().app, state: "STOPPED" } }))), "opstatus");
  t.match(page, `<li class="astate-RUNNING selected" data-application="web">`, "the menu selects the application");

  const noStats = header(render(world({ processStats: false })));
  t.notMatch(noStats, "Statistics period", "no period selector without process statistics");
});

t.test("one synthetic row per process, sorted by name, collapsed by default", async (t) => {
  const w = world();
  const page = render(w);
  const r = rows(page);
  t.same(r.map((x) => x.ns), ["web:api", "web:db", "web:never", "web:off", "web:worker"], "only the application's processes, in name order");
  t.ok(r.every((x) => x.cls.startsWith("process")), "no expanded row");
  t.same(r.map((x) => x.cls), ["process", "process shaded", "process", "process shaded", "process"]);
  const cell = (ns: string, i: number) => r.find((x) => x.ns === ns)!.cells[i]!;
  // columns: shex, name, state, supervisor, description, load, cpu, mem, start, stop, restart, clear, stdout, stderr

  // running on one instance (a peer)
  t.equal(cell("web:api", 1), `<a href="http://host-b:9002/tail.html?appname=web&amp;processname=web%3Aapi" target="_blank">api</a>`, "the name: the tail on the running instance");
  t.equal(cell("web:api", 2), `<span class="pstate pstate-RUNNING">RUNNING</span>`);
  t.equal(cell("web:api", 3), `<a class="button small instance" href="http://host-b:9002/proc_instance.html?appname=web">beta</a>`);
  t.equal(cell("web:api", 4), "pid 12, uptime 0:01:00 on beta");
  t.equal(cell("web:api", 5), "10");
  t.equal(text(cell("web:api", 6)), "3.46");
  t.equal(text(cell("web:api", 7)), "10.50");
  t.same(buttons(r[0]!.html), ["beta", "3.46", "10.50", "Start(off)", "Stop", "Restart", "Clear", "Stdout", "Stderr"]);
  t.same(hrefs(r[0]!.cells.slice(8).join("")), [
    "application.html?action=stop&appname=web&namespec=web%3Aapi",
    "application.html?action=restart&appname=web&namespec=web%3Aapi",
    "http://host-b:9002/application.html?action=clearlog&appname=web&namespec=web%3Aapi",
    "http://host-b:9002/logtail/web%3Aapi?appname=web",
    "http://host-b:9002/logtail/web%3Aapi/stderr?appname=web",
  ]);
  t.match(r[0]!.cells[12]!, `target="_blank"`);
  t.same(w.historyReads.filter((h) => h[1] === "web:api"), [["B:2", "web:api", 5]], "the statistics of the running instance for the default period");

  // in conflict
  t.equal(cell("web:db", 1), "db", "no log link in conflict");
  t.equal(cell("web:db", 2), `<span class="pstate pstate-RUNNING blink">RUNNING</span>`);
  t.equal(cell("web:db", 3), `<a class="button small conciliate blink" href="conciliation.html?appname=web">Conciliate</a>`);
  t.equal(cell("web:db", 4), "conflict on alpha, gamma");
  t.equal(cell("web:db", 6), "--");
  t.equal(cell("web:db", 7), "--");
  t.same(buttons(r[1]!.html), ["Conciliate", "Start(off)", "Stop", "Restart", "Clear(off)", "Stdout(off)", "Stderr(off)"]);
  t.same(w.historyReads.filter((h) => h[1] === "web:db"), [], "no statistics read in conflict");

  // stopped, last stopped on gamma (EXITED unexpectedly, crashed there)
  t.equal(cell("web:worker", 2), `<span class="pstate pstate-EXITED unexpected crashed">EXITED</span>`);
  t.equal(cell("web:worker", 3), "");
  t.equal(cell("web:worker", 4), "Exited too early on gamma");
  t.equal(cell("web:worker", 1), `<a href="http://host-c:9003/tail.html?appname=web&amp;processname=web%3Aworker" target="_blank">worker</a>`, "the log of the instance that stopped it last");
  t.same(buttons(r[4]!.html), ["Start", "Stop(off)", "Restart(off)", "Clear", "Stdout", "Stderr"]);
  t.same(hrefs(r[4]!.cells[8]!), ["application.html?action=start&appname=web&namespec=web%3Aworker"]);

  // disabled everywhere: not startable; never started: no logs
  t.equal(cell("web:off", 2), `<span class="pstate pstate-STOPPED pstate-disabled">STOPPED</span>`);
  t.same(buttons(r[3]!.html), ["Start(off)", "Stop(off)", "Restart(off)", "Clear(off)", "Stdout(off)", "Stderr(off)"]);
  t.equal(cell("web:off", 1), "off");
  t.equal(cell("web:off", 4), "Not started", "never started: no instance named");
  t.same(buttons(r[2]!.html), ["Start", "Stop(off)", "Restart(off)", "Clear(off)", "Stdout(off)", "Stderr(off)"], "never: configured on a RUNNING instance");
  const cDown = rows(render(world({ instanceStates: { "C:3": "STOPPED" } })));
  t.same(buttons(cDown[2]!.html).slice(0, 1), ["Start(off)"], "never: its only instance is not RUNNING");
  t.same(buttons(cDown[4]!.html).slice(0, 1), ["Start"], "worker: still configured on alpha");
  t.equal(cell("web:off", 5), "0");
});

t.test("a forced state shows its reason as the description", async (t) => {
  const w = world({ forced: [["web:never", "No resource available"]] });
  const r = rows(render(w));
  t.equal(r.find((x) => x.ns === "web:never")!.cells[4], "No resource available");
  t.equal(r.find((x) => x.ns === "web:off")!.cells[4], "Not started", "the others keep their text");
});

t.test("without process statistics: no CPU / MEM columns", async (t) => {
  const w = world({ processStats: false });
  const page = render(w);
  t.notMatch(contents(page), "%CPU");
  t.equal(rows(page)[0]!.cells.length, 12);
  t.same(w.historyReads, []);
});

t.test("pshex: toggles, expanded rows per configured instance, expand / shrink all", async (t) => {
  const collapsed = render(world());
  const corner = /<th class="shex">([\s\S]*?)<\/th>/.exec(contents(collapsed))![1]!;
  t.same(hrefs(corner), ["application.html?appname=web&pshex=ff"], "collapsed: only expand-all");
  t.same(
    rows(collapsed).map((r) => hrefs(r.cells[0]!)[0]),
    ["01", "02", "04", "08", "10"].map((x) => `application.html?appname=web&pshex=${x}`),
    "bit i = the i-th process in name order",
  );
  t.ok(rows(collapsed).every((r) => text(r.cells[0]!) === "[+]"));

  const w = world();
  const page = render(w, "appname=web&pshex=12"); // db (bit 1) and worker (bit 4)
  const r = rows(page);
  t.same(
    r.map((x) => [x.cls, x.ns, x.id]),
    [
      ["process", "web:api", null],
      ["process shaded", "web:db", null],
      ["detail shaded", "web:db", "A:1"],
      ["detail shaded", "web:db", "C:3"],
      ["process", "web:never", null],
      ["process shaded", "web:off", null],
      ["process", "web:worker", null],
      ["detail", "web:worker", "A:1"],
      ["detail", "web:worker", "C:3"],
    ],
  );
  t.match(r[1]!.cells[0]!, `pshex=10`, "the toggle of an expanded process shrinks it");
  t.equal(text(r[1]!.cells[0]!), "[–]");
  t.match(contents(page), `<td class="shex expanded" rowspan="3">`);
  const corner2 = /<th class="shex">([\s\S]*?)<\/th>/.exec(contents(page))![1]!;
  t.same(hrefs(corner2), ["application.html?appname=web&pshex=ff", "application.html?appname=web&pshex=00"]);
  // a detail row: the instance's own record, its logs and statistics, no start / stop / restart
  const dbA = r[2]!;
  t.same(dbA.cells.length, 13, "no shex cell (the toggle spans it)");
  t.equal(dbA.cells[0], `<a href="tail.html?appname=web&amp;processname=web%3Adb&amp;pshex=12" target="_blank">↳</a>`);
  t.equal(dbA.cells[1], `<span class="pstate pstate-RUNNING">RUNNING</span>`);
  t.equal(dbA.cells[2], `<a class="button small instance" href="proc_instance.html?appname=web&amp;pshex=12">alpha</a>`);
  t.equal(dbA.cells[3], "pid 7, uptime 1:00:00");
  t.equal(text(dbA.cells[5]!), "50.00");
  t.same(buttons(dbA.html), ["alpha", "50.00", "5.00", "Start(off)", "Stop(off)", "Restart(off)", "Clear", "Stdout", "Stderr"]);
  t.same(hrefs(dbA.cells.slice(10).join("")), [
    "application.html?action=clearlog&appname=web&namespec=web%3Adb&pshex=12",
    "logtail/web%3Adb?appname=web&pshex=12",
    "logtail/web%3Adb/stderr?appname=web&pshex=12",
  ]);
  const dbC = r[3]!;
  t.same(hrefs(dbC.cells.slice(10).join("")), [
    "http://host-c:9003/application.html?action=clearlog&appname=web&namespec=web%3Adb&pshex=12",
    "http://host-c:9003/logtail/web%3Adb?appname=web&pshex=12",
    "http://host-c:9003/logtail/web%3Adb/stderr?appname=web&pshex=12",
  ]);
  const workerA = r[7]!;
  t.equal(workerA.cells[1], `<span class="pstate pstate-STOPPED">STOPPED</span>`);
  t.equal(workerA.cells[5], "--", "no statistics for a stopped record");
  const workerC = r[8]!;
  t.equal(workerC.cells[1], `<span class="pstate pstate-EXITED unexpected crashed">EXITED</span>`);

  const all = rows(render(world(), "appname=web&pshex=ff"));
  t.equal(all.filter((x) => x.cls.startsWith("detail")).length, 2 + 2 + 1 + 2 + 2, "every configured record");
  t.same(hrefs(/<th class="shex">([\s\S]*?)<\/th>/.exec(contents(render(world(), "appname=web&pshex=ff")))![1]!), ["application.html?appname=web&pshex=00"], "expanded: only shrink-all");

  const wrong = render(world(), "appname=web&pshex=0101");
  t.ok(rows(wrong).every((x) => x.cls.startsWith("process")), "a pshex of the wrong size: collapsed");
  t.match(footer(wrong), `<div class="message gravity-erro">Incorrect pshex: 0101 at`);
  t.notMatch(contents(wrong), "pshex=0101", "and not carried");
  t.match(footer(render(world(), "appname=web&pshex=zz")), "Incorrect pshex: zz");
});

t.test("CPU / MEM select the detailed statistics of that process on that instance", async (t) => {
  const collapsed = render(world());
  const api = rows(collapsed)[0]!;
  t.same(hrefs(api.cells[6]!), ["application.html?appname=web&ident=B%3A2&processname=web%3Aapi"]);
  t.notMatch(collapsed, "Detailed statistics");
  t.notMatch(collapsed, "uplot.js");

  const page = render(world(), "appname=web&processname=web%3Aapi&ident=B%3A2&period=15");
  const panel = /<div class="card stats-panel process-stats">([\s\S]*?)<\/div>\n?<\/div><\/div>/.exec(contents(page));
  t.ok(panel, "the panel beside the table");
  t.match(contents(page), `<td class="selected">web:api</td>`);
  t.match(contents(page), `<th>Supervisor</th><td>beta</td>`);
  t.match(contents(page), `<th>Host</th><td>host-b</td>`);
  t.match(contents(page), /<tr><th>%CPU<\/th><td class="num last trend increase">3.46<\/td>/);
  t.match(contents(page), /<tr><th>%MEM<\/th><td class="num last trend increase">10.50<\/td>/);
  t.equal([...contents(page).matchAll(/<div class="chart" data-key="([^"]*)"/g)].length, 2);
  t.match(page, "/dashboard/uplot.js");
  const sel = rows(page)[0]!;
  t.match(sel.cells[6]!, `class="button small stat active"`);
  t.same(hrefs(sel.cells[6]!), ["application.html?appname=web&ident=B%3A2&period=15"], "the selected one unselects");

  const elsewhere = render(world(), "appname=web&processname=web%3Aapi&ident=A%3A1");
  t.notMatch(elsewhere, "Detailed statistics", "not running on the selected instance: no panel");
  t.notMatch(footer(elsewhere), "processname");
  const foreign = render(world(), "appname=web&processname=other%3Ax");
  t.match(footer(foreign), "Incorrect processname: other:x", "not a process of the application");
});

t.test("hostile names and descriptions are text", async (t) => {
  const base = world();
  const w = world({
    app: { ...base.app, name: EVIL },
    procs: [{ app: EVIL, name: EVIL, state: "RUNNING", on: ["B:2"], records: { "B:2": { state: "RUNNING", start: 1, description: EVIL } } }],
  });
  const page = render(w, `appname=${encodeURIComponent(EVIL)}&pshex=01`);
  t.notMatch(page, "<img");
  t.match(contents(page), `&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp; on beta`);
  t.match(header(page), `<span class="appname">&lt;img src=x`);
  t.match(contents(page), `namespec=%3Cimg%20src%3Dx`);
});

t.test("application actions: the strategy, wait unless auto, messages, faults", async (t) => {
  let w = world();
  t.same(await act(w, "appname=web&action=startapp&strategy=most_loaded"), { message: "Application web started", gravity: "info" });
  t.same(w.calls, [["supvisors.start_application", ["MOST_LOADED", "web", true]]]);
  w = world();
  t.same(await act(w, "appname=web&action=startapp&auto=true"), { message: "Application web started", gravity: "info" });
  t.same(w.calls, [["supvisors.start_application", ["CONFIG", "web", false]]], "the default strategy; no wait with auto-refresh");
  w = world();
  t.same(await act(w, "appname=web&action=stopapp"), { message: "Application web stopped", gravity: "info" });
  t.same(w.calls, [["supvisors.stop_application", ["web", true]]]);
  w = world();
  t.same(await act(w, "appname=web&action=restartapp&strategy=LOCAL&auto=1"), { message: "Application web restarted", gravity: "info" });
  t.same(w.calls, [["supvisors.restart_application", ["LOCAL", "web", false]]]);
  w = world();
  t.same(await act(w, "appname=web&action=rollingapp"), { message: "Application web rolling restart started", gravity: "info" });
  t.same(w.calls, [["supvisors.rolling_restart", ["web", 1, false]]], "ours: never waited for by the page");
  w = world({ fault: new RpcFault(Faults.ALREADY_STARTED, "web") });
  t.same(await act(w, "appname=web&action=startapp"), { message: "start_application: ALREADY_STARTED: web", gravity: "erro" });
  w = world({ fault: new RpcFault(SupvisorsFaultCodes.NOT_MANAGED, "web") });
  t.same(await act(w, "appname=web&action=stopapp"), { message: "stop_application: NOT_MANAGED: web", gravity: "erro" });
});

t.test("process actions: start / stop / restart through Supvisors, clear through Supervisor", async (t) => {
  let w = world();
  t.same(await act(w, "appname=web&action=start&namespec=web%3Aworker&strategy=LESS_LOADED_NODE"), { message: "Process web:worker started", gravity: "info" });
  t.same(w.calls, [["supvisors.start_process", ["LESS_LOADED_NODE", "web:worker", "", true]]]);
  w = world();
  t.same(await act(w, "appname=web&action=stop&namespec=web%3Aapi&auto=true"), { message: "Process web:api stopped", gravity: "info" });
  t.same(w.calls, [["supvisors.stop_process", ["web:api", false]]]);
  w = world();
  t.same(await act(w, "appname=web&action=restart&namespec=web%3Aapi"), { message: "Process web:api restarted", gravity: "info" });
  t.same(w.calls, [["supvisors.restart_process", ["CONFIG", "web:api", "", true]]]);
  w = world();
  t.same(await act(w, "appname=web&action=clearlog&namespec=web%3Aapi"), { message: "Log for web:api cleared", gravity: "info" });
  t.same(w.calls, [["supervisor.clearProcessLogs", ["web:api"]]]);
  w = world({ fault: new RpcFault(Faults.NOT_RUNNING, "processes=['web:worker']") });
  t.same(await act(w, "appname=web&action=start&namespec=web%3Aworker"), { message: "start_process: NOT_RUNNING: processes=['web:worker']", gravity: "erro" });
  w = world();
  t.same(await act(w, "appname=web&action=stop&namespec=other%3Ax"), { message: "No such process named other:x", gravity: "erro" }, "a process of another application");
  t.same(await act(w, "appname=web&action=restart&namespec=web%3Anope"), { message: "No such process named web:nope", gravity: "erro" });
  t.same(await act(w, "appname=web&action=clearlog"), { message: "No process selected", gravity: "erro" });
  t.same(w.calls, [], "nothing called for a wrong target");
  t.equal(await act(w, "appname=web&action=bogus"), null, "an unknown action is the routes' error");
});

t.test("300 processes on 3 instances: each status read once, one pass", async (t) => {
  const procs: Proc[] = [];
  const histories: Record<string, ProcessHistory> = {};
  const ids = INSTANCES.map((i) => i.identifier);
  for (let i = 0; i < 300; i++) {
    const name = `p${String(i).padStart(3, "0")}`;
    const id = ids[i % 3]!;
    const records: Record<string, Rec> = {};
    for (const other of ids) records[other] = other === id ? { state: "RUNNING", start: 1, description: `pid ${i}, uptime 0:00:01` } : { state: "STOPPED", description: "Not started" };
    procs.push({ app: "big", name, state: "RUNNING", on: [id], load: 1, records });
    histories[`${id}|big:${name}`] = hist([1, 2, 3], [4, 5, 6]);
  }
  const w = world({ app: { name: "big", managed: true, state: "RUNNING", major: false, minor: false }, procs, histories });
  const started = performance.now();
  const page = render(w, "appname=big&pshex=" + "ff".repeat(38));
  const ms = performance.now() - started;
  const r = rows(page);
  t.equal(r.filter((x) => x.cls.startsWith("process")).length, 300);
  t.equal(r.filter((x) => x.cls.startsWith("detail")).length, 900);
  t.equal(r[0]!.ns, "big:p000");
  t.equal(r[r.length - 1]!.ns, "big:p299");
  for (const id of ids) t.equal(w.reads[`inner|${id}`], 1, `the records of ${id} read once`);
  t.equal(w.reads.processes, 1);
  t.equal(w.reads.rules, 300, "one rules read per process");
  t.equal(w.historyReads.length, 300, "one history read per running process (the expanded rows reuse it)");
  t.ok(ms < 1000, `rendered in ${ms.toFixed(1)} ms`);
});

t.test("readiness (ours): ready / not ready beside the state, only where configured", async (t) => {
  const plain = render(world());
  t.notMatch(plain, /class="readiness/, "no readiness_check: nothing shown");
  const w = world();
  w.procs.find((p) => p.name === "api")!.readiness = { "A:1": "off", "B:2": "ready" };
  let h = render(w, "appname=web&pshex=01");
  t.match(h, /<span class="pstate pstate-RUNNING">RUNNING<\/span> <span class="readiness ready" title="readiness check passing">ready<\/span>/);
  w.procs.find((p) => p.name === "api")!.readiness = { "A:1": "off", "B:2": "unready" };
  h = render(w);
  t.match(h, /RUNNING<\/span> <span class="readiness not-ready unready" title="readiness check failing">not ready<\/span>/);
});
