/**
 * The Supvisors dashboard in a real browser: a 3-instance cluster of our binary (a0, a1, a2 on
 * loopback, basic auth with the same credentials everywhere, a rules file of managed applications,
 * statistics collected every second) and one chromium context with those credentials, driven by
 * playwright-core. Everything is torn down by t.teardown, whatever the assertions did.
 * Screenshots go to test-artifacts/dashboard/ (git-ignored), named <page>-<nick>[-<what>].png.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Test } from "tap";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { placement } from "../helpers/apps.js";
import { poll, stateOf, TestCluster, type ClusterInstance } from "../helpers/cluster.js";
import { CHROMIUM, CHROMIUM_ARGS, REPO } from "./harness.js";

export { loadPlaywright, missingPrerequisite } from "./harness.js";

type Playwright = typeof import("playwright-core");

export const AUTH = { username: "admin", password: "d4sh&b0ard" } as const;
export const ARTIFACTS = join(REPO, "test-artifacts", "dashboard");
export const TIMEOUT = 30_000;

/** Log output that would run if it were markup. */
export const EVIL_OUTPUT = `<script>alert("log")</script><img src=x onerror=alert("img")>`;
/** A process name with markup (the namespec is evil:<this>). */
export const EVIL_NAME = `<b>x&"'`;
/** A command that cannot be spawned: its spawn error (the description) carries markup. */
export const EVIL_COMMAND = `/nonexistent/<img src=x onerror=alert("spawn")>`;

/**
 * A program autostarted with EVIL_COMMAND: supervisord's spawn fails (startProcess would refuse
 * it before spawning), FATAL at once with the spawn error as its description.
 */
export const BADCMD_PROGRAM = `[program:badcmd]\ncommand = "${EVIL_COMMAND.replaceAll('"', '\\"')}"\nautostart = true\nstartsecs = 0\nstartretries = 0\n`;

/**
 * - web: a sequence (db, then api_0 / api_1, then front), LESS_LOADED, programs on all instances;
 * - dup: p and q run anywhere, CONFIG (q restarts on a running failure): started twice with
 *   supervisor.startProcess, a conflict;
 * - strat: one process of load 5 anywhere (a1 first), to place by each starting strategy;
 * - ballast: light (20) on a1 and heavy (40) on a2, so the loads tell the strategies apart.
 * evil (evil_log: markup in its name and its output) and lonely are not in the rules (unmanaged).
 */
export const RULES = `<?xml version="1.0"?>
<root>
  <model name="worker"><expected_loading>10</expected_loading></model>
  <application name="web">
    <starting_strategy>LESS_LOADED</starting_strategy>
    <programs>
      <program name="db"><reference>worker</reference><start_sequence>1</start_sequence><stop_sequence>3</stop_sequence></program>
      <program pattern="api_"><reference>worker</reference><start_sequence>2</start_sequence><stop_sequence>2</stop_sequence></program>
      <program name="front"><reference>worker</reference><start_sequence>3</start_sequence><stop_sequence>1</stop_sequence></program>
    </programs>
  </application>
  <application name="dup">
    <starting_strategy>CONFIG</starting_strategy>
    <programs>
      <program name="p"><identifiers>a2,a1,a0</identifiers><start_sequence>1</start_sequence></program>
      <program name="q"><identifiers>a2,a1,a0</identifiers><start_sequence>1</start_sequence><running_failure_strategy>RESTART_PROCESS</running_failure_strategy></program>
    </programs>
  </application>
  <application name="strat">
    <starting_strategy>MOST_LOADED</starting_strategy>
    <programs>
      <program name="one"><identifiers>a1,a2,a0</identifiers><start_sequence>1</start_sequence><expected_loading>5</expected_loading></program>
    </programs>
  </application>
  <application name="ballast">
    <starting_strategy>CONFIG</starting_strategy>
    <programs>
      <program name="light"><identifiers>a1</identifiers><start_sequence>1</start_sequence><expected_loading>20</expected_loading></program>
      <program name="heavy"><identifiers>a2</identifiers><start_sequence>1</start_sequence><expected_loading>40</expected_loading></program>
    </programs>
  </application>
</root>
`;

const program = (name: string, extra = "") => `[program:${name}]\ncommand = /bin/sleep 300\nautostart = false\nstartsecs = 0\nstopwaitsecs = 2\n${extra}\n`;

