/**
 * The Supvisors main page (index.html, spec §11.4) served by each of 3 instances, in chromium:
 * the state and Master, one card per instance (state, load, the processes running there by
 * application), the menu's instances and managed applications with their links (a nick goes to
 * that instance's own page, an application carries its strategy), compared with what XML-RPC
 * reports; then the buttons: Sync (a fault in OPERATION: red footer), Restart and Shutdown (last:
 * their effect on every instance checked over XML-RPC).
 */
import t, { type Test } from "tap";
import type { Page } from "playwright-core";
import { stateOf, poll, type ClusterInstance } from "../helpers/cluster.js";
import { act, actAway, loadPlaywright, missingPrerequisite, openBrowser, screenshot, startRig, STAMP, TIMEOUT, waitPlacement, type Rig } from "./dashboard-harness.js";

interface MainView {
  state: string;
  master: string;
  menuInstances: { id: string; cls: string; text: string; href: string | null }[];
  menuApps: { name: string; cls: string; href: string | null }[];
  cards: {
    id: string;
    title: string;
    nickHref: string | null;
    state: string;
    load: string;
    apps: { name: string; href: string | null; procs: { name: string; href: string | null }[] }[];
  }[];
  generatedBy: string;
}

/**
 * What the main page shows, read from the DOM (text, and links resolved to absolute URLs). A
 * string: tsx's keepNames would wrap named helpers in `__name`, which the page does not have.
 */
const READ_MAIN = `(() => {
  const text = (e) => ((e && e.textContent) || "").trim();
  const href = (e) => (e instanceof HTMLAnchorElement ? e.href : null);
  return {
    state: text(document.querySelector("#header .sstate")),
    master: text(document.querySelector("#header .master")),
    menuInstances: [...document.querySelectorAll("#menu ul.instances > li")].map((li) => ({
      id: li.getAttribute("data-identifier") || "", cls: li.className, text: text(li), href: href(li.querySelector("a")),
    })),
    menuApps: [...document.querySelectorAll("#menu ul.applications > li")].map((li) => ({
      name: li.getAttribute("data-application") || "", cls: li.className, href: href(li.querySelector("a")),
    })),
    cards: [...document.querySelectorAll("#contents .card.instance")].map((c) => ({
      id: c.getAttribute("data-identifier") || "",
      title: text(c.querySelector("thead th")),
      nickHref: href(c.querySelector("thead a.nick")),
      state: text(c.querySelector("thead th.istate")),
      load: text(c.querySelector("thead th.load")),
      apps: [...c.querySelectorAll("tbody tr")].filter((tr) => tr.querySelector("td.appname")).map((tr) => ({
        name: text(tr.querySelector("td.appname")),
        href: href(tr.querySelector("td.appname a")),
        procs: [...tr.querySelectorAll("ul.plist > li")].map((li) => ({ name: text(li), href: href(li.querySelector("a")) })),
      })),
    })),
    generatedBy: ((/ by (.*)$/.exec(text(document.querySelector("#footer .generated")))) || [])[1] || "",
  };
})()`;

function readMain(page: Page): Promise<MainView> {
  return page.evaluate(READ_MAIN) as Promise<MainView>;
}

interface Expected {
  state: string;
  master: string;
  instances: { id: string; nick: string; state: string; loading: number }[];
  running: Map<string, Map<string, string[]>>; // identifier -> application -> process names
  managed: { name: string; state: string; strategy: string }[];
  unmanaged: Set<string>;
}

/** The same, as instance `i` reports it over XML-RPC. */
async function expected(rig: Rig, i: ClusterInstance): Promise<Expected> {
  const s = await stateOf(i);
  const infos = (await i.rpc("supvisors.get_all_instances_info")) as { identifier: string; nick_identifier: string; statename: string; loading: number }[];
  const procs = (await i.rpc("supvisors.get_all_process_info")) as { application_name: string; process_name: string; identifiers: string[] }[];
  const apps = (await i.rpc("supvisors.get_all_applications_info")) as { application_name: string; managed: boolean; statename: string }[];
  const running = new Map<string, Map<string, string[]>>();
  for (const info of infos) running.set(info.identifier, new Map());
  for (const p of procs) {
    for (const id of p.identifiers) {
      const byApp = running.get(id)!;
      byApp.set(p.application_name, [...(byApp.get(p.application_name) ?? []), p.process_name]);
    }
  }
  const managed = [];
  for (const a of apps.filter((x) => x.managed).sort((x, y) => (x.application_name < y.application_name ? -1 : 1))) {
    const rules = (await i.rpc("supvisors.get_application_rules", a.application_name)) as { starting_strategy: string };
    managed.push({ name: a.application_name, state: a.statename, strategy: rules.starting_strategy });
  }
  return {
    state: s.fsm_statename,
    master: rig.nick(s.master_identifier),
    instances: rig.all.map((x) => infos.find((n) => n.identifier === x.identifier)!).map((n) => ({ id: n.identifier, nick: n.nick_identifier, state: n.statename, loading: n.loading })),
    running,
    managed,
    unmanaged: new Set(apps.filter((x) => !x.managed).map((x) => x.application_name)),
  };
}

