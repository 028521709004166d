/**
 * The conciliation page (conciliation.html) over a fake DashboardPort: what a user sees (the
 * conflicts, their strategy links sent to the Master, the Stop / Keep buttons per instance, the
 * global box, "No conflict" otherwise) and what each click orders, with its footer message.
 */
import { viewEnv } from "../../src/web/dashboard/routes.js";
import t from "tap";
import { Faults, RpcFault } from "../../src/supervisord/rpc/faults.js";
import type { RpcValue } from "../../src/supervisord/rpc/values.js";
import { parseForm } from "../../src/web/form.js";
import { stamped } from "../../src/web/dashboard/actions.js";
import { CONCILIATION_PAGE, simpleDuration } from "../../src/web/dashboard/pages/conciliation-page.js";
import type { DashboardInstance, DashboardPort, Payload } from "../../src/web/dashboard/port.js";
import { Snapshot } from "../../src/web/dashboard/snapshot.js";
import { ViewContext } from "../../src/web/dashboard/view-context.js";
import { SupvisorsFaultCodes } from "../../src/protocol/faults.js";

const EVIL = `<img src=x onerror="alert('x')">&`;
const NOW = new Date(2026, 4, 6, 12, 0, 0).getTime();

const INSTANCES: DashboardInstance[] = [
  { identifier: "A:1", nick: "alpha", hostId: "host-a", httpPort: 9001 },
  { identifier: "B:2", nick: "beta", hostId: "host-b", httpPort: 9002 },
  { identifier: "C:3", nick: "gamma", hostId: "host-c", httpPort: 9003 },
];

interface World {
  fsm: string;
  master: string;
  conflicts: { app: string; name: string; on: string[] }[];
  /** uptime by `id|namespec`. */
  uptimes: Record<string, number>;
  orders: unknown[][];
  /** Fault thrown by an order, by order name. */
  faults: Record<string, Error>;
}

function fakePort(w: World): DashboardPort {
  const inner = (id: string): Payload[] =>
    w.conflicts
      .filter((c) => c.on.includes(id))
      .map((c) => ({ identifier: id, group: c.app, name: c.name, statename: "RUNNING", uptime: w.uptimes[`${id}|${c.app}:${c.name}`] ?? 0, start: 1, stop: 0, description: "", has_stdout: true, has_stderr: true, disabled: false, has_crashed: false }));
  const order = (name: string, args: unknown[]) => {
    w.orders.push([name, ...args]);
    const f = w.faults[name];
    if (f) throw f;
  };
  return {
    version: "0.19",
    local: INSTANCES[0]!,
    instances: INSTANCES,
    options: { softwareName: "", softwareIcon: null, cssFiles: [], statsPeriods: [5, 15], startingStrategy: "CONFIG", tailLimit: 1024, tailfLimit: 1024, discoveryMode: false, userSync: false },
    reads: {
      getSupvisorsState: () => ({ fsm_statename: w.fsm, master_identifier: w.master, starting_jobs: [], stopping_jobs: [], degraded_mode: false, discovery_mode: false, instance_states: {} }),
      getAllInstancesStateModes: () => INSTANCES.map((i) => ({ identifier: i.identifier, starting_jobs: false, stopping_jobs: false })),
      getAllInstancesInfo: () => INSTANCES.map((i) => ({ identifier: i.identifier, nick_identifier: i.nick, node_name: i.hostId, port: i.httpPort, statename: "RUNNING", loading: 0, process_failure: false, remote_time: NOW / 1000, local_time: NOW / 1000 })),
      getAllApplicationsInfo: () => [...new Set(w.conflicts.map((c) => c.app))].map((a) => ({ application_name: a, managed: true, statename: "RUNNING", major_failure: false, minor_failure: false })),
      getApplicationInfo: () => ({}),
      getApplicationRules: () => ({ managed: true, starting_strategy: "CONFIG" }),
      getAllProcessInfo: () => w.conflicts.map((c) => ({ application_name: c.app, process_name: c.name, statename: "RUNNING", expected_exit: true, identifiers: c.on, extra_args: "" })),
      getAllLocalProcessInfo: () => [],
      getAllInnerProcessInfo: inner,
      getProcessRules: () => [],
      getConflicts: () => w.conflicts.filter((c) => c.on.length > 1).map((c) => ({ application_name: c.app, process_name: c.name, statename: "RUNNING", expected_exit: true, identifiers: c.on, extra_args: "" })),
      getStatisticsStatus: () => ({ host_stats: false, process_stats: false }),
      forcedReasons: () => new Map(),
    },
    orders: {
      conciliateProcess: (strategy, namespec) => {
        order("conciliateProcess", [strategy, namespec]);
        return namespec === null || w.conflicts.some((c) => `${c.app}:${c.name}` === namespec && c.on.length > 1);
      },
      stopProcessOn: async (namespec, identifier) => {
        order("stopProcessOn", [namespec, identifier]);
        return true;
      },
      keepProcessOn: async (namespec, identifier) => {
        order("keepProcessOn", [namespec, identifier]);
        return true;
      },
    },
    call: (method: string, params: RpcValue[]) => {
      w.orders.push(["call", method, params]);
      return true;
    },
    hostHistory: () => null,
    processHistory: () => null,
    network: () => null,
    onChange: () => () => {},
  };
}

