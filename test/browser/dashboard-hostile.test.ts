/**
 * Hostile content on the dashboard, in chromium: a process name with markup, a log whose output
 * is markup (tail.html), a spawn error whose text is markup (the description), a `message` URL
 * parameter with markup; all show as text, make no element, and no dialog, script error or CSP
 * violation happens. Every page carries the Content-Security-Policy header. Bad URL parameters
 * give the footer error and the default page (never a 500), an unknown action a red footer.
 */
import t, { type Test } from "tap";
import type { Page } from "playwright-core";
import { poll } from "../helpers/cluster.js";
import {
  BADCMD_PROGRAM,
  EVIL_COMMAND,
  EVIL_NAME,
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
} from "./dashboard-harness.js";

const EVIL_NS = `evil:${EVIL_NAME}`;
const EVIL_MESSAGE = `<script>alert("msg")</script><img src=x onerror=alert("msg")><b>bold</b>`;

/** The dashboard pages (with what they need to render), then Supervisor's tail pages. */
const PAGES = ["index.html", "conciliation.html", "proc_instance.html", "host_instance.html", "application.html?appname=web"] as const;
const TAILS = [`tail.html?processname=${encodeURIComponent(EVIL_NS)}`, "maintail.html?processname=supervisord"] as const;

const withParam = (page: string, param: string) => `${page}${page.includes("?") ? "&" : "?"}${param}`;

/** Elements created inside `selector` (there must be none where user text is shown). */
const elementsIn = (page: Page, selector: string) => page.locator(`${selector} *`).count();

/** The row of a namespec (attribute compared in the page: no selector quoting of hostile text). */
async function rowText(page: Page, table: string, ns: string, cell: string): Promise<string | null> {
  return page.locator(`${table} tr[data-namespec]`).evaluateAll(
    (rows, [want, c]) => {
      const row = rows.find((r) => r.getAttribute("data-namespec") === want);
      return row ? (row.querySelector(c!)?.textContent ?? "").trim() : null;
    },
    [ns, cell] as const,
  );
}

