/**
 * The application page, `application.html` (spec §11.8): the application's name, state and
 * failure LED, the starting strategy that Start / Restart use, the statistics period, the
 * application's Start / Stop / Restart (and our Rolling restart); then one synthetic row per process (its state across the
 * cluster, where it runs or the way to conciliate it, its figures and buttons), each expandable
 * (`pshex`) into the record of every instance where it is configured. CPU / MEM select the
 * process for the detailed statistics beside the table. Every figure is read from one Snapshot
 * into maps: an application of 300 processes on 3 instances renders in one pass.
 */
import { StartingStrategies } from "../../../protocol/supvisors.js";
import { RUNNING_STATES, STOPPED_STATES } from "../../../supervisord/process/states.js";
import type { ProcessHistory } from "../../../supvisors/stats/types.js";
import { html, pyQuote, type Html } from "../../html.js";
import { erro, rpcAction, stamped, type ActionHandler, type ActionRequest, type ActionResult } from "../actions.js";
import { chart, figureCells, fixed2 } from "../charts.js";
import { button, peerUrl, renderFrame } from "../layout.js";
import { readinessBadge } from "../readiness.js";
import { cmp, namespecOf, type InnerProcessInfo, type ProcessInfo } from "../snapshot.js";
import type { DashboardPage, PageInput } from "./page.js";

const PAGE = "application.html";
const SUB = "↳";
const EXPAND = "[+]";
const SHRINK = "[–]";

// ---- pshex: bit i = the i-th process name in sorted order (byte i/8, bit i%8 from the lowest) ----

function shexBytes(n: number, fill: number): Uint8Array {
  return new Uint8Array(Math.ceil(n / 8)).fill(fill);
}

