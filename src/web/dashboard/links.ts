/**
 * Where a link to another instance points (spec §11.2): the browser reached us through some
 * host; a peer's address on the same network keeps it there (a dashboard opened over a private
 * network must not link to the peers' public names). The serving instance finds which of its
 * NICs' networks holds the browser's host and takes the peer's address on that network, from the
 * peer's handshake; otherwise the peer's configured host.
 */
import type { NetworkDescription } from "../../supvisors/types.js";
import type { DashboardInstance } from "./port.js";

function ipv4(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}

/** The hostname part of a Host header (`[::1]:9001`, `h:9001`, `h`). */
export function hostOfHeader(header: string | undefined): string {
  if (!header) return "";
  if (header.startsWith("[")) return header.slice(0, header.indexOf("]") + 1);
  const i = header.lastIndexOf(":");
  return i < 0 ? header : header.slice(0, i);
}

/** The peer's address in the same IPv4 network as `browserHost` (per our NICs), or null. */
export function sameNetworkAddress(browserHost: string, local: NetworkDescription | null, peer: NetworkDescription | null): string | null {
  const b = ipv4(browserHost);
  if (b === null || !local || !peer) return null;
  for (const nic of Object.values(local.addresses)) {
    const ip = ipv4(nic.nic_info.ipv4_address);
    const mask = ipv4(nic.nic_info.netmask);
    if (ip === null || mask === null || ((ip & mask) >>> 0) !== ((b & mask) >>> 0)) continue;
    for (const other of Object.values(peer.addresses)) {
      for (const addr of other.ipv4_addresses) {
        const a = ipv4(addr);
        if (a !== null && ((a & mask) >>> 0) === ((ip & mask) >>> 0)) return addr;
      }
    }
  }
  return null;
}

/** `http://host:port` (https with TLS) of a peer as the browser should reach it; "" for the serving instance. */
export function instanceOrigin(target: DashboardInstance, localId: string, browserHost: string, network: (id: string) => NetworkDescription | null, scheme: "http" | "https" = "http"): string {
  if (target.identifier === localId) return "";
  const host = sameNetworkAddress(browserHost, network(localId), network(target.identifier)) ?? target.hostId;
  const shown = host.includes(":") && !host.startsWith("[") ? `[${host}]` : host;
  return `${scheme}://${shown}:${target.httpPort}`;
}