async function run(t: Test): Promise<void> {
  const rig = await startRig(t, { programs: BADCMD_PROGRAM });
  const { a0, a1 } = rig;
  const b = await openBrowser(pw!);
  t.teardown(() => b.close());
  const { page, ctx } = b;

  // The hostile processes: the logger runs on a0, badcmd is FATAL everywhere (autostarted).
  t.equal(await a0.slowRpc(TIMEOUT, "supervisor.startProcess", EVIL_NS, true), true);
  await poll(async () => ((await supervisorState(a0, "badcmd:badcmd")) === "FATAL" ? true : undefined), TIMEOUT, "badcmd FATAL on a0");
  const spawnerr = ((await a0.rpc("supervisor.getProcessInfo", "badcmd:badcmd")) as { description: string }).description;
  t.equal(spawnerr, `can't find command '${EVIL_COMMAND}'`, "the spawn error, as supervisord reports it");

  await t.test("a process name with markup shows as text on the main, processes and application pages", async (t) => {
    await page.goto(rig.url(a0));
    await poll(async () => ((await page.locator(`#contents .card.instance[data-identifier="${a0.identifier}"] ul.plist li`).allTextContents()).includes(EVIL_NAME) ? true : undefined), TIMEOUT, "the evil process in a0's card");
    t.equal(await elementsIn(page, "#contents ul.plist li a span"), 0, "main page: the name made no element");
    t.equal(await page.locator("#contents b, #contents script, #contents img").count(), 0);
    await screenshot(page, "index-a0-hostile");

    await page.goto(rig.url(a0, "proc_instance.html"));
    t.equal(await rowText(page, "#contents", EVIL_NS, "td.name"), EVIL_NAME, "processes page: the name, literally");
    t.equal(await rowText(page, "#contents", "badcmd:badcmd", "td.desc"), spawnerr, "processes page: the spawn error, literally");
    t.equal(await rowText(page, "#contents", "badcmd:badcmd", "td.state"), "FATAL");
    t.equal(await page.locator("#contents b, #contents script, #contents img").count(), 0, "processes page: no element from user text");
    await screenshot(page, "proc_instance-a0-hostile");

    await page.goto(rig.url(a1, `application.html?appname=evil`));
    t.equal(await rowText(page, "#contents", EVIL_NS, "td.name"), EVIL_NAME, "application page (on a1): the name, literally");
    t.match(await rowText(page, "#contents", EVIL_NS, "td.desc"), / on a0$/, "with where it runs");
    t.equal(await page.locator("#contents b, #contents script, #contents img").count(), 0);
    await page.goto(rig.url(a1, `application.html?appname=badcmd`));
    t.match(await rowText(page, "#contents", "badcmd:badcmd", "td.desc"), spawnerr, "application page: the spawn error, literally");
    t.equal(await page.locator("#contents b, #contents script, #contents img").count(), 0);
    await screenshot(page, "application-a1-badcmd");
  });

  await t.test("log output with markup shows as text in tail.html", async (t) => {
    await page.goto(rig.url(a0, "proc_instance.html"));
    const link = page.locator('#contents tr[data-namespec] td.name a[href^="tail.html"]', { hasText: EVIL_NAME });
    const [tail] = await Promise.all([ctx.waitForEvent("page"), link.click()]);
    await tail.waitForLoadState();
    t.equal(await tail.title(), `Supervisor tail of process ${EVIL_NS}`, "the title, literally");
    await poll(async () => {
      const text = (await tail.locator("#tailbody").textContent()) ?? "";
      if (text.includes(EVIL_OUTPUT)) return true;
      await tail.reload();
      return undefined;
    }, TIMEOUT, "the evil output in the tail");
    t.equal(await elementsIn(tail, "#tailbody"), 0, "the log made no element");
    t.equal(await tail.locator("img, script:not([src])").count(), 0);
    await screenshot(tail, "tail-a0-hostile");
    await tail.close();
  });

  await t.test("a message parameter with markup shows as text in every page's footer", async (t) => {
    for (const p of PAGES) {
      await page.goto(rig.url(a1, withParam(p, `message=${encodeURIComponent(EVIL_MESSAGE)}&gravity=erro`)));
      t.same(await footerMessages(page), [{ gravity: "erro", text: EVIL_MESSAGE }], `${p}: the message, literally`);
      t.equal(await elementsIn(page, "#footer .message"), 0, `${p}: no element made`);
    }
  });

  await t.test("every page carries the Content-Security-Policy", async (t) => {
    for (const p of [...PAGES, ...TAILS]) {
      const res = await page.goto(rig.url(a0, p));
      t.equal(res?.status(), 200, `${p}: 200`);
      const csp = (await res?.headerValue("content-security-policy")) ?? "";
      t.match(csp, /default-src 'self'/, `${p}: CSP default-src 'self'`);
      t.match(csp, /script-src 'self'/, `${p}: scripts from the instance only`);
      t.notMatch(csp, /unsafe-inline|unsafe-eval|\*/, `${p}: nothing unsafe`);
      if (p.startsWith("maintail")) await screenshot(page, "maintail-a0");
    }
  });

  await t.test("bad URL parameters: the footer error and the default page, never a 500", async (t) => {
    const bad: [string, RegExp][] = [
      ["period=7", /^Incorrect period: 7$/],
      ["ident=nosuch", /^Incorrect ident: nosuch$/],
      ["strategy=BAD", /^Incorrect strategy: BAD$/],
      ["auto=maybe", /^Incorrect auto: maybe$/],
      ["appname=nosuch", /^Unknown application: nosuch$/],
      ["processname=nosuch", /^Incorrect processname: nosuch$/],
      ["cpuid=x", /^Incorrect cpuid: x$/],
    ];
    for (const p of PAGES) {
      const plain = await page.goto(rig.url(a0, p));
      t.equal(plain?.status(), 200);
      const title = await page.title();
      for (const [param, why] of bad) {
        if (p.startsWith("application.html") && param.startsWith("appname=")) continue;
        const res = await page.goto(rig.url(a0, withParam(p, param)));
        t.equal(res?.status(), 200, `${p} ${param}: 200`);
        t.equal(await page.title(), title, `${p} ${param}: the same page`);
        const msgs = await footerMessages(page);
        const errors = msgs.filter((m) => m.gravity === "erro").map((m) => m.text);
        const ok = errors.length === 1 && why.test(errors[0]!.replace(STAMP, "")) && STAMP.test(errors[0]!);
        t.ok(ok, `${p} ${param}: the footer error (${JSON.stringify(errors)})`);
      }
      // The default of each replaced value is used: the links no longer carry it.
      await page.goto(rig.url(a0, withParam(p, "period=7&strategy=BAD&auto=maybe&cpuid=x")));
      const hrefs = await page.locator("a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
      t.notOk(hrefs.some((h) => /period=7|strategy=BAD|auto=maybe|cpuid=x/.test(h)), `${p}: no link carries a rejected value`);
      t.equal(await page.locator('noscript meta[http-equiv="refresh"]').count(), 0, `${p}: auto=maybe is no auto-refresh`);
    }
    // The application page has nothing to show without a known application: the main page, with the error.
    await page.goto(rig.url(a0, "application.html?appname=nosuch"));
    t.equal(new URL(page.url()).pathname, "/index.html", "application.html?appname=nosuch: back to the main page");
    t.match((await footerMessages(page)).map((m) => `${m.gravity} ${m.text}`), [/^erro Unknown application: nosuch at /]);
    await page.goto(rig.url(a0, "application.html"));
    t.equal(new URL(page.url()).pathname, "/index.html", "application.html without appname: the main page");
    t.equal((await footerMessages(page))[0]?.gravity, "erro");
    // Supervisor's tail of an unknown process is an error text, not a 500.
    const tail = await page.goto(rig.url(a0, "tail.html?processname=nosuch"));
    t.equal(tail?.status(), 200);
    t.match(await page.locator("#tailbody").textContent(), /^ERROR: /);
  });

  await t.test("an unknown action: a red footer on the same page", async (t) => {
    for (const p of PAGES) {
      await page.goto(rig.url(rig.a2, withParam(p, "action=nosuch&namespec=web:db")));
      const msgs = await footerMessages(page);
      t.equal(new URL(page.url()).pathname, `/${p.split("?")[0]}`, `${p}: back on the same page`);
      t.equal(msgs.length, 1, `${p}: one message`);
      t.equal(msgs[0]?.gravity, "erro");
      t.match(msgs[0]?.text, /^Unknown action: nosuch at /);
    }
    // A hostile action name is text too.
    await page.goto(rig.url(a0, `index.html?action=${encodeURIComponent("<img src=x onerror=alert(1)>")}`));
    t.match((await footerMessages(page))[0]?.text, /^Unknown action: <img src=x onerror=alert\(1\)> at /);
    t.equal(await elementsIn(page, "#footer .message"), 0, "no element made");
    await screenshot(page, "index-a0-hostile-action");
  });

  await t.test("no dialog, no script error, no CSP violation on any page", async (t) => {
    t.same(b.dialogs, [], "no dialog");
    t.same(b.pageErrors, [], "no page error");
    t.same(b.cspReports, [], "no CSP report");
  });
}

const pw = await loadPlaywright();
const missing = missingPrerequisite(pw);
if (missing) t.plan(0, `skipped: ${missing}`);
else await t.test("hostile content on the dashboard in chromium", (t) => run(t));
