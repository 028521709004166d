/**
 * The Supervisor page, processes section: `proc_instance.html` (spec §11.6). It always describes
 * the instance serving it, and its actions are this Supervisor's own RPCs (hence the default
 * warning that the Supvisors rules do not apply here).
 *
 * The table lists the processes configured here grouped by application (both sorted), an
 * application row above the processes of an application that has several of them or whose only
 * process is not named after it (expand / shrink with `ashex`, its state and operational status,
 * the sums of its running processes, group Start / Stop / Restart), the process rows (state
 * colours, description, expected load, CPU and MEM of the selected period, Start / Stop / Restart
 * / Clear / Stdout / Stderr), the supervisord row and the totals. The right panel shows the
 * detailed statistics of the selected process (`processname`).
 *
 * Rendering reads each status answer once through the Snapshot and joins them with maps: a page
 * of 1000 processes is one pass over them.
 */
import { SupvisorsFaultCodes } from "../../../protocol/faults.js";
import { formatTimedelta } from "../../../supervisord/process/describe.js";
import { RUNNING_STATES, STOPPED_STATES, type ProcessStateName } from "../../../supervisord/process/states.js";
import type { ProcessHistory } from "../../../supvisors/stats/types.js";
import { runAction } from "../../actions.js";
import { html, pyQuote, type Html } from "../../html.js";
import { erro, rpcAction, supervisorGravity, type ActionHandler, type ActionRequest, type ActionResult } from "../actions.js";
import { chart, figureCells } from "../charts.js";
import { button, renderFrame } from "../layout.js";
import { readinessBadge } from "../readiness.js";
import type { Payload } from "../port.js";
import { cmp, namespecOf, type ApplicationInfo, type LocalProcessInfo, type Snapshot } from "../snapshot.js";
import type { ViewContext } from "../view-context.js";
import { INSTANCE_ACTIONS, MASTER_SYMBOL, PROC_INSTANCE, instanceButtons, instanceHeader, isLocalMaster, localAddress, smallValue } from "./instance-header.js";
import type { DashboardPage, PageInput } from "./page.js";

const SUPERVISORD = "supervisord";
const SHRINK_SYMBOL = "[\u2013]";
const EXPAND_SYMBOL = "[+]";

const isRunning = (statename: string): boolean => RUNNING_STATES.has(statename as ProcessStateName);
const isStopped = (statename: string): boolean => STOPPED_STATES.has(statename as ProcessStateName);
/** Where the process has a pid worth detailed statistics: the running states and STOPPING. */
const isSelectable = (statename: string): boolean => isRunning(statename) || statename === "STOPPING";

/** `Operational` / `Degraded` / `Not Operational` for a RUNNING application, else nothing. */
export function operationalStatus(app: ApplicationInfo | undefined): string {
  if (!app || app.statename !== "RUNNING") return "";
  if (app.major_failure) return "Not Operational";
  if (app.minor_failure) return "Degraded";
  return "Operational";
}

/** The `ashex` bitmask: bit i (bit i % 8 of byte i / 8) tells whether the i-th application is expanded. */
class Shex {
  readonly bytes: Uint8Array;

  constructor(
    readonly count: number,
    hex: string | null,
  ) {
    const size = Math.ceil(count / 8);
    this.bytes = new Uint8Array(size).fill(0xff);
    if (hex !== null) for (let i = 0; i < size; i++) this.bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  }

  static hex(bytes: Uint8Array): string {
    let out = "";
    for (const b of bytes) out += b.toString(16).padStart(2, "0");
    return out;
  }

  static filled(count: number, expanded: boolean): string {
    return (expanded ? "ff" : "00").repeat(Math.ceil(count / 8));
  }

  expanded(i: number): boolean {
    return ((this.bytes[i >> 3]! >> (i & 7)) & 1) === 1;
  }

