/**
 * The live dashboard (spec §11 as issue 21 extends it): a page opened on a0 follows the cluster
 * through a0's websocket, without reloading. A process started, then stopped, over XML-RPC on a2
 * moves in and out of a2's card on a0's page; a2 killed (SIGKILL) shows as lost, in its menu
 * entry and its card, with the state XML-RPC reports for it. The socket goes through the same
 * basic auth as the pages. "No reload" is proved by a marker set on `window` before the change.
 */
import t, { type Test } from "tap";
import type { Page } from "playwright-core";
import WebSocket from "ws";
import { poll, type ClusterInstance } from "../helpers/cluster.js";
import { AUTH, loadPlaywright, markDocument, missingPrerequisite, openBrowser, sameDocument, screenshot, startRig, TIMEOUT, type Rig } from "./dashboard-harness.js";

interface Live {
  refreshes: number;
  notices: number;
  connected: boolean;
}

const live = (page: Page) => page.evaluate(() => (window as unknown as { supvisorsDashboard: Live }).supvisorsDashboard);

/** `app:process` of every process shown in an instance's card. */
function cardProcesses(page: Page, id: string): Promise<string[]> {
  return page.locator(`#contents .card.instance[data-identifier="${id}"] tbody tr`).evaluateAll((rows) =>
    rows.flatMap((tr) => {
      const app = tr.querySelector("td.appname")?.textContent?.trim();
      return app ? [...tr.querySelectorAll("ul.plist > li")].map((li) => `${app}:${(li.textContent ?? "").trim()}`) : [];
    }),
  );
}

/** The state a page shows for an instance: its menu entry's class, its card's state cell. */
async function shownState(page: Page, id: string): Promise<{ menu: string; card: string; menuLink: boolean; cardLink: boolean }> {
  const li = page.locator(`#menu ul.instances > li[data-identifier="${id}"]`);
  const card = page.locator(`#contents .card.instance[data-identifier="${id}"]`);
  const cls = (await li.getAttribute("class")) ?? "";
  return {
    menu: (/istate-(\w+)/.exec(cls) ?? [])[1] ?? "",
    card: ((await card.locator("th.istate").textContent()) ?? "").trim(),
    menuLink: (await li.locator("a").count()) > 0,
    cardLink: (await card.locator("a.nick").count()) > 0,
  };
}

async function instanceState(observer: ClusterInstance, of: ClusterInstance): Promise<string> {
  return ((await observer.rpc("supvisors.get_instance_info", of.identifier)) as { statename: string }[])[0]!.statename;
}

/** The handshake of a raw websocket to the live feed: the HTTP status it got, or 101 and the first message. */
function rawSocket(url: string, headers: Record<string, string>): Promise<{ status: number; first?: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once("unexpected-response", (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      res.resume();
      ws.terminate();
    });
    ws.once("message", (data) => {
      resolve({ status: 101, first: String(data) });
      ws.close();
    });
    ws.once("error", (err) => reject(err));
  });
}

