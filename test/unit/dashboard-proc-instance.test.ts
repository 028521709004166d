/**
 * The processes section of the Supervisor page (proc_instance.html, spec §11.6) rendered from a
 * fake DashboardPort: the header, the table's rows and their order, state classes, which buttons
 * are links, the action URLs, sums and totals, ashex, the selected process's statistics, the
 * rejected parameters, escaping; then each action's RPC, wait flag and footer message.
 */
import t from "tap";
import { Faults, RpcFault } from "../../src/supervisord/rpc/faults.js";
import { SupvisorsFaultCodes } from "../../src/protocol/faults.js";
import { PROC_INSTANCE_PAGE } from "../../src/web/dashboard/pages/proc-instance-page.js";
import { HOST_INSTANCE_PAGE } from "../../src/web/dashboard/pages/host-instance-page.js";
import { applicationInfo, FakeDashboardPort, FakeSupervisor, processHistory, renderPage, runPageAction } from "../helpers/dashboard-fake-port.js";

const PAGE = PROC_INSTANCE_PAGE;

// ---- reading the HTML --------------------------------------------------------------------------

const decode = (s: string) => s.replaceAll("&amp;", "&").replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"').replaceAll("&#39;", "'");

/** The rows of the process table's body, in order. */
function bodyRows(page: string): string[] {
  const table = page.slice(page.indexOf('<table class="process-table">'));
  const body = table.slice(table.indexOf("<tbody>"), table.indexOf("</tbody>"));
  return body.match(/<tr[\s\S]*?<\/tr>/g) ?? [];
}

/** `process:<ns>`, `application:<app>`, `supervisord`: what each row is. */
function rowKinds(page: string): string[] {
  return bodyRows(page).map((tr) => {
    const app = /data-application="([^"]*)"/.exec(tr);
    if (app) return `application:${decode(app[1]!)}`;
    const ns = decode(/data-namespec="([^"]*)"/.exec(tr)![1]!);
    return ns === "supervisord" ? "supervisord" : `process:${ns}`;
  });
}

function row(page: string, key: string): string {
  const found = bodyRows(page).find((tr) => tr.includes(`data-namespec="${key}"`) || tr.includes(`data-application="${key}"`));
  if (!found) throw new Error(`no row ${key}`);
  return found;
}

/** The href of the button labelled `label` in a fragment; null when greyed; throws when absent. */
function buttonHref(fragment: string, label: string): string | null {
  const link = new RegExp(`<a class="button[^"]*" href="([^"]*)"[^>]*>${label}</a>`).exec(fragment);
  if (link) return decode(link[1]!);
  if (new RegExp(`<span class="button[^"]*off[^"]*">${label}</span>`).test(fragment)) return null;
  throw new Error(`no button ${label} in ${fragment}`);
}

/** The text of the cells of a row (tags stripped). */
function cells(tr: string): string[] {
  return (tr.match(/<td[^>]*>[\s\S]*?<\/td>/g) ?? []).map((td) => decode(td.replace(/<[^>]+>/g, "")));
}

const footer = (page: string) => decode(page.slice(page.indexOf('<footer id="footer"'), page.indexOf("</footer>")).replace(/<[^>]+>/g, " "));
const header = (page: string) => page.slice(page.indexOf('<header id="header"'), page.indexOf("</header>"));

// ---- the world ---------------------------------------------------------------------------------

/** A: web (single, main), db (db_0 running, db_1 exited unexpectedly, db_2 stopped disabled), tools:tool (alone but not main). */
function world(): FakeDashboardPort {
  const port = new FakeDashboardPort();
  const local = port.local.identifier;
  port.addLocalProcess("web", "web", "RUNNING", { has_stderr: true }, { load: 10 });
  port.addLocalProcess("db", "db_1", "EXITED", { expected: false, description: "Jan 15 11:00 AM" }, { load: 4 });
  port.addLocalProcess("db", "db_0", "RUNNING", {}, { load: 5, crashed: true });
  port.addLocalProcess("db", "db_2", "STOPPED", { disabled: true, has_stdout: false }, { load: 3 });
  port.addLocalProcess("tools", "tool", "BACKOFF", { has_stdout: false, description: "Exited too quickly" }, { load: 2 });
  port.applications = [applicationInfo("web", "RUNNING"), applicationInfo("db", "RUNNING", { minor_failure: true }), applicationInfo("tools", "STARTING"), applicationInfo("aaa_elsewhere", "STOPPED")];
  port.setProcessHistory(local, "db:db_0", 5, processHistory([1, 2, 3], [10, 11, 12]));
  port.setProcessHistory(local, "web:web", 5, processHistory([4, 5.5], [20, 21.25]));
  port.setProcessHistory(local, "db:db_1", 5, processHistory([9], [9]));
  port.setProcessHistory(local, "supervisord", 5, processHistory([0.5, 0.75], [1, 1.5]));
  port.setProcessHistory(local, "web:web", 15, processHistory([7], [30]));
  return port;
}