function world(init: Partial<World> = {}): World {
  return {
    fsm: "CONCILIATION",
    master: "B:2",
    conflicts: [
      { app: "web", name: "server", on: ["A:1", "C:3"] },
      { app: "db", name: "pg", on: ["A:1", "B:2", "C:3"] },
      { app: "db", name: "solo", on: ["B:2"] },
    ],
    uptimes: { "A:1|web:server": 3725, "C:3|web:server": 59, "A:1|db:pg": 90061, "B:2|db:pg": 172800, "C:3|db:pg": 0 },
    orders: [],
    faults: {},
    ...init,
  };
}

function view(port: DashboardPort, query: string) {
  const snap = new Snapshot(port);
  const ctx = new ViewContext("conciliation.html", parseForm(query), viewEnv(port, snap));
  return { ctx, snap };
}

function render(w: World, query = ""): string {
  const port = fakePort(w);
  const out = CONCILIATION_PAGE.render({ ...view(port, query), browserHost: "host-a", nowMs: NOW });
  if (typeof out !== "string") throw new Error("unexpected redirect");
  return out;
}

async function act(w: World, query: string) {
  const port = fakePort(w);
  const { ctx, snap } = view(port, query);
  const handler = CONCILIATION_PAGE.actions[ctx.action!];
  if (!handler) return null;
  return handler({ ctx, snap, port, supervisor: {} as never, now: () => NOW });
}

/** The contents region (not the menu, header or footer). */
const contents = (page: string) => /<main id="contents" data-live="contents">([\s\S]*?)<\/main>/.exec(page)![1]!;
const rows = (page: string) => [...contents(page).matchAll(/<tr class="([^"]*)"[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => ({ cls: m[1]!, html: m[2]! }));
const hrefs = (text: string) => [...text.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replaceAll("&amp;", "&"));

t.test("simpleDuration is Python's str(timedelta)", async (t) => {
  t.equal(simpleDuration(0), "0:00:00");
  t.equal(simpleDuration(59.9), "0:00:59");
  t.equal(simpleDuration(3725), "1:02:05");
  t.equal(simpleDuration(90061), "1 day, 1:01:01");
  t.equal(simpleDuration(172800), "2 days, 0:00:00");
  t.equal(simpleDuration(-3), "0:00:00");
});

