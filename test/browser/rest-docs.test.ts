/**
 * The REST API's docs page (/api/docs, Swagger UI from the swagger-ui-dist package) in headless
 * chromium against our daemon with auth: it renders every operation of the document, an
 * operation expands, "Try it out" runs a real request through the daemon's REST routes, and
 * nothing is fetched from another origin or blocked by the page's CSP. Leaves
 * test-artifacts/rest-docs.png.
 */
import t from "tap";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launchBrowser, loadPlaywright, missingPrerequisite, REPO, startDaemon, until } from "./harness.js";

const AUTH = { username: "admin", password: "s3cret" };

const pw = await loadPlaywright();
const missing = missingPrerequisite(pw);
if (missing) t.plan(0, `skipped: ${missing}`);
else t.test("the REST docs page in chromium", async (t) => {
  const daemon = await startDaemon("[program:sleeper]\ncommand = sleep 1000\nstartsecs = 0\n", AUTH);
  t.teardown(() => daemon.stop());
  const browser = await launchBrowser(pw!, { httpCredentials: AUTH });
  t.teardown(() => browser.close());
  const { page } = browser;
  const problems: string[] = [];
  const foreign: string[] = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.url()}`);
  });
  page.on("request", (r) => {
    if (!r.url().startsWith(daemon.url) && !r.url().startsWith("data:")) foreign.push(r.url());
  });

  const response = await page.goto(`${daemon.url}/api/docs`);
  t.equal(response?.status(), 200);
  await page.locator(".opblock").first().waitFor({ timeout: 20_000 });
  const doc = (await (await page.request.get(`${daemon.url}/api/openapi.json`)).json()) as { paths: Record<string, object>; info: { title: string } };
  const described = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
  t.equal(await page.locator(".opblock").count(), described, `one block per operation (${described})`);
  t.match(await page.locator(".info .title").textContent(), doc.info.title, "the document's title");
  t.ok(await page.locator(".opblock-tag", { hasText: "supervisor" }).count(), "the supervisor tag");

  // Expand getState and run it from the page.
  const op = page.locator("#operations-supervisor-supervisor_getState");
  await op.locator(".opblock-summary").click();
  await op.locator("button.try-out__btn").click();
  await op.locator("button.execute").click();
  // The live answer's table only: the documented responses below it show the schema's example
  // (FATAL), which is on the page before the request returns.
  const body = await until("getState's answer on the page", async () => (await op.locator(".live-responses-table .response-col_description .microlight, .live-responses-table .highlight-code").first().textContent().catch(() => "")) || null);
  t.match(body, /"statename":\s*"RUNNING"/, "the request ran against the daemon and its answer shows");

  mkdirSync(join(REPO, "test-artifacts"), { recursive: true });
  await page.screenshot({ path: join(REPO, "test-artifacts", "rest-docs.png"), fullPage: false });
  t.same(problems, [], "no script error or CSP violation");
  t.same(foreign, [], "nothing fetched from another origin");
});
