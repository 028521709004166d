/**
 * Who is in the cluster and which one are we (spec §2.3): `supvisors_list` items parsed (0.18+
 * and 0.11-0.17 syntaxes), nicks derived, hosts resolved, duplicates dropped, the local instance
 * found by host and HTTP port. The only effects are the two injected look-ups (host resolution
 * and the local host's addresses and names), so every rule is testable with fakes.
 */
import type { Identifier, InstanceIdentity } from "../types.js";

export type IdentificationErrorCode =
  | "BAD_ITEM" // an item matches neither syntax, or a port is out of range
  | "UNRESOLVED" // a host does not resolve to an IPv4 address
  | "NO_LOCAL" // no item designates this instance
  | "MULTIPLE_LOCAL" // several items designate this instance
  | "DUPLICATE_NICK" // two instances share a nick: nick-based lookups and the election would be ambiguous
  | "PORT_COLLISION"; // two listening ports of instances on one address are equal

/** A problem with `supvisors_list`; the options reader turns it into a located ConfigError. */
export class IdentificationError extends Error {
  override readonly name = "IdentificationError";
  constructor(
    message: string,
    readonly code: IdentificationErrorCode,
  ) {
    super(message);
  }
}

/** Supervisor's default `[supervisord] identifier`: as a nick it means "no nick". */
export const SUPERVISOR_DEFAULT_IDENTIFIER = "supervisor";

/** One `supvisors_list` item as written. */
export interface ListItem {
  readonly text: string;
  readonly syntax: "0.18" | "0.11";
  /** The `<...>` prefix, null when absent. */
  readonly nick: string | null;
  readonly host: string;
  /** null when omitted (the local HTTP port is then assumed). */
  readonly httpPort: number | null;
  /** Third field of the 0.11-0.17 syntax (their internal port; ours here), null when absent. */
  readonly internalPort: number | null;
}

// 0.18+: `[<nick>]host[:http_port]`
const ITEM_0_18 = /^(?:<([\w\-:.]+)>)?([\w\-.]+)(?::(\d{4,5}))?$/;
// 0.11-0.17: `[<ident>]host[:[http_port]:[internal_port]]`
const ITEM_0_11 = /^(?:<([\w-]+)>)?([\w\-.]+)(?::(\d{4,5})?:(\d{4,5})?)?$/;

function port(text: string | undefined, item: string, what: string): number | null {
  if (text === undefined) return null;
  const n = Number(text);
  if (n < 1 || n > 65535) throw new IdentificationError(`${what} ${text} of supvisors_list item '${item}' is not in 1-65535`, "BAD_ITEM");
  return n;
}

/** Parses one item (already stripped); throws IdentificationError("BAD_ITEM"). */
export function parseListItem(text: string): ListItem {
  let m = ITEM_0_18.exec(text);
  if (m !== null) {
    return { text, syntax: "0.18", nick: m[1] ?? null, host: m[2]!, httpPort: port(m[3], text, "HTTP port"), internalPort: null };
  }
  m = ITEM_0_11.exec(text);
  if (m !== null) {
    return {
      text,
      syntax: "0.11",
      nick: m[1] ?? null,
      host: m[2]!,
      httpPort: port(m[3], text, "HTTP port"),
      internalPort: port(m[4], text, "internal port"),
    };
  }
  throw new IdentificationError(
    `supvisors_list item '${text}' matches neither '[<nick>]host[:http_port]' nor '[<nick>]host[:http_port:internal_port]' (host: letters, digits, '_', '-', '.'; ports: 4 or 5 digits)`,
    "BAD_ITEM",
  );
}

/**
 * The nick of an item (vocabulary table): the `<...>` prefix unless absent or Supervisor's default
 * `supervisor`; otherwise the identifier when the port was written, else the host as written.
 */
export function nickOf(item: ListItem, identifier: Identifier): string {
  if (item.nick !== null && item.nick !== SUPERVISOR_DEFAULT_IDENTIFIER) return item.nick;
  return item.httpPort !== null ? identifier : item.host;
}

/** First IPv4 address of a host (IPv4 literals resolve to themselves); null when unresolvable. */
export type HostResolver = (host: string) => Promise<string | null>;