t.test("the conflicts: sorted, one row per conflict then one per instance where it runs", async (t) => {
  const page = render(world());
  t.notMatch(page, "No conflict");
  const r = rows(page);
  t.same(
    r.map((x) => x.cls),
    ["conflict", "conflict-instance", "conflict-instance", "conflict-instance", "conflict shaded", "conflict-instance shaded", "conflict-instance shaded"],
    "db:pg (3 instances) before web:server (2); db:solo runs once and is no conflict",
  );
  t.match(r[0]!.html, `<td class="namespec" colspan="4">db:pg</td>`);
  t.match(r[4]!.html, `<td class="namespec" colspan="4">web:server</td>`);
  // sub-rows: the nick linking to that instance's processes page, the uptime, Stop, Keep
  t.match(r[1]!.html, /<a class="button small" href="proc_instance.html">alpha<\/a>/, "the local instance: a relative link");
  t.match(r[2]!.html, /<a class="button small" href="http:\/\/host-b:9002\/proc_instance.html">beta<\/a>/, "a peer: its own origin");
  t.match(r[3]!.html, /href="http:\/\/host-c:9003\/proc_instance.html">gamma</);
  t.same([1, 2, 3].map((i) => /class="num uptime">([^<]*)</.exec(r[i]!.html)![1]), ["1 day, 1:01:01", "2 days, 0:00:00", "0:00:00"]);
  t.same([5, 6].map((i) => /class="num uptime">([^<]*)</.exec(r[i]!.html)![1]), ["1:02:05", "0:00:59"]);
  t.same(hrefs(r[2]!.html).slice(1), ["conciliation.html?action=pstop&ident=B%3A2&namespec=db%3Apg", "conciliation.html?action=pkeep&ident=B%3A2&namespec=db%3Apg"], "Stop and Keep run on the serving instance");
  t.match(r[2]!.html, /class="button small pstop"[^>]*>Stop</);
  t.match(r[2]!.html, /class="button small pkeep"[^>]*>Keep</);
});

t.test("strategy links go to the Master's page, USER is never offered", async (t) => {
  const page = render(world());
  const r = rows(page);
  const perConflict = hrefs(r[4]!.html);
  t.same(perConflict, [
    "http://host-b:9002/conciliation.html?action=senicide&namespec=web%3Aserver",
    "http://host-b:9002/conciliation.html?action=infanticide&namespec=web%3Aserver",
    "http://host-b:9002/conciliation.html?action=stop&namespec=web%3Aserver",
    "http://host-b:9002/conciliation.html?action=restart&namespec=web%3Aserver",
    "http://host-b:9002/conciliation.html?action=running_failure&namespec=web%3Aserver",
  ]);
  const box = /<div class="card global-strategies">([\s\S]*?)<\/div><\/div>/.exec(page)![1]!;
  t.same(hrefs(box), ["senicide", "infanticide", "stop", "restart", "running_failure"].map((a) => `http://host-b:9002/conciliation.html?action=${a}`), "the global box: no namespec");
  t.same([...box.matchAll(/>([^<>]+)<\/a>/g)].map((m) => m[1]), ["Senicide", "Infanticide", "Stop", "Restart", "Running Failure"]);
  t.notMatch(contents(page), /user/i);
  t.notOk(CONCILIATION_PAGE.actions.user, "no USER action");

  const local = render(world({ master: "A:1" }));
  t.same(hrefs(rows(local)[0]!.html).slice(0, 1), ["conciliation.html?action=senicide&namespec=db%3Apg"], "the Master serving the page: relative links");
  const carried = render(world(), "auto=true&ashex=ff");
  t.same(hrefs(rows(carried)[0]!.html)[0], "http://host-b:9002/conciliation.html?action=senicide&auto=true&namespec=db%3Apg", "auto carried, ashex dropped on another instance");
});

t.test("No conflict outside CONCILIATION or without conflicts; the global box stays", async (t) => {
  for (const w of [world({ fsm: "OPERATION" }), world({ conflicts: [{ app: "a", name: "p", on: ["A:1"] }] })]) {
    const page = render(w);
    t.match(contents(page), `<p class="no-conflict">No conflict</p>`);
    t.notMatch(contents(page), "<table");
    t.match(page, "Global conciliation strategies");
  }
});

t.test("the header: Supvisors state, Master, Sync / Restart / Shutdown on this page", async (t) => {
  const page = render(world());
  t.match(page, `<a class="blink" href="conciliation.html">CONCILIATION &gt;&gt;</a>`);
  t.match(page, `<span class="master">beta</span>`);
  for (const a of ["sup_sync", "sup_restart", "sup_shutdown"]) {
    t.match(page, `href="conciliation.html?action=${a}"`);
    t.ok(CONCILIATION_PAGE.actions[a], `${a} handled here`);
  }
  t.match(page, `data-page="conciliation.html"`);
});

