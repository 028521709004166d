/**
 * The Supervisor web page in a real browser (chromium via playwright-core) against our daemon:
 * basic auth, process and group actions through the page's links, the tail view's fresh output,
 * auto-refresh, and hostile names / log text rendering inert. Leaves test-artifacts/web-status.png.
 */
import t, { type Test } from "tap";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page, Response } from "playwright-core";
import { httpStatus, launchBrowser, loadPlaywright, missingPrerequisite, REPO, startDaemon, until } from "./harness.js";

const AUTH = { username: "admin", password: "s3cret" };
const EVIL = `<b>x&"'`;
const PROGRAMS = `
[program:sleeper]
command = sleep 1000
autostart = false
startsecs = 0

[program:ticker]
command = sh -c 'i=0; while :; do i=$((i+1)); echo "tick $i"; sleep 0.2; done'
startsecs = 0
stopwaitsecs = 2

[program:evil]
command = sh -c 'echo "<script>alert(1)</script>"; exec sleep 1000'
process_name = ${EVIL}
startsecs = 0

[program:alpha]
command = sleep 1000
startsecs = 0

[program:beta]
command = sleep 1000
startsecs = 0

[group:pair]
programs = alpha,beta
`;

/** The row of a process, found by its namespec attribute (attribute-selector safe). */
function row(page: Page, ns: string) {
  return page.locator("tr[data-namespec]").filter({ has: page.locator(`a[href^="tail.html?processname="]`, { hasText: ns }) }).first();
}

async function stateOf(page: Page, ns: string): Promise<string> {
  return (await row(page, ns).locator("td.status span").textContent())?.trim() ?? "";
}

async function pidOf(page: Page, ns: string): Promise<string | null> {
  const d = (await row(page, ns).locator("td").nth(1).textContent()) ?? "";
  return /pid (\d+)/.exec(d)?.[1] ?? null;
}

async function flash(page: Page): Promise<string> {
  return ((await page.locator(".status_msg").textContent()) ?? "").trim();
}

/** Marks the current document so a later check can tell it has been replaced by a navigation. */
async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { stale?: boolean }).stale = true));
}

async function isNewDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => !(window as unknown as { stale?: boolean }).stale);
}

/** Clicks an action link and waits for the redirected page (a new document) to show `message`. */
async function act(page: Page, link: ReturnType<Page["locator"]>, message: string | RegExp): Promise<void> {
  await markDocument(page);
  await link.click();
  const matches = (text: string) => (typeof message === "string" ? text === message : message.test(text));
  await until(`the flash ${String(message)}`, async () => (await isNewDocument(page)) && /\/\?message=/.test(page.url()) && matches(await flash(page)));
}

