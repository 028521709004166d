/**
 * Shared by the supvisors-options and supvisors-identification tests: a supervisord.conf written
 * to a temp dir, read by the core's readConfig (so file:line is the real path), and a fake
 * network (host table, local addresses and names).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { readConfig } from "../../src/supervisord/config/read.js";
import type { UserDatabase } from "../../src/supervisord/config/users.js";
import { findSupvisorsSection } from "../../src/supvisors/options/section.js";
import { supvisorsReadContext, type SupvisorsReadContext } from "../../src/supvisors/options/context.js";
import { readSupvisorsOptions } from "../../src/supvisors/options/read.js";
import type { LocalHost } from "../../src/supvisors/cluster/identification.js";
import type { SupvisorsOptions } from "../../src/supvisors/types.js";

export const HOSTS: Record<string, string> = {
  myhost: "10.0.0.5",
  "myhost.example.com": "10.0.0.5",
  localhost: "127.0.0.1",
  nodeA: "10.0.0.1",
  nodeB: "10.0.0.2",
  nodeC: "10.0.0.3",
  nodeD: "10.0.0.4",
  debianname: "127.0.1.1",
};

export const LOCAL: LocalHost = { addresses: ["127.0.0.1", "10.0.0.5"], names: ["localhost", "myhost", "myhost.example.com"] };

/** Like DNS: IPv4 literals resolve to themselves, names case-insensitively. */
export const fakeResolver = async (host: string): Promise<string | null> =>
  /^\d+\.\d+\.\d+\.\d+$/.test(host) ? host : (Object.entries(HOSTS).find(([name]) => name.toLowerCase() === host.toLowerCase())?.[1] ?? null);

const noUsers: UserDatabase = { userByName: () => undefined, userById: () => undefined, groupByName: () => undefined, groupById: () => undefined };

export interface Fixture {
  readonly dir: string;
  readonly file: string;
  /** Writes extra files (relative to dir). */
  write(rel: string, text: string): string;
  /** Reads the config and the Supvisors options; warnings collected. */
  read(overrides?: Partial<SupvisorsReadContext>): Promise<{ options: SupvisorsOptions; warnings: string[] }>;
}

/** `t` is anything with a teardown (a tap Test). */
export function fixture(t: { teardown(fn: () => void): void }, conf: string, hostNodeName = "myhost"): Fixture {
  const dir = mkdtempSync(join(tmpdir(), "supvisors-options-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "supervisord.conf");
  writeFileSync(file, conf);
  const write = (rel: string, text: string): string => {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, text);
    return p;
  };
  const read = async (overrides: Partial<SupvisorsReadContext> = {}) => {
    const env = { HOME: join(dir, "home"), SUPV_DIR: dir };
    const config = readConfig(file, { cwd: dir, env, hostname: hostNodeName, users: noUsers });
    const section = findSupvisorsSection(config);
    if (section === null) throw new Error("fixture has no Supvisors section");
    const warnings: string[] = [];
    const ctx = {
      ...supvisorsReadContext(config, {
        hostNodeName,
        cwd: dir,
        env,
        users: noUsers,
        resolveHost: fakeResolver,
        localHost: async () => LOCAL,
        warn: (w) => warnings.push(w),
      }),
      ...overrides,
    };
    return { options: await readSupvisorsOptions(section, ctx), warnings };
  };
  return { dir, file, write, read };
}

/** A config with [inet_http_server] port :60000 and the given Supvisors options (the first at line 9). */
export function conf(options: string, extra = ""): string {
  return [
    "[inet_http_server]",
    "port=:60000",
    "[supervisord]",
    "logfile=%(here)s/supervisord.log",
    "[rpcinterface:supervisor]",
    "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
    "[rpcinterface:supvisors]",
    "supervisor.rpcinterface_factory = supvisors.plugin:make_supvisors_rpcinterface",
    options,
    extra,
    "",
  ].join("\n");
}