const origin = (rig: Rig, id: string) => new URL(rig.url(rig.all.find((x) => x.identifier === id)!)).origin;

function checkMain(t: Test, rig: Rig, serving: ClusterInstance, view: MainView, want: Expected): void {
  const masterId = rig.all.find((x) => x.spec.nick === want.master)?.identifier;
  t.equal(view.state, want.state, "the Supvisors state");
  t.equal(view.master, want.master, "the Master's nick");
  t.equal(view.generatedBy, serving.spec.nick, "the footer names the serving instance");

  // Menu: every instance, in configuration order, state class, ✪ on the Master, its processes page.
  t.same(view.menuInstances.map((m) => m.id), want.instances.map((x) => x.id), "menu: every instance, in configuration order");
  for (const [n, m] of view.menuInstances.entries()) {
    const w = want.instances[n]!;
    t.equal(m.text, `${w.id === masterId ? "✪ " : ""}${w.nick}`, `menu: ${w.nick}'s label`);
    t.ok(m.cls.split(" ").includes(`istate-${w.state}`), `menu: ${w.nick} is coloured ${w.state} (${m.cls})`);
    t.equal(m.cls.split(" ").includes("local"), w.id === serving.identifier, `menu: ${w.nick} highlighted only when it serves the page`);
    t.equal(m.href, `${origin(rig, w.id)}/proc_instance.html`, `menu: ${w.nick} links to its own processes page`);
  }
  // Menu: the managed applications, sorted, with their state and their own strategy.
  t.same(view.menuApps.map((a) => a.name), want.managed.map((a) => a.name), "menu: the managed applications, sorted");
  for (const [n, a] of view.menuApps.entries()) {
    const w = want.managed[n]!;
    t.ok(a.cls.split(" ").includes(`astate-${w.state}`), `menu: ${w.name} is coloured ${w.state}`);
    const u = new URL(a.href ?? "about:blank");
    t.equal(u.origin + u.pathname, `${origin(rig, serving.identifier)}/application.html`, `menu: ${w.name} links to this instance's application page`);
    t.equal(u.searchParams.get("appname"), w.name);
    t.equal(u.searchParams.get("strategy"), w.strategy, `menu: the link to ${w.name} carries its strategy ${w.strategy}`);
  }

  // Cards: one per instance, with state, load, and the running processes by application.
  t.same(view.cards.map((c) => c.id), want.instances.map((x) => x.id), "a card per instance, in configuration order");
  for (const [n, c] of view.cards.entries()) {
    const w = want.instances[n]!;
    t.equal(c.title, `${w.id === masterId ? "✪ " : ""}${w.nick}`, `card ${w.nick}: nick (✪ for the Master)`);
    t.equal(c.state, w.state, `card ${w.nick}: state`);
    t.equal(c.load, `${w.loading}%`, `card ${w.nick}: load`);
    t.equal(c.nickHref, `${origin(rig, w.id)}/index.html`, `card ${w.nick}: the nick links to the main page served by ${w.nick}`);
    const byApp = want.running.get(w.id)!;
    const apps = [...byApp.keys()].sort();
    t.same(c.apps.map((a) => a.name), apps, `card ${w.nick}: the applications running there, sorted`);
    for (const a of c.apps) {
      t.same(a.procs.map((p) => p.name).sort(), [...(byApp.get(a.name) ?? [])].sort(), `card ${w.nick}: the processes of ${a.name} running there`);
      const managed = want.managed.find((m) => m.name === a.name);
      if (managed) {
        const u = new URL(a.href ?? "about:blank");
        t.equal(u.origin + u.pathname, `${origin(rig, w.id)}/application.html`, `card ${w.nick}: ${a.name} links to the application page on ${w.nick}`);
        t.equal(u.searchParams.get("appname"), a.name);
        t.equal(u.searchParams.get("strategy"), managed.strategy, `card ${w.nick}: the link to ${a.name} carries its strategy`);
      } else {
        t.ok(want.unmanaged.has(a.name), `${a.name} is an unmanaged application`);
        t.equal(a.href, null, `card ${w.nick}: unmanaged ${a.name} is not a link`);
      }
      for (const p of a.procs) {
        const u = new URL(p.href ?? "about:blank");
        t.equal(u.origin + u.pathname, `${origin(rig, w.id)}/proc_instance.html`, `card ${w.nick}: ${a.name}:${p.name} links to the processes page of ${w.nick}`);
        t.equal(u.searchParams.get("processname"), `${a.name}:${p.name}`, "with the process selected");
      }
    }
  }
}

