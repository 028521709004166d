/**
 * The header of the Supervisor page, shared by its processes section (proc_instance.html) and its
 * host section (host_instance.html) (spec §11.6-11.7): the instance serving the page (✪ when it
 * is the Master, nick, state, `discovery`, its own starting / stopping jobs), the Statistics View
 * switch and the Statistics Period buttons (only with local statistics), and the buttons acting
 * on this Supervisor: Stop all, Restart, Shutdown. The actions are plain Supervisor RPCs on this
 * instance (the Supvisors rules do not apply here).
 */
import { html, type Html } from "../../html.js";
import { rpcAction, warn, type ActionHandler, type ActionResult } from "../actions.js";
import { button } from "../layout.js";
import type { Snapshot } from "../snapshot.js";
import type { PageInput } from "./page.js";

export const PROC_INSTANCE = "proc_instance.html";
export const HOST_INSTANCE = "host_instance.html";
export const MASTER_SYMBOL = "✪";

/** `0 < v < 0.005` shows `+0.00` (not zero, too small to print); otherwise two decimals. */
export function smallValue(v: number): string {
  if (!Number.isFinite(v)) return "--";
  return v > 0 && v < 0.005 ? "+0.00" : v.toFixed(2);
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

/** The IP address of the serving instance's host: its host_id when it is one, else from its network description. */
export function localAddress(snap: Snapshot): string {
  const host = snap.local.hostId;
  if (IPV4.test(host)) return host;
  if (host === "localhost") return "127.0.0.1";
  const addresses = Object.values(snap.port.network(snap.local.identifier)?.addresses ?? {});
  const named = addresses.find((a) => a.host_name === host || a.aliases.includes(host));
  const ip = named?.ipv4_addresses[0] ?? addresses[0]?.nic_info.ipv4_address;
  return ip ?? "--";
}

/** Whether the serving instance is the Master. */
export function isLocalMaster(snap: Snapshot): boolean {
  const master = snap.state().master_identifier;
  return master !== "" && master === snap.local.identifier;
}

/** The status card: ✪, nick, state, modes. */
export function instanceStatus({ snap }: PageInput): Html {
  const local = snap.local.identifier;
  const state = snap.state();
  const statename = snap.instanceInfo(local)?.statename ?? state.instance_states[local] ?? "UNKNOWN";
  const modes = snap.instanceModes().get(local);
  const master = isLocalMaster(snap) ? html`<span class="master" title="Master">${MASTER_SYMBOL}</span> ` : html``;
  const markers: Html[] = [];
  if (state.discovery_mode) markers.push(html`<span class="marker">discovery</span>`);
  if (modes?.starting_jobs) markers.push(html`<span class="marker blink">starting</span>`);
  if (modes?.stopping_jobs) markers.push(html`<span class="marker blink">stopping</span>`);
  return html`<div class="card status instance-status"><div class="instance-title">${master}<span class="nick">${snap.local.nick}</span></div>
<div><span class="label">State:</span> <span class="${`istate istate-${statename}`}">${statename}</span></div>
<div class="modes"><span class="label">Modes:</span>${markers.length ? markers : html` <span class="none">none</span>`}</div></div>`;
}

/**
 * The options card: the Statistics View switch (Processes / host) and the Statistics Period
 * buttons, the selected ones greyed and active; "" when neither applies.
 */
export function instanceOptions({ ctx, snap }: PageInput, page: string): Html {
  const status = snap.statisticsStatus();
  const onHost = page === HOST_INSTANCE;
  // The processes section offers the host view only with host statistics and the periods only
  // with process statistics; the host section always leads back to the processes.
  const showView = onHost || status.host_stats;
  const showPeriods = onHost ? status.host_stats : status.process_stats;
  if (!showView && !showPeriods) return html``;
  const parts: Html[] = [];
  if (showView) {
    const procButton = onHost ? button("Processes", ctx.url(PROC_INSTANCE)) : button("Processes", null, "active");
    const hostButton = onHost ? button(snap.local.hostId, null, "active") : button(snap.local.hostId, ctx.url(HOST_INSTANCE));
    parts.push(html`<div class="option-box view-switch"><div class="option-title">Statistics View</div><div class="button-group">${procButton}${hostButton}</div></div>`);
  }
  if (showPeriods) {
    const periods = snap.port.options.statsPeriods.map((p) => (p === ctx.period ? button(`${p}s`, null, "active") : button(`${p}s`, ctx.url(page, { period: p }))));
    parts.push(html`<div class="option-box periods"><div class="option-title">Statistics Period</div><div class="button-group">${periods}</div></div>`);
  }
  return html`<div class="card options instance-options">${parts}</div>`;
}

/** Stop all, Restart Supervisor, Shutdown Supervisor (refresh and auto-refresh follow in the frame). */
export function instanceButtons({ ctx }: PageInput, page: string): Html {
  return html`${button("Stop all", ctx.url(page, { action: "stopall" }))}${button("Restart Supervisor", ctx.url(page, { action: "restartsup" }))}${button("Shutdown Supervisor", ctx.url(page, { action: "shutdownsup" }))}`;
}

/** The header cards of both sections. */
export function instanceHeader(input: PageInput, page: string): Html {
  return html`${instanceStatus(input)}${instanceOptions(input, page)}`;
}

const asWarning = (r: ActionResult): ActionResult => (r.gravity === "info" ? warn(r.message) : r);

/** The actions of the header, registered by both sections. */
export const INSTANCE_ACTIONS: Readonly<Record<string, ActionHandler>> = {
  // Supervisor's own page: stop everything, waiting, and say when.
  stopall: (req) => rpcAction(req.port, "supervisor.stopAllProcesses", [true], "All stopped"),
  restartsup: async (req) => asWarning(await rpcAction(req.port, "supervisor.restart", [], "Supervisor restart requested")),
  shutdownsup: async (req) => asWarning(await rpcAction(req.port, "supervisor.shutdown", [], "Supervisor shutdown requested")),
};
