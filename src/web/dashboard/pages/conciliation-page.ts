/**
 * The conciliation page, `conciliation.html` (spec §11.5): the Supvisors state header, then, in
 * CONCILIATION with conflicts, one group per conflicting process: its namespec and the strategy
 * links (sent to the Master, which conciliates), then one row per instance where it runs with
 * its uptime and the Stop (there) / Keep (there alone) buttons; beside it, the box applying one
 * strategy to every conflict. USER is never offered: it is "do nothing".
 */
import { ConciliationStrategies } from "../../../protocol/supvisors.js";
import { html, type Html } from "../../html.js";
import { erro, faultText, info, warn, type ActionHandler, type ActionRequest, type ActionResult } from "../actions.js";
import { button, peerUrl, renderFrame } from "../layout.js";
import { cmp, namespecOf } from "../snapshot.js";
import type { DashboardPage, PageInput } from "./page.js";
import { SUPVISORS_ACTIONS, supvisorsButtons, supvisorsStatus } from "./supvisors-header.js";

const PAGE = "conciliation.html";

/** The strategies a user can apply, in the API's order; USER (do nothing) is left out. */
export const PAGE_STRATEGIES: readonly string[] = ConciliationStrategies.filter((s) => s !== "USER");

const LABELS: Readonly<Record<string, string>> = {
  SENICIDE: "Senicide",
  INFANTICIDE: "Infanticide",
  STOP: "Stop",
  RESTART: "Restart",
  RUNNING_FAILURE: "Running Failure",
};

const TITLES: Readonly<Record<string, string>> = {
  SENICIDE: "keep the youngest, stop the others",
  INFANTICIDE: "keep the oldest, stop the others",
  STOP: "stop it everywhere",
  RESTART: "stop it everywhere, then start it once",
  RUNNING_FAILURE: "stop it everywhere, then apply its running failure strategy",
};

const p2 = (n: number) => String(n).padStart(2, "0");

/** Python's str(timedelta(seconds=int(s))): `H:MM:SS`, with `N day(s), ` in front past a day. */
export function simpleDuration(seconds: number): string {
  let s = Math.max(0, Math.trunc(Number.isFinite(seconds) ? seconds : 0));
  const days = Math.floor(s / 86400);
  s -= days * 86400;
  const hms = `${Math.floor(s / 3600)}:${p2(Math.floor((s % 3600) / 60))}:${p2(s % 60)}`;
  return days ? `${days} day${days > 1 ? "s" : ""}, ${hms}` : hms;
}

/** The strategy links, each to the Master's conciliation page; for one conflict, or all (null). */
function strategyLinks(input: PageInput, master: string, namespec: string | null): Html {
  return html`${PAGE_STRATEGIES.map((s) => {
    const href = peerUrl(input, master, PAGE, { action: s.toLowerCase(), namespec });
    return html`<a class="button small strategy" href="${href}" title="${TITLES[s] ?? ""}">${LABELS[s] ?? s}</a>`;
  })}`;
}