  /** The mask with bit i inverted. */
  toggled(i: number): string {
    const copy = Uint8Array.from(this.bytes);
    copy[i >> 3]! ^= 1 << (i & 7);
    return Shex.hex(copy);
  }

  get text(): string {
    return Shex.hex(this.bytes);
  }
}

/** One process as the table shows it. */
interface Row {
  readonly info: LocalProcessInfo;
  readonly namespec: string;
  readonly load: number;
  readonly crashed: boolean;
  readonly cpu: number | null;
  readonly mem: number | null;
}

interface Sums {
  load: number;
  cpu: number;
  mem: number;
  /** Some running process had statistics. */
  measured: boolean;
}

function sumRunning(rows: readonly Row[], into: Sums = { load: 0, cpu: 0, mem: 0, measured: false }): Sums {
  for (const r of rows) {
    if (!isRunning(r.info.statename)) continue;
    into.load += r.load;
    if (r.cpu !== null && r.mem !== null) {
      into.cpu += r.cpu;
      into.mem += r.mem;
      into.measured = true;
    }
  }
  return into;
}

const last = (values: readonly number[] | undefined): number | null => (values && values.length > 0 ? values[values.length - 1]! : null);

/** A marker no namespec contains, where a cached link takes the namespec. */
const SLOT = "\u0000";

/**
 * The links of the table's cells and buttons, all to this page. The carried parameters are the
 * same on every row: each kind of link is built once with a slot for the namespec, then filled
 * (1000 rows make 6000 links).
 */
class Links {
  private readonly cache = new Map<string, readonly [string, string]>();

  constructor(readonly ctx: ViewContext) {}

  /** The link `changes` makes, with the namespec in place of SLOT. */
  private filled(kind: string, changes: () => Parameters<ViewContext["url"]>[1], namespec: string): string {
    let parts = this.cache.get(kind);
    if (!parts) {
      const url = this.ctx.url(PROC_INSTANCE, changes());
      const slot = encodeURIComponent(SLOT);
      const at = url.indexOf(slot);
      parts = [url.slice(0, at), url.slice(at + slot.length)];
      this.cache.set(kind, parts);
    }
    return `${parts[0]}${encodeURIComponent(namespec)}${parts[1]}`;
  }

  action(action: string, namespec: string): string {
    return this.filled(`a|${action}`, () => ({ action, namespec: SLOT }), namespec);
  }

  /** Selects a process for the detailed statistics. */
  select(namespec: string): string {
    return this.filled("select", () => ({ processname: SLOT }), namespec);
  }

  /** A CPU or MEM value: a link selecting the process (unselecting it when selected already). */
  stat(value: number | null, namespec: string | null): Html {
    if (value === null) return html`<td class="num stat">--</td>`;
    if (namespec === null) return html`<td class="num stat">${smallValue(value)}</td>`;
    const selected = this.ctx.processname === namespec;
    const href = selected ? this.ctx.url(PROC_INSTANCE, { processname: null }) : this.select(namespec);
    return html`<td class="num stat">${button(smallValue(value), href, selected ? "small stat active" : "small stat")}</td>`;
  }
}

/** A log link opening in a new tab, or a greyed label. */
function logButton(label: string, href: string | null): Html {
  return href === null ? html`<span class="button small off">${label}</span>` : html`<a class="button small" href="${href}" target="_blank">${label}</a>`;
}

const cell = (content: Html): Html => html`<td class="action">${content}</td>`;

function stateCell(info: LocalProcessInfo, crashed: boolean): Html {
  const classes = ["pstate", `pstate-${info.statename}`];
  if (crashed) classes.push("crashed");
  if (info.statename === "EXITED" && !info.expected) classes.push("unexpected");
  if (info.disabled) classes.push("disabled");
  return html`<td class="state"><span class="${classes.join(" ")}">${info.statename}</span>${readinessBadge(info.readiness)}</td>`;
}