// ---- rendering ---------------------------------------------------------------------------------

t.test("rows: applications sorted, processes sorted, application rows only when needed, supervisord last", async (t) => {
  const page = renderPage(PAGE, world());
  t.same(rowKinds(page), ["application:db", "process:db:db_0", "process:db:db_1", "process:db:db_2", "application:tools", "process:tools:tool", "process:web:web", "supervisord"]);
  t.match(row(page, "db:db_0"), /class="process child/, "processes under an application row are children");
  t.notMatch(row(page, "web:web"), /child/, "a main process stands alone");
  t.match(page, /<tfoot><tr class="totals">/, "a totals row");
  t.match(page, /<title>Supvisors – A processes<\/title>/);
});

t.test("state cells: colour classes and modifiers", async (t) => {
  const page = renderPage(PAGE, world());
  const state = (ns: string) => /<td class="state"><span class="([^"]*)">([A-Z]+)<\/span>/.exec(row(page, ns))!.slice(1);
  t.same(state("db:db_0"), ["pstate pstate-RUNNING crashed", "RUNNING"]);
  t.same(state("db:db_1"), ["pstate pstate-EXITED unexpected", "EXITED"]);
  t.same(state("db:db_2"), ["pstate pstate-STOPPED disabled", "STOPPED"]);
  t.same(state("tools:tool"), ["pstate pstate-BACKOFF", "BACKOFF"]);
  t.same(state("web:web"), ["pstate pstate-RUNNING", "RUNNING"]);
  t.same(state("supervisord"), ["pstate pstate-RUNNING", "RUNNING"]);
  // the application rows: the application state and its operational status
  t.match(row(page, "db"), /<span class="astate astate-RUNNING">RUNNING<\/span><\/td><td class="desc">Degraded<\/td>/);
  t.match(row(page, "tools"), /<span class="astate astate-STARTING">STARTING<\/span><\/td><td class="desc"><\/td>/);
});

t.test("process rows: name, description, load, statistics, buttons and their URLs", async (t) => {
  const page = renderPage(PAGE, world());
  const db0 = row(page, "db:db_0");
  t.same(cells(db0).slice(1, 7), ["db_0", "RUNNING", "pid 4242, uptime 0:01:40", "5", "3.00", "12.00"]);
  t.match(db0, /<a href="tail\.html\?processname=db%3Adb_0&amp;limit=1024" target="_blank">db_0<\/a>/, "the name links to the tail page");
  t.equal(buttonHref(db0, "Start"), null, "no start for a running process");
  t.equal(buttonHref(db0, "Stop"), "proc_instance.html?action=stop&namespec=db%3Adb_0");
  t.equal(buttonHref(db0, "Restart"), "proc_instance.html?action=restart&namespec=db%3Adb_0");
  t.equal(buttonHref(db0, "Clear"), "proc_instance.html?action=clearlog&namespec=db%3Adb_0");
  t.equal(buttonHref(db0, "3.00"), "proc_instance.html?processname=db%3Adb_0", "the CPU value selects the process");
  t.equal(buttonHref(db0, "12.00"), "proc_instance.html?processname=db%3Adb_0", "so does the MEM value");
  t.match(db0, /<a class="button small" href="logtail\/db%3Adb_0" target="_blank">Stdout<\/a>/);
  t.equal(buttonHref(db0, "Stderr"), null, "no stderr log");

  const db1 = row(page, "db:db_1");
  t.equal(buttonHref(db1, "Start"), "proc_instance.html?action=start&namespec=db%3Adb_1", "an exited process can start");
  t.equal(buttonHref(db1, "Stop"), null);
  t.equal(buttonHref(db1, "Restart"), null);
  t.same(cells(db1).slice(5, 7), ["9.00", "9.00"], "the last value of a one-value series");

  const db2 = row(page, "db:db_2");
  t.equal(buttonHref(db2, "Start"), null, "a disabled process cannot start");
  t.equal(buttonHref(db2, "Stdout"), null);
  t.equal(buttonHref(db2, "Clear"), null, "no log to clear");
  t.same(cells(db2).slice(1, 2), ["db_2"]);
  t.notMatch(db2, /tail\.html/, "no tail link without a stdout log");
  t.same(cells(db2).slice(5, 7), ["--", "--"], "no statistics");

  const tool = row(page, "tools:tool");
  t.equal(buttonHref(tool, "Stop"), "proc_instance.html?action=stop&namespec=tools%3Atool", "BACKOFF is running-like");
  t.equal(buttonHref(tool, "Restart"), "proc_instance.html?action=restart&namespec=tools%3Atool");
  t.equal(buttonHref(tool, "Start"), null);

  const web = row(page, "web:web");
  t.match(web, /<a class="button small" href="logtail\/web%3Aweb\/stderr" target="_blank">Stderr<\/a>/);
});

