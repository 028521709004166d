/**
 * Browser-test plumbing: our supervisord on a temp config with an inet server on a free loopback
 * port, and Debian's chromium driven by playwright-core with a fresh profile (research stack.md §9).
 * Both are optional on a machine: callers skip with `missingPrerequisite()`'s reason.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { BrowserContext, Page } from "playwright-core";

export const REPO = resolve(import.meta.dirname, "../..");
export const CHROMIUM = "/usr/bin/chromium";
const SUPERVISORD = join(REPO, "dist/bin/supervisord.mjs");

/** The flags DESIGN.md's testing section fixes for every browser test. */
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

type Playwright = typeof import("playwright-core");

/** playwright-core, or null when the module is not installed. */
export async function loadPlaywright(): Promise<Playwright | null> {
  try {
    return await import("playwright-core");
  } catch {
    return null;
  }
}

/** Why browser tests cannot run here, or null. */
export function missingPrerequisite(pw: Playwright | null): string | null {
  if (!existsSync(CHROMIUM)) return `chromium is not installed (${CHROMIUM} missing; apt-get install chromium)`;
  if (!pw) return "playwright-core is not installed (npm i -D playwright-core@1.65.1)";
  return null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `check` until it returns a truthy value; fails naming `what` after `timeoutMs`. */
export async function until<T>(what: string, check: () => Promise<T> | T, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Daemon {
  readonly dir: string;
  readonly port: number;
  readonly url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts our supervisord with `programs` appended to a config serving 127.0.0.1:<free port>. */
export async function startDaemon(programs: string, auth: { username: string; password: string } | null): Promise<Daemon> {
  const dir = mkdtempSync(join(tmpdir(), "sd-browser-"));
  const port = await freePort();
  const conf = join(dir, "supervisord.conf");
  writeFileSync(
    conf,
    [
      "[supervisord]",
      "nodaemon = true",
      `logfile = ${join(dir, "supervisord.log")}`,
      `pidfile = ${join(dir, "supervisord.pid")}`,
      `childlogdir = ${dir}`,
      "",
      "[inet_http_server]",
      `port = 127.0.0.1:${port}`,
      ...(auth ? [`username = ${auth.username}`, `password = ${auth.password}`] : []),
      "",
      "[rpcinterface:supervisor]",
      "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
      "",
      programs,
    ].join("\n"),
  );
  let out = "";
  const child: ChildProcess = spawn(process.execPath, [SUPERVISORD, "-c", conf], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  // If the test process dies before its teardown, do not leave the daemon (and its children) behind.
  const killOnExit = () => child.kill("SIGTERM");
  process.once("exit", killOnExit);
  void exited.then(() => process.off("exit", killOnExit));
  const url = `http://127.0.0.1:${port}`;
  // Any HTTP answer (401 included) means the server is up.
  await until(`supervisord on ${url} (output: ${out})`, () => httpStatus(`${url}/ok.html`).then((s) => s > 0));
  return {
    dir,
    port,
    url,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The status of a GET (0 when nothing answers). */
export function httpStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const req = request(url, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", () => resolve(0));
    req.end();
  });
}

/** A fresh chromium profile in a temp dir; closing removes it. */
export async function launchBrowser(
  pw: Playwright,
  options: { httpCredentials?: { username: string; password: string } } = {},
): Promise<{ ctx: BrowserContext; page: Page; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "chromium-profile-"));
  const ctx = await pw.chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1000, height: 760 },
    ...options,
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  return {
    ctx,
    page,
    async close() {
      await ctx.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