function processRow(input: PageInput, links: Links, row: Row, sub: boolean, shade: string, withStats: boolean): Html {
  const { info, namespec: ns } = row;
  const tailLimit = input.snap.port.options.tailLimit;
  const name = info.has_stdout
    ? html`<a href="${`tail.html?processname=${encodeURIComponent(ns)}&limit=${tailLimit}`}" target="_blank">${info.name}</a>`
    : html`<span>${info.name}</span>`;
  const running = isRunning(info.statename);
  const stats = withStats ? html`${links.stat(row.cpu, ns)}${links.stat(row.mem, ns)}` : html``;
  const quoted = pyQuote(ns);
  return html`<tr class="${`process${sub ? " child" : ""}${shade}`}" data-namespec="${ns}"><td class="shex"></td><td class="name">${name}</td>${stateCell(info, row.crashed)}<td class="desc">${info.description}</td><td class="num load">${row.load}</td>${stats}${cell(button("Start", !info.disabled && isStopped(info.statename) ? links.action("start", ns) : null, "small"))}${cell(button("Stop", running ? links.action("stop", ns) : null, "small"))}${cell(button("Restart", !info.disabled && running ? links.action("restart", ns) : null, "small"))}${cell(button("Clear", info.has_stdout || info.has_stderr ? links.action("clearlog", ns) : null, "small"))}${cell(logButton("Stdout", info.has_stdout ? `logtail/${quoted}` : null))}${cell(logButton("Stderr", info.has_stderr ? `logtail/${quoted}/stderr` : null))}</tr>`;
}

function applicationRow(input: PageInput, links: Links, app: string, info: ApplicationInfo | undefined, rows: readonly Row[], shex: Shex, index: number, shade: string, withStats: boolean): Html {
  const { ctx, snap } = input;
  const expanded = shex.expanded(index);
  const toggle = html`<a class="shex-toggle" href="${ctx.url(PROC_INSTANCE, { ashex: shex.toggled(index) })}" title="${expanded ? "shrink" : "expand"}">${expanded ? SHRINK_SYMBOL : EXPAND_SYMBOL}</a>`;
  // Only a managed application has a page of its own (Supvisors links no other).
  const name = info?.managed
    ? html`<a href="${ctx.url("application.html", { appname: app, strategy: snap.applicationStrategy(app), processname: null, pshex: null })}">${app}</a>`
    : html`<span>${app}</span>`;
  const state = info ? html`<td class="state"><span class="${`astate astate-${info.statename}`}">${info.statename}</span></td>` : html`<td class="state"></td>`;
  const sums = sumRunning(rows);
  const stats = withStats ? html`${links.stat(sums.measured ? sums.cpu : null, null)}${links.stat(sums.measured ? sums.mem : null, null)}` : html``;
  const group = `${app}:*`;
  return html`<tr class="${`application${expanded ? " expanded" : " shrunk"}${shade}`}" data-application="${app}"><td class="shex">${toggle}</td><td class="name">${name}</td>${state}<td class="desc">${operationalStatus(info)}</td><td class="num load">${sums.load}</td>${stats}${cell(button("Start", links.action("startgroup", group), "small"))}${cell(button("Stop", links.action("stopgroup", group), "small"))}${cell(button("Restart", links.action("restartgroup", group), "small"))}<td colspan="3"></td></tr>`;
}