/** What this machine answers to: every IPv4 address of its interfaces (loopback included) and its names. */
export interface LocalHost {
  readonly addresses: readonly string[];
  /** Host name, FQDN, names of the interfaces' addresses, `localhost`. Compared case-insensitively. */
  readonly names: readonly string[];
}

export interface IdentifyInput {
  /** `supvisors_list` items, already split (duplicated text removed or not: both are handled). */
  readonly items: readonly string[];
  /** Port of the local [inet_http_server]. */
  readonly localHttpPort: number;
  /** `[supervisord] identifier` ("supervisor" when unset). */
  readonly supervisorIdentifier: string;
  /** The local host name (platform.node()), used when the list is empty. */
  readonly hostNodeName: string;
  /** `internal_port` option, applied to every instance whose item does not give one; null = http_port + 3. */
  readonly internalPort: number | null;
  /** `event_port` option, applied to every instance; null = http_port + 1. */
  readonly eventPort: number | null;
  readonly resolveHost: HostResolver;
  /** Asked only when the list is not empty. */
  readonly localHost: () => Promise<LocalHost>;
}

export interface Identification {
  /** The declared instances in list order, duplicates dropped (first kept). */
  readonly instances: readonly InstanceIdentity[];
  readonly localIndex: number;
  /** Things worth a log line that do not stop start-up. */
  readonly warnings: readonly string[];
}

/** Default internal port = http_port + this. */
export const INTERNAL_PORT_OFFSET = 3;

function portsOf(item: ListItem, localHttpPort: number, input: IdentifyInput): { httpPort: number; internalPort: number; eventPort: number } {
  const httpPort = item.httpPort ?? localHttpPort;
  // Ours: Supvisors 0.19 has no internal port. http_port + 1 is 0.19's default event port and
  // http_port + 2 the one of 0.11-0.17 and of the spec's example (event_port = 60002 with
  // port :60000), so + 3 collides with neither. It depends on nothing but the item, so every
  // instance derives the same port for every other one.
  const internalPort = item.internalPort ?? input.internalPort ?? httpPort + INTERNAL_PORT_OFFSET;
  const eventPort = input.eventPort ?? httpPort + 1;
  for (const [what, p] of [["internal port", internalPort], ["event port", eventPort]] as const) {
    if (p > 65535) {
      throw new IdentificationError(`${what} ${p} of supvisors_list item '${item.text}' (derived from HTTP port ${httpPort}) is above 65535`, "BAD_ITEM");
    }
  }
  return { httpPort, internalPort, eventPort };
}

const LOOPBACK_NET = /^127\./;

/** Whether an item (with its resolved address) designates this machine. */
export function isLocalHost(host: string, ipAddress: string, local: LocalHost): boolean {
  const h = host.toLowerCase();
  if (local.names.some((n) => n.toLowerCase() === h)) return true;
  if (local.addresses.includes(host)) return true;
  // A name that resolves to one of our addresses (an alias, the FQDN, a DNS name) is us too; so is
  // anything in 127/8, which the loopback interface answers although it lists only 127.0.0.1/8.
  return local.addresses.includes(ipAddress) || LOOPBACK_NET.test(ipAddress);
}

/** The index of the local instance: the one on this machine with the local HTTP port. */
export function findLocalIndex(instances: readonly InstanceIdentity[], localHttpPort: number, local: LocalHost): number {
  const candidates = instances
    .map((inst, index) => ({ inst, index }))
    .filter(({ inst }) => inst.httpPort === localHttpPort && isLocalHost(inst.hostId, inst.ipAddress, local));
  if (candidates.length === 0) {
    throw new IdentificationError(
      `could not find the local Supvisors instance in supvisors_list: no item names this host (${[...local.names, ...local.addresses].join(", ")}) with the local HTTP port ${localHttpPort}`,
      "NO_LOCAL",
    );
  }
  if (candidates.length > 1) {
    throw new IdentificationError(
      `multiple candidates for the local Supvisors instance in supvisors_list: ${candidates.map(({ inst }) => inst.identifier).join(", ")} all designate this host with the local HTTP port ${localHttpPort}`,
      "MULTIPLE_LOCAL",
    );
  }
  return candidates[0]!.index;
}

