/**
 * Cluster harness: N instances of OUR supervisord (dist/bin/supervisord.mjs) forming a Supvisors
 * cluster on loopback, each with its own temp dir, HTTP port and internal port (http + 3), driven
 * over XML-RPC on its inet server. Everything started is stopped by teardown(), which tests
 * register with t.teardown so a failed assertion leaves nothing running.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { request as httpsRequest } from "node:https";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeMethodResponse, encodeMethodCall, type RpcValue } from "../../src/supervisord/rpc/codec.js";
import { OUR_SUPERVISORD, RpcError } from "./daemon.js";

export { RpcError };

export interface InstanceSpec {
  readonly nick: string;
  readonly host: string;
  readonly port: number;
}

export interface ClusterOptions {
  /** Number of instances (nicks a0, a1, ... unless `nicks` is given). */
  readonly size: number;
  readonly nicks?: readonly string[];
  /** Host of every instance (default 127.0.0.1). */
  readonly host?: string | ((index: number) => string);
  /** Extra lines of [rpcinterface:supvisors] ({dir} = the instance's dir). */
  readonly supvisors?: string;
  /** Config body after the standard sections ({dir} = the instance's dir). */
  readonly programs?: string | ((index: number) => string);
  /** Wraps each daemon command, e.g. ["ip", "netns", "exec", "ns1"]. */
  readonly wrapper?: (index: number) => readonly string[];
  /** Credentials of every inet server (the internal key derives from them). */
  readonly auth?: { readonly username: string; readonly password: string };
  /** Which instances to start now (default all). */
  readonly startNow?: (index: number) => boolean;
  /** HTTPS inet servers (certfile/keyfile); the harness's own calls verify them with `ca`. */
  readonly tls?: ClusterTls;
}

export interface ClusterTls {
  readonly certfile: string;
  readonly keyfile: string;
  /** PEM of the CA that signed certfile. */
  readonly ca: Buffer;
}

/**
 * A free TCP port p on loopback such that p + 1 and p + 3 (the internal port) are free too, and
 * at least 4 away from every port in `taken` (instances chosen together but not yet started).
 */
export async function freePortPair(taken: ReadonlySet<number> = new Set()): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    // Below the kernel's ephemeral range (32768-60999 by default), where outgoing connections of a big
    // cluster would otherwise take the port between this check and the daemon's bind.
    const p = 10000 + Math.floor(Math.random() * 22000);
    if ([...taken].some((t) => Math.abs(t - p) < 4)) continue;
    if ((await portFree(p)) && (await portFree(p + 3)) && (await portFree(p + 1))) return p;
  }
  throw new Error("no free port pair found");
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

export class ClusterInstance {
  readonly dir: string;
  readonly conf: string;
  readonly log: string;
  child: ChildProcess | null = null;
  exitCode: number | null = null;
  stderr = "";
  readonly auth: { readonly username: string; readonly password: string } | null;
  readonly tls: ClusterTls | null;

  constructor(
    readonly index: number,
    readonly spec: InstanceSpec,
    list: readonly InstanceSpec[],
    opts: ClusterOptions,
    private readonly wrapper: readonly string[],
  ) {
    this.auth = opts.auth ?? null;
    this.tls = opts.tls ?? null;
    this.dir = mkdtempSync(join(tmpdir(), `sv-${spec.nick}-`));
    this.conf = join(this.dir, "supervisord.conf");
    this.log = join(this.dir, "supervisord.log");
    const body = [
      "[supervisord]",
      "nodaemon = true",
      `logfile = ${this.log}`,
      `pidfile = ${join(this.dir, "supervisord.pid")}`,
      `childlogdir = ${this.dir}`,
      `identifier = ${spec.nick}`,
      "",
      "[inet_http_server]",
      `port = ${spec.host}:${spec.port}`,
      ...(opts.auth ? [`username = ${opts.auth.username}`, `password = ${opts.auth.password}`] : []),
      ...(opts.tls ? [`certfile = ${opts.tls.certfile}`, `keyfile = ${opts.tls.keyfile}`] : []),
      "",
      "[rpcinterface:supervisor]",
      "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
      "",
      "[rpcinterface:supvisors]",
      "supervisor.rpcinterface_factory = supvisors.plugin:make_supvisors_rpcinterface",
      `supvisors_list = ${list.map((s) => `<${s.nick}>${s.host}:${s.port}`).join(",")}`,
      (opts.supvisors ?? "").replaceAll("{dir}", this.dir),
      "",
      (typeof opts.programs === "function" ? opts.programs(index) : (opts.programs ?? "")).replaceAll("{dir}", this.dir),
    ].join("\n");
    writeFileSync(this.conf, body);
  }

