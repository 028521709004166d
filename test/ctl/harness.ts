/**
 * Differential harness for supervisorctl: two daemons started from the same config in two temp
 * dirs, the REAL Python supervisorctl driving one and OURS driving the other in lockstep, so
 * state-changing commands see the same state on both sides. The daemon under test is
 * SUPERVISORD_UNDER_TEST=real (default: /usr/bin/supervisord) or ours (node dist/bin/supervisord.mjs).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "esbuild";

export const REPO = resolve(import.meta.dirname, "../..");
export const REAL_CTL = "/usr/bin/supervisorctl";

let ourCtlPath: string | null = null;

/** Bundles src/bin/supervisorctl.ts (only ours, so others' unfinished bins cannot break us). */
export async function buildOurCtl(): Promise<string> {
  if (ourCtlPath) return ourCtlPath;
  const out = mkdtempSync(join(tmpdir(), "ctl-bin-"));
  await build({
    entryPoints: [join(REPO, "src/bin/supervisorctl.ts"), join(REPO, "src/bin/supvisorsctl.ts")],
    outdir: out,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: "warning",
  });
  process.once("exit", () => rmSync(out, { recursive: true, force: true }));
  ourCtlPath = join(out, "supervisorctl.mjs");
  return ourCtlPath;
}

export function daemonCommand(conf: string): [string, string[]] {
  if ((process.env["SUPERVISORD_UNDER_TEST"] ?? "real") === "ours") {
    return [process.execPath, [join(REPO, "dist/bin/supervisord.mjs"), "-n", "-c", conf]];
  }
  return ["/usr/bin/supervisord", ["-n", "-c", conf]];
}

export interface CtlRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly status: number | null;
}

export class Daemon {
  readonly dir: string;
  readonly conf: string;
  readonly sock: string;
  private child: ChildProcess | null = null;

  constructor(
    readonly label: string,
    private readonly configBody: (dir: string) => string,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), `ctl-${label}-`));
    mkdirSync(join(this.dir, "logs"));
    this.conf = join(this.dir, "supervisord.conf");
    this.sock = join(this.dir, "sv.sock");
    this.writeConfig(configBody);
  }

  writeConfig(body: (dir: string) => string): void {
    writeFileSync(this.conf, body(this.dir));
  }

  async start(): Promise<void> {
    const [cmd, args] = daemonCommand(this.conf);
    const child = spawn(cmd, args, { cwd: this.dir, stdio: ["ignore", "ignore", "pipe"] });
    this.child = child;
    let stderr = "";
    child.stderr?.on("data", (d) => (stderr += d));
    // A daemon that cannot start (a port taken, say) exits: say why instead of timing out.
    await waitFor(
      () => {
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`${this.label} daemon exited (${child.exitCode ?? child.signalCode}) before its socket appeared: ${stderr.trim()}`);
        }
        return existsSync(this.sock);
      },
      20_000,
      `${this.label} socket`,
    );
  }

  async stop(): Promise<void> {
    const c = this.child;
    if (c && c.exitCode === null && c.signalCode === null) {
      const done = new Promise((r) => c.once("exit", r));
      c.kill("SIGTERM");
      await done;
    }
    this.child = null;
  }

  /** Resolves when the daemon process has exited (after a `shutdown`). */
  async waitExit(): Promise<void> {
    const c = this.child;
    if (c && c.exitCode === null && c.signalCode === null) await new Promise((r) => c.once("exit", r));
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The real supervisorctl against this daemon (used for setup and waiting too). */
  realCtl(args: readonly string[], input?: string): CtlRun {
    return runCtl(REAL_CTL, [], ["-c", this.conf, ...args], this.dir, input);
  }
}