t.test("hostile names are text", async (t) => {
  const page = render(world({ conflicts: [{ app: EVIL, name: EVIL, on: ["A:1", "B:2"] }] }));
  t.notMatch(page, "<img src=x");
  t.match(page, `&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;:&lt;img`);
  t.match(page, `namespec=%3Cimg%20src%3Dx%20onerror%3D%22alert(&#39;x&#39;)%22%3E%26%3A`, "namespec URL-quoted in the links (and its quote escaped)");
});

t.test("strategy actions: one conflict, all of them, faults", async (t) => {
  let w = world();
  t.same(await act(w, "action=senicide&namespec=web%3Aserver"), { message: "SENICIDE in progress for web:server", gravity: "info" });
  t.same(w.orders, [["conciliateProcess", "SENICIDE", "web:server"]]);
  w = world();
  t.same(await act(w, "action=running_failure"), { message: "RUNNING_FAILURE in progress for all conflicts", gravity: "info" });
  t.same(w.orders, [["conciliateProcess", "RUNNING_FAILURE", null]]);
  for (const s of ["infanticide", "stop", "restart"]) {
    w = world();
    t.same((await act(w, `action=${s}&namespec=db%3Apg`))!.message, `${s.toUpperCase()} in progress for db:pg`);
    t.same(w.orders, [["conciliateProcess", s.toUpperCase(), "db:pg"]]);
  }
  w = world();
  t.same(await act(w, "action=stop&namespec=db%3Asolo"), { message: "STOP: no conflict for db:solo", gravity: "warn" }, "nothing done");
  w = world({ faults: { conciliateProcess: new RpcFault(SupvisorsFaultCodes.BAD_SUPVISORS_STATE, "Supvisors (state=OPERATION) not in state CONCILIATION") } });
  t.same(await act(w, "action=restart"), { message: "conciliate: BAD_SUPVISORS_STATE: Supvisors (state=OPERATION) not in state CONCILIATION", gravity: "erro" });
  t.equal(await act(world(), "action=user"), null, "USER is not an action of the page");
});

t.test("Stop and Keep on one instance", async (t) => {
  let w = world();
  t.same(await act(w, "action=pstop&namespec=db%3Apg&ident=C%3A3"), { message: "process db:pg stopped on gamma", gravity: "info" });
  t.same(w.orders, [["stopProcessOn", "db:pg", "C:3"]]);
  w = world();
  t.same(await act(w, "action=pkeep&namespec=db%3Apg&ident=beta"), { message: "processes db:pg stopped but on beta", gravity: "info" }, "ident by nick too");
  t.same(w.orders, [["keepProcessOn", "db:pg", "B:2"]]);
  w = world({ faults: { stopProcessOn: new RpcFault(Faults.NOT_RUNNING, "stop_process_on: db:pg not running on C:3") } });
  t.same(await act(w, "action=pstop&namespec=db%3Apg&ident=C%3A3"), { message: "NOT_RUNNING: stop_process_on: db:pg not running on C:3", gravity: "erro" });
  w = world({ faults: { keepProcessOn: new RpcFault(Faults.STILL_RUNNING, "db:pg on ['C:3']") } });
  t.same((await act(w, "action=pkeep&namespec=db%3Apg&ident=A%3A1"))!.gravity, "erro");
  w = world();
  t.same(await act(w, "action=pstop&ident=A%3A1"), { message: "No process selected", gravity: "erro" });
  t.same(await act(w, "action=pkeep&namespec=db%3Apg"), { message: "No instance selected", gravity: "erro" });
  t.same(await act(w, "action=pkeep&namespec=db%3Apg&ident=nowhere"), { message: "Incorrect ident: nowhere", gravity: "erro" });
  t.same(w.orders, [], "nothing ordered without a target");
  t.match(stamped({ message: "process x stopped on a", gravity: "info" }, NOW).message, /^process x stopped on a at \w{3} \w{3} +\d+ 12:00:00 2026$/);
});