  get identifier(): string {
    return `${this.spec.host}:${this.spec.port}`;
  }

  get running(): boolean {
    return this.child !== null && this.exitCode === null;
  }

  /** Spawns the daemon and waits until its HTTP server answers. */
  async start(): Promise<void> {
    const [cmd, ...args] = [...this.wrapper, process.execPath, OUR_SUPERVISORD, "-c", this.conf];
    this.exitCode = null;
    this.stderr = "";
    const child = spawn(cmd!, args, { cwd: this.dir, stdio: ["ignore", "ignore", "pipe"] });
    this.child = child;
    child.stderr!.on("data", (d) => (this.stderr += d));
    child.on("exit", (code, sig) => (this.exitCode = code ?? (sig ? 128 : -1)));
    // A test or benchmark that dies before its teardown (an uncaught exception) takes its daemons with it.
    const killOnExit = () => child.kill("SIGTERM");
    process.once("exit", killOnExit);
    child.once("exit", () => process.off("exit", killOnExit));
    await poll(async () => {
      if (this.exitCode !== null) throw new Error(`${this.spec.nick} exited ${this.exitCode}: ${this.stderr}`);
      return (await this.rpc("supervisor.getState").then(() => true, () => false)) || undefined;
    }, 20_000, `${this.spec.nick} HTTP server`);
  }

  signal(sig: NodeJS.Signals): void {
    if (this.running) this.child!.kill(sig);
  }

  async waitExit(timeoutMs = 20_000): Promise<number> {
    await poll(async () => (this.exitCode !== null ? true : undefined), timeoutMs, `${this.spec.nick} exit`);
    return this.exitCode!;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.child!.kill("SIGCONT");
    this.child!.kill("SIGTERM");
    await this.waitExit(15_000).catch(() => this.child?.kill("SIGKILL"));
  }

  logText(): string {
    try {
      return readFileSync(this.log, "utf8");
    } catch {
      return "";
    }
  }

  rpc(method: string, ...params: RpcValue[]): Promise<RpcValue> {
    return httpXmlRpc(this.spec.host, this.spec.port, method, params, 5000, this.auth, this.tls?.ca ?? null);
  }

  /** A call that may take long (a wait=true start of many programs). */
  slowRpc(timeoutMs: number, method: string, ...params: RpcValue[]): Promise<RpcValue> {
    return httpXmlRpc(this.spec.host, this.spec.port, method, params, timeoutMs, this.auth, this.tls?.ca ?? null);
  }
}

/** XML-RPC over TCP (an instance in a network namespace is reached at its own address); HTTPS verified with `ca` when given. */
export function httpXmlRpc(
  host: string,
  port: number,
  method: string,
  params: RpcValue[],
  timeoutMs = 5000,
  auth: { username: string; password: string } | null = null,
  ca: Buffer | null = null,
): Promise<RpcValue> {
  const body = encodeMethodCall(method, params);
  const authorization = auth ? { Authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}` } : {};
  return new Promise((resolve, reject) => {
    const req = (ca ? httpsRequest : request)(
      { host, port, agent: false, ...(ca ? { ca } : {}), path: "/RPC2", method: "POST", timeout: timeoutMs, headers: { "Content-Type": "text/xml", "Content-Length": Buffer.byteLength(body), ...authorization } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c) => chunks.push(c));
        res.on("end", () => {
          if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}`));
          const r = decodeMethodResponse(Buffer.concat(chunks));
          if (r.kind === "fault") reject(new RpcError(r.faultCode, r.faultString));
          else resolve(r.value);
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end(body);
  });
}