function conflictsTable(input: PageInput): Html {
  const { snap, ctx } = input;
  const state = snap.state();
  const conflicts = [...snap.conflicts()].map((p) => ({ p, ns: namespecOf(p.application_name, p.process_name) })).sort((a, b) => cmp(a.ns, b.ns));
  if (state.fsm_statename !== "CONCILIATION" || conflicts.length === 0) return html`<p class="no-conflict">No conflict</p>`;
  const master = state.master_identifier;
  const groups = conflicts.map(({ p, ns }, n) => {
    const shade = n % 2 ? " shaded" : "";
    const head = html`<tr class="${`conflict${shade}`}" data-namespec="${ns}"><td class="namespec" colspan="4">${ns}</td><td class="strategies"><div class="strategy-row">${strategyLinks(input, master, ns)}</div></td></tr>`;
    const rows = p.identifiers.map((id) => {
      const record = snap.inner(id).get(ns);
      const nick = snap.nick(id);
      const procPage = peerUrl(input, id, "proc_instance.html", { ident: null, processname: null });
      return html`<tr class="${`conflict-instance${shade}`}" data-namespec="${ns}" data-identifier="${id}"><td class="instance"><span class="sub">↳</span>${button(nick, procPage, "small")}</td><td class="num uptime">${simpleDuration(record?.uptime ?? 0)}</td><td>${button("Stop", ctx.url(PAGE, { action: "pstop", namespec: ns, ident: id }), "small pstop")}</td><td>${button("Keep", ctx.url(PAGE, { action: "pkeep", namespec: ns, ident: id }), "small pkeep")}</td><td></td></tr>`;
    });
    return html`<tbody class="conflict-group">${head}${rows}</tbody>`;
  });
  return html`<table class="conflicts"><thead><tr><th>Process / Supervisor</th><th class="num">Uptime</th><th colspan="2">Actions</th><th>Conciliation strategy</th></tr></thead>${groups}</table>`;
}

function render(input: PageInput): string {
  const { snap } = input;
  const master = snap.state().master_identifier;
  const global = html`<div class="card global-strategies"><h3>Global conciliation strategies</h3><p class="label">Applied to every conflict by the Master</p><div class="strategy-list">${strategyLinks(input, master, null)}</div></div>`;
  return renderFrame({
    ctx: input.ctx,
    snap,
    browserHost: input.browserHost,
    title: "Supvisors conciliation",
    header: supvisorsStatus(input),
    actions: supvisorsButtons(input, PAGE),
    contents: html`<div class="conciliation"><div class="conflicts-side">${conflictsTable(input)}</div>${global}</div>`,
    nowMs: input.nowMs,
  });
}

function strategyAction(strategy: string): ActionHandler {
  return ({ ctx, port }) => {
    const ns = ctx.namespec;
    let done: boolean;
    try {
      done = port.orders.conciliateProcess(strategy, ns);
    } catch (err) {
      return erro(`conciliate: ${faultText(err)}`);
    }
    if (!done) return warn(ns === null ? `${strategy}: nothing to conciliate` : `${strategy}: no conflict for ${ns}`);
    return info(`${strategy} in progress for ${ns === null ? "all conflicts" : ns}`);
  };
}

/** The namespec and instance of a Stop / Keep, or the error saying which is missing. */
function target(req: ActionRequest): { ns: string; id: string } | ActionResult {
  const { ctx } = req;
  if (ctx.namespec === null) return erro("No process selected");
  const id = ctx.get("ident");
  if (id === null) return erro(ctx.errors.find((e) => e.startsWith("Incorrect ident")) ?? "No instance selected");
  return { ns: ctx.namespec, id };
}

const stopOn: ActionHandler = async (req) => {
  const t = target(req);
  if ("gravity" in t) return t;
  try {
    await req.port.orders.stopProcessOn(t.ns, t.id);
  } catch (err) {
    return erro(faultText(err));
  }
  return info(`process ${t.ns} stopped on ${req.snap.nick(t.id)}`);
};

const keepOn: ActionHandler = async (req) => {
  const t = target(req);
  if ("gravity" in t) return t;
  try {
    await req.port.orders.keepProcessOn(t.ns, t.id);
  } catch (err) {
    return erro(faultText(err));
  }
  return info(`processes ${t.ns} stopped but on ${req.snap.nick(t.id)}`);
};

const ACTIONS: Readonly<Record<string, ActionHandler>> = {
  ...SUPVISORS_ACTIONS,
  ...Object.fromEntries(PAGE_STRATEGIES.map((s) => [s.toLowerCase(), strategyAction(s)])),
  pstop: stopOn,
  pkeep: keepOn,
};

export const CONCILIATION_PAGE: DashboardPage = { name: PAGE, actions: ACTIONS, render };