function supervisordRow(input: PageInput, links: Links, history: ProcessHistory | null, shade: string, withStats: boolean): Html {
  const { ctx, snap } = input;
  const master = isLocalMaster(snap) ? html`<span class="master" title="Master">${MASTER_SYMBOL}</span>` : html``;
  const url = (action: string) => ctx.url(PROC_INSTANCE, { action });
  const stats = withStats ? html`${links.stat(last(history?.cpu), SUPERVISORD)}${links.stat(last(history?.mem), SUPERVISORD)}` : html``;
  const description = `pid ${process.pid}, uptime ${formatTimedelta(process.uptime())}`;
  return html`<tr class="${`supervisord${shade}`}" data-namespec="supervisord"><td class="shex">${master}</td><td class="name"><a href="${`maintail.html?processname=supervisord&limit=${snap.port.options.tailLimit}`}" target="_blank">supervisord</a></td><td class="state"><span class="pstate pstate-RUNNING">RUNNING</span></td><td class="desc">${description}</td><td class="num load">0</td>${stats}${cell(button("Start", null, "small"))}${cell(button("Stop", url("shutdownsup"), "small"))}${cell(button("Restart", url("restartsup"), "small"))}${cell(button("Clear", url("mainclearlog"), "small"))}${cell(logButton("Stdout", "mainlogtail"))}${cell(logButton("Stderr", null))}</tr>`;
}

/** The detailed statistics of the selected process. */
function statsPanel(input: PageInput, namespec: string, history: ProcessHistory | null): Html {
  const { snap, ctx } = input;
  const period = ctx.period;
  const times = history?.times ?? [];
  const figures = (values: readonly number[]) => figureCells(values, times, period);
  const table = (title: string, values: readonly number[]) => html`<table class="figures"><thead><tr><th colspan="4">${title}</th></tr><tr><th class="num">Latest</th><th class="num">Mean</th><th class="num">Slope/P</th><th class="num">StdDev</th></tr></thead><tbody><tr>${figures(values)}</tr></tbody></table>`;
  const charts =
    history && history.times.length > 0
      ? html`${chart({ key: `proc|${namespec}|cpu|${period}`, title: `CPU ${namespec}`, unit: "%", label: "CPU", times: history.times, values: history.cpu })}${chart({ key: `proc|${namespec}|mem|${period}`, title: `MEM ${namespec}`, unit: "%", label: "MEM", times: history.times, values: history.mem })}`
      : html`<div class="no-data">No statistics yet for this process and period.</div>`;
  return html`<div class="stats-panel proc-stats" data-namespec="${namespec}"><div class="card"><table class="status"><tbody><tr><th colspan="2">Detailed Statistics</th></tr><tr><th class="label">Process:</th><td class="selected">${namespec}</td></tr><tr><th class="label">Node:</th><td>${snap.local.hostId}</td></tr><tr><th class="label">IP Address:</th><td>${localAddress(snap)}</td></tr></tbody></table></div>
<div class="card stats-tables">${table("%CPU", history?.cpu ?? [])}${table("%MEM", history?.mem ?? [])}</div>${charts}</div>`;
}

/**
 * The expected loads of an application's processes by name, from one rules read for the whole
 * application (`<app>:*`), or null when it fails (then each process is read alone).
 */
function expectedLoads(snap: Snapshot, application: string): ReadonlyMap<string, number> | null {
  const all = snap.payload(`prules-all|${application}`, () => ({ rules: snap.port.reads.getProcessRules(`${application}:*`) }));
  if (all === null) return null;
  const loads = new Map<string, number>();
  for (const r of all["rules"] as readonly Payload[]) loads.set(String(r["process_name"]), Number(r["expected_loading"] ?? 0));
  return loads;
}