t.test("application rows: toggle, name link, sums of the running processes, group buttons", async (t) => {
  const page = renderPage(PAGE, world());
  const db = row(page, "db");
  // db_0 running (5, 3.00, 12.00); db_1 exited and db_2 stopped are not summed
  t.same(cells(db).slice(1, 7), ["db", "RUNNING", "Degraded", "5", "3.00", "12.00"]);
  t.match(db, /<a href="application\.html\?appname=db&amp;strategy=CONFIG">db<\/a>/);
  t.equal(buttonHref(db, "Start"), "proc_instance.html?action=startgroup&namespec=db%3A*");
  t.equal(buttonHref(db, "Stop"), "proc_instance.html?action=stopgroup&namespec=db%3A*");
  t.equal(buttonHref(db, "Restart"), "proc_instance.html?action=restartgroup&namespec=db%3A*");
  t.notMatch(db, /\d\.\d\d<\/a>/, "the sums are not links");
  const tools = row(page, "tools");
  t.same(cells(tools).slice(4, 7), ["2", "--", "--"], "a running process without statistics: its load, no CPU/MEM");
});

t.test("supervisord row and totals", async (t) => {
  const port = world();
  const page = renderPage(PAGE, port);
  const sd = row(page, "supervisord");
  t.match(sd, /<td class="shex"><span class="master" title="Master">✪<\/span><\/td>/, "the Master's star");
  t.match(sd, /<a href="maintail\.html\?processname=supervisord&amp;limit=1024" target="_blank">supervisord<\/a>/);
  t.match(cells(sd)[3]!, new RegExp(`^pid ${process.pid}, uptime \\d+:\\d\\d:\\d\\d$`));
  t.same(cells(sd).slice(5, 7), ["0.75", "1.50"]);
  t.equal(buttonHref(sd, "Start"), null);
  t.equal(buttonHref(sd, "Stop"), "proc_instance.html?action=shutdownsup");
  t.equal(buttonHref(sd, "Restart"), "proc_instance.html?action=restartsup");
  t.equal(buttonHref(sd, "Clear"), "proc_instance.html?action=mainclearlog");
  t.match(sd, /<a class="button small" href="mainlogtail" target="_blank">Stdout<\/a>/);
  t.equal(buttonHref(sd, "Stderr"), null);
  t.equal(buttonHref(sd, "0.75"), "proc_instance.html?processname=supervisord");

  // running: web (10, 5.5, 21.25), db_0 (5, 3, 12), tool (2, no stats); plus supervisord (0.75, 1.5)
  const totals = /<tr class="totals">[\s\S]*?<\/tr>/.exec(page)![0];
  t.same(cells(totals).slice(0, 4), ["TOTAL", "17", "9.25", "34.75"]);

  // not the Master: no star
  port.supvisorsState = { ...port.supvisorsState!, master_identifier: port.instances[1]!.identifier };
  const other = renderPage(PAGE, port);
  t.notMatch(row(other, "supervisord"), /✪/);
  t.notMatch(header(other), /✪/);
});

