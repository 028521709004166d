/**
 * The header of the main and conciliation pages (spec §11.4): the Supvisors state (a link to the
 * conciliation page in CONCILIATION, blinking `>>` while conflicts exist), the starting / stopping
 * markers, the Master; the Sync / Restart / Shutdown buttons and their actions.
 */
import { html, type Html } from "../../html.js";
import { rpcAction, warn, erro, faultText, type ActionHandler } from "../actions.js";
import { button } from "../layout.js";
import type { PageInput } from "./page.js";

export function supvisorsStatus({ ctx, snap }: PageInput): Html {
  const state = snap.state();
  const conflicts = snap.conflicts().length > 0;
  const name =
    state.fsm_statename === "CONCILIATION"
      ? html`<a class="${conflicts ? "blink" : ""}" href="${ctx.url("conciliation.html")}">${state.fsm_statename}${conflicts ? " >>" : ""}</a>`
      : html`<span>${state.fsm_statename}</span>`;
  const starting = state.starting_jobs.length > 0 ? html`<span class="marker blink">starting</span>` : html``;
  const stopping = state.stopping_jobs.length > 0 ? html`<span class="marker blink">stopping</span>` : html``;
  const master = state.master_identifier ? snap.nick(state.master_identifier) : "none";
  return html`<div class="card status"><div><span class="label">Supvisors State:</span> <span class="${`sstate sstate-${state.fsm_statename}`}">${name}</span>${starting}${stopping}</div>
<div><span class="label">Master:</span> <span class="master">${master}</span></div>${state.degraded_mode ? html`<div class="marker">degraded</div>` : html``}</div>`;
}

export function supvisorsButtons({ ctx }: PageInput, page: string): Html {
  return html`${button("Sync", ctx.url(page, { action: "sup_sync" }))}${button("Restart", ctx.url(page, { action: "sup_restart" }))}${button("Shutdown", ctx.url(page, { action: "sup_shutdown" }))}`;
}

async function endSync(req: Parameters<ActionHandler>[0], master: string): Promise<ReturnType<typeof warn>> {
  try {
    await req.port.call("supvisors.end_sync", master ? [master] : []);
  } catch (err) {
    return erro(`end_synchro: ${faultText(err)}`);
  }
  return warn(`Supvisors end of sync requested${master ? ` with Master=${req.snap.nick(master)}` : ""}`);
}

export const SUPVISORS_ACTIONS: Readonly<Record<string, ActionHandler>> = {
  sup_sync: (req) => endSync(req, ""),
  sup_master_sync: (req) => endSync(req, req.ctx.get("ident") ?? ""),
  sup_restart: async (req) => {
    const r = await rpcAction(req.port, "supvisors.restart", [], "Supvisors restart requested");
    return r.gravity === "info" ? warn(r.message) : r;
  },
  sup_shutdown: async (req) => {
    const r = await rpcAction(req.port, "supvisors.shutdown", [], "Supvisors shutdown requested");
    return r.gravity === "info" ? warn(r.message) : r;
  },
};
