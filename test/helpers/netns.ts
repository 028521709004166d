/**
 * Network namespaces for partition tests (root only): one namespace per instance, each with a veth
 * to a bridge in the test's own namespace, so the test reaches every instance at its address while
 * cut() separates instances from each other with blackhole routes (they can no longer talk; the
 * test still can). teardown() removes everything, also after a failed assertion.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";

export type LabCheck = { readonly ok: true } | { readonly ok: false; readonly reason: string };

function ip(...args: string[]): void {
  execFileSync("ip", args, { stdio: ["ignore", "ignore", "pipe"] });
}

/** Whether this process may create namespaces (root with iproute2), with the reason when not. */
export function canMakeNamespaces(): LabCheck {
  if ((process.getuid?.() ?? 1) !== 0) return { ok: false, reason: "partition tests need root (ip netns)" };
  try {
    execFileSync("ip", ["-V"], { stdio: "ignore" });
  } catch {
    return { ok: false, reason: "partition tests need iproute2 (the ip command)" };
  }
  const probe = `svprobe${randomBytes(2).toString("hex")}`;
  try {
    ip("netns", "add", probe);
    ip("netns", "del", probe);
  } catch (err) {
    return { ok: false, reason: `cannot create a network namespace here: ${(err as Error).message.split("\n")[0]}` };
  }
  return { ok: true };
}

export class NetLab {
  readonly namespaces: string[] = [];
  readonly addresses: string[] = [];
  private readonly bridge: string;
  private readonly links: string[] = [];
  private readonly cuts = new Set<string>();

  constructor(size: number) {
    const tag = randomBytes(2).toString("hex");
    const net = `10.${200 + Math.floor(Math.random() * 50)}.${Math.floor(Math.random() * 250)}`;
    this.bridge = `svbr${tag}`;
    try {
      ip("link", "add", this.bridge, "type", "bridge");
      ip("addr", "add", `${net}.254/24`, "dev", this.bridge);
      ip("link", "set", this.bridge, "up");
      for (let i = 0; i < size; i++) {
        const ns = `sv${tag}n${i}`;
        const outer = `sv${tag}v${i}`;
        const inner = `sv${tag}p${i}`;
        ip("netns", "add", ns);
        this.namespaces.push(ns);
        ip("link", "add", outer, "type", "veth", "peer", "name", inner);
        this.links.push(outer);
        ip("link", "set", inner, "netns", ns);
        ip("link", "set", outer, "master", this.bridge, "up");
        const address = `${net}.${i + 1}`;
        ip("-n", ns, "addr", "add", `${address}/24`, "dev", inner);
        ip("-n", ns, "link", "set", inner, "up");
        ip("-n", ns, "link", "set", "lo", "up");
        this.addresses.push(address);
      }
    } catch (err) {
      this.teardown();
      throw err;
    }
  }

  /** The command prefix that runs a program in instance i's namespace. */
  wrapper(i: number): string[] {
    return ["ip", "netns", "exec", this.namespaces[i]!];
  }

  /** Separates instance i from every other instance (both directions). */
  cut(i: number): void {
    for (let j = 0; j < this.namespaces.length; j++) {
      if (j === i) continue;
      this.route("add", i, j);
      this.route("add", j, i);
    }
  }

  heal(i: number): void {
    for (let j = 0; j < this.namespaces.length; j++) {
      if (j === i) continue;
      this.route("del", i, j);
      this.route("del", j, i);
    }
  }

  private route(op: "add" | "del", from: number, to: number): void {
    const key = `${from}>${to}`;
    if (op === "add" && this.cuts.has(key)) return;
    if (op === "del" && !this.cuts.has(key)) return;
    ip("-n", this.namespaces[from]!, "route", op, "blackhole", `${this.addresses[to]}/32`);
    if (op === "add") this.cuts.add(key);
    else this.cuts.delete(key);
  }

  teardown(): void {
    for (const ns of this.namespaces) {
      try {
        ip("netns", "del", ns);
      } catch {
        /* already gone */
      }
    }
    for (const l of this.links) {
      try {
        ip("link", "del", l);
      } catch {
        /* removed with its namespace */
      }
    }
    try {
      ip("link", "del", this.bridge);
    } catch {
      /* never made */
    }
  }
}