t.test("totals count the processes of a shrunk application", async (t) => {
  // sorted applications: aaa_elsewhere (bit 0), db (bit 1), tools (bit 2), web (bit 3) -> db shrunk = 0xfd
  const page = renderPage(PAGE, world(), "ashex=fd");
  t.same(rowKinds(page), ["application:db", "application:tools", "process:tools:tool", "process:web:web", "supervisord"]);
  t.match(row(page, "db"), /class="application shrunk/);
  t.match(row(page, "db"), /<a class="shex-toggle" href="proc_instance\.html\?ashex=ff" title="expand">\[\+\]<\/a>/);
  t.match(row(page, "tools"), /<a class="shex-toggle" href="proc_instance\.html\?ashex=f9" title="shrink">\[–\]<\/a>/);
  const totals = /<tr class="totals">[\s\S]*?<\/tr>/.exec(page)![0];
  t.same(cells(totals).slice(0, 4), ["TOTAL", "17", "9.25", "34.75"]);
  // the table corner: both global links while mixed
  t.match(page, /<a class="shex-all expand" href="proc_instance\.html\?ashex=ff" title="expand all">\[\+\]<\/a>/);
  t.match(page, /<a class="shex-all shrink" href="proc_instance\.html\?ashex=00" title="shrink all">\[–\]<\/a>/);
  t.notMatch(footer(page), /Incorrect/);
});

t.test("ashex: default all expanded, all shrunk, and a mask of the wrong size", async (t) => {
  const expanded = renderPage(PAGE, world());
  t.notMatch(expanded, /shex-all expand/, "no expand-all link when everything is expanded");
  t.match(expanded, /shex-all shrink/);
  const shrunk = renderPage(PAGE, world(), "ashex=00");
  t.same(rowKinds(shrunk), ["application:db", "application:tools", "process:web:web", "supervisord"], "a main process has no application row to shrink");
  t.notMatch(shrunk, /shex-all shrink/);
  t.match(shrunk, /shex-all expand/);
  const wrong = renderPage(PAGE, world(), "ashex=ff00");
  t.same(rowKinds(wrong), rowKinds(expanded), "back to the default");
  t.match(footer(wrong), /Incorrect ashex: ff00 at /);
  t.notMatch(footer(wrong), /Supvisors rules/, "the error replaces the default message");
  const nonHex = renderPage(PAGE, world(), "ashex=zz");
  t.match(footer(nonHex), /Incorrect ashex: zz/);
});

t.test("parameters are carried into the links", async (t) => {
  const page = renderPage(PAGE, world(), "period=15&auto=1&ashex=ff");
  const web = row(page, "web:web");
  t.equal(buttonHref(web, "Stop"), "proc_instance.html?action=stop&ashex=ff&auto=true&namespec=web%3Aweb&period=15");
  t.same(cells(web).slice(5, 7), ["7.00", "30.00"], "the values of the selected period");
  t.match(page, /<noscript><meta http-equiv="refresh" content="5"><\/noscript>/);
});

t.test("header: instance, state, modes, statistics options, buttons", async (t) => {
  const port = world();
  port.supvisorsState = { ...port.supvisorsState!, discovery_mode: true };
  port.instancesStateModes = port.instancesStateModes!.map((m) => (m["identifier"] === port.local.identifier ? { ...m, starting_jobs: true } : { ...m, stopping_jobs: true }));
  const page = renderPage(PAGE, port, "period=15");
  const h = header(page);
  t.match(h, /<span class="master" title="Master">✪<\/span> <span class="nick">A<\/span>/);
  t.match(h, /<span class="istate istate-RUNNING">RUNNING<\/span>/);
  t.match(h, /<span class="marker">discovery<\/span><span class="marker blink">starting<\/span><\/div>/, "this instance's own jobs only");
  t.notMatch(h, /stopping/);
  t.match(h, /<span class="button off active">Processes<\/span><a class="button" href="host_instance\.html\?period=15">10\.0\.0\.1<\/a>/);
  t.match(h, /<a class="button" href="proc_instance\.html\?period=5">5s<\/a><span class="button off active">15s<\/span><a class="button" href="proc_instance\.html\?period=60">60s<\/a>/);
  t.equal(buttonHref(h, "Stop all"), "proc_instance.html?action=stopall&period=15");
  t.equal(buttonHref(h, "Restart Supervisor"), "proc_instance.html?action=restartsup&period=15");
  t.equal(buttonHref(h, "Shutdown Supervisor"), "proc_instance.html?action=shutdownsup&period=15");
  t.equal(buttonHref(h, "refresh"), "proc_instance.html?period=15");

  port.statistics = { host_stats: true, process_stats: false, collecting_period: 5 };
  const hostOnly = header(renderPage(PAGE, port));
  t.match(hostOnly, /Statistics View/);
  t.notMatch(hostOnly, /Statistics Period/);
  port.statistics = { host_stats: false, process_stats: true, collecting_period: 5 };
  const procOnly = header(renderPage(PAGE, port));
  t.notMatch(procOnly, /Statistics View/);
  t.match(procOnly, /Statistics Period/);
  port.statistics = { host_stats: false, process_stats: false, collecting_period: 5 };
  t.notMatch(header(renderPage(PAGE, port)), /instance-options/, "no options card without statistics");
});

t.test("without process statistics: no CPU / MEM columns, no panel", async (t) => {
  const port = world();
  port.statistics = { host_stats: false, process_stats: false, collecting_period: 5 };
  const page = renderPage(PAGE, port, "processname=db:db_0");
  t.notMatch(page, /%CPU/);
  t.same(cells(row(page, "db:db_0")).slice(1, 6), ["db_0", "RUNNING", "pid 4242, uptime 0:01:40", "5", "Start"]);
  t.notMatch(page, /stats-panel/);
  t.same(cells(/<tr class="totals">[\s\S]*?<\/tr>/.exec(page)![0]).slice(0, 2), ["TOTAL", "17"]);
});

t.test("the footer: the default warning, a message, errors", async (t) => {
  const page = renderPage(PAGE, world());
  t.match(page, /<div class="message gravity-warn">The Supvisors rules do NOT apply here<\/div>/);
  const msg = renderPage(PAGE, world(), "message=Process%20web%3Aweb%20started%20at%20now&gravity=info");
  t.match(msg, /<div class="message gravity-info">Process web:web started at now<\/div>/);
  t.notMatch(msg, /Supvisors rules/);
});

t.test("the selected process: figures and charts, only when running here or supervisord", async (t) => {
  const port = world();
  const page = renderPage(PAGE, port, "processname=db:db_0");
  const panel = page.slice(page.indexOf('<div class="stats-panel proc-stats"'));
  t.match(panel, /<td class="selected">db:db_0<\/td>/);
  t.match(panel, /<th class="label">Node:<\/th><td>10\.0\.0\.1<\/td>/);
  t.match(panel, /<th class="label">IP Address:<\/th><td>10\.0\.0\.1<\/td>/);
  // cpu [1, 2, 3] at 0, 5, 10: mean 2, slope 0.2 per s × 5 s = 1, stddev sqrt(2/3)
  t.match(panel, /%CPU<\/th><\/tr>[\s\S]*?<td class="num last trend increase">3\.00<\/td><td class="num">2\.00<\/td><td class="num">1\.00<\/td><td class="num">0\.82<\/td>/);
  t.match(panel, /%MEM<\/th><\/tr>[\s\S]*?<td class="num last trend increase">12\.00<\/td><td class="num">11\.00<\/td><td class="num">1\.00<\/td><td class="num">0\.82<\/td>/);
  t.match(panel, /<div class="chart" data-key="proc\|db:db_0\|cpu\|5" data-chart="/);
  t.match(panel, /<div class="chart" data-key="proc\|db:db_0\|mem\|5" data-chart="/);
  const data = JSON.parse(decode(/data-key="proc\|db:db_0\|cpu\|5" data-chart="([^"]*)"/.exec(panel)![1]!));
  t.same([data.x, data.y, data.unit], [[0, 5, 10], [1, 2, 3], "%"]);
  t.match(page, /<script src="\/dashboard\/uplot\.js" defer><\/script>/, "uPlot is loaded");
  t.match(row(page, "db:db_0"), /<a class="button small stat active" href="proc_instance\.html">3\.00<\/a>/, "the selected values unselect");
  t.match(footer(page), /Supvisors rules/, "no error");

  const sd = renderPage(PAGE, port, "processname=supervisord");
  t.match(sd, /<td class="selected">supervisord<\/td>/);
  t.match(sd, /data-key="proc\|supervisord\|cpu\|5"/);

  // running but without statistics yet: the panel, no charts
  const tool = renderPage(PAGE, port, "processname=tools:tool");
  t.match(tool, /<td class="selected">tools:tool<\/td>/);
  t.match(tool, /No statistics yet/);
  t.notMatch(tool, /data-chart=/);
  t.notMatch(tool, /uplot\.js/);

  for (const bad of ["db:db_1", "nope:nope", "db:db_2"]) {
    const rejected = renderPage(PAGE, port, `processname=${encodeURIComponent(bad)}`);
    t.notMatch(rejected, /stats-panel/, `${bad}: no panel`);
    t.match(footer(rejected), new RegExp(`Incorrect processname: ${bad} at `), `${bad}: the footer error`);
    t.equal(buttonHref(row(rejected, "web:web"), "Stop"), "proc_instance.html?action=stop&namespec=web%3Aweb", "the links no longer carry it");
  }
});

t.test("hostile names and descriptions are escaped", async (t) => {
  const port = new FakeDashboardPort();
  port.addLocalProcess("<b>app</b>", 'x"><script>alert(1)</script>', "RUNNING", { description: "<script>alert('d')</script>" });
  port.addLocalProcess("<b>app</b>", "y&z", "STOPPED");
  const page = renderPage(PAGE, port);
  t.notMatch(page, /<script>alert/);
  t.notMatch(page, /<b>app<\/b>/);
  t.match(page, /&lt;script&gt;alert\(&#39;d&#39;\)&lt;\/script&gt;/);
  t.match(page, /data-application="&lt;b&gt;app&lt;\/b&gt;"/);
  t.match(page, /x&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  t.match(page, /href="proc_instance\.html\?action=start&amp;namespec=%3Cb%3Eapp%3C%2Fb%3E%3Ay%26z"/);
  t.match(page, /href="logtail\/%3Cb%3Eapp%3C\/b%3E%3Ay%26z"/);
});

t.test("an empty instance and failing reads still render", async (t) => {
  const port = new FakeDashboardPort();
  port.localProcesses = null;
  port.applications = null;
  port.instancesInfo = null;
  const page = renderPage(PAGE, port);
  t.same(rowKinds(page), ["supervisord"]);
  t.match(header(page), /istate-RUNNING/, "the state from the Supvisors state's instance_states");
});

t.test("each answer is read once per page, even with 1000 processes", async (t) => {
  const port = new FakeDashboardPort();
  for (let a = 0; a < 50; a++) for (let p = 0; p < 20; p++) port.addLocalProcess(`app${String(a).padStart(2, "0")}`, `p${String(p).padStart(2, "0")}`, p % 2 ? "RUNNING" : "STOPPED", {}, { load: 1 });
  const page = renderPage(PAGE, port);
  t.equal(rowKinds(page).length, 50 + 1000 + 1);
  t.equal(port.readCounts.get("getAllLocalProcessInfo"), 1);
  t.equal(port.readCounts.get("getAllInnerProcessInfo"), 1);
  t.equal(port.readCounts.get("getAllApplicationsInfo"), 1);
  t.equal(port.readCounts.get("getProcessRules"), 50, "one rules read per application");
  t.same(cells(/<tr class="totals">[\s\S]*?<\/tr>/.exec(page)![0]).slice(0, 2), ["TOTAL", "500"]);
  const kinds = rowKinds(page);
  t.same([kinds[0], kinds[1], kinds[20], kinds[21], kinds.at(-2), kinds.at(-1)], ["application:app00", "process:app00:p00", "process:app00:p19", "application:app01", "process:app49:p19", "supervisord"]);
});

t.test("expected loads: one read per application, each process alone when that fails", async (t) => {
  const port = world();
  const whole = port.reads.getProcessRules;
  port.reads.getProcessRules = (ns: string) => {
    if (ns === "db:*") throw new RpcFault(Faults.BAD_NAME, ns);
    return whole(ns);
  };
  const page = renderPage(PAGE, port);
  t.same(["db:db_0", "db:db_1", "db:db_2", "web:web"].map((ns) => cells(row(page, ns))[4]), ["5", "4", "3", "10"]);
  t.equal(port.readCounts.get("getProcessRules"), 3 + 2, "tools:* and web:*, then db's three processes alone");
});

t.test("both sections describe the serving instance only", async (t) => {
  t.equal(PAGE.localOnly, true);
  t.equal(HOST_INSTANCE_PAGE.localOnly, true);
});

// ---- actions -----------------------------------------------------------------------------------

t.test("process actions run Supervisor's own, waiting", async (t) => {
  const port = world();
  const sup = new FakeSupervisor();
  let r = await runPageAction(PAGE, port, "action=start&namespec=db:db_1", sup);
  t.same(sup.calls.at(-1), { method: "startProcess", args: ["db:db_1", true] });
  t.same([r.message, r.gravity], ["Process db:db_1 started", "info"]);
  t.match(r.stampedMessage, /^Process db:db_1 started at \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/);

  r = await runPageAction(PAGE, port, "action=stop&namespec=db:db_0", sup);
  t.same(sup.calls.at(-1), { method: "stopProcess", args: ["db:db_0", true] });
  t.same([r.message, r.gravity], ["Process db:db_0 stopped", "info"]);

  sup.calls.length = 0;
  r = await runPageAction(PAGE, port, "action=restart&namespec=web:web", sup);
  t.same(sup.calls.map((c) => [c.method, ...c.args]), [["getProcessInfo", "web:web"], ["stopProcess", "web:web", true], ["startProcess", "web:web", true]]);
  t.same([r.message, r.gravity], ["Process web:web restarted", "info"]);

  r = await runPageAction(PAGE, port, "action=clearlog&namespec=web:web", sup);
  t.same(sup.calls.at(-1), { method: "clearProcessLogs", args: ["web:web"] });
  t.same([r.message, r.gravity], ["Log for web:web cleared", "info"]);
  t.equal(port.calls.length, 0, "nothing through the RPC registry");
});

t.test("process action faults", async (t) => {
  const port = world();
  const sup = new FakeSupervisor();
  sup.faults.startProcess = new RpcFault(SupvisorsFaultCodes.DISABLED, "db:db_2");
  let r = await runPageAction(PAGE, port, "action=start&namespec=db:db_2", sup);
  t.same([r.message, r.gravity], ["Process db:db_2: disabled", "erro"], "Supvisors' DISABLED");

  sup.faults.startProcess = new RpcFault(Faults.SPAWN_ERROR, "db:db_1");
  r = await runPageAction(PAGE, port, "action=start&namespec=db:db_1", sup);
  t.same([r.message, r.gravity], ["ERROR: Process db:db_1: spawn error", "erro"]);

  sup.faults.stopProcess = new RpcFault(Faults.NOT_RUNNING, "db:db_1");
  r = await runPageAction(PAGE, port, "action=stop&namespec=db:db_1", sup);
  t.same([r.message, r.gravity], ["unexpected rpc fault [70] NOT_RUNNING: db:db_1", "erro"]);

  sup.known = new Set(["web:web"]);
  r = await runPageAction(PAGE, port, "action=stop&namespec=ghost:ghost", sup);
  t.same([r.message, r.gravity], ["No such process named ghost:ghost", "erro"]);

  r = await runPageAction(PAGE, port, "action=start", sup);
  t.same([r.message, r.gravity], ["start: no namespec", "erro"]);

  r = await runPageAction(PAGE, port, "action=bogus&namespec=web:web", sup);
  t.same([r.message, r.gravity], ["Unknown action: bogus", "erro"]);
});

t.test("group actions: startProcess('<app>:*') etc. through the registry, wait = not auto", async (t) => {
  const port = world();
  let r = await runPageAction(PAGE, port, "action=startgroup&namespec=db:*");
  t.same(port.calls.at(-1), { method: "supervisor.startProcess", params: ["db:*", true] });
  t.same([r.message, r.gravity], ["Group db:* started", "info"]);

  r = await runPageAction(PAGE, port, "action=startgroup&namespec=db:*&auto=true");
  t.same(port.calls.at(-1), { method: "supervisor.startProcess", params: ["db:*", false] }, "auto-refresh does not wait");

  r = await runPageAction(PAGE, port, "action=stopgroup&namespec=db:*");
  t.same(port.calls.at(-1), { method: "supervisor.stopProcess", params: ["db:*", true] });
  t.same([r.message, r.gravity], ["Group db:* stopped", "info"]);

  r = await runPageAction(PAGE, port, "action=restartgroup&namespec=db:*&auto=1");
  t.same(port.calls.at(-1), {
    method: "system.multicall",
    params: [
      [
        { methodName: "supervisor.stopProcess", params: ["db:*"] },
        { methodName: "supervisor.startProcess", params: ["db:*", false] },
      ],
    ],
  });
  t.same([r.message, r.gravity], ["Group db:* restarted", "info"]);

  // a deferred answer is awaited
  let resolved = false;
  port.onCall = () =>
    new Promise((resolve) =>
      setTimeout(() => {
        resolved = true;
        resolve(true);
      }, 10),
    );
  r = await runPageAction(PAGE, port, "action=stopgroup&namespec=web:*");
  t.ok(resolved, "waited for the stop");

  port.onCall = () => true;
  port.failCall("supervisor.startProcess", Faults.BAD_NAME, "ghost:*");
  r = await runPageAction(PAGE, port, "action=startgroup&namespec=ghost:*");
  t.same([r.message, r.gravity], ["startProcess: BAD_NAME: ghost:*", "erro"]);
  port.onCall = () => Promise.reject(new RpcFault(Faults.FAILED, "boom"));
  r = await runPageAction(PAGE, port, "action=stopgroup&namespec=db:*");
  t.same([r.message, r.gravity], ["stopProcess: FAILED: boom", "erro"]);

  r = await runPageAction(PAGE, port, "action=stopgroup");
  t.same([r.message, r.gravity], ["stopgroup: no namespec", "erro"]);
});

t.test("supervisord actions: stop all, restart, shutdown, clear the main log", async (t) => {
  const port = world();
  let r = await runPageAction(PAGE, port, "action=stopall");
  t.same(port.calls.at(-1), { method: "supervisor.stopAllProcesses", params: [true] });
  t.same([r.message, r.gravity], ["All stopped", "info"]);
  t.match(r.stampedMessage, /^All stopped at /, "Supervisor's wording once stamped");

  r = await runPageAction(PAGE, port, "action=restartsup");
  t.same(port.calls.at(-1), { method: "supervisor.restart", params: [] });
  t.same([r.message, r.gravity], ["Supervisor restart requested", "warn"]);

  r = await runPageAction(PAGE, port, "action=shutdownsup");
  t.same(port.calls.at(-1), { method: "supervisor.shutdown", params: [] });
  t.same([r.message, r.gravity], ["Supervisor shutdown requested", "warn"]);

  r = await runPageAction(PAGE, port, "action=mainclearlog");
  t.same(port.calls.at(-1), { method: "supervisor.clearLog", params: [] });
  t.same([r.message, r.gravity], ["Log for Supervisor cleared", "info"]);

  port.failCall("supervisor.restart", Faults.SHUTDOWN_STATE);
  r = await runPageAction(PAGE, port, "action=restartsup");
  t.same([r.message, r.gravity], ["restart: SHUTDOWN_STATE", "erro"]);
  port.failCall("supervisor.clearLog", Faults.NO_FILE, "/var/log/supervisord.log");
  r = await runPageAction(PAGE, port, "action=mainclearlog");
  t.same([r.message, r.gravity], ["clearLog: NO_FILE: /var/log/supervisord.log", "erro"]);
  port.failCall("supervisor.stopAllProcesses", Faults.SHUTDOWN_STATE);
  r = await runPageAction(PAGE, port, "action=stopall");
  t.same([r.message, r.gravity], ["stopAllProcesses: SHUTDOWN_STATE", "erro"]);

  // the host section has the header's actions too, and only those
  r = await runPageAction(HOST_INSTANCE_PAGE, world(), "action=shutdownsup");
  t.same([r.message, r.gravity], ["Supervisor shutdown requested", "warn"]);
  r = await runPageAction(HOST_INSTANCE_PAGE, world(), "action=startgroup&namespec=db:*");
  t.same([r.message, r.gravity], ["Unknown action: startgroup", "erro"]);
});

t.test("readiness (ours): ready / not ready beside the state, only for programs with a check", async (t) => {
  const port = world();
  port.addLocalProcess("svc", "svc_ready", "RUNNING", { readiness: "ready" }, { load: 1 });
  port.addLocalProcess("svc", "svc_pending", "STARTING", { readiness: "pending" }, { load: 1 });
  port.addLocalProcess("svc", "svc_off", "STOPPED", { readiness: "off" }, { load: 1 });
  const page = renderPage(PAGE, port);
  t.match(row(page, "svc:svc_ready"), /RUNNING<\/span> <span class="readiness ready"[^>]*>ready<\/span><\/td>/);
  t.match(row(page, "svc:svc_pending"), /STARTING<\/span> <span class="readiness not-ready pending"[^>]*>not ready<\/span><\/td>/);
  t.notMatch(row(page, "svc:svc_off"), /class="readiness/, "off: nothing (not running)");
  t.notMatch(row(page, "web:web"), /class="readiness/, "no check: nothing");
});
