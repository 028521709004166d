/**
 * The dashboard without JavaScript (playwright's javaScriptEnabled: false): every action is a
 * plain link answered by a redirect, so clicking still works: a process started and stopped on
 * the processes page, an application started and stopped on the application page, Sync on the
 * main page; the effect checked over XML-RPC, the footer message on the page. `auto=true` is a
 * `<meta http-equiv=refresh>` inside `<noscript>`, and the page does reload by itself.
 */
import t, { type Test } from "tap";
import type { Page } from "playwright-core";
import { placement } from "../helpers/apps.js";
import { act, loadPlaywright, missingPrerequisite, openBrowser, screenshot, startRig, STAMP, supervisorState, TIMEOUT, waitPlacement } from "./dashboard-harness.js";

const row = (page: Page, ns: string) => page.locator(`#contents tr[data-namespec="${ns}"]`).first();
const rowButton = (page: Page, ns: string, label: string) => row(page, ns).locator("a.button", { hasText: new RegExp(`^${label}$`) });

async function run(t: Test): Promise<void> {
  const rig = await startRig(t);
  const { a0, a1, a2 } = rig;
  const b = await openBrowser(pw!, { javaScriptEnabled: false });
  t.teardown(() => b.close());
  const { page } = b;
  const sockets: string[] = [];
  page.on("websocket", (ws) => sockets.push(ws.url()));

  await t.test("the page is the server's: no script runs", async (t) => {
    await page.goto(rig.url(a1));
    t.equal(await page.title(), "Supvisors");
    t.equal(await page.locator("#contents .card.instance").count(), 3, "the cards are there");
    t.equal(await page.evaluate(() => typeof (window as unknown as { supvisorsDashboard?: unknown }).supvisorsDashboard), "undefined", "dashboard.js did not run");
  });

  await t.test("processes page: Start then Stop a process by clicking", async (t) => {
    await page.goto(rig.url(a1, "proc_instance.html"));
    t.equal(await row(page, "web:db").locator("td.state").textContent(), "STOPPED");
    let msg = await act(page, rowButton(page, "web:db", "Start"));
    t.same([msg.gravity, msg.text.replace(STAMP, "")], ["info", "Process web:db started"]);
    t.match(msg.text, STAMP);
    t.equal(await supervisorState(a1, "web:db"), "RUNNING", "XML-RPC: running on a1");
    t.equal(await row(page, "web:db").locator("td.state").textContent(), "RUNNING", "the redirected page shows it");
    await screenshot(page, "proc_instance-a1-nojs-started");
    msg = await act(page, rowButton(page, "web:db", "Stop"));
    t.same([msg.gravity, msg.text.replace(STAMP, "")], ["info", "Process web:db stopped"]);
    t.equal(await supervisorState(a1, "web:db"), "STOPPED", "XML-RPC: stopped on a1");
  });

  await t.test("application page: Start then Stop an application by clicking", async (t) => {
    // The menu link carries the application's own strategy (LESS_LOADED for web).
    await page.goto(rig.url(a2));
    await Promise.all([page.waitForURL(/application\.html/), page.locator('#menu li[data-application="web"] a').click()]);
    t.equal(new URL(page.url()).searchParams.get("strategy"), "LESS_LOADED");
    let msg = await act(page, page.locator("#header a.button.startapp"));
    t.same([msg.gravity, msg.text.replace(STAMP, "")], ["info", "Application web started"]);
    t.equal(((await a0.rpc("supvisors.get_application_info", "web")) as { statename: string }).statename, "RUNNING", "XML-RPC: web RUNNING (the start waited)");
    const where = await placement(a0, "web");
    t.same(Object.keys(where).sort(), ["api_0", "api_1", "db", "front"]);
    t.ok(Object.values(where).every(([s, ids]) => s === "RUNNING" && ids.length === 1), `each runs once: ${JSON.stringify(where)}`);
    await screenshot(page, "application-a2-nojs-started");
    msg = await act(page, page.locator("#header a.button.stopapp"));
    t.same([msg.gravity, msg.text.replace(STAMP, "")], ["info", "Application web stopped"]);
    await waitPlacement(rig, a0, "web", { api_0: ["STOPPED", []], api_1: ["STOPPED", []], db: ["STOPPED", []], front: ["STOPPED", []] }, "web stopped");
  });

  await t.test("main page: Sync says why it cannot, in red", async (t) => {
    await page.goto(rig.url(a0));
    const msg = await act(page, page.locator("#header a.button", { hasText: /^Sync$/ }));
    t.equal(msg.gravity, "erro");
    t.match(msg.text, /^end_synchro: BAD_SUPVISORS_STATE/);
  });

  await t.test("auto=true: a meta refresh inside noscript, and the page reloads by itself", async (t) => {
    await page.goto(rig.url(a0, "index.html?auto=true"));
    const meta = page.locator('head noscript meta[http-equiv="refresh"]');
    t.equal(await meta.count(), 1, "the meta refresh is inside <noscript>");
    t.equal(await meta.getAttribute("content"), "5");
    t.equal(await page.locator('meta[http-equiv="refresh"]').count(), 1, "and nowhere else");
    const toggle = page.locator("#header a.button", { hasText: /^auto-refresh$/ });
    t.match(await toggle.getAttribute("class"), /\bactive\b/, "the toggle shows it on");
    t.equal(new URL((await toggle.getAttribute("href"))!, page.url()).searchParams.get("auto"), null, "and turns it off");
    // The refresh happens (the deadline is generous: it is due after 5 s).
    await page.waitForEvent("load", { timeout: TIMEOUT });
    t.equal(new URL(page.url()).searchParams.get("auto"), "true", "reloaded the same page");
    // Without auto, no refresh.
    await page.goto(rig.url(a0, "index.html"));
    t.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0, "no meta refresh without auto");
  });

  t.same(sockets, [], "no websocket was opened");
}

const pw = await loadPlaywright();
const missing = missingPrerequisite(pw);
if (missing) t.plan(0, `skipped: ${missing}`);
else await t.test("the dashboard without JavaScript in chromium", (t) => run(t));