export const PROGRAMS = [
  "[group:web]\nprograms = db,api,front\n",
  program("db"),
  program("api", "process_name = api_%(process_num)d\nnumprocs = 2"),
  program("front"),
  "[group:dup]\nprograms = p,q\n",
  program("p"),
  program("q"),
  "[group:strat]\nprograms = one\n",
  program("one"),
  "[group:ballast]\nprograms = light,heavy\n",
  program("light"),
  program("heavy"),
  "[group:evil]\nprograms = evil_log\n",
  `[program:evil_log]\nprocess_name = ${EVIL_NAME}\ncommand = sh -c 'echo "${EVIL_OUTPUT.replaceAll('"', '\\"')}"; exec sleep 300'\nautostart = false\nstartsecs = 0\nstopwaitsecs = 2\n`,
  // Unmanaged and running everywhere: each card lists it, without a link.
  "[program:lonely]\ncommand = /bin/sleep 300\nautostart = true\nstartsecs = 0\nstopwaitsecs = 2\n",
].join("\n");

/** Ports chromium refuses to connect to (net/base/port_util.cc) within TestCluster's range. */
const CHROMIUM_UNSAFE_PORTS = new Set([10080]);

export interface Browser {
  readonly ctx: BrowserContext;
  readonly page: Page;
  /** Messages of every dialog (alert/confirm) any page of the context opened: must stay empty. */
  readonly dialogs: string[];
  /** Uncaught script errors of any page. */
  readonly pageErrors: string[];
  /** Console messages about the Content-Security-Policy (an injected script would trip it). */
  readonly cspReports: string[];
  close(): Promise<void>;
}

/** One chromium context with the cluster's credentials and a fresh profile. */
export async function openBrowser(pw: Playwright, options: { javaScriptEnabled?: boolean } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "chromium-dashboard-"));
  const ctx = await pw.chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    httpCredentials: { username: AUTH.username, password: AUTH.password },
    javaScriptEnabled: options.javaScriptEnabled ?? true,
  });
  ctx.setDefaultTimeout(TIMEOUT);
  ctx.setDefaultNavigationTimeout(TIMEOUT);
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  const cspReports: string[] = [];
  const watch = (p: Page) => {
    p.on("dialog", (d) => {
      dialogs.push(d.message());
      void d.dismiss().catch(() => {});
    });
    p.on("pageerror", (e) => pageErrors.push(String(e)));
    p.on("console", (m) => {
      if (/Content.Security.Policy/i.test(m.text())) cspReports.push(m.text());
    });
  };
  // The persistent context opens with one page, before any listener: watched by hand.
  const first = ctx.pages()[0];
  ctx.on("page", watch);
  if (first) watch(first);
  const page = first ?? (await ctx.newPage());
  return {
    ctx,
    page,
    dialogs,
    pageErrors,
    cspReports,
    async close() {
      await ctx.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface Rig {
  readonly cluster: TestCluster;
  readonly a0: ClusterInstance;
  readonly a1: ClusterInstance;
  readonly a2: ClusterInstance;
  readonly all: readonly ClusterInstance[];
  /** `http://127.0.0.1:<port>/<path>` of an instance. */
  url(i: ClusterInstance, path?: string): string;
  nick(identifier: string): string;
}

export interface RigOptions {
  /** Extra lines of [rpcinterface:supvisors]. */
  readonly supvisors?: string;
  /** Extra programs (after PROGRAMS). */
  readonly programs?: string;
}

/** The 3-instance cluster, in OPERATION; torn down with the test. */
export async function startRig(t: Test, opts: RigOptions = {}): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), "sv-dashboard-"));
  const rules = join(dir, "rules.xml");
  writeFileSync(rules, RULES);
  let cluster: TestCluster | null = null;
  t.teardown(async () => {
    await cluster?.teardown();
    rmSync(dir, { recursive: true, force: true });
  });
  for (let attempt = 0; ; attempt++) {
    cluster = await TestCluster.create({
      size: 3,
      auth: AUTH,
      programs: `${PROGRAMS}\n${opts.programs ?? ""}`,
      supvisors: [`rules_files = ${rules}`, "stats_collecting_period = 1", "stats_periods = 5,30", "tail_limit = 4096", opts.supvisors ?? ""].join("\n"),
    });
    if (!cluster.instances.some((i) => CHROMIUM_UNSAFE_PORTS.has(i.spec.port)) || attempt > 3) break;
    await cluster.teardown();
  }
  const c = cluster;
  await c.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION", "OPERATION everywhere", TIMEOUT);
  const [a0, a1, a2] = c.instances as [ClusterInstance, ClusterInstance, ClusterInstance];
  return {
    cluster: c,
    a0,
    a1,
    a2,
    all: c.instances,
    url: (i, path = "") => `http://${i.spec.host}:${i.spec.port}/${path}`,
    nick: (id) => c.instances.find((i) => i.identifier === id)?.spec.nick ?? id,
  };
}

