/**
 * Integration harness: runs OUR supervisord (dist/bin/supervisord.mjs, built by `npm test`'s
 * pretest) or the REAL one (Debian's /usr/bin/supervisord) on the same config in a temp dir, talks
 * XML-RPC to it over its unix socket with our codec, and reads its main log normalised so the two
 * can be compared line by line (timestamps and pids removed).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { encodeMethodCall, decodeMethodResponse, type RpcValue } from "../../src/supervisord/rpc/codec.js";

export const REPO = resolve(import.meta.dirname, "../..");
export const OUR_SUPERVISORD = join(REPO, "dist/bin/supervisord.mjs");
export const REAL_SUPERVISORD = "/usr/bin/supervisord";
export type DaemonKind = "ours" | "real";
export const hasReal = existsSync(REAL_SUPERVISORD);

export class RpcError extends Error {
  constructor(
    readonly faultCode: number,
    readonly faultString: string,
  ) {
    super(`<Fault ${faultCode}: ${faultString}>`);
  }
}

export interface DaemonOptions {
  /** The config body after the standard [supervisord]/[unix_http_server]/[rpcinterface] sections. */
  readonly programs: string;
  /** Extra lines inside [supervisord]. */
  readonly supervisord?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** A command the daemon is run under, e.g. `unshare --pid --fork` to make it PID 1. */
  readonly wrapper?: readonly string[];
}

export class TestDaemon {
  readonly dir: string;
  readonly conf: string;
  readonly sock: string;
  readonly log: string;
  child: ChildProcess | null = null;
  stdout = "";
  stderr = "";
  exitCode: number | null = null;

  private readonly wrapper: readonly string[];

  constructor(
    readonly kind: DaemonKind,
    opts: DaemonOptions,
  ) {
    this.wrapper = opts.wrapper ?? [];
    this.dir = mkdtempSync(join(tmpdir(), `sd-${kind}-`));
    this.conf = join(this.dir, "supervisord.conf");
    this.sock = join(this.dir, "supervisor.sock");
    this.log = join(this.dir, "supervisord.log");
    this.writeConfig(opts);
  }

  writeConfig(opts: DaemonOptions): void {
    const body = [
      "[supervisord]",
      "nodaemon = true",
      `logfile = ${this.log}`,
      `pidfile = ${join(this.dir, "supervisord.pid")}`,
      `childlogdir = ${this.dir}`,
      opts.supervisord ?? "",
      "",
      "[unix_http_server]",
      `file = ${this.sock}`,
      "",
      "[rpcinterface:supervisor]",
      "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
      "",
      opts.programs.replaceAll("{dir}", this.dir),
    ].join("\n");
    writeFileSync(this.conf, body);
  }

  async start(env: NodeJS.ProcessEnv = {}): Promise<void> {
    const [daemon, daemonArgs] = this.kind === "ours" ? [process.execPath, [OUR_SUPERVISORD, "-c", this.conf]] : [REAL_SUPERVISORD, ["-c", this.conf]];
    const [cmd, ...args] = [...this.wrapper, daemon, ...daemonArgs];
    const startsBefore = this.logText().split("supervisord started with pid").length;
    this.exitCode = null;
    this.stdout = "";
    this.stderr = "";
    const child = spawn(cmd, args, { cwd: this.dir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
    this.child = child;
    child.stdout!.on("data", (d) => (this.stdout += d));
    child.stderr!.on("data", (d) => (this.stderr += d));
    child.on("exit", (code) => (this.exitCode = code ?? -1));
    // A test process that dies before its teardown must not leave the daemon (and its children) running.
    const killOnExit = () => child.kill("SIGTERM");
    process.once("exit", killOnExit);
    child.once("exit", () => process.off("exit", killOnExit));
    await waitFor(
      () => this.exitCode !== null || this.logText().split("supervisord started with pid").length > startsBefore,
      20_000,
      `${this.kind} daemon start`,
    );
    if (this.exitCode !== null) throw new Error(`${this.kind} supervisord exited ${this.exitCode}: ${this.stderr}`);
  }

  get pid(): number {
    return this.child?.pid ?? 0;
  }

  signal(sig: NodeJS.Signals): void {
    this.child?.kill(sig);
  }

  /** Resolves with the exit code once the daemon is gone. */
  async waitExit(timeoutMs = 30_000): Promise<number> {
    await waitFor(() => this.exitCode !== null, timeoutMs, `${this.kind} daemon exit`);
    return this.exitCode as number;
  }

  async stop(): Promise<void> {
    if (this.child && this.exitCode === null) {
      this.child.kill("SIGTERM");
      await this.waitExit().catch(() => this.child?.kill("SIGKILL"));
    }
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  logText(): string {
    try {
      return readFileSync(this.log, "utf8");
    } catch {
      return "";
    }
  }

  /** Main-log messages without timestamps, pids replaced by <pid>, the daemon's dir by {dir}. */
  messages(): string[] {
    return normaliseLog(this.logText(), this.dir);
  }

  async waitForLog(pattern: RegExp | string, timeoutMs = 20_000, count = 1): Promise<void> {
    const test = (line: string) => (typeof pattern === "string" ? line.includes(pattern) : pattern.test(line));
    await waitFor(() => this.messages().filter(test).length >= count, timeoutMs, `${this.kind} log line ${pattern} x${count}`);
  }

  rpc(method: string, ...params: RpcValue[]): Promise<RpcValue> {
    return xmlrpc(this.sock, method, params);
  }
}

export function normaliseLog(text: string, dir?: string): string[] {
  return text
    .split("\n")
    .filter((l) => l.length > 0)
    .map((l) => l.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} /, ""))
    .map((l) => l.replace(/\bpid \d+/g, "pid <pid>").replace(/\(\d+\)/g, "(<pid>)"))
    .map((l) => (dir ? l.split(dir).join("{dir}") : l));
}

export function xmlrpc(sock: string, method: string, params: RpcValue[]): Promise<RpcValue> {
  const body = encodeMethodCall(method, params);
  return new Promise((resolvePromise, reject) => {
    const req = request(
      { socketPath: sock, agent: false, path: "/RPC2", method: "POST", headers: { "Content-Type": "text/xml", "Content-Length": Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`));
          const r = decodeMethodResponse(Buffer.concat(chunks));
          if (r.kind === "fault") reject(new RpcError(r.faultCode, r.faultString));
          else resolvePromise(r.value);
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

export async function waitFor(cond: () => boolean, timeoutMs = 15_000, what = "condition"): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The lines of `messages` that mention `name` (as 'name' or name followed by a space/colon/paren). */
export function linesAbout(messages: string[], name: string): string[] {
  const re = new RegExp(`(^|[ '])${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(['\\s:,)]|$)`);
  return messages.filter((m) => re.test(m));
}

/**
 * Starts OURS and the REAL supervisord on the same config side by side, runs `scenario` on each
 * (both at once) and stops and removes both when the test ends, even after a failure.
 */
export async function onBothDaemons<T>(
  t: { teardown(fn: () => unknown): void },
  opts: DaemonOptions,
  scenario: (d: TestDaemon) => Promise<T>,
): Promise<Record<DaemonKind, { messages: string[]; result: T; daemon: TestDaemon }>> {
  const run = async (kind: DaemonKind) => {
    const d = new TestDaemon(kind, opts);
    t.teardown(async () => {
      await d.stop();
      d.cleanup();
    });
    await d.start();
    const result = await scenario(d);
    return { messages: d.messages(), result, daemon: d };
  };
  const [ours, real] = await Promise.all([run("ours"), run("real")]);
  return { ours, real };
}