async function run(t: Test): Promise<void> {
  const rig: Rig = await startRig(t);
  const { a0, a1, a2 } = rig;
  const b = await openBrowser(pw!);
  t.teardown(() => b.close());
  const { page } = b;
  const sockets: { url: string; closed: boolean; errors: string[] }[] = [];
  let first: (typeof sockets)[number] | undefined;
  page.on("websocket", (ws) => {
    const s = { url: ws.url(), closed: false, errors: [] as string[] };
    sockets.push(s);
    ws.on("close", () => (s.closed = true));
    ws.on("socketerror", (e) => s.errors.push(e));
  });

  await t.test("the live socket is behind the same basic auth, and chromium passes it", async (t) => {
    const wsUrl = `ws://127.0.0.1:${a0.spec.port}/dashboard/live`;
    t.equal((await rawSocket(wsUrl, {})).status, 401, "no credentials: 401 on the upgrade");
    const wrong = `Basic ${Buffer.from(`${AUTH.username}:nope`).toString("base64")}`;
    t.equal((await rawSocket(wsUrl, { Authorization: wrong })).status, 401, "wrong credentials: 401");
    const right = `Basic ${Buffer.from(`${AUTH.username}:${AUTH.password}`).toString("base64")}`;
    const ok = await rawSocket(wsUrl, { Authorization: right });
    t.equal(ok.status, 101, "the right credentials: upgraded");
    t.same(JSON.parse(ok.first ?? "null"), { topics: [], hello: true }, "the feed says hello");

    await page.goto(rig.url(a0));
    await page.waitForFunction(() => (window as unknown as { supvisorsDashboard?: Live }).supvisorsDashboard?.connected === true, undefined, { timeout: TIMEOUT });
    t.equal((await live(page)).connected, true, "supvisorsDashboard.connected");
    t.same(
      sockets.map((s) => [s.url, s.closed, s.errors]),
      [[wsUrl, false, []]],
      "one socket, to the page's own instance, open (chromium sent the credentials on the upgrade)",
    );
    first = sockets[0]!;
  });

  await t.test("a process started then stopped on a2 over XML-RPC moves on a0's page, without a reload", async (t) => {
    t.notOk((await cardProcesses(page, a2.identifier)).includes("web:front"), "front is not in a2's card yet");
    await markDocument(page);
    const before = (await live(page)).refreshes;
    t.equal(await a2.slowRpc(TIMEOUT, "supervisor.startProcess", "web:front", true), true);
    await poll(async () => ((await cardProcesses(page, a2.identifier)).includes("web:front") ? true : undefined), TIMEOUT, "web:front in a2's card");
    t.ok(await sameDocument(page), "the same document: not reloaded");
    t.ok((await live(page)).refreshes > before, "swapped in place by the live script");
    t.notOk((await cardProcesses(page, a0.identifier)).includes("web:front"), "nowhere else");
    t.notOk((await cardProcesses(page, a1.identifier)).includes("web:front"));
    // The menu follows the application's state as a0 reports it.
    const webState = async () => ((await a0.rpc("supvisors.get_application_info", "web")) as { statename: string }).statename;
    await poll(async () => {
      const cls = (await page.locator('#menu ul.applications > li[data-application="web"]').getAttribute("class")) ?? "";
      return cls.split(" ").includes(`astate-${await webState()}`) ? true : undefined;
    }, TIMEOUT, "web's menu colour is its state");
    t.not(await webState(), "STOPPED", "web is no longer STOPPED");
    await screenshot(page, "index-a0-live-started");

    t.equal(await a2.slowRpc(TIMEOUT, "supervisor.stopProcess", "web:front", true), true);
    await poll(async () => (!(await cardProcesses(page, a2.identifier)).includes("web:front") ? true : undefined), TIMEOUT, "web:front gone from a2's card");
    await poll(async () => ((await page.locator('#menu ul.applications > li[data-application="web"]').getAttribute("class"))?.split(" ").includes("astate-STOPPED") ? true : undefined), TIMEOUT, "web STOPPED in the menu");
    t.ok(await sameDocument(page), "still the same document");
    t.equal(sockets.length, 1, "no new socket");
    t.equal(first?.closed, false, "the first one stayed up");
  });

  await t.test("the same on a0's application page: web:front's row follows it to a2 and back", async (t) => {
    await page.goto(rig.url(a0, "application.html?appname=web"));
    await page.waitForFunction(() => (window as unknown as { supvisorsDashboard?: Live }).supvisorsDashboard?.connected === true, undefined, { timeout: TIMEOUT });
    const frontRow = page.locator('#contents tbody.process-group[data-namespec="web:front"] tr.process');
    const rowView = async () => [((await frontRow.locator("td.state").textContent()) ?? "").trim(), ((await frontRow.locator("td.where").textContent()) ?? "").trim()];
    t.same(await rowView(), ["STOPPED", ""], "front STOPPED, nowhere");
    await markDocument(page);
    t.equal(await a2.slowRpc(TIMEOUT, "supervisor.startProcess", "web:front", true), true);
    await poll(async () => (JSON.stringify(await rowView()) === JSON.stringify(["RUNNING", "a2"]) ? true : undefined), TIMEOUT, "front's row: RUNNING on a2");
    t.match(((await frontRow.locator("td.desc").textContent()) ?? "").trim(), /^pid \d+, uptime .* on a2$/, "its description says where");
    t.ok(await sameDocument(page), "not reloaded");
    await screenshot(page, "application-a0-live-started");
    t.equal(await a2.slowRpc(TIMEOUT, "supervisor.stopProcess", "web:front", true), true);
    await poll(async () => ((await rowView())[0] === "STOPPED" ? true : undefined), TIMEOUT, "front's row: STOPPED");
    t.ok(await sameDocument(page), "still not reloaded");
  });

  await t.test("a2 killed (SIGKILL) shows as lost on a0's page, as XML-RPC reports it", async (t) => {
    await page.goto(rig.url(a0));
    await page.waitForFunction(() => (window as unknown as { supvisorsDashboard?: Live }).supvisorsDashboard?.connected === true, undefined, { timeout: TIMEOUT });
    await markDocument(page);
    t.same(await shownState(page, a2.identifier), { menu: "RUNNING", card: "RUNNING", menuLink: true, cardLink: true }, "a2 RUNNING before");
    a2.signal("SIGKILL");
    t.equal(await a2.waitExit(TIMEOUT), 128, "a2 is gone");
    let last = "";
    const lost = await poll(
      async () => {
        const reported = await instanceState(a0, a2);
        const shown = await shownState(page, a2.identifier);
        last = `${reported} / ${JSON.stringify(shown)}`;
        return reported !== "RUNNING" && shown.menu === reported && shown.card === reported ? reported : undefined;
      },
      TIMEOUT,
      "a2 lost on the page",
    ).catch((err) => {
      throw new Error(`${(err as Error).message}; last: ${last}`);
    });
    t.comment(`a2 is ${lost} for a0`);
    t.notOk(["RUNNING", "CHECKING", "CHECKED"].includes(lost), `a2 is not active any more (${lost})`);
    const shown = await shownState(page, a2.identifier);
    t.equal(shown.menuLink, false, "its menu entry is no longer a link");
    t.equal(shown.cardLink, false, "nor its card's nick");
    // What a0 says runs on a2 now, and the card shows the same.
    const procs = (await a0.rpc("supvisors.get_all_process_info")) as { application_name: string; process_name: string; identifiers: string[] }[];
    const onA2 = procs.filter((p) => p.identifiers.includes(a2.identifier)).map((p) => `${p.application_name}:${p.process_name}`);
    t.same((await cardProcesses(page, a2.identifier)).sort(), onA2.sort(), "a2's card lists what a0 reports there");
    t.ok(await sameDocument(page), "no reload");
    t.equal((await live(page)).connected, true, "a0's socket is still up");
    await screenshot(page, "index-a0-a2-lost");
  });
}

const pw = await loadPlaywright();
const missing = missingPrerequisite(pw);
if (missing) t.plan(0, `skipped: ${missing}`);
else await t.test("the live dashboard in chromium", (t) => run(t));