// ---- page reads --------------------------------------------------------------------------------

export interface FooterMessage {
  readonly gravity: string;
  readonly text: string;
}

/** The footer messages: gravity (info / warn / erro) and text, in order. */
export async function footerMessages(page: Page): Promise<FooterMessage[]> {
  return page.locator("#footer .message").evaluateAll((els) =>
    els.map((e) => ({ gravity: (/gravity-(\w+)/.exec(e.className) ?? [])[1] ?? "", text: (e.textContent ?? "").trim() })),
  );
}

/** The footer's one message (fails when there is none or several). */
export async function footer(page: Page): Promise<FooterMessage> {
  const all = await footerMessages(page);
  if (all.length !== 1) throw new Error(`expected one footer message, got ${JSON.stringify(all)}`);
  return all[0]!;
}

/** `<text> at <ctime>` as the footer stamps it. */
export const STAMP = / at \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/;

export async function markDocument(page: Page): Promise<void> {
  await page.evaluate(() => ((window as unknown as { dashboardMarker?: number }).dashboardMarker = 4242));
}

/** Whether the document is still the one markDocument() marked (no reload, no navigation). */
export async function sameDocument(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { dashboardMarker?: number }).dashboardMarker === 4242);
}

/**
 * Clicks an action link or button and waits for the page it redirects to (a new document whose
 * URL carries `message`); returns the footer message. Works with and without JavaScript.
 */
/**
 * Clicks a button whose action takes the serving instance away (restart, shutdown): returns the
 * URL the 303 sent the browser to (it carries the footer message) and whether that page loaded
 * (the daemon may be gone before the browser follows the redirect).
 */
export async function actAway(page: Page, link: Locator): Promise<{ url: URL; loaded: boolean }> {
  const redirected = page.waitForRequest((r) => r.isNavigationRequest() && /[?&]message=/.test(r.url()));
  const loaded = page.waitForURL(/[?&]message=/, { waitUntil: "load" }).then(() => true, () => false);
  await link.click({ noWaitAfter: true });
  const url = new URL((await redirected).url());
  return { url, loaded: await loaded };
}

export async function act(page: Page, target: Locator): Promise<FooterMessage> {
  // Playwright's evaluate runs with the page's JavaScript disabled too.
  await markDocument(page);
  await Promise.all([page.waitForURL(/[?&]message=/, { waitUntil: "load" }), target.click()]);
  if (await sameDocument(page)) throw new Error("the click did not load a new page");
  return footer(page);
}

/** Screenshot of the whole page into the artifacts dir. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name.replace(/[^\w.-]+/g, "_")}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

// ---- XML-RPC reads ------------------------------------------------------------------------------

/** Polls until `application`'s processes are placed as `expected` (name -> [state, nicks]). */
export async function waitPlacement(rig: Rig, observer: ClusterInstance, application: string, expected: Record<string, [string, string[]]>, what: string): Promise<void> {
  const want = JSON.stringify(Object.fromEntries(Object.entries(expected).map(([k, [s, nicks]]) => [k, [s, [...nicks].sort()]]).sort()));
  let seen = "";
  await poll(
    async () => {
      const p = await placement(observer, application);
      seen = JSON.stringify(Object.fromEntries(Object.entries(p).map(([k, [s, ids]]) => [k, [s, ids.map(rig.nick).sort()]]).sort()));
      return seen === want ? true : undefined;
    },
    TIMEOUT,
    `${what}: ${want}`,
  ).catch((err) => {
    throw new Error(`${(err as Error).message} (last seen ${seen})`);
  });
}

/** A namespec's state on one instance, as that instance's supervisord reports it. */
export async function supervisorState(i: ClusterInstance, namespec: string): Promise<string> {
  return ((await i.rpc("supervisor.getProcessInfo", namespec)) as { statename: string }).statename;
}
