/**
 * Every page of the dashboard and every button on it, clicked in chromium against a 3-instance
 * cluster, the effect checked over XML-RPC and the footer message on the page:
 * - proc_instance.html (served by a1): Start / Stop / Restart / Clear of a process, Stdout's
 *   stream, the group Start / Stop / Restart, the expand / shrink toggle, the supervisord row's
 *   Clear, a process selected for its statistics (uPlot canvases), Stop all;
 * - host_instance.html on each instance: the node, the CPU / memory / network / disk cards and
 *   their uPlot canvases once statistics exist, the selections (cpuid, disk usage, period);
 * - application.html: Start with each of the six starting strategies (where the process went),
 *   Stop, Restart, the processes' Start / Stop / Restart / Clear, the expanded instance rows;
 * - conciliation.html (served by a2, a0 the Master): conflicts made with supervisor.startProcess
 *   on two or three instances, each per-process strategy link, Stop and Keep, the global box;
 * - last, the Supervisor buttons that take an instance away: Restart Supervisor, Shutdown Supervisor.
 * A screenshot of each page served by each instance goes to test-artifacts/dashboard/.
 */
import os from "node:os";
import t, { type Test } from "tap";
import type { Locator, Page } from "playwright-core";
import { placement, recordOf } from "../helpers/apps.js";
import { poll, stateOf, type ClusterInstance } from "../helpers/cluster.js";
import {
  act,
  actAway as actAwayFrom,
  EVIL_NAME,
  footer,
  EVIL_OUTPUT,
  footerMessages,
  loadPlaywright,
  missingPrerequisite,
  openBrowser,
  screenshot,
  startRig,
  STAMP,
  supervisorState,
  TIMEOUT,
  waitPlacement,
  type FooterMessage,
  type Rig,
} from "./dashboard-harness.js";