/** Polls `probe` until it returns something other than undefined, or fails after the deadline. */
export async function poll<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string, everyMs = 50): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown = undefined;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export class TestCluster {
  private constructor(readonly instances: ClusterInstance[]) {}

  static async create(opts: ClusterOptions): Promise<TestCluster> {
    const specs: InstanceSpec[] = [];
    for (let i = 0; i < opts.size; i++) {
      const host = typeof opts.host === "function" ? opts.host(i) : (opts.host ?? "127.0.0.1");
      specs.push({ nick: opts.nicks?.[i] ?? `a${i}`, host, port: await freePortPair(new Set(specs.map((x) => x.port))) });
    }
    const instances = specs.map((s, i) => new ClusterInstance(i, s, specs, opts, opts.wrapper?.(i) ?? []));
    const cluster = new TestCluster(instances);
    try {
      await Promise.all(instances.filter((_, i) => opts.startNow?.(i) ?? true).map((x) => x.start()));
    } catch (err) {
      await cluster.teardown();
      throw err;
    }
    return cluster;
  }

  byNick(nick: string): ClusterInstance {
    const x = this.instances.find((i) => i.spec.nick === nick);
    if (!x) throw new Error(`no instance ${nick}`);
    return x;
  }

  running(): ClusterInstance[] {
    return this.instances.filter((i) => i.running);
  }

  /** Waits until every given instance answers `check` with true. */
  async waitAll(check: (i: ClusterInstance) => Promise<boolean>, what: string, timeoutMs = 20_000, among = this.running()): Promise<void> {
    await poll(async () => ((await Promise.all(among.map((i) => check(i).catch(() => false)))).every(Boolean) ? true : undefined), timeoutMs, what);
  }

  async teardown(): Promise<void> {
    await Promise.all(this.instances.map((i) => i.stop()));
    for (const i of this.instances) {
      if (i.running) i.child!.kill("SIGKILL");
      if (!process.env.KEEP_CLUSTER_DIRS) rmSync(i.dir, { recursive: true, force: true });
    }
    killOrphans(this.instances.map((i) => `SUPERVISOR_SERVER_URL=${i.tls ? "https" : "http"}://${i.spec.host}:${i.spec.port}`));
  }
}

/**
 * Children of an instance that was SIGKILLed outlive it (as supervisord's do): they are found by
 * the SUPERVISOR_SERVER_URL their daemon gave them, and killed, so a test leaves nothing running.
 */
export function killOrphans(urls: readonly string[]): void {
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  } catch {
    return;
  }
  for (const pid of pids) {
    let env: string;
    try {
      env = readFileSync(`/proc/${pid}/environ`, "latin1");
    } catch {
      continue;
    }
    if (!env.split("\0").some((kv) => urls.includes(kv))) continue;
    try {
      process.kill(Number(pid), "SIGKILL");
    } catch {
      // gone meanwhile
    }
  }
}

// ---- the payload reads tests use -------------------------------------------------------------

export interface StateModesView {
  fsm_statename: string;
  master_identifier: string;
  degraded_mode: boolean;
  instance_states: Record<string, string>;
}

export async function stateOf(i: ClusterInstance): Promise<StateModesView> {
  return (await i.rpc("supvisors.get_supvisors_state")) as unknown as StateModesView;
}

export async function instanceStates(i: ClusterInstance): Promise<Record<string, string>> {
  const all = (await i.rpc("supvisors.get_all_instances_info")) as { identifier: string; statename: string }[];
  return Object.fromEntries(all.map((x) => [x.identifier, x.statename]));
}
