/**
 * Launches the real supervisord or ours on a generated config in a temp dir, waits until its
 * XML-RPC answers, and tears everything down again (the daemon, any child it left, the dir).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { rpc, structs, type RpcValue } from "./rpc.js";
import { sleep, waitFor } from "./stats.js";
import { alive } from "./proc.js";

export type Kind = "real" | "ours";
export const REPO = resolve(import.meta.dirname, "../..");
export const OUR_SUPERVISORD = join(REPO, "dist/bin/supervisord.mjs");
export const REAL_SUPERVISORD = "/usr/bin/supervisord";
/** Python with the supervisor package (the Debian one; `python3` on PATH may be another). */
export const PYTHON = "/usr/bin/python3";
export const hasReal = existsSync(REAL_SUPERVISORD);

/** The node flags in the daemon's shebang (scripts/build.mjs puts them there). */
function shebangFlags(): string[] {
  const first = readFileSync(OUR_SUPERVISORD, "utf8").split("\n", 1)[0]!;
  return first.replace(/^#!\/usr\/bin\/env -S node\s*/, "").split(" ").filter((f) => f.startsWith("--"));
}

/** Extra node flags for our daemon (run.ts sets --cpu-prof here with --profile). */
export const launchOptions = { nodeArgs: [] as string[] };

const live = new Set<Daemon>();

export class Daemon {
  readonly dir: string;
  readonly conf: string;
  readonly sock: string;
  readonly log: string;
  private child: ChildProcess | null = null;
  private exited = false;

  /** `programs` is the config after the standard sections; `{dir}` in it becomes the temp dir. */
  constructor(
    readonly kind: Kind,
    programs: string,
  ) {
    this.dir = mkdtempSync(join(tmpdir(), `bench-${kind}-`));
    this.conf = join(this.dir, "supervisord.conf");
    this.sock = join(this.dir, "supervisor.sock");
    this.log = join(this.dir, "supervisord.log");
    writeFileSync(
      this.conf,
      [
        "[supervisord]",
        "nodaemon = true",
        `logfile = ${this.log}`,
        "logfile_maxbytes = 0",
        `pidfile = ${join(this.dir, "supervisord.pid")}`,
        `childlogdir = ${this.dir}`,
        "minfds = 16384",
        "",
        "[unix_http_server]",
        `file = ${this.sock}`,
        "",
        "[rpcinterface:supervisor]",
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
        "",
        programs.replaceAll("{dir}", this.dir),
        "",
      ].join("\n"),
    );
  }

  get pid(): number {
    return this.child?.pid ?? 0;
  }

  /** Starts the daemon and resolves once supervisor.getState answers RUNNING. */
  async start(): Promise<this> {
    const out = openSync(join(this.dir, "daemon.out"), "w");
    // Ours runs as users run it: the file itself (its shebang carries the daemon's node flags), or
    // through node when profiling flags are asked for.
    const ours: [string, string[]] = launchOptions.nodeArgs.length
      ? [process.execPath, [...launchOptions.nodeArgs, ...shebangFlags(), OUR_SUPERVISORD, "-c", this.conf]]
      : [OUR_SUPERVISORD, ["-c", this.conf]];
    const [cmd, args] = this.kind === "ours" ? ours : [REAL_SUPERVISORD, ["-c", this.conf]];
    const child = spawn(cmd, args, { cwd: this.dir, stdio: ["ignore", out, out] });
    closeSync(out);
    this.child = child;
    live.add(this);
    child.on("exit", () => (this.exited = true));
    await waitFor(
      async () => {
        if (this.exited) throw new Error(`${this.kind} supervisord exited at start: ${this.output()}`);
        try {
          const s = (await rpc(this.sock, "supervisor.getState", [], 5000)) as { statename?: string };
          return s.statename === "RUNNING";
        } catch {
          return false;
        }
      },
      120_000,
      `${this.kind} supervisord to answer`,
      50,
    );
    return this;
  }

  rpc(method: string, ...params: RpcValue[]): Promise<RpcValue> {
    return rpc(this.sock, method, params);
  }

  async processes(): Promise<{ name: string; statename: string; pid: number }[]> {
    return structs(await this.rpc("supervisor.getAllProcessInfo")).map((p) => ({ name: String(p.name), statename: String(p.statename), pid: Number(p.pid) }));
  }

  output(): string {
    try {
      return readFileSync(join(this.dir, "daemon.out"), "utf8").slice(-2000);
    } catch {
      return "";
    }
  }

  logText(): string {
    try {
      return readFileSync(this.log, "utf8");
    } catch {
      return "";
    }
  }

  /** SIGTERM (SIGKILL after a minute), then kill any child left behind and remove the temp dir. */
  async close(): Promise<void> {
    live.delete(this);
    let pids: number[] = [];
    if (this.child && !this.exited) {
      pids = await this.processes()
        .then((ps) => ps.map((p) => p.pid).filter((p) => p > 0))
        .catch(() => []);
      this.child.kill("SIGTERM");
      await waitFor(() => this.exited, 60_000, `${this.kind} supervisord to exit`).catch(() => this.child?.kill("SIGKILL"));
      await waitFor(() => this.exited, 10_000, `${this.kind} supervisord to die`).catch(() => undefined);
    }
    for (const p of pids) if (alive(p)) killGroup(p);
    if (pids.length) await sleep(50);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function killGroup(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, "SIGKILL");
    } catch {
      /* gone */
    }
  }
}

/** Runs `body` with a started daemon and always closes it. */
export async function withDaemon<T>(kind: Kind, programs: string, body: (d: Daemon) => Promise<T>): Promise<T> {
  const d = new Daemon(kind, programs);
  try {
    await d.start();
    return await body(d);
  } finally {
    await d.close();
  }
}

/** Emergency teardown (Ctrl-C, crash): kill every daemon still up and its dir. */
export async function closeAll(): Promise<void> {
  await Promise.all([...live].map((d) => d.close().catch(() => undefined)));
}