function render(input: PageInput): string {
  const { ctx, snap } = input;
  const port = snap.port;
  const local = snap.local.identifier;
  const period = ctx.period;
  const withStats = snap.statisticsStatus().process_stats;

  // One read of each answer, joined by maps.
  const inner = snap.inner(local);
  const appInfos = new Map(snap.applications().map((a) => [a.application_name, a]));
  const groups = new Map<string, Row[]>();
  const byNamespec = new Map<string, LocalProcessInfo>();
  const loads = new Map<string, ReadonlyMap<string, number> | null>();
  for (const info of snap.localProcesses()) {
    const ns = namespecOf(info.group, info.name);
    byNamespec.set(ns, info);
    const history = withStats ? port.processHistory(local, ns, period) : null;
    let appLoads = loads.get(info.group);
    if (appLoads === undefined) loads.set(info.group, (appLoads = expectedLoads(snap, info.group)));
    const row: Row = {
      info,
      namespec: ns,
      load: appLoads?.get(info.name) ?? snap.processRules(ns).expected_loading ?? 0,
      crashed: inner.get(ns)?.has_crashed ?? false,
      cpu: last(history?.cpu),
      mem: last(history?.mem),
    };
    const list = groups.get(info.group);
    if (list) list.push(row);
    else groups.set(info.group, [row]);
  }

  // The bit of an application is its rank among all the applications (sorted names).
  const allNames = new Set<string>(appInfos.keys());
  for (const g of groups.keys()) allNames.add(g);
  const sortedNames = [...allNames].sort(cmp);
  const rank = new Map(sortedNames.map((n, i) => [n, i]));
  const ashex = ctx.get("ashex");
  if (ashex !== null && ashex.length !== 2 * Math.ceil(sortedNames.length / 8)) ctx.reject("ashex");
  const shex = new Shex(sortedNames.length, ctx.get("ashex"));

  // The selected process: running here, or supervisord.
  const selected = ctx.processname;
  if (selected !== null && selected !== SUPERVISORD) {
    const info = byNamespec.get(selected);
    if (!info || !isSelectable(info.statename)) ctx.reject("processname");
  }
  const processname = withStats ? ctx.processname : null;

  const links = new Links(ctx);
  const rows: Html[] = [];
  const every: Row[] = [];
  let shaded = false;
  for (const app of [...groups.keys()].sort(cmp)) {
    const list = groups.get(app)!.sort((a, b) => cmp(a.info.name, b.info.name));
    every.push(...list);
    const shade = shaded ? " shaded" : "";
    shaded = !shaded;
    const main = list.length === 1 && list[0]!.info.name === app;
    if (main) {
      rows.push(processRow(input, links, list[0]!, false, shade, withStats));
      continue;
    }
    const index = rank.get(app)!;
    rows.push(applicationRow(input, links, app, appInfos.get(app), list, shex, index, shade, withStats));
    if (shex.expanded(index)) for (const r of list) rows.push(processRow(input, links, r, true, shade, withStats));
  }
  const supervisordHistory = withStats ? port.processHistory(local, SUPERVISORD, period) : null;
  rows.push(supervisordRow(input, links, supervisordHistory, shaded ? " shaded" : "", withStats));

  // Totals: every running process (shown or shrunk) and supervisord.
  const totals = sumRunning(every);
  const sdCpu = last(supervisordHistory?.cpu);
  const sdMem = last(supervisordHistory?.mem);
  if (sdCpu !== null && sdMem !== null) {
    totals.cpu += sdCpu;
    totals.mem += sdMem;
    totals.measured = true;
  }
  const totalStats = withStats ? html`<td class="num">${totals.measured ? smallValue(totals.cpu) : "--"}</td><td class="num">${totals.measured ? smallValue(totals.mem) : "--"}</td>` : html``;
  const totalRow = html`<tr class="totals"><td colspan="4">TOTAL</td><td class="num load">${totals.load}</td>${totalStats}<td colspan="6"></td></tr>`;

  const allExpanded = Shex.filled(sortedNames.length, true);
  const allShrunk = Shex.filled(sortedNames.length, false);
  const current = shex.text;
  const corner = html`${current !== allExpanded ? html`<a class="shex-all expand" href="${ctx.url(PROC_INSTANCE, { ashex: allExpanded })}" title="expand all">${EXPAND_SYMBOL}</a>` : html``}${current !== allShrunk ? html`<a class="shex-all shrink" href="${ctx.url(PROC_INSTANCE, { ashex: allShrunk })}" title="shrink all">${SHRINK_SYMBOL}</a>` : html``}`;
  const statHeads = withStats ? html`<th class="num">%CPU</th><th class="num">%MEM</th>` : html``;
  const table = html`<table class="process-table"><thead><tr><th class="shex">${corner}</th><th class="name">Name</th><th class="state">State</th><th class="desc">Description</th><th class="num">%Load</th>${statHeads}<th colspan="3">Actions</th><th colspan="3">Log</th></tr></thead>
<tbody>${rows}</tbody>
<tfoot>${totalRow}</tfoot></table>`;

  const selectedHistory = processname !== null ? port.processHistory(local, processname, period) : null;
  const panel = processname !== null ? statsPanel(input, processname, selectedHistory) : null;
  const contents = panel ? html`<div class="split proc-split"><div class="table-side">${table}</div><div class="stats-side">${panel}</div></div>` : html`<div class="table-side">${table}</div>`;

  return renderFrame({
    ctx,
    snap,
    browserHost: input.browserHost,
    title: `Supvisors – ${snap.local.nick} processes`,
    header: instanceHeader(input, PROC_INSTANCE),
    actions: instanceButtons(input, PROC_INSTANCE),
    contents,
    defaultMessage: { text: "The Supvisors rules do NOT apply here", gravity: "warn" },
    charts: selectedHistory !== null && selectedHistory.times.length > 0,
    nowMs: input.nowMs,
  });
}

