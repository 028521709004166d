/**
 * What this machine is on the network: its machine id (instances on one machine share one node,
 * which the node-level load rules need), the description `supvisors.get_network_info` reports,
 * and the default look-ups identification injects (host resolution, local addresses and names).
 * This is the effect side of identification: files, interfaces and the resolver.
 */
import { readFileSync } from "node:fs";
import { lookup, lookupService } from "node:dns/promises";
import { hostname as osHostname, networkInterfaces, type NetworkInterfaceInfo } from "node:os";
import type { NetworkDescription } from "../types.js";
import type { HostResolver, LocalHost } from "./identification.js";

/** What the functions below read from the machine; injectable for tests. */
export interface MachineSource {
  readonly readFile: (path: string) => string;
  readonly interfaces: () => NodeJS.Dict<NetworkInterfaceInfo[]>;
  readonly hostname: () => string;
  /** Reverse look-up of an address: its host name, or null. */
  readonly reverse: (ip: string) => Promise<string | null>;
  /** Forward look-up: every IPv4 address of a name (empty when none). */
  readonly addressesOf: (name: string) => Promise<string[]>;
}

/** A reverse or forward look-up that has not answered by then is taken as "no answer". */
const LOOKUP_DEADLINE_MS = 2000;

function withDeadline<T>(p: Promise<T>, fallback: T): Promise<T> {
  return new Promise<T>((resolve) => {
    const timer = setTimeout(() => resolve(fallback), LOOKUP_DEADLINE_MS);
    timer.unref();
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      () => {
        clearTimeout(timer);
        resolve(fallback);
      },
    );
  });
}

export const systemMachine: MachineSource = {
  readFile: (path) => readFileSync(path, "utf8"),
  interfaces: networkInterfaces,
  hostname: osHostname,
  // getnameinfo (libuv) reads /etc/hosts and the system resolver, unlike dns.reverse (DNS only).
  reverse: (ip) => withDeadline(lookupService(ip, 0).then((r) => (r.hostname && r.hostname !== ip ? r.hostname : null)), null),
  addressesOf: (name) => withDeadline(lookup(name, { family: 4, all: true }).then((all) => all.map((a) => a.address)), []),
};

const MACHINE_ID_FILES = ["/etc/machine-id", "/var/lib/dbus/machine-id"];

function ipv4Entries(src: MachineSource): { nic: string; info: NetworkInterfaceInfo }[] {
  const out: { nic: string; info: NetworkInterfaceInfo }[] = [];
  for (const [nic, infos] of Object.entries(src.interfaces())) {
    for (const info of infos ?? []) if (info.family === "IPv4") out.push({ nic, info });
  }
  return out;
}

/**
 * The id instances on one machine share: the systemd/dbus machine id, else the MAC of the first
 * non-internal interface (Supvisors' uuid.getnode() form), else the host name. Every instance of
 * a machine reads the same source, so they agree.
 */
export function machineId(src: MachineSource = systemMachine): string {
  for (const file of MACHINE_ID_FILES) {
    try {
      const id = src.readFile(file).trim();
      if (/^[0-9a-f]{16,}$/i.test(id)) return id.toLowerCase();
    } catch {
      // absent or unreadable: try the next source
    }
  }
  for (const infos of Object.values(src.interfaces())) {
    for (const info of infos ?? []) {
      if (!info.internal && info.mac && info.mac !== "00:00:00:00:00:00") return info.mac.toLowerCase();
    }
  }
  return src.hostname();
}

/** First IPv4 address of a host; IPv4 literals resolve to themselves; null when unresolvable. */
export function systemResolver(src: MachineSource = systemMachine): HostResolver {
  return async (host) => {
    if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(host)) return host;
    const all = await src.addressesOf(host);
    return all[0] ?? null;
  };
}

/**
 * What this machine answers to, for local-instance detection: every IPv4 address (loopback
 * included, so `127.0.0.1:60000` items work), the host name, its FQDN and the names of the
 * addresses, and `localhost`.
 */
export async function localHost(hostNodeName: string, src: MachineSource = systemMachine): Promise<LocalHost> {
  const entries = ipv4Entries(src);
  const addresses = [...new Set(entries.map((e) => e.info.address))];
  const names = new Set<string>(["localhost", src.hostname(), hostNodeName]);
  const reversed = await Promise.all(addresses.map((ip) => src.reverse(ip)));
  for (const n of reversed) if (n !== null) names.add(n);
  const fqdn = await fqdnOf(src);
  names.add(fqdn);
  return { addresses, names: [...names] };
}

/** socket.getfqdn()'s idea: the reverse name of the host name's first address, else the host name. */
async function fqdnOf(src: MachineSource): Promise<string> {
  const host = src.hostname();
  const [ip] = await src.addressesOf(host);
  if (ip === undefined) return host;
  const name = await src.reverse(ip);
  return name !== null && name.includes(".") ? name : host;
}

/** NetworkInfo.network (spec §5.2) of this machine: loopback NICs excluded. */
export async function localNetworkDescription(src: MachineSource = systemMachine): Promise<NetworkDescription> {
  const addresses: Record<string, NetworkDescription["addresses"][string]> = {};
  for (const { nic, info } of ipv4Entries(src)) {
    if (info.internal || nic in addresses) continue;
    const hostName = (await src.reverse(info.address)) ?? info.address;
    const ipv4 = hostName === info.address ? [info.address] : await src.addressesOf(hostName);
    addresses[nic] = {
      host_name: hostName,
      aliases: [],
      ipv4_addresses: ipv4.length > 0 ? ipv4 : [info.address],
      nic_info: { nic_name: nic, ipv4_address: info.address, netmask: info.netmask },
    };
  }
  return { machine_id: machineId(src), fqdn: await fqdnOf(src), addresses };
}