function fromHex(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
const bit = (bytes: Uint8Array, i: number): boolean => ((bytes[i >> 3]! >> (i & 7)) & 1) === 1;

/** The hex string with bit `i` inverted. */
function toggled(bytes: Uint8Array, i: number): string {
  const copy = bytes.slice();
  copy[i >> 3]! ^= 1 << (i & 7);
  return toHex(copy);
}

// ---- the rows ----

interface Row {
  readonly ns: string;
  /** The instance the row's logs, statistics and description come from; null in conflict or never started. */
  readonly logId: string | null;
  readonly statename: string;
  readonly stateClasses: string;
  readonly conflict: boolean;
  readonly description: string;
  readonly hasStdout: boolean;
  readonly hasStderr: boolean;
  /** Ours: the readiness where it runs (undefined without a readiness_check, or in conflict). */
  readonly readiness?: string;
}

interface Model {
  readonly input: PageInput;
  readonly app: string;
  readonly stats: boolean;
  readonly load: (ns: string) => number;
  readonly history: (id: string, ns: string) => ProcessHistory | null;
  /** The selected process for the detailed statistics (namespec and instance), if shown. */
  readonly selected: { readonly ns: string; readonly id: string } | null;
}

function stateClasses(statename: string, unexpected: boolean, crashed: boolean, disabled: boolean, conflict: boolean): string {
  return ["pstate", `pstate-${statename}`, unexpected ? "unexpected" : "", crashed ? "crashed" : "", disabled ? "pstate-disabled" : "", conflict ? "blink" : ""].filter(Boolean).join(" ");
}

/** The process as the cluster sees it (Supvisors' applicable details): running there, in conflict, or last stopped there. */
function synthetic(input: PageInput, p: ProcessInfo, records: readonly InnerProcessInfo[]): Row {
  const { snap } = input;
  const ns = namespecOf(p.application_name, p.process_name);
  const conflict = p.identifiers.length > 1;
  const crashed = records.some((r) => r.has_crashed);
  const disabled = records.length > 0 && records.every((r) => r.disabled);
  const classes = stateClasses(p.statename, p.statename === "EXITED" && !p.expected_exit, crashed, disabled, conflict);
  const base = { ns, statename: p.statename, stateClasses: classes, conflict };
  if (conflict) return { ...base, logId: null, description: `conflict on ${p.identifiers.map((id) => snap.nick(id)).join(", ")}`, hasStdout: false, hasStderr: false };
  // A forced state (a start that failed elsewhere) says why instead of the instances' text.
  const forced = snap.forcedReasons().get(ns);
  const runningId = p.identifiers[0];
  const running = runningId === undefined ? undefined : records.find((r) => r.identifier === runningId);
  if (running) {
    const readiness = p.readiness?.[running.identifier];
    return { ...base, logId: running.identifier, description: `${running.description} on ${snap.nick(running.identifier)}`, hasStdout: running.has_stdout, hasStderr: running.has_stderr, ...(readiness === undefined ? {} : { readiness }) };
  }
  // None running: the instance that stopped it last tells why (the first of equal stop times).
  let last: InnerProcessInfo | undefined;
  for (const r of records) if (!last || r.stop > last.stop) last = r;
  if (!last) return { ...base, logId: null, description: forced ?? "", hasStdout: false, hasStderr: false };
  const started = last.start > 0;
  return {
    ...base,
    logId: started ? last.identifier : null,
    description: forced ?? (started ? `${last.description} on ${snap.nick(last.identifier)}` : last.description),
    hasStdout: started && last.has_stdout,
    hasStderr: started && last.has_stderr,
  };
}

/** A tail button (a new tab, as the log streams), or a greyed label. */
function tailButton(label: string, href: string | null): Html {
  return href === null ? button(label, null, "small") : html`<a class="button small" href="${href}" target="_blank">${label}</a>`;
}

/** CPU or MEM: the last value, a link selecting (or, when selected, unselecting) the detailed statistics. */
function statCell(m: Model, ns: string, id: string | null, values: readonly number[] | undefined): Html {
  if (!m.stats) return html``;
  if (id === null || !values || values.length === 0) return html`<td class="num">--</td>`;
  const { ctx } = m.input;
  const selected = m.selected !== null && m.selected.ns === ns && m.selected.id === id;
  const href = ctx.url(PAGE, selected ? { processname: null } : { processname: ns, ident: id });
  return html`<td class="num"><a class="${`button small stat${selected ? " active" : ""}`}" href="${href}">${fixed2(values[values.length - 1]!)}</a></td>`;
}

/** Clear (an action of the page served by that instance), Stdout, Stderr of the logs on `id`. */
function logCells(m: Model, ns: string, id: string | null, hasStdout: boolean, hasStderr: boolean): Html {
  const { input } = m;
  const clear = id !== null && (hasStdout || hasStderr) ? peerUrl(input, id, PAGE, { action: "clearlog", namespec: ns }) : null;
  const tail = `logtail/${pyQuote(ns)}`;
  const stdout = id !== null && hasStdout ? peerUrl(input, id, tail) : null;
  const stderr = id !== null && hasStderr ? peerUrl(input, id, `${tail}/stderr`) : null;
  return html`<td>${button("Clear", clear, "small")}</td><td>${tailButton("Stdout", stdout)}</td><td>${tailButton("Stderr", stderr)}</td>`;
}

/** The name, with a link to Supervisor's tail page on the instance that has the log. */
function nameCell(m: Model, label: Html | string, ns: string, id: string | null, hasStdout: boolean): Html {
  if (id === null || !hasStdout) return html`<td class="name">${label}</td>`;
  return html`<td class="name"><a href="${peerUrl(m.input, id, "tail.html", { processname: ns })}" target="_blank">${label}</a></td>`;
}

function instanceButton(m: Model, id: string): Html {
  return button(m.input.snap.nick(id), peerUrl(m.input, id, "proc_instance.html", { ident: null, processname: null }), "small instance");
}

function mainRow(m: Model, p: ProcessInfo, row: Row, startable: boolean, shex: Html, shade: string): Html {
  const { ctx } = m.input;
  const ns = row.ns;
  const where = row.conflict
    ? html`<a class="button small conciliate blink" href="${ctx.url("conciliation.html", { processname: null, pshex: null })}">Conciliate</a>`
    : p.identifiers.length === 1
      ? instanceButton(m, p.identifiers[0]!)
      : html``;
  const history = row.conflict || p.identifiers.length !== 1 ? null : m.history(p.identifiers[0]!, ns);
  const statsId = history ? p.identifiers[0]! : null;
  const stopped = STOPPED_STATES.has(p.statename as never);
  const running = RUNNING_STATES.has(p.statename as never);
  const action = (a: string, on: boolean, label: string) => button(label, on ? ctx.url(PAGE, { action: a, namespec: ns }) : null, `small ${a}`);
  return html`<tr class="${`process${shade}`}" data-namespec="${ns}">${shex}${nameCell(m, p.process_name, ns, row.logId, row.hasStdout)}<td class="state"><span class="${row.stateClasses}">${row.statename}</span>${readinessBadge(row.readiness)}</td><td class="where">${where}</td><td class="desc">${row.description}</td><td class="num load">${m.load(ns)}</td>${statCell(m, ns, statsId, history?.cpu)}${statCell(m, ns, statsId, history?.mem)}<td>${action("start", startable && stopped, "Start")}</td><td>${action("stop", running, "Stop")}</td><td>${action("restart", startable && running, "Restart")}</td>${logCells(m, ns, row.logId, row.hasStdout, row.hasStderr)}</tr>`;
}

const isRunningLike = (statename: string) => RUNNING_STATES.has(statename as never) || statename === "STOPPING";

function detailRow(m: Model, ns: string, r: InnerProcessInfo, shade: string): Html {
  const history = isRunningLike(r.statename) ? m.history(r.identifier, ns) : null;
  const statsId = history ? r.identifier : null;
  const started = r.start > 0;
  const classes = stateClasses(r.statename, r.statename === "EXITED" && !r.expected, r.has_crashed, r.disabled, false);
  const off = (label: string) => button(label, null, "small");
  return html`<tr class="${`detail${shade}`}" data-namespec="${ns}" data-identifier="${r.identifier}">${nameCell(m, SUB, ns, r.identifier, started && r.has_stdout)}<td class="state"><span class="${classes}">${r.statename}</span>${readinessBadge(r.readiness)}</td><td class="where">${instanceButton(m, r.identifier)}</td><td class="desc">${r.description}</td><td class="num load">${m.load(ns)}</td>${statCell(m, ns, statsId, history?.cpu)}${statCell(m, ns, statsId, history?.mem)}<td>${off("Start")}</td><td>${off("Stop")}</td><td>${off("Restart")}</td>${logCells(m, ns, r.identifier, started && r.has_stdout, started && r.has_stderr)}</tr>`;
}

/** The detailed statistics of the selected process on the selected instance. */
function statsPanel(m: Model, history: ProcessHistory): Html {
  const { ctx, snap } = m.input;
  const { ns, id } = m.selected!;
  const host = snap.instance(id)?.hostId ?? "";
  const head = html`<tr><th></th><th class="num">Latest</th><th class="num">Mean</th><th class="num">Slope/P</th><th class="num">StdDev</th></tr>`;
  const key = `${id}|${ns}|${ctx.period}`;
  return html`<div class="card stats-panel process-stats"><h3>Detailed statistics</h3>
<table class="status"><tbody><tr><th>Process</th><td class="selected">${ns}</td></tr><tr><th>Supervisor</th><td>${snap.nick(id)}</td></tr><tr><th>Host</th><td>${host}</td></tr></tbody></table>
<table class="figures"><thead>${head}</thead><tbody><tr><th>%CPU</th>${figureCells(history.cpu, history.times, ctx.period)}</tr><tr><th>%MEM</th>${figureCells(history.mem, history.times, ctx.period)}</tr></tbody></table>
${chart({ key: `pcpu|${key}`, title: `${ns} CPU`, unit: "%", label: "CPU", times: history.times, values: history.cpu })}
${chart({ key: `pmem|${key}`, title: `${ns} MEM`, unit: "%", label: "MEM", times: history.times, values: history.mem })}</div>`;
}

function processTable(m: Model, processes: readonly ProcessInfo[]): Html {
  const { ctx, snap } = m.input;
  if (processes.length === 0) return html`<p class="no-process">No programs to display</p>`;
  const n = processes.length;
  // A pshex of another size (the application changed) is wrong: back to all collapsed.
  const raw = ctx.get("pshex");
  if (raw !== null && raw.length !== Math.ceil(n / 8) * 2) ctx.reject("pshex");
  const given = ctx.get("pshex");
  const shex = given !== null ? fromHex(given) : shexBytes(n, 0);
  const current = toHex(shex);
  const expandAll = toHex(shexBytes(n, 0xff));
  const shrinkAll = toHex(shexBytes(n, 0));
  const corner = html`${current !== expandAll ? html`<a class="shex expand-all" href="${ctx.url(PAGE, { pshex: expandAll })}" title="expand all">${EXPAND}</a>` : html``}${current !== shrinkAll ? html`<a class="shex shrink-all" href="${ctx.url(PAGE, { pshex: shrinkAll })}" title="shrink all">${SHRINK}</a>` : html``}`;

  // Where each process could start: an instance RUNNING that has it configured and not disabled.
  const runningInstances = snap.instances().filter((i) => i.statename === "RUNNING").map((i) => i.identifier);
  const allIds = snap.instances().map((i) => i.identifier);
  const inner = new Map(allIds.map((id) => [id, snap.inner(id)]));
  const bodies: Html[] = [];
  processes.forEach((p, i) => {
    const ns = namespecOf(p.application_name, p.process_name);
    const records: InnerProcessInfo[] = [];
    for (const id of allIds) {
      const r = inner.get(id)!.get(ns);
      if (r) records.push(r.identifier ? r : { ...r, identifier: id });
    }
    const startable = runningInstances.some((id) => {
      const r = inner.get(id)!.get(ns);
      return r !== undefined && !r.disabled;
    });
    const expanded = bit(shex, i);
    const shade = i % 2 ? " shaded" : "";
    // Expanded, the toggle spans the instances' rows below it.
    const span = expanded && records.length ? String(records.length + 1) : null;
    const toggle = html`<td class="${`shex${expanded ? " expanded" : ""}`}"${span ? html` rowspan="${span}"` : html``}><a class="shex" href="${ctx.url(PAGE, { pshex: toggled(shex, i) })}" title="${expanded ? "shrink" : "expand"}">${expanded ? SHRINK : EXPAND}</a></td>`;
    const rows = [mainRow(m, p, synthetic(m.input, p, records), startable, toggle, shade)];
    if (expanded) for (const r of records) rows.push(detailRow(m, ns, r, shade));
    bodies.push(html`<tbody class="${`process-group${expanded ? " expanded" : ""}`}" data-namespec="${ns}">${rows}</tbody>`);
  });
  const stats = m.stats ? html`<th class="num">%CPU</th><th class="num">%MEM</th>` : html``;
  return html`<table class="processes application-processes"><thead><tr><th class="shex">${corner}</th><th>Name</th><th>State</th><th>Supervisor</th><th>Description</th><th class="num">Load</th>${stats}<th colspan="3">Actions</th><th colspan="3">Logs</th></tr></thead>${bodies}</table>`;
}

function header(input: PageInput, app: string, stats: boolean): Html {
  const { ctx, snap } = input;
  const a = snap.application(app)!;
  const led = a.major_failure ? "status_red" : a.minor_failure ? "status_yellow" : a.statename === "RUNNING" || a.statename === "STARTING" ? "status_green" : "status_empty";
  const ledTitle = a.major_failure ? "major failure" : a.minor_failure ? "minor failure" : led === "status_green" ? "running" : "";
  const operational = a.statename === "RUNNING" ? (a.major_failure ? "Not Operational" : a.minor_failure ? "Degraded" : "Operational") : "";
  const status = html`<div class="card status application-status"><div><span class="label">Application:</span> <span class="appname">${app}</span>${a.managed ? html`` : html`<span class="marker">unmanaged</span>`}</div>
<div><span class="label">State:</span> <span class="${`astate astate-${a.statename}`}">${a.statename}</span> <span class="${`led ${led}`}" title="${ledTitle}"></span>${operational ? html` <span class="opstatus">${operational}</span>` : html``}</div></div>`;
  const strategies = StartingStrategies.map((s) => button(s.replaceAll("_", " "), ctx.url(PAGE, { strategy: s }), `small strategy${s === ctx.strategy ? " active" : ""}`));
  const strategyCard = html`<div class="card options starting-strategies"><div class="label">Starting strategy</div><div class="button-group">${strategies}</div></div>`;
  const periods = snap.port.options.statsPeriods.map((p) => button(`${p}s`, ctx.url(PAGE, { period: p }), `small period${p === ctx.period ? " active" : ""}`));
  const periodCard = stats ? html`<div class="card options periods"><div class="label">Statistics period</div><div class="button-group">${periods}</div></div>` : html``;
  return html`${status}${strategyCard}${periodCard}`;
}

/** Where the browser goes without an application to show: the main page, with the error. */
function backToMain(input: PageInput): { redirect: string } {
  const { ctx } = input;
  const why = ctx.errors.find((e) => e.startsWith("Unknown application:")) ?? "No application selected";
  const m = stamped(erro(why), input.nowMs);
  return { redirect: `index.html${ctx.query({ message: m.message, gravity: m.gravity, pshex: null, processname: null })}` };
}

function render(input: PageInput): string | { redirect: string } {
  const { ctx, snap } = input;
  const app = ctx.get("appname");
  if (app === null || !snap.application(app)) return backToMain(input);
  const stats = snap.statisticsStatus().process_stats;
  const processes = snap
    .processes()
    .filter((p) => p.application_name === app)
    .slice()
    .sort((x, y) => cmp(x.process_name, y.process_name));

  // The process selected for the detailed statistics: one of this application's, on the selected instance.
  const histories = new Map<string, ProcessHistory | null>();
  const history = (id: string, ns: string): ProcessHistory | null => {
    if (!stats) return null;
    const k = `${id}\u0000${ns}`;
    let h = histories.get(k);
    if (h === undefined) {
      try {
        h = snap.port.processHistory(id, ns, ctx.period);
      } catch {
        h = null;
      }
      histories.set(k, h);
    }
    return h;
  };
  let selected: Model["selected"] = null;
  const wanted = ctx.processname;
  if (wanted !== null && wanted !== "supervisord") {
    const p = processes.find((q) => namespecOf(q.application_name, q.process_name) === wanted);
    if (!p) ctx.reject("processname");
    else if (p.identifiers.includes(ctx.identifier)) selected = { ns: wanted, id: ctx.identifier };
  }
  const selectedHistory = selected ? history(selected.id, selected.ns) : null;
  if (!selectedHistory || (selectedHistory.cpu.length === 0 && selectedHistory.mem.length === 0)) selected = null;

  const m: Model = { input, app, stats, load: (ns) => snap.processRules(ns).expected_loading, history, selected };
  const table = processTable(m, processes);
  const contents = selected
    ? html`<div class="split app-split"><div class="table-side">${table}</div><div class="stats-side">${statsPanel(m, selectedHistory!)}</div></div>`
    : table;
  const act = (a: string, label: string, title: string) => html`<a class="${`button ${a}`}" href="${ctx.url(PAGE, { action: a })}" title="${title}">${label}</a>`;
  return renderFrame({
    ctx,
    snap,
    browserHost: input.browserHost,
    title: `Supvisors application ${app}`,
    header: header(input, app, stats),
    actions: html`${act("startapp", "Start", `start ${app} (${ctx.strategy})`)}${act("stopapp", "Stop", `stop ${app}`)}${act("restartapp", "Restart", `restart ${app} (${ctx.strategy})`)}${act("rollingapp", "Rolling restart", `restart ${app} one instance at a time, each ready before the next`)}`,
    contents,
    charts: selected !== null,
    nowMs: input.nowMs,
  });
}

// ---- actions ----

/** The application of the page, or the error the footer shows. */
function application(req: ActionRequest): string | ActionResult {
  const app = req.ctx.get("appname");
  if (app === null) return erro(req.ctx.errors.find((e) => e.startsWith("Unknown application:")) ?? "No application selected");
  return app;
}

function appAction(run: (req: ActionRequest, app: string, wait: boolean) => Promise<ActionResult>): ActionHandler {
  return (req) => {
    const app = application(req);
    return typeof app === "string" ? run(req, app, !req.ctx.auto) : app;
  };
}

/** A process action: the namespec must be a process of the page's application. */
function processAction(run: (req: ActionRequest, ns: string, wait: boolean) => Promise<ActionResult>): ActionHandler {
  return (req) => {
    const app = application(req);
    if (typeof app !== "string") return app;
    const ns = req.ctx.namespec;
    if (ns === null) return erro("No process selected");
    const known = req.snap.processes().some((p) => p.application_name === app && namespecOf(p.application_name, p.process_name) === ns);
    if (!known) return erro(`No such process named ${ns}`);
    return run(req, ns, !req.ctx.auto);
  };
}

const ACTIONS: Readonly<Record<string, ActionHandler>> = {
  startapp: appAction((req, app, wait) => rpcAction(req.port, "supvisors.start_application", [req.ctx.strategy, app, wait], `Application ${app} started`)),
  stopapp: appAction((req, app, wait) => rpcAction(req.port, "supvisors.stop_application", [app, wait], `Application ${app} stopped`)),
  restartapp: appAction((req, app, wait) => rpcAction(req.port, "supvisors.restart_application", [req.ctx.strategy, app, wait], `Application ${app} restarted`)),
  // Ours. A rolling restart lasts as long as its batches: the page does not wait for it (its steps are in the log).
  rollingapp: appAction((req, app) => rpcAction(req.port, "supvisors.rolling_restart", [app, 1, false], `Application ${app} rolling restart started`)),
  start: processAction((req, ns, wait) => rpcAction(req.port, "supvisors.start_process", [req.ctx.strategy, ns, "", wait], `Process ${ns} started`)),
  stop: processAction((req, ns, wait) => rpcAction(req.port, "supvisors.stop_process", [ns, wait], `Process ${ns} stopped`)),
  restart: processAction((req, ns, wait) => rpcAction(req.port, "supvisors.restart_process", [req.ctx.strategy, ns, "", wait], `Process ${ns} restarted`)),
  clearlog: processAction((req, ns) => rpcAction(req.port, "supervisor.clearProcessLogs", [ns], `Log for ${ns} cleared`)),
};

export const APPLICATION_PAGE: DashboardPage = { name: PAGE, actions: ACTIONS, render };
