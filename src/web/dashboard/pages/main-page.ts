/**
 * The main page, `index.html` (spec §11.4): the Supvisors state header, then one card per
 * instance: its nick (a link to the same page served by that instance), state, estimated clock,
 * load, and the processes running there grouped by application.
 */
import { html, type Html } from "../../html.js";
import { ACTIVE_INSTANCE_STATES, peerUrl, renderFrame } from "../layout.js";
import { cmp, namespecOf, type InstanceInfo, type ProcessInfo } from "../snapshot.js";
import type { DashboardPage, PageInput } from "./page.js";
import { SUPVISORS_ACTIONS, supvisorsButtons, supvisorsStatus } from "./supvisors-header.js";

const p2 = (n: number) => String(n).padStart(2, "0");

/** `HH:MM:SS` of a wall time in seconds, local time. */
export function simpleLocaltime(seconds: number): string {
  const d = new Date(seconds * 1000);
  return `${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}`;
}

function instanceCard(input: PageInput, info: InstanceInfo, running: readonly ProcessInfo[], userSync: boolean): Html {
  const { snap } = input;
  const state = snap.state();
  const active = ACTIVE_INSTANCE_STATES.has(info.statename);
  const master = info.identifier === state.master_identifier;
  const nick = `${master ? "✪ " : ""}${info.nick_identifier}`;
  const local = info.identifier === snap.local.identifier;
  const title = active
    ? html`<a class="${`nick on${local ? " active" : ""}`}" href="${peerUrl(input, info.identifier, "index.html", { ident: null })}">${nick}</a>`
    : html`<span class="nick off">${nick}</span>`;
  const star = userSync
    ? info.statename === "RUNNING"
      ? html`<a class="button star on" href="${input.ctx.url("index.html", { ident: info.identifier, action: "sup_master_sync" })}" title="end the synchronization with this Master"> ✪ </a>`
      : html`<span class="button star off"> ✪ </span>`
    : html``;
  // The peer's clock now, from the offset seen in its last TICK.
  const clock = active ? simpleLocaltime(info.remote_time + (input.nowMs / 1000 - info.local_time)) : "";
  const byApp = new Map<string, ProcessInfo[]>();
  for (const p of running) byApp.set(p.application_name, [...(byApp.get(p.application_name) ?? []), p]);
  const conflicting = snap.conflicting();
  const rows = [...byApp.keys()].sort(cmp).map((app) => {
    const managed = snap.application(app)?.managed ?? false;
    const appCell = managed
      ? html`<a class="on" href="${peerUrl(input, info.identifier, "application.html", { appname: app, ident: info.identifier, strategy: snap.applicationStrategy(app) })}">${app}</a>`
      : html`<span>${app}</span>`;
    const procs = byApp.get(app)!.map((p) => {
      const ns = namespecOf(p.application_name, p.process_name);
      const blink = managed && conflicting.has(ns) ? "blink" : "";
      return html`<li><a class="on" href="${peerUrl(input, info.identifier, "proc_instance.html", { processname: ns, ident: info.identifier })}"><span class="${blink}">${p.process_name}</span></a></li>`;
    });
    return html`<tr><td class="appname">${appCell}</td><td colspan="3"><ul class="plist">${procs}</ul></td></tr>`;
  });
  return html`<div class="card instance" data-identifier="${info.identifier}">
<table class="instance-box"><thead><tr><th>${star}${title}</th><th class="${`istate istate-${info.statename}`}">${info.statename}</th><th class="time">${clock}</th><th class="load">${`${info.loading}%`}</th></tr></thead>
<tbody>${rows.length ? rows : [html`<tr><td colspan="4"></td></tr>`]}</tbody></table></div>`;
}

function render(input: PageInput): string {
  const { snap } = input;
  const state = snap.state();
  const userSync = snap.port.options.userSync && state.fsm_statename === "SYNCHRONIZATION" && !state.master_identifier;
  const processes = snap.processes();
  const cards = snap.instances().map((i) => instanceCard(input, i, processes.filter((p) => p.identifiers.includes(i.identifier)), userSync));
  return renderFrame({
    ctx: input.ctx,
    snap,
    browserHost: input.browserHost,
    title: "Supvisors",
    header: supvisorsStatus(input),
    actions: supvisorsButtons(input, "index.html"),
    contents: html`<div class="instances-grid">${cards}</div>`,
    nowMs: input.nowMs,
  });
}

export const MAIN_PAGE: DashboardPage = { name: "index.html", actions: SUPVISORS_ACTIONS, render };