async function run(t: Test): Promise<void> {
  const rig = await startRig(t);
  const { a0, a1, a2 } = rig;
  const b = await openBrowser(pw!);
  t.teardown(() => b.close());
  const { page } = b;

  // Loads a0 0, a1 20, a2 40+, then the web sequence placed LESS_LOADED.
  t.equal(await a0.slowRpc(TIMEOUT, "supvisors.start_application", "CONFIG", "ballast", true), true);
  t.equal(await a2.slowRpc(TIMEOUT, "supvisors.start_application", "LESS_LOADED", "web", true), true);
  await waitPlacement(rig, a1, "ballast", { light: ["RUNNING", ["a1"]], heavy: ["RUNNING", ["a2"]] }, "ballast placed");
  // Every instance's view has caught up (loads included) before the pages are compared to it.
  await rig.cluster.waitAll(
    async (i) => ((await i.rpc("supvisors.get_application_info", "web")) as { statename: string }).statename === "RUNNING",
    "web RUNNING in every view",
    TIMEOUT,
  );

  for (const serving of rig.all) {
    await t.test(`index.html served by ${serving.spec.nick}`, async (t) => {
      const res = await page.goto(rig.url(serving));
      t.equal(res?.status(), 200);
      t.equal(await page.title(), "Supvisors");
      // The view of the page and the XML-RPC answers are read at different moments: the same
      // once the cluster is quiet (a few reads, with a deadline).
      let view: MainView | null = null;
      let want: Expected | null = null;
      await poll(
        async () => {
          want = await expected(rig, serving);
          await page.reload();
          view = await readMain(page);
          const w2 = await expected(rig, serving);
          return JSON.stringify([...w2.running].map(([k, v]) => [k, [...v]])) === JSON.stringify([...want.running].map(([k, v]) => [k, [...v]])) &&
            JSON.stringify(w2.instances) === JSON.stringify(want.instances)
            ? true
            : undefined;
        },
        TIMEOUT,
        "a quiet cluster",
      );
      checkMain(t, rig, serving, view!, want!);
      // Facts independent of the implementation's view.
      const card = (nick: string) => view!.cards.find((c) => c.id === rig.cluster.byNick(nick).identifier)!;
      t.same(card("a1").apps.find((a) => a.name === "ballast")?.procs.map((p) => p.name), ["light"], "light runs on a1");
      t.same(card("a2").apps.find((a) => a.name === "ballast")?.procs.map((p) => p.name), ["heavy"], "heavy runs on a2");
      for (const c of view!.cards) t.ok(c.apps.find((a) => a.name === "lonely")?.procs.some((p) => p.name === "lonely"), `the unmanaged lonely runs on ${c.id}`);
      t.equal(view!.cards.flatMap((c) => c.apps.filter((a) => a.name === "web").flatMap((a) => a.procs.map((p) => p.name))).sort().join(","), "api_0,api_1,db,front", "the web processes, each once");
      t.equal(view!.state, "OPERATION");
      await screenshot(page, `index-${serving.spec.nick}`);
    });
  }

  await t.test("the links: a nick opens the page served by that instance, an application and a process theirs", async (t) => {
    await page.goto(rig.url(a0));
    await Promise.all([page.waitForURL(`${rig.url(a1)}index.html`), page.locator(`.card.instance[data-identifier="${a1.identifier}"] a.nick`).click()]);
    t.equal((await readMain(page)).generatedBy, "a1", "a1's card nick: a1 serves the page");
    await Promise.all([page.waitForURL(`${rig.url(a2)}index.html`), page.locator(`.card.instance[data-identifier="${a2.identifier}"] a.nick`).click()]);
    t.equal((await readMain(page)).generatedBy, "a2");
    // An application link of a card: the application page on that instance, with the strategy.
    const appLink = page.locator(`.card.instance[data-identifier="${a1.identifier}"] td.appname a`, { hasText: "ballast" });
    const [res] = await Promise.all([page.waitForEvent("response", (r) => r.url().includes("/application.html")), appLink.click()]);
    const u = new URL(page.url());
    t.equal(u.origin, new URL(rig.url(a1)).origin, "the application page of the card's instance");
    t.equal(u.searchParams.get("strategy"), "CONFIG", "with ballast's strategy");
    t.equal(u.searchParams.get("ident"), a1.identifier);
    if (res.status() === 200) t.equal(await page.locator("#footer .message.gravity-erro").count(), 0, "no parameter error");
    else t.comment(`application.html is not served yet (HTTP ${res.status()})`);
    // A process link: the processes page of that instance with the process selected.
    await page.goto(rig.url(a0));
    const procLink = page.locator(`.card.instance[data-identifier="${a2.identifier}"] ul.plist a`, { hasText: "heavy" });
    const [pres] = await Promise.all([page.waitForEvent("response", (r) => r.url().includes("/proc_instance.html")), procLink.click()]);
    const pu = new URL(pres.url());
    t.equal(pu.origin, new URL(rig.url(a2)).origin, "a2's processes page");
    t.equal(pu.searchParams.get("processname"), "ballast:heavy");
  });

  await t.test("Sync: end_sync is refused in OPERATION, the footer says why in red", async (t) => {
    await page.goto(rig.url(a1));
    const msg = await act(page, page.locator("#header a.button", { hasText: /^Sync$/ }));
    t.equal(msg.gravity, "erro");
    t.match(msg.text, /^end_synchro: BAD_SUPVISORS_STATE: .*OPERATION.*SYNCHRONIZATION/);
    t.match(msg.text, STAMP, "stamped with the time");
    t.equal(new URL(page.url()).pathname, "/index.html", "back on the main page");
    for (const i of rig.all) t.equal((await stateOf(i)).fsm_statename, "OPERATION", `${i.spec.nick} still in OPERATION`);
    await screenshot(page, "index-a1-sync-fault");
  });

  await t.test("Restart: every supervisord restarts and the cluster forms again", async (t) => {
    // The effect, seen over XML-RPC: each instance's own TICK counter starts again from 0, and
    // the autostarted lonely runs with a new pid after the restart.
    const counter = async (i: ClusterInstance) => ((await i.rpc("supvisors.get_instance_info", i.identifier)) as { remote_sequence_counter: number }[])[0]!.remote_sequence_counter;
    const lonelyPid = async (i: ClusterInstance) => ((await i.rpc("supervisor.getProcessInfo", "lonely")) as { pid: number }).pid;
    const before = await Promise.all(rig.all.map(async (i) => ({ counter: await counter(i), pid: await lonelyPid(i) })));
    await page.goto(rig.url(a1));
    const msg = await act(page, page.locator("#header a.button", { hasText: /^Restart$/ }));
    t.equal(msg.gravity, "warn");
    t.match(msg.text, /^Supvisors restart requested/);
    t.match(msg.text, STAMP);
    await screenshot(page, "index-a1-restart");
    await rig.cluster.waitAll(
      async (i) => {
        const c = await counter(i);
        const pid = await lonelyPid(i);
        const b0 = before[rig.all.indexOf(i)]!;
        return c < b0.counter && pid !== 0 && pid !== b0.pid && (await stateOf(i)).fsm_statename === "OPERATION";
      },
      "every instance restarted, back in OPERATION",
      TIMEOUT,
    );
    t.pass("every instance restarted (new TICK counters, lonely restarted) and is in OPERATION");
  });

  await t.test("Shutdown: every supervisord exits", async (t) => {
    await page.goto(rig.url(a2));
    // The answer (a 303 carrying the message) comes before the daemons go; the page it points to
    // may already be gone when the browser follows it.
    const away = await actAway(page, page.locator("#header a.button", { hasText: /^Shutdown$/ }));
    t.equal(away.url.searchParams.get("gravity"), "warn");
    t.match(away.url.searchParams.get("message"), /^Supvisors shutdown requested/);
    const codes = await Promise.all(rig.all.map((i) => i.waitExit(TIMEOUT)));
    t.same(codes, [0, 0, 0], "every daemon exited cleanly");
    for (const i of rig.all) await t.rejects(i.rpc("supervisor.getState"), `${i.spec.nick} no longer answers XML-RPC`);
  });
}

const pw = await loadPlaywright();
const missing = missingPrerequisite(pw);
if (missing) t.plan(0, `skipped: ${missing}`);
else await t.test("the Supvisors main page in chromium", (t) => run(t));