async function run(t: Test): Promise<void> {
  // dist/ is built by `npm test`'s pretest (building here would rewrite it under the other tests).
  const daemon = await startDaemon(PROGRAMS, AUTH);
  t.teardown(() => daemon.stop());
  const base = daemon.url;

  await t.test("without credentials the page asks for a login (401)", async (t) => {
    const b = await launchBrowser(pw!);
    t.teardown(() => b.close());
    const responses: Response[] = [];
    b.page.on("response", (r) => void responses.push(r));
    // Headless chromium has no login dialog: it cancels the Basic challenge and fails the navigation.
    await t.rejects(b.page.goto(`${base}/`), /ERR_INVALID_AUTH_CREDENTIALS/);
    const challenge = responses.find((r) => r.url() === `${base}/`);
    t.equal(challenge?.status(), 401, "the server challenged the browser");
    t.equal(await challenge?.headerValue("www-authenticate"), 'Basic realm="default"');
    const wrong = "Basic " + Buffer.from("admin:wrong").toString("base64");
    t.equal(await httpStatus(`${base}/`, { Authorization: wrong }), 401, "a wrong password is refused too");
    t.equal(await httpStatus(`${base}/tail.html?processname=ticker`), 401, "the tail page is protected");
    t.equal(await httpStatus(`${base}/stylesheets/supervisor.css`), 401, "so are the assets");
  });

  const b = await launchBrowser(pw!, { httpCredentials: AUTH });
  t.teardown(() => b.close());
  const { page, ctx } = b;
  const dialogs: string[] = [];
  ctx.on("page", (p) => p.on("dialog", (d) => void (dialogs.push(d.message()), d.dismiss())));
  page.on("dialog", (d) => void (dialogs.push(d.message()), d.dismiss()));

  await t.test("with credentials the status page lists the processes", async (t) => {
    const res = await page.goto(`${base}/`);
    t.equal(res?.status(), 200);
    t.equal(await page.title(), "Supervisor Status");
    await until("autostarted processes running", async () => {
      await page.reload();
      return (await stateOf(page, "ticker")) === "running" && (await stateOf(page, "pair:beta")) === "running";
    });
    t.equal(await stateOf(page, "sleeper"), "stopped");
    t.equal(await row(page, "sleeper").locator("td.status span").getAttribute("class"), "statusnominal");
    t.equal(await row(page, "ticker").locator("td.status span").getAttribute("class"), "statusrunning");
    t.equal(await page.locator("tr.group[data-group=pair]").count(), 1, "the [group:pair] has a group row");
    t.equal(await page.locator("tr.group[data-group=sleeper]").count(), 0, "single programs have none");
    t.match(await page.locator("#footer").textContent(), /4\.2\.5/);
  });

  await t.test("start, stop and restart a process through its links", async (t) => {
    await act(page, row(page, "sleeper").locator('a[name="Start"]'), "Process sleeper started");
    t.equal(await stateOf(page, "sleeper"), "running");
    const pid = await pidOf(page, "sleeper");
    t.ok(pid, "running row shows a pid");
    await act(page, row(page, "sleeper").locator('a[name="Restart"]'), "Process sleeper restarted");
    t.equal(await stateOf(page, "sleeper"), "running");
    t.not(await pidOf(page, "sleeper"), pid, "a new pid after restart");
    await act(page, row(page, "sleeper").locator('a[name="Stop"]'), "Process sleeper stopped");
    t.equal(await stateOf(page, "sleeper"), "stopped");
    t.equal(await row(page, "sleeper").locator('a[name="Start"]').count(), 1, "a stopped process offers Start again");
  });

  await t.test("stop, start and restart a group through its row", async (t) => {
    const group = page.locator("tr.group[data-group=pair]");
    await act(page, group.locator('a[name="Stop Group"]'), "Group pair stopped");
    t.equal(await stateOf(page, "pair:alpha"), "stopped");
    t.equal(await stateOf(page, "pair:beta"), "stopped");
    await act(page, group.locator('a[name="Start Group"]'), "Group pair started");
    t.equal(await stateOf(page, "pair:alpha"), "running");
    t.equal(await stateOf(page, "pair:beta"), "running");
    const before = [await pidOf(page, "pair:alpha"), await pidOf(page, "pair:beta")];
    await act(page, group.locator('a[name="Restart Group"]'), "Group pair restarted");
    const after = [await pidOf(page, "pair:alpha"), await pidOf(page, "pair:beta")];
    t.ok(after.every((p, i) => p && p !== before[i]), `both restarted (${before} -> ${after})`);
  });

  await t.test("the tail page shows fresh output on refresh", async (t) => {
    const [tail] = await Promise.all([ctx.waitForEvent("page"), row(page, "ticker").locator('a[href^="tail.html"]').click()]);
    await tail.waitForLoadState();
    t.equal(await tail.title(), "Supervisor tail of process ticker");
    const lastTick = async () => Math.max(0, ...[...((await tail.locator("#tailbody").textContent()) ?? "").matchAll(/tick (\d+)/g)].map((m) => Number(m[1])));
    const first = await until("ticks in the tail", lastTick);
    const later = await until("a newer tick after Refresh", async () => {
      await markDocument(tail);
      await tail.locator("#refresh").click();
      await until("the refreshed tail page", () => isNewDocument(tail));
      const n = await lastTick();
      return n > first ? n : 0;
    });
    t.ok(later > first, `tick ${first} then tick ${later}`);
    t.equal(await tail.locator('a[href="logtail/ticker"]').count(), 1, "links to the stdout stream");
    t.equal(await tail.locator('a[href="logtail/ticker/stderr"]').count(), 1, "links to the stderr stream");
    await tail.close();
  });

  await t.test("auto-refresh updates the table without reloading the page", async (t) => {
    await page.goto(`${base}/`);
    const toggle = page.locator("#autorefresh");
    t.ok(await toggle.isVisible(), "the toggle shows when JavaScript runs");
    await toggle.check();
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
    t.equal(await stateOf(page, "sleeper"), "stopped");
    // Start it behind the page's back, through the same action URL another user would click.
    const authz = "Basic " + Buffer.from(`${AUTH.username}:${AUTH.password}`).toString("base64");
    t.equal(await httpStatus(`${base}/index.html?action=start&processname=sleeper`, { Authorization: authz }), 301);
    await until("the table to show sleeper running", async () => (await stateOf(page, "sleeper")) === "running");
    t.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 42, "same document: no reload");
    await toggle.uncheck();
  });

  await t.test("hostile names and log text render inert", async (t) => {
    await page.goto(`${base}/`);
    const ns = `evil:${EVIL}`;
    const link = page.locator('a[href^="tail.html?processname=evil"]');
    t.equal(await link.textContent(), ns, "the name shows literally");
    t.equal(await page.locator("#process-list b").count(), 0, "no <b> element was created");
    await page.goto(`${base}/?message=${encodeURIComponent("<script>alert(1)</script><b>bold</b>")}`);
    t.equal(await flash(page), "<script>alert(1)</script><b>bold</b>");
    t.equal(await page.locator(".status_msg *").count(), 0, "the message made no elements");
    const [tail] = await Promise.all([ctx.waitForEvent("page"), link.click()]);
    await tail.waitForLoadState();
    t.equal(await tail.title(), `Supervisor tail of process ${ns}`);
    await until("the evil line in the tail", async () => ((await tail.locator("#tailbody").textContent()) ?? "").includes("<script>alert(1)</script>"));
    t.equal(await tail.locator("#tailbody *").count(), 0, "the log made no elements");
    await tail.close();
    t.same(dialogs, [], "no dialog fired");
  });

  await t.test("restart all, then a screenshot", async (t) => {
    await page.goto(`${base}/`);
    await act(page, page.locator('a[href="index.html?action=restartall"]'), /^All restarted at \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/);
    for (const ns of ["ticker", "pair:alpha", "pair:beta", "sleeper", `evil:${EVIL}`]) t.equal(await stateOf(page, ns), "running", ns);
    const dir = join(REPO, "test-artifacts");
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, "web-status.png"), fullPage: true });
    await act(page, page.locator('a[href="index.html?action=stopall"]'), /^All stopped at /);
    t.equal(await stateOf(page, "ticker"), "stopped");
  });
}

// Last, so the constants above are initialised when run() starts.
const pw = await loadPlaywright();
const missing = missingPrerequisite(pw);
if (missing) {
  t.plan(0, `skipped: ${missing}`);
} else {
  await t.test("the web page in chromium", (t) => run(t));
}