export function runCtl(cmd: string, pre: readonly string[], args: readonly string[], cwd: string, input?: string): CtlRun {
  const r = spawnSync(cmd, [...pre, ...args], {
    cwd,
    encoding: "utf8",
    input: input ?? "",
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until no process is in a transitional state (STARTING/STOPPING/BACKOFF). */
export async function settle(d: Daemon): Promise<void> {
  await waitFor(
    () => {
      const r = d.realCtl(["status"]);
      // Right after a reload the reference can still reset the connection ("error: <class
      // 'ConnectionResetError'>..."): not settled yet either.
      return r.status !== 4 && !/\s(STARTING|STOPPING|BACKOFF)\s/.test(r.stdout) && !/^error:|refused connection|SHUTDOWN_STATE/m.test(r.stdout + r.stderr);
    },
    30_000,
    `${d.label} to settle`,
  );
}

/** Replaces what legitimately differs between two daemons: dirs, pids, uptimes, dates, progname. */
export function normalise(text: string, d: Daemon, progname: string): string {
  const withProg = progname ? text.split(progname).join("<PROG>") : text;
  return withProg
    .split(d.dir)
    .join("<DIR>")
    .replace(/pid \d+, uptime [^\n]*/g, "pid <PID>, uptime <UP>")
    .replace(/STOPPED   [A-Z][a-z]{2} \d{2} \d{2}:\d{2} [AP]M/g, "STOPPED   <DATE>")
    .replace(/EXITED    [A-Z][a-z]{2} \d{2} \d{2}:\d{2} [AP]M/g, "EXITED    <DATE>")
    .replace(/^\d+$/gm, "<NUM>");
}

/** A pair of identical daemons, one per client. */
export class Pair {
  readonly realSide: Daemon;
  readonly oursSide: Daemon;
  constructor(
    config: (dir: string) => string,
    readonly ourCtl: string,
  ) {
    this.realSide = new Daemon("real", config);
    this.oursSide = new Daemon("ours", config);
  }
  async start(): Promise<void> {
    await Promise.all([this.realSide.start(), this.oursSide.start()]);
    await Promise.all([settle(this.realSide), settle(this.oursSide)]);
  }
  writeConfig(config: (dir: string) => string): void {
    this.realSide.writeConfig(config);
    this.oursSide.writeConfig(config);
  }
  async stop(): Promise<void> {
    await Promise.all([this.realSide.stop(), this.oursSide.stop()]);
  }
  async settle(): Promise<void> {
    await Promise.all([settle(this.realSide), settle(this.oursSide)]);
  }
  async waitExit(): Promise<void> {
    await Promise.all([this.realSide.waitExit(), this.oursSide.waitExit()]);
  }
  cleanup(): void {
    this.realSide.cleanup();
    this.oursSide.cleanup();
  }
  /** One client on its own daemon, with exactly `args` (no -c added); output normalised. */
  runOn(side: "real" | "ours", args: readonly string[], input?: string): CtlRun {
    const d = side === "real" ? this.realSide : this.oursSide;
    const r =
      side === "real"
        ? runCtl(REAL_CTL, [], ["-c", d.conf, ...args], d.dir, input)
        : runCtl(process.execPath, [this.ourCtl], ["-c", d.conf, ...args], d.dir, input);
    const prog = side === "real" ? REAL_CTL : this.ourCtl;
    return { stdout: normalise(r.stdout, d, prog), stderr: normalise(r.stderr, d, prog), status: r.status };
  }

  /** Runs the same command line with both clients; returns both runs normalised. */
  run(args: readonly string[], opts: { input?: string; useConf?: boolean } = {}): { real: CtlRun; ours: CtlRun } {
    const withConf = (d: Daemon) => (opts.useConf === false ? [...args] : ["-c", d.conf, ...args]);
    const real = runCtl(REAL_CTL, [], withConf(this.realSide), this.realSide.dir, opts.input);
    const ours = runCtl(process.execPath, [this.ourCtl], withConf(this.oursSide), this.oursSide.dir, opts.input);
    const n = (r: CtlRun, d: Daemon, prog: string): CtlRun => ({
      stdout: normalise(r.stdout, d, prog),
      stderr: normalise(r.stderr, d, prog),
      status: r.status,
    });
    return { real: n(real, this.realSide, REAL_CTL), ours: n(ours, this.oursSide, this.ourCtl) };
  }
}

/** The fixture config: a mix of long-running, quitting, failing, grouped and multi processes. */
export function baseConfig(extra = ""): (dir: string) => string {
  return (dir) => `[unix_http_server]
file=${dir}/sv.sock

[supervisord]
logfile=${dir}/supervisord.log
pidfile=${dir}/supervisord.pid
childlogdir=${dir}/logs
loglevel=info

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://${dir}/sv.sock

[program:cat]
command=/bin/cat
startsecs=0

[program:echoer]
command=/bin/sh -c "echo hello out; echo hello err >&2; exec sleep 1000"
startsecs=0

[program:exiter]
command=/bin/sh -c "exit 0"
autostart=false
startsecs=0
autorestart=false

[program:quick]
command=/bin/sh -c "exit 3"
autostart=false
startsecs=1
startretries=0

[program:nofile]
command=/nonexistent/binary
autostart=false

[program:multi]
command=/bin/sleep 1000
numprocs=2
process_name=%(program_name)s_%(process_num)02d
startsecs=0

[group:grp]
programs=ga,gb

[program:ga]
command=/bin/sleep 1000
startsecs=0

[program:gb]
command=/bin/sleep 1000
startsecs=0
autostart=false
${extra}`;
}