/** Two instances on one address must not listen on the same port (ours binds internal, maybe event). */
export function checkPortCollisions(instances: readonly InstanceIdentity[], withEventPorts: boolean): void {
  const used = new Map<string, string>();
  for (const inst of instances) {
    const ports: [string, number][] = [["HTTP port", inst.httpPort], ["internal port", inst.internalPort]];
    if (withEventPorts) ports.push(["event port", inst.eventPort]);
    for (const [what, p] of ports) {
      const key = `${inst.ipAddress}:${p}`;
      const mine = `${what} of ${inst.identifier}`;
      const other = used.get(key);
      if (other !== undefined) {
        throw new IdentificationError(
          `port ${p} on ${inst.ipAddress} is both the ${other} and the ${mine}: give the instances ports further apart, or internal ports with the 'host:http_port:internal_port' item syntax`,
          "PORT_COLLISION",
        );
      }
      used.set(key, mine);
    }
  }
}

async function resolveOrFail(resolveHost: HostResolver, host: string, item: string): Promise<string> {
  let ip: string | null;
  try {
    ip = await resolveHost(host);
  } catch {
    ip = null;
  }
  if (ip === null) {
    throw new IdentificationError(`could not define a Supvisors identification: host '${host}' of supvisors_list item '${item}' does not resolve to an IPv4 address`, "UNRESOLVED");
  }
  return ip;
}

/** The lone local instance of an empty list: `<identifier>hostname:port`. */
async function loneInstance(input: IdentifyInput, warnings: string[]): Promise<InstanceIdentity> {
  const host = input.hostNodeName;
  const item: ListItem = {
    text: `<${input.supervisorIdentifier}>${host}:${input.localHttpPort}`,
    syntax: "0.18",
    nick: input.supervisorIdentifier,
    host,
    httpPort: input.localHttpPort,
    internalPort: null,
  };
  const identifier = `${host}:${input.localHttpPort}`;
  let ipAddress: string | null;
  try {
    ipAddress = await input.resolveHost(host);
  } catch {
    ipAddress = null;
  }
  if (ipAddress === null) {
    // A lone instance talks to nobody: its address is informative only, so do not refuse to start.
    warnings.push(`host name '${host}' does not resolve: the lone Supvisors instance uses 127.0.0.1`);
    ipAddress = "127.0.0.1";
  }
  return { identifier, nick: nickOf(item, identifier), hostId: host, ...portsOf(item, input.localHttpPort, input), ipAddress };
}

/**
 * Builds the instance list and finds the local one. Throws IdentificationError (never anything
 * else for bad input: a failing resolver counts as unresolvable).
 */
export async function identifyInstances(input: IdentifyInput): Promise<Identification> {
  const warnings: string[] = [];
  if (input.items.length === 0) {
    return { instances: [await loneInstance(input, warnings)], localIndex: 0, warnings };
  }
  const parsed = input.items.map(parseListItem);
  const instances: InstanceIdentity[] = [];
  const seen = new Set<Identifier>();
  for (const item of parsed) {
    const httpPort = item.httpPort ?? input.localHttpPort;
    const identifier = `${item.host}:${httpPort}`;
    if (seen.has(identifier)) {
      warnings.push(`supvisors_list item '${item.text}' repeats instance ${identifier}: ignored`);
      continue;
    }
    seen.add(identifier);
    const ipAddress = await resolveOrFail(input.resolveHost, item.host, item.text);
    instances.push({ identifier, nick: nickOf(item, identifier), hostId: item.host, ...portsOf(item, input.localHttpPort, input), ipAddress });
  }
  const byNick = new Map<string, Identifier>();
  for (const inst of instances) {
    const other = byNick.get(inst.nick);
    if (other !== undefined) {
      throw new IdentificationError(`nick '${inst.nick}' is given to both ${other} and ${inst.identifier} in supvisors_list`, "DUPLICATE_NICK");
    }
    byNick.set(inst.nick, inst.identifier);
  }
  const localIndex = findLocalIndex(instances, input.localHttpPort, await input.localHost());
  const local = instances[localIndex]!;
  const sid = input.supervisorIdentifier;
  if (sid !== SUPERVISOR_DEFAULT_IDENTIFIER && sid !== local.nick) {
    // Every instance must derive the same nicks from the same list (the election sorts on them),
    // so the list's nick wins, as in Supvisors.
    warnings.push(`[supervisord] identifier '${sid}' differs from the local nick '${local.nick}' in supvisors_list: the nick is used`);
  }
  return { instances, localIndex, warnings };
}