const EVIL_NS = `evil:${EVIL_NAME}`;
/** A CSS string literal (attribute selectors of any text, hostile included). */
const q = (s: string) => JSON.stringify(s);
const exact = (label: string) => new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`);
const button = (scope: Locator, label: string) => scope.locator("a.button", { hasText: exact(label) });
const plain = (m: FooterMessage) => [m.gravity, m.text.replace(STAMP, "")];

const pidOf = async (i: ClusterInstance, ns: string) => ((await i.rpc("supervisor.getProcessInfo", ns)) as { pid: number }).pid;
const appState = async (i: ClusterInstance, app: string) => ((await i.rpc("supvisors.get_application_info", app)) as { statename: string }).statename;

async function run(t: Test): Promise<void> {
  const rig = await startRig(t);
  const { a0, a1, a2 } = rig;
  const b = await openBrowser(pw!);
  t.teardown(() => b.close());
  const { page, ctx } = b;

  // ---- proc_instance.html ---------------------------------------------------------------------

  const procRow = (ns: string) => page.locator(`#contents tr.process[data-namespec=${q(ns)}]`);
  const stateIn = async (ns: string) => ((await procRow(ns).locator("td.state").textContent()) ?? "").trim();
  const toProcPage = async () => {
    if (new URL(page.url()).pathname !== "/proc_instance.html" || new URL(page.url()).origin !== new URL(rig.url(a1)).origin) await page.goto(rig.url(a1, "proc_instance.html"));
  };

  await t.test("proc_instance.html: the processes of the serving instance", async (t) => {
    await page.goto(rig.url(a1, "proc_instance.html"));
    t.same(await footerMessages(page), [{ gravity: "warn", text: "The Supvisors rules do NOT apply here" }], "the default warning");
    t.equal((await page.locator("#header .instance-status .nick").textContent())?.trim(), "a1", "the header names the serving instance");
    // The rows are this supervisord's processes, as it reports them.
    const infos = (await a1.rpc("supervisor.getAllProcessInfo")) as { group: string; name: string; statename: string }[];
    const shown = await page.locator("#contents tr.process[data-namespec]").evaluateAll((rows) => rows.map((r) => [r.getAttribute("data-namespec"), (r.querySelector("td.state")?.textContent ?? "").trim()]));
    t.same(shown.sort(), infos.map((i) => [`${i.group}:${i.name}`, i.statename]).sort(), "one row per process of a1, with its state");
    t.equal(await page.locator("#contents tr.supervisord").count(), 1, "the supervisord row");
    t.equal(await page.locator("#contents tr.totals").count(), 1, "the totals row");
  });

  await t.test("proc_instance.html: Start a process (the hostile logger), its Stdout stream, Clear", async (t) => {
    await toProcPage();
    let msg = await act(page, button(procRow(EVIL_NS), "Start"));
    t.same(plain(msg), ["info", `Process ${EVIL_NS} started`]);
    t.equal(await supervisorState(a1, EVIL_NS), "RUNNING", "XML-RPC: started on a1");
    t.equal(await stateIn(EVIL_NS), "RUNNING");
    await poll(async () => (String(await a1.rpc("supervisor.readProcessStdoutLog", EVIL_NS, 0, 0)).includes(EVIL_OUTPUT) ? true : undefined), TIMEOUT, "its output in the log");

    // Stdout: the streaming tail in a new tab.
    await t.test("Stdout opens the stream of its log in a new tab", async (t) => {
      const popup = ctx.waitForEvent("page", { timeout: 10_000 });
      await button(procRow(EVIL_NS), "Stdout").click();
      const tab = await popup;
      t.teardown(() => tab.close());
      await poll(async () => (((await tab.locator("body").textContent().catch(() => "")) ?? "").includes(EVIL_OUTPUT) ? true : undefined), TIMEOUT, "the output in the Stdout stream");
      t.match(new URL(tab.url()).pathname, /^\/logtail\/evil%3A/, "Stdout opens logtail/<namespec>");
      t.equal(await tab.locator("body *").evaluateAll((els) => els.filter((e) => e.tagName !== "PRE").length), 0, "the stream made no element from the log");
    });

    // Clear: the logs are emptied.
    msg = await act(page, button(procRow(EVIL_NS), "Clear"));
    t.same(plain(msg), ["info", `Log for ${EVIL_NS} cleared`]);
    t.equal(await a1.rpc("supervisor.readProcessStdoutLog", EVIL_NS, 0, 0), "", "XML-RPC: the log is empty");
  });

  await t.test("proc_instance.html: Start, Restart, Stop of a process", async (t) => {
    await toProcPage();
    let msg = await act(page, button(procRow("web:db"), "Start"));
    t.same(plain(msg), ["info", "Process web:db started"]);
    t.equal(await supervisorState(a1, "web:db"), "RUNNING");
    const pid = await pidOf(a1, "web:db");
    t.equal(await button(procRow("web:db"), "Start").count(), 0, "a running process offers no Start");
    msg = await act(page, button(procRow("web:db"), "Restart"));
    t.same(plain(msg), ["info", "Process web:db restarted"]);
    t.equal(await supervisorState(a1, "web:db"), "RUNNING");
    t.not(await pidOf(a1, "web:db"), pid, "XML-RPC: a new pid");
    msg = await act(page, button(procRow("web:db"), "Stop"));
    t.same(plain(msg), ["info", "Process web:db stopped"]);
    t.equal(await supervisorState(a1, "web:db"), "STOPPED");
    t.equal(await stateIn("web:db"), "STOPPED");
  });

  await t.test("proc_instance.html: the group Start, Restart, Stop; shrink and expand", async (t) => {
    await toProcPage();
    const webRow = page.locator('#contents tr.application[data-application="web"]');
    const webProcs = ["web:api_0", "web:api_1", "web:db", "web:front"];
    let msg = await act(page, button(webRow, "Start"));
    t.same(plain(msg), ["info", "Group web:* started"]);
    for (const ns of webProcs) t.equal(await supervisorState(a1, ns), "RUNNING", `XML-RPC: ${ns} started`);
    const pids = await Promise.all(webProcs.map((ns) => pidOf(a1, ns)));
    msg = await act(page, button(webRow, "Restart"));
    t.same(plain(msg), ["info", "Group web:* restarted"]);
    for (const [n, ns] of webProcs.entries()) {
      t.equal(await supervisorState(a1, ns), "RUNNING", `XML-RPC: ${ns} running again`);
      t.not(await pidOf(a1, ns), pids[n], `XML-RPC: ${ns} has a new pid`);
    }
    await screenshot(page, "proc_instance-a1");
    msg = await act(page, button(webRow, "Stop"));
    t.same(plain(msg), ["info", "Group web:* stopped"]);
    for (const ns of webProcs) t.equal(await supervisorState(a1, ns), "STOPPED", `XML-RPC: ${ns} stopped`);

    await Promise.all([page.waitForURL(/ashex=/), webRow.locator("a.shex-toggle").click()]);
    t.equal(await procRow("web:db").count(), 0, "shrunk: web's processes hidden");
    t.equal(await procRow("dup:p").count(), 1, "the other applications stay expanded");
    await Promise.all([page.waitForURL(/ashex=/), page.locator('#contents tr.application[data-application="web"] a.shex-toggle').click()]);
    t.equal(await procRow("web:db").count(), 1, "expanded again");
  });

  await t.test("proc_instance.html: the supervisord row; a process's statistics drawn with uPlot", async (t) => {
    await toProcPage();
    const before = String(await a1.rpc("supervisor.readLog", 0, 0)).length;
    const msg = await act(page, button(page.locator("#contents tr.supervisord"), "Clear"));
    t.same(plain(msg), ["info", "Log for Supervisor cleared"]);
    t.ok(String(await a1.rpc("supervisor.readLog", 0, 0)).length < before, "XML-RPC: the main log was cleared");
    t.equal(await button(page.locator("#contents tr.supervisord"), "Stop").getAttribute("href"), await button(page.locator("#header"), "Shutdown Supervisor").getAttribute("href"), "supervisord's Stop is Shutdown Supervisor");
    t.equal(await button(page.locator("#contents tr.supervisord"), "Restart").getAttribute("href"), await button(page.locator("#header"), "Restart Supervisor").getAttribute("href"), "supervisord's Restart is Restart Supervisor");

    await poll(async () => {
      await page.goto(rig.url(a1, "proc_instance.html"));
      return (await procRow("lonely:lonely").locator("td.stat a.button").count()) === 2 ? true : undefined;
    }, TIMEOUT, "CPU / MEM figures of lonely");
    await Promise.all([page.waitForURL(/processname=lonely/), procRow("lonely:lonely").locator("td.stat a.button").first().click()]);
    const panel = page.locator('#contents .stats-panel[data-namespec="lonely:lonely"]');
    t.equal(await panel.count(), 1, "the detailed statistics of lonely");
    await poll(async () => ((await panel.locator(".chart canvas").count()) >= 2 ? true : undefined), TIMEOUT, "two uPlot canvases in the panel");
    t.equal(await panel.locator(".chart").count(), 2, "CPU and MEM charts");
    await screenshot(page, "proc_instance-a1-stats");
  });

  await t.test("proc_instance.html: Stop all; the page of each instance", async (t) => {
    await page.goto(rig.url(a1, "proc_instance.html"));
    const msg = await act(page, button(page.locator("#header"), "Stop all"));
    t.same(plain(msg), ["info", "All stopped"]);
    const after = (await a1.rpc("supervisor.getAllProcessInfo")) as { group: string; name: string; statename: string }[];
    t.same(after.filter((p) => ["RUNNING", "STARTING", "BACKOFF", "STOPPING"].includes(p.statename)).map((p) => p.name), [], "XML-RPC: every process of a1 stopped");
    t.equal(await supervisorState(a0, "lonely:lonely"), "RUNNING", "the other instances' are untouched");

    for (const i of [a0, a2]) {
      await page.goto(rig.url(i, "proc_instance.html"));
      t.equal((await page.locator("#header .instance-status .nick").textContent())?.trim(), i.spec.nick);
      await screenshot(page, `proc_instance-${i.spec.nick}`);
    }
    // A link to another instance's processes page (ident) goes to that instance.
    await page.goto(rig.url(a1, `proc_instance.html?ident=${a2.spec.nick}`));
    t.equal(new URL(page.url()).origin, new URL(rig.url(a2)).origin, "ident=a2 on a1: redirected to a2's own page");
    t.equal((await page.locator("#header .instance-status .nick").textContent())?.trim(), "a2");
  });

  // ---- host_instance.html ---------------------------------------------------------------------

  await t.test("host_instance.html on each instance: the node and its statistics cards, drawn with uPlot", async (t) => {
    for (const i of rig.all) {
      await page.goto(rig.url(i, "proc_instance.html"));
      await Promise.all([page.waitForURL(/host_instance\.html/), page.locator("#header .view-switch a.button").click()]);
      t.equal(new URL(page.url()).origin, new URL(rig.url(i)).origin, `${i.spec.nick}: the Statistics View switch leads to its host page`);
      t.equal((await page.locator("#contents .node-cores").textContent())?.split("/")[1]?.trim(), String(os.cpus().length), `${i.spec.nick}: the logical cores`);
      await poll(async () => {
        if ((await page.locator("#contents .host-card.cpu").count()) > 0) return true;
        await page.reload();
        return undefined;
      }, TIMEOUT, `${i.spec.nick}: host statistics`);
      t.equal(await page.locator("#contents .host-card.cpu tr[data-cpu]").count(), os.cpus().length + 1, "a CPU row per core and cpu#all");
      t.equal(await page.locator("#contents .host-card.mem").count(), 1, "the memory card");
      t.equal(await page.locator("#contents .host-card.net-io").count(), 1, "the network card");
      const charts = await page.locator("#contents .chart").count();
      t.ok(charts >= 4, `charts: cpu, mem, rx, tx at least (${charts})`);
      await poll(async () => ((await page.locator("#contents .chart canvas").count()) >= charts ? true : undefined), TIMEOUT, "a uPlot canvas per chart");
      t.equal(await page.locator("#contents .chart .uplot").count(), charts, "each chart drawn by uPlot");
      await screenshot(page, `host_instance-${i.spec.nick}`);
    }
    // The selections, on a0's host page.
    await page.goto(rig.url(a0, "host_instance.html"));
    await Promise.all([page.waitForURL(/cpuid=1/), button(page.locator("#contents .host-card.cpu"), "cpu#0").click()]);
    t.match(await page.locator('#contents .host-card.cpu tr[data-cpu="1"]').getAttribute("class"), /selected/, "cpu#0 selected");
    t.match(await page.locator("#contents .host-card.cpu .chart").getAttribute("data-key"), /\|cpu\|1\|/, "and plotted");
    if ((await page.locator("#contents .host-card.disk-io").count()) > 0) {
      await Promise.all([page.waitForURL(/diskstats=usage/), button(page.locator("#contents .host-card.disk-io"), "Disk usage").click()]);
      t.equal(await page.locator("#contents .host-card.disk-usage").count(), 1, "the disk usage card");
    }
    await Promise.all([page.waitForURL(/period=30/), button(page.locator("#header .periods"), "30s").click()]);
    t.match(await page.locator("#header .periods .button.active").textContent(), /^30s$/, "period 30s selected");
    await screenshot(page, "host_instance-a0-selected");
    t.equal(await page.locator("#footer .message.gravity-erro").count(), 0, "no parameter was refused on the way");
  });

  // ---- application.html -----------------------------------------------------------------------

  await t.test("application.html: start by each strategy, stop, restart, the processes' buttons", async (t) => {
    const header = page.locator("#header");
    const group = (ns: string) => page.locator(`#contents tbody.process-group[data-namespec=${q(ns)}]`);
    const mainRow = (ns: string) => group(ns).locator("tr.process");
    // ballast first, started from its page: light on a1 (20), heavy on a2 (40), a0 empty.
    await page.goto(rig.url(a1));
    await Promise.all([page.waitForURL(/application\.html/), page.locator('#menu li[data-application="ballast"] a').click()]);
    let msg = await act(page, header.locator("a.button.startapp"));
    t.same(plain(msg), ["info", "Application ballast started"]);
    await waitPlacement(rig, a1, "ballast", { light: ["RUNNING", ["a1"]], heavy: ["RUNNING", ["a2"]] }, "ballast placed by its rules");
    await rig.cluster.waitAll(async (i) => {
      const loads = (await i.rpc("supvisors.get_all_instances_info")) as { identifier: string; loading: number }[];
      return loads.map((l) => `${rig.nick(l.identifier)}=${l.loading}`).sort().join(",") === "a0=0,a1=20,a2=40";
    }, "loads a0=0 a1=20 a2=40 everywhere", TIMEOUT);

    // strat:one (load 5, a1 first in its identifiers) by each strategy, from a1's page.
    const where: Record<string, string> = { CONFIG: "a1", LESS_LOADED: "a0", MOST_LOADED: "a2", LOCAL: "a1", LESS_LOADED_NODE: "a0", MOST_LOADED_NODE: "a2" };
    await page.goto(rig.url(a1, "application.html?appname=strat"));
    t.equal(await header.locator("a.button.strategy").count(), 6, "six strategy buttons");
    for (const [strategy, nick] of Object.entries(where)) {
      await Promise.all([page.waitForURL(new RegExp(`strategy=${strategy}(&|$)`)), button(header, strategy.replaceAll("_", " ")).click()]);
      t.match(await header.locator("a.button.strategy.active").textContent(), exact(strategy.replaceAll("_", " ")), `${strategy} selected`);
      msg = await act(page, header.locator("a.button.startapp"));
      t.same(plain(msg), ["info", "Application strat started"], `${strategy}: started`);
      await waitPlacement(rig, a1, "strat", { one: ["RUNNING", [nick]] }, `${strategy}: strat:one on ${nick}`);
      t.equal(((await mainRow("strat:one").locator("td.where").textContent()) ?? "").trim(), nick, `${strategy}: the row shows it on ${nick}`);
      msg = await act(page, header.locator("a.button.stopapp"));
      t.same(plain(msg), ["info", "Application strat stopped"], `${strategy}: stopped`);
      await waitPlacement(rig, a1, "strat", { one: ["STOPPED", []] }, `${strategy}: strat stopped`);
    }

    // web: Start (its own LESS_LOADED, from the menu link), then its processes' buttons.
    await page.goto(rig.url(a0));
    await Promise.all([page.waitForURL(/application\.html/), page.locator('#menu li[data-application="web"] a').click()]);
    t.equal(new URL(page.url()).searchParams.get("strategy"), "LESS_LOADED");
    msg = await act(page, header.locator("a.button.startapp"));
    t.same(plain(msg), ["info", "Application web started"]);
    t.equal(await appState(a0, "web"), "RUNNING", "XML-RPC: web RUNNING");
    const webPlaces = await placement(a0, "web");
    for (const [name, [state, ids]] of Object.entries(webPlaces)) {
      t.equal(state, "RUNNING", `web:${name} RUNNING`);
      t.equal(ids.length, 1, `web:${name} runs once`);
      t.equal(((await mainRow(`web:${name}`).locator("td.where").textContent()) ?? "").trim(), rig.nick(ids[0]!), `web:${name}: the row says where`);
      t.match(((await mainRow(`web:${name}`).locator("td.desc").textContent()) ?? "").trim(), new RegExp(` on ${rig.nick(ids[0]!)}$`), `web:${name}: the description ends with the instance`);
    }
    for (const i of rig.all) {
      await page.goto(rig.url(i, "application.html?appname=web&strategy=LESS_LOADED"));
      await screenshot(page, `application-${i.spec.nick}`);
    }

    await page.goto(rig.url(a2, "application.html?appname=web&strategy=LESS_LOADED"));
    // The process buttons: Stop, Start (by the page's strategy), Restart, Clear.
    msg = await act(page, mainRow("web:front").locator("a.button.stop"));
    t.same(plain(msg), ["info", "Process web:front stopped"]);
    await waitPlacement(rig, a2, "web", { ...Object.fromEntries(Object.entries(webPlaces).map(([k, [, ids]]) => [k, ["RUNNING", ids.map(rig.nick)]])), front: ["STOPPED", []] }, "front stopped");
    msg = await act(page, mainRow("web:front").locator("a.button.start"));
    t.same(plain(msg), ["info", "Process web:front started"]);
    const frontAt = (await placement(a2, "web")).front!;
    t.equal(frontAt[0], "RUNNING", "XML-RPC: front RUNNING again");
    const frontOn = rig.all.find((i) => i.identifier === frontAt[1][0])!;
    const frontPid = await pidOf(frontOn, "web:front");
    msg = await act(page, mainRow("web:front").locator("a.button.restart"));
    t.same(plain(msg), ["info", "Process web:front restarted"]);
    const again = (await placement(a2, "web")).front!;
    t.equal(again[0], "RUNNING");
    const againOn = rig.all.find((i) => i.identifier === again[1][0])!;
    t.ok(againOn !== frontOn || (await pidOf(againOn, "web:front")) !== frontPid, "XML-RPC: front restarted (a new pid)");
    const dbOn = rig.all.find((i) => i.identifier === (webPlaces.db![1][0]))!;
    msg = await act(page, button(mainRow("web:db"), "Clear"));
    t.same(plain(msg), ["info", "Log for web:db cleared"]);
    t.equal(await dbOn.rpc("supervisor.readProcessStdoutLog", "web:db", 0, 0), "", "XML-RPC: db's log is empty");

    // Expanded: one row per instance where it is configured, with that instance's state.
    await Promise.all([page.waitForURL(/pshex=/), group("web:db").locator("a.shex").click()]);
    const details = await group("web:db").locator("tr.detail").evaluateAll((rows) => rows.map((r) => [r.getAttribute("data-identifier"), (r.querySelector("td.state")?.textContent ?? "").trim()]));
    const records = await Promise.all(rig.all.map(async (i) => [i.identifier, (await recordOf(a2, i, "web:db")).statename]));
    t.same(details, records, "the record of web:db on each instance");
    await screenshot(page, "application-a2-expanded");

    // Restart, then Stop the whole application.
    const dbPid = (await recordOf(a2, dbOn, "web:db")).pid;
    msg = await act(page, header.locator("a.button.restartapp"));
    t.same(plain(msg), ["info", "Application web restarted"]);
    await poll(async () => ((await appState(a2, "web")) === "RUNNING" ? true : undefined), TIMEOUT, "web RUNNING after the restart");
    const newDb = (await placement(a2, "web")).db!;
    const newDbOn = rig.all.find((i) => i.identifier === newDb[1][0])!;
    t.ok(newDbOn !== dbOn || (await recordOf(a2, newDbOn, "web:db")).pid !== dbPid, "XML-RPC: db restarted");
    msg = await act(page, header.locator("a.button.stopapp"));
    t.same(plain(msg), ["info", "Application web stopped"]);
    await waitPlacement(rig, a2, "web", { api_0: ["STOPPED", []], api_1: ["STOPPED", []], db: ["STOPPED", []], front: ["STOPPED", []] }, "web stopped");
    t.equal(await appState(a2, "web"), "STOPPED");
    // An action refused: the fault in red.
    msg = await act(page, header.locator("a.button.stopapp"));
    t.equal(msg.gravity, "erro", `stopping a stopped application: ${msg.text}`);
  });

  // ---- conciliation.html ----------------------------------------------------------------------

  await t.test("conciliation.html: the conflicts, each strategy, Stop, Keep, the global box", async (t) => {
    const conflicts = async () => ((await a2.rpc("supvisors.get_conflicts")) as { process_name: string }[]).map((c) => c.process_name).sort();
    const allIn = (state: string) => rig.cluster.waitAll(async (i) => (await stateOf(i)).fsm_statename === state, `${state} everywhere`, TIMEOUT);
    /** Runs dup:<name> on each of `on`, in order (the last is the youngest): a conflict. */
    const conflict = async (name: string, on: ClusterInstance[]) => {
      for (const i of on) await i.slowRpc(TIMEOUT, "supervisor.startProcess", `dup:${name}`, true);
      await waitPlacement(rig, a2, "dup", { ...Object.fromEntries(Object.entries(await placement(a2, "dup")).map(([k, [s, ids]]) => [k, [s, ids.map(rig.nick)]])), [name]: ["RUNNING", on.map((i) => i.spec.nick)] }, `dup:${name} on ${on.map((i) => i.spec.nick)}`);
      await allIn("CONCILIATION");
    };
    const resolved = async () => {
      await allIn("OPERATION");
      t.same(await conflicts(), [], "no conflict left");
    };
    const open = async () => {
      await page.goto(rig.url(a2, "conciliation.html"));
      return page.locator("#contents table.conflicts");
    };
    const strategyLink = (ns: string | null, label: string) =>
      ns === null ? button(page.locator("#contents .global-strategies"), label) : button(page.locator(`#contents tr.conflict[data-namespec=${q(ns)}]`), label);
    /** Clicks a strategy link: it goes to the Master's page, which says what it did. */
    const conciliate = async (ns: string | null, label: string) => {
      const link = strategyLink(ns, label);
      t.equal(new URL((await link.getAttribute("href"))!, page.url()).origin, new URL(rig.url(a0)).origin, `${label}: sent to the Master (a0)`);
      const msg = await act(page, link);
      t.equal(new URL(page.url()).origin, new URL(rig.url(a0)).origin, "the Master's page answers");
      return msg;
    };

    await page.goto(rig.url(a2, "conciliation.html"));
    t.equal(((await page.locator("#contents .no-conflict").textContent()) ?? "").trim(), "No conflict", "no conflict in OPERATION");

    // SENICIDE from the per-process links: the youngest (a1) stays.
    await conflict("p", [a0, a1]);
    await page.goto(rig.url(a2));
    const stateLink = page.locator("#header .sstate a");
    t.match(await stateLink.textContent(), /^CONCILIATION >>$/, "the main page's state links to the conciliation page");
    await Promise.all([page.waitForURL(/conciliation\.html/), stateLink.click()]);
    const table = page.locator("#contents table.conflicts");
    t.equal(await table.locator("tr.conflict").count(), 1, "one conflict");
    const rows = await table.locator('tr.conflict-instance[data-namespec="dup:p"]').evaluateAll((trs) => trs.map((r) => [r.getAttribute("data-identifier"), (r.querySelector("td.uptime")?.textContent ?? "").trim()]));
    t.same(rows.map((r) => r[0]), [a0.identifier, a1.identifier], "a row per instance where it runs");
    t.ok(rows.every((r) => /^\d+:\d\d:\d\d$/.test(r[1]!)), `uptimes H:MM:SS (${rows.map((r) => r[1])})`);
    t.equal(await table.locator("tr.conflict a.strategy").count(), 5, "five strategies (USER is not offered)");
    for (const i of rig.all) {
      await page.goto(rig.url(i, "conciliation.html"));
      await screenshot(page, `conciliation-${i.spec.nick}`);
    }
    await open();
    let msg = await conciliate("dup:p", "Senicide");
    t.same(plain(msg), ["info", "SENICIDE in progress for dup:p"]);
    await resolved();
    t.same((await placement(a0, "dup")).p, ["RUNNING", [a1.identifier]], "SENICIDE: the youngest (a1) kept");
    await a0.slowRpc(TIMEOUT, "supvisors.stop_process", "dup:p", true);

    // INFANTICIDE: the oldest (a2) stays.
    await conflict("p", [a2, a0]);
    await open();
    msg = await conciliate("dup:p", "Infanticide");
    t.same(plain(msg), ["info", "INFANTICIDE in progress for dup:p"]);
    await resolved();
    t.same((await placement(a0, "dup")).p, ["RUNNING", [a2.identifier]], "INFANTICIDE: the oldest (a2) kept");
    await a0.slowRpc(TIMEOUT, "supvisors.stop_process", "dup:p", true);

    // STOP: stopped everywhere.
    await conflict("p", [a1, a2]);
    await open();
    msg = await conciliate("dup:p", "Stop");
    t.same(plain(msg), ["info", "STOP in progress for dup:p"]);
    await resolved();
    await waitPlacement(rig, a0, "dup", { p: ["STOPPED", []], q: ["STOPPED", []] }, "STOP: dup:p stopped everywhere");

    // RESTART: stopped everywhere, then started once by dup's strategy (CONFIG: a2 first).
    await conflict("p", [a0, a1]);
    await open();
    msg = await conciliate("dup:p", "Restart");
    t.same(plain(msg), ["info", "RESTART in progress for dup:p"]);
    await waitPlacement(rig, a0, "dup", { p: ["RUNNING", ["a2"]], q: ["STOPPED", []] }, "RESTART: dup:p once, on a2");
    await resolved();
    await a0.slowRpc(TIMEOUT, "supvisors.stop_process", "dup:p", true);

    // RUNNING_FAILURE: q stopped everywhere, then its RESTART_PROCESS starts it once (a2).
    await conflict("q", [a0, a1]);
    await open();
    msg = await conciliate("dup:q", "Running Failure");
    t.same(plain(msg), ["info", "RUNNING_FAILURE in progress for dup:q"]);
    await waitPlacement(rig, a0, "dup", { p: ["STOPPED", []], q: ["RUNNING", ["a2"]] }, "RUNNING_FAILURE: dup:q restarted once, on a2");
    await resolved();
    await a0.slowRpc(TIMEOUT, "supvisors.stop_process", "dup:q", true);

    // Stop on one instance.
    await conflict("p", [a0, a2]);
    await open();
    msg = await act(page, page.locator(`#contents tr.conflict-instance[data-namespec="dup:p"][data-identifier=${q(a0.identifier)}] a.button.pstop`));
    t.same(plain(msg), ["info", "process dup:p stopped on a0"]);
    await waitPlacement(rig, a0, "dup", { p: ["RUNNING", ["a2"]], q: ["STOPPED", []] }, "Stop on a0: dup:p only on a2");
    await resolved();
    await a0.slowRpc(TIMEOUT, "supvisors.stop_process", "dup:p", true);

    // Keep on one instance (of three).
    await conflict("p", [a0, a1, a2]);
    await open();
    t.equal(await page.locator('#contents tr.conflict-instance[data-namespec="dup:p"]').count(), 3, "three instances in conflict");
    msg = await act(page, page.locator(`#contents tr.conflict-instance[data-namespec="dup:p"][data-identifier=${q(a1.identifier)}] a.button.pkeep`));
    t.same(plain(msg), ["info", "processes dup:p stopped but on a1"]);
    await waitPlacement(rig, a0, "dup", { p: ["RUNNING", ["a1"]], q: ["STOPPED", []] }, "Keep on a1: dup:p only on a1");
    await resolved();
    await a0.slowRpc(TIMEOUT, "supvisors.stop_process", "dup:p", true);

    // The global box: one strategy for every conflict.
    const globals: [string, string, Record<string, [string, string[]]>][] = [
      ["Senicide", "SENICIDE", { p: ["RUNNING", ["a1"]], q: ["RUNNING", ["a0"]] }],
      ["Infanticide", "INFANTICIDE", { p: ["RUNNING", ["a0"]], q: ["RUNNING", ["a2"]] }],
      ["Stop", "STOP", { p: ["STOPPED", []], q: ["STOPPED", []] }],
      ["Restart", "RESTART", { p: ["RUNNING", ["a2"]], q: ["RUNNING", ["a2"]] }],
      ["Running Failure", "RUNNING_FAILURE", { p: ["STOPPED", []], q: ["RUNNING", ["a2"]] }],
    ];
    for (const [label, strategy, expected] of globals) {
      await conflict("p", [a0, a1]);
      await conflict("q", [a2, a0]);
      await open();
      t.equal(await page.locator("#contents tr.conflict").count(), 2, `${strategy}: two conflicts`);
      msg = await conciliate(null, label);
      t.same(plain(msg), ["info", `${strategy} in progress for all conflicts`]);
      await waitPlacement(rig, a0, "dup", expected, `global ${strategy}`);
      await resolved();
      for (const name of ["p", "q"]) await a0.slowRpc(TIMEOUT, "supvisors.stop_process", `dup:${name}`, true).catch(() => {});
      await waitPlacement(rig, a0, "dup", { p: ["STOPPED", []], q: ["STOPPED", []] }, "dup stopped");
    }
    // Nothing to conciliate: the Master refuses outside CONCILIATION.
    await page.goto(rig.url(a0, "conciliation.html"));
    msg = await act(page, button(page.locator("#contents .global-strategies"), "Stop"));
    t.equal(msg.gravity, "erro");
    t.match(msg.text, /BAD_SUPVISORS_STATE: invalid Supvisors state=OPERATION/);
  });

  // ---- last: the buttons that take an instance away ---------------------------------------------

  const actAway = (link: Locator) => actAwayFrom(page, link);

  await t.test("proc_instance.html: Restart Supervisor, then Shutdown Supervisor (a2)", async (t) => {
    const counter = async () => ((await a2.rpc("supvisors.get_instance_info", a2.identifier)) as { remote_sequence_counter: number }[])[0]!.remote_sequence_counter;
    const before = { counter: await counter(), lonely: await pidOf(a2, "lonely:lonely") };
    await page.goto(rig.url(a2, "proc_instance.html"));
    const restart = await actAway(button(page.locator("#header"), "Restart Supervisor"));
    t.equal(restart.url.searchParams.get("gravity"), "warn");
    t.match(restart.url.searchParams.get("message"), /^Supervisor restart requested at /, "the redirect carries the message");
    await poll(async () => ((await counter()) < before.counter && (await pidOf(a2, "lonely:lonely")) !== before.lonely && (await stateOf(a2)).fsm_statename === "OPERATION" ? true : undefined), TIMEOUT, "a2 restarted");
    t.pass("XML-RPC: a2 restarted (a new TICK counter, lonely restarted), back in OPERATION");
    t.ok(a2.running, "in place: the same daemon process");
    t.ok(restart.loaded, "the redirected page loaded before a2 went away", { todo: restart.loaded ? false : "the daemon restarts before the browser follows the 303" });
    // The message is in the URL: once a2 is back, its page shows it.
    await page.goto(restart.url.href);
    t.same(plain(await footer(page)), ["warn", "Supervisor restart requested"], "the footer, on the restarted a2");
    await rig.cluster.waitAll(async (i) => ((await i.rpc("supvisors.get_instance_info", a2.identifier)) as { statename: string }[])[0]!.statename === "RUNNING", "a2 RUNNING for every instance", TIMEOUT);

    await page.goto(rig.url(a2, "proc_instance.html"));
    const shutdown = await actAway(button(page.locator("#header"), "Shutdown Supervisor"));
    t.equal(shutdown.url.searchParams.get("gravity"), "warn");
    t.match(shutdown.url.searchParams.get("message"), /^Supervisor shutdown requested at /, "the redirect carries the message");
    t.equal(await a2.waitExit(TIMEOUT), 0, "a2's supervisord exited");
    if (!shutdown.loaded) t.comment("the page after Shutdown Supervisor did not load: a2 was already gone");
    await poll(async () => (((await a0.rpc("supvisors.get_instance_info", a2.identifier)) as { statename: string }[])[0]!.statename !== "RUNNING" ? true : undefined), TIMEOUT, "a0 sees a2 gone");
    t.equal(a0.running && a1.running, true, "a0 and a1 still run");
  });

  t.same(b.dialogs, [], "no dialog opened on any page");
  t.same(b.pageErrors, [], "no script error on any page");
}

const pw = await loadPlaywright();
const missing = missingPrerequisite(pw);
if (missing) t.plan(0, `skipped: ${missing}`);
else await t.test("every page and button of the dashboard in chromium", (t) => run(t));