// ---- actions ---------------------------------------------------------------------------------

/** Supervisor's own process action; a start refused for a disabled program says so. */
async function supervisorAction(req: ActionRequest, action: string): Promise<ActionResult> {
  const ns = req.ctx.namespec;
  if (ns === null) return erro(`${action}: no namespec`);
  const outcome = await runAction(req.supervisor, { action, processname: ns, groupname: null }, req.now);
  if (outcome.kind === "invalid") return erro(`Incorrect namespec: ${ns}`);
  if (outcome.message.includes(`[${SupvisorsFaultCodes.DISABLED}]`)) return erro(`Process ${ns}: disabled`);
  return { message: outcome.message, gravity: supervisorGravity(outcome.message) };
}

/** A group order: `<app>:*` from the namespec, waiting unless the page auto-refreshes. */
function groupAction(req: ActionRequest, run: (group: string, wait: boolean) => Promise<ActionResult>, action: string): Promise<ActionResult> | ActionResult {
  const group = req.ctx.namespec;
  if (group === null) return erro(`${action}: no namespec`);
  return run(group, !req.ctx.auto);
}

export const PROC_INSTANCE_ACTIONS: Readonly<Record<string, ActionHandler>> = {
  ...INSTANCE_ACTIONS,
  start: (req) => supervisorAction(req, "start"),
  stop: (req) => supervisorAction(req, "stop"),
  restart: (req) => supervisorAction(req, "restart"),
  clearlog: (req) => supervisorAction(req, "clearlog"),
  startgroup: (req) => groupAction(req, (g, wait) => rpcAction(req.port, "supervisor.startProcess", [g, wait], `Group ${g} started`), "startgroup"),
  stopgroup: (req) => groupAction(req, (g, wait) => rpcAction(req.port, "supervisor.stopProcess", [g, wait], `Group ${g} stopped`), "stopgroup"),
  restartgroup: (req) =>
    groupAction(
      req,
      (g, wait) =>
        rpcAction(
          req.port,
          "system.multicall",
          [
            [
              { methodName: "supervisor.stopProcess", params: [g] },
              { methodName: "supervisor.startProcess", params: [g, wait] },
            ],
          ],
          `Group ${g} restarted`,
        ),
      "restartgroup",
    ),
  mainclearlog: (req) => rpcAction(req.port, "supervisor.clearLog", [], "Log for Supervisor cleared"),
};

export const PROC_INSTANCE_PAGE: DashboardPage = { name: PROC_INSTANCE, actions: PROC_INSTANCE_ACTIONS, localOnly: true, render };
