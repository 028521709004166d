/**
 * The Supervisor page, host section: `host_instance.html` (spec §11.7). The instance serving it:
 * the node's characteristics (host, IP address, physical / logical cores, current processor
 * frequency, physical memory), then, once statistics exist for the selected period, the cards
 * CPU (one row per `cpu#all`, `cpu#0`..., selectable with `cpuid`), Memory, Network (Rx / Tx per
 * interface, selectable with `nic`) and Disk (I/O per device with `device`, or usage per
 * partition with `partition`, switched with `diskstats`). Every row shows the last value, mean,
 * slope per period and standard deviation; the selected item of each card is plotted.
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import type { HostHistory, TimedSeries } from "../../../supvisors/stats/types.js";
import { html, type Html } from "../../html.js";
import { chart, figureCells } from "../charts.js";
import { button, renderFrame } from "../layout.js";
import type { ViewContext } from "../view-context.js";
import { HOST_INSTANCE, INSTANCE_ACTIONS, instanceButtons, instanceHeader, localAddress } from "./instance-header.js";
import type { DashboardPage, PageInput } from "./page.js";

const KBITS = "kbits/s";

let physicalCores: number | null = null;

/** psutil's cpu_count(logical=False) on Linux: distinct (physical id, core id) pairs; the logical count elsewhere. */
function physicalCoreCount(logical: number): number {
  if (physicalCores !== null) return physicalCores;
  let count = 0;
  try {
    const pairs = new Set<string>();
    let physical = "";
    for (const line of readFileSync("/proc/cpuinfo", "utf8").split("\n")) {
      const [key, value] = line.split(":").map((s) => s.trim());
      if (key === "physical id") physical = value ?? "";
      else if (key === "core id") pairs.add(`${physical}/${value ?? ""}`);
    }
    count = pairs.size;
  } catch {
    count = 0;
  }
  physicalCores = count > 0 ? count : logical;
  return physicalCores;
}

/** The current frequency of the cores (MHz) as Linux reports it, when Node's is unknown (0). */
function procCpuinfoMhz(): number {
  try {
    const values = [...readFileSync("/proc/cpuinfo", "utf8").matchAll(/^cpu MHz\s*:\s*([\d.]+)/gm)].map((m) => Number(m[1]));
    return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
  } catch {
    return 0;
  }
}

/** Bytes as psutil-style text: KiB, MiB or GiB with two decimals. */
export function memoryText(bytes: number): string {
  let value = bytes;
  let unit = "KiB";
  for (unit of ["KiB", "MiB", "GiB"]) {
    value /= 1024;
    if (value < 1024) break;
  }
  return `${value.toFixed(2)} ${unit}`;
}

export interface NodeCharacteristics {
  readonly physicalCores: number;
  readonly logicalCores: number;
  /** `2400 MHz` */
  readonly frequency: string;
  /** `15.02 GiB` */
  readonly memory: string;
}

/** The characteristics of the machine running this instance (which is the one the page shows). */
export function nodeCharacteristics(): NodeCharacteristics {
  const cpus = os.cpus();
  const logical = cpus.length || os.availableParallelism();
  const speeds = cpus.map((c) => c.speed).filter((s) => s > 0);
  const mhz = speeds.length ? speeds.reduce((a, b) => a + b, 0) / speeds.length : procCpuinfoMhz();
  return { physicalCores: physicalCoreCount(logical), logicalCores: logical, frequency: mhz ? `${Math.round(mhz)} MHz` : "--", memory: memoryText(os.totalmem()) };
}

const cpuName = (i: number): string => `cpu#${i === 0 ? "all" : i - 1}`;

/** The table head of the figures. */
const figureHeads = html`<th class="num">Latest</th><th class="num">Mean</th><th class="num">Slope/P</th><th class="num">StdDev</th>`;

/** A name as a selection button: greyed and active when selected. */
function selector(ctx: ViewContext, label: string, selected: boolean, changes: Parameters<ViewContext["url"]>[1]): Html {
  return selected ? button(label, null, "small active") : button(label, ctx.url(HOST_INSTANCE, changes), "small");
}

function card(id: string, title: string, table: Html, charts: readonly Html[], extra: Html = html``): Html {
  return html`<div class="${`card host-card ${id}`}"><div class="host-card-title"><h3>${title}</h3>${extra}</div>${table}${charts.length ? html`<div class="host-charts">${charts}</div>` : html``}</div>`;
}

/** A named series selected by a parameter: the name, or the first (after rejecting a wrong one). */
function selectName(ctx: ViewContext, key: "nic" | "device" | "partition", names: readonly string[]): string | null {
  const asked = ctx.get(key);
  if (asked !== null && !names.includes(asked)) ctx.reject(key);
  return ctx.get(key) ?? names[0] ?? null;
}

function cpuCard(ctx: ViewContext, h: HostHistory, cpuid: number): Html {
  const period = ctx.period;
  const rows = h.cpu.map((series, i) => html`<tr class="${i === cpuid ? "selected" : ""}" data-cpu="${i}"><td>${selector(ctx, cpuName(i), i === cpuid, { cpuid: i })}</td>${figureCells(series, h.times, period)}</tr>`);
  const table = html`<table class="figures"><thead><tr><th>#</th>${figureHeads}</tr></thead><tbody>${rows}</tbody></table>`;
  const plotted = h.cpu[cpuid] ?? [];
  return card("cpu", "Processor Statistics (%)", table, [chart({ key: `host|cpu|${cpuid}|${period}`, title: `CPU #${cpuid === 0 ? "all" : cpuid - 1}`, unit: "%", label: cpuName(cpuid), times: h.times, values: plotted })]);
}

function memCard(ctx: ViewContext, h: HostHistory): Html {
  const period = ctx.period;
  const table = html`<table class="figures"><thead><tr><th>#</th>${figureHeads}</tr></thead><tbody><tr class="selected"><td>${button("mem", null, "small active")}</td>${figureCells(h.mem, h.times, period)}</tr></tbody></table>`;
  return card("mem", "Memory Statistics (%)", table, [chart({ key: `host|mem|${period}`, title: "MEM", unit: "%", label: "MEM", times: h.times, values: h.mem })]);
}

/**
 * Rows of two-way I/O series (Rx / Tx, R / W): the name cell spans both rows; the selected
 * item is plotted, one chart per direction.
 */
function ioCard(ctx: ViewContext, id: string, title: string, head: string, key: "nic" | "device", series: Readonly<Record<string, TimedSeries>>, selected: string | null, directions: readonly [string, string], words: readonly [string, string], extra: Html = html``): Html {
  const period = ctx.period;
  const rows: Html[] = [];
  for (const name of Object.keys(series)) {
    const s = series[name]!;
    const on = name === selected;
    const cls = on ? "selected" : "";
    rows.push(html`<tr class="${cls}" data-name="${name}"><td rowspan="2">${selector(ctx, name, on, { [key]: name })}</td><td>${directions[0]}</td>${figureCells(s.values[0] ?? [], s.times, period)}</tr>`);
    rows.push(html`<tr class="${cls}"><td>${directions[1]}</td>${figureCells(s.values[1] ?? [], s.times, period)}</tr>`);
  }
  const table = html`<table class="figures"><thead><tr><th>${head}</th><th>${directions.join("/")}</th>${figureHeads}</tr></thead><tbody>${rows}</tbody></table>`;
  const s = selected !== null ? series[selected] : undefined;
  const charts = s
    ? [0, 1].map((i) => chart({ key: `host|${id}|${selected}|${i}|${period}`, title: `${selected} ${words[i]}`, unit: KBITS, label: `${selected} ${words[i]}`, times: s.times, values: s.values[i] ?? [] }))
    : [];
  return card(id, title, table, charts, extra);
}

function diskSwitch(ctx: ViewContext, usage: boolean): Html {
  return html`<div class="button-group disk-switch">${usage ? button("Disk I/O", ctx.url(HOST_INSTANCE, { diskstats: "io" }), "small") : button("Disk I/O", null, "small active")}${usage ? button("Disk usage", null, "small active") : button("Disk usage", ctx.url(HOST_INSTANCE, { diskstats: "usage" }), "small")}</div>`;
}

function diskCard(ctx: ViewContext, h: HostHistory, device: string | null, partition: string | null): Html {
  const usage = ctx.get("diskstats") === "usage";
  const period = ctx.period;
  if (!usage) {
    return ioCard(ctx, "disk-io", "Disk I/O Statistics (kbits/s)", "Device", "device", h.disk_io, device, ["R", "W"], ["read", "written"], diskSwitch(ctx, false));
  }
  const rows = Object.keys(h.disk_usage).map((name) => {
    const s = h.disk_usage[name]!;
    const on = name === partition;
    return html`<tr class="${on ? "selected" : ""}" data-name="${name}"><td>${selector(ctx, name, on, { partition: name })}</td>${figureCells(s.values[0] ?? [], s.times, period)}</tr>`;
  });
  const table = html`<table class="figures"><thead><tr><th>Partition</th>${figureHeads}</tr></thead><tbody>${rows}</tbody></table>`;
  const s = partition !== null ? h.disk_usage[partition] : undefined;
  const charts = s ? [chart({ key: `host|usage|${partition}|${period}`, title: `${partition}`, unit: "%", label: `${partition}`, times: s.times, values: s.values[0] ?? [] })] : [];
  return card("disk-usage", "Disk Usage Statistics (%)", table, charts, diskSwitch(ctx, true));
}

function characteristics(input: PageInput): Html {
  const { snap } = input;
  const node = nodeCharacteristics();
  return html`<div class="card characteristics">
<table class="status"><tbody><tr><th colspan="2">Node</th></tr><tr><th class="label">Name:</th><td class="node-name">${snap.local.hostId}</td></tr><tr><th class="label">IP Address:</th><td class="node-ip">${localAddress(snap)}</td></tr></tbody></table>
<table class="status"><tbody><tr><th colspan="2">Processor</th></tr><tr><th class="label">Physical / Logical cores:</th><td class="node-cores">${`${node.physicalCores} / ${node.logicalCores}`}</td></tr><tr><th class="label">Processor frequency:</th><td class="node-frequency">${node.frequency}</td></tr></tbody></table>
<table class="status"><tbody><tr><th colspan="2">Memory</th></tr><tr><th class="label">Physical:</th><td class="node-memory">${node.memory}</td></tr></tbody></table>
</div>`;
}

function render(input: PageInput): string {
  const { ctx, snap } = input;
  const h = snap.port.hostHistory(snap.local.identifier, ctx.period);
  const cards: Html[] = [];
  let charts = false;
  if (h && h.times.length > 0) {
    // Selections checked against what exists, before any link carries them.
    const asked = ctx.get("cpuid");
    if (asked !== null && Number(asked) >= h.cpu.length) ctx.reject("cpuid");
    const cpuid = Number(ctx.get("cpuid") ?? 0);
    const nic = selectName(ctx, "nic", Object.keys(h.net_io));
    const device = selectName(ctx, "device", Object.keys(h.disk_io));
    const partition = selectName(ctx, "partition", Object.keys(h.disk_usage));
    if (h.cpu.length > 0) cards.push(cpuCard(ctx, h, cpuid));
    cards.push(memCard(ctx, h));
    if (Object.keys(h.net_io).length > 0) cards.push(ioCard(ctx, "net-io", "Network I/O Statistics (kbits/s)", "Interface", "nic", h.net_io, nic, ["Rx", "Tx"], ["received", "sent"]));
    if (Object.keys(h.disk_io).length > 0 || Object.keys(h.disk_usage).length > 0) cards.push(diskCard(ctx, h, device, partition));
    charts = true;
  }
  const status = snap.statisticsStatus();
  const empty = cards.length
    ? html``
    : html`<div class="card no-data">${status.host_stats ? "No host statistics yet for this period." : "Host statistics are not collected on this instance."}</div>`;
  const contents = html`${characteristics(input)}${empty}<div class="host-grid">${cards}</div>`;
  return renderFrame({
    ctx,
    snap,
    browserHost: input.browserHost,
    title: `Supvisors – ${snap.local.nick} host`,
    header: instanceHeader(input, HOST_INSTANCE),
    actions: instanceButtons(input, HOST_INSTANCE),
    contents,
    charts,
    nowMs: input.nowMs,
  });
}

export const HOST_INSTANCE_PAGE: DashboardPage = { name: HOST_INSTANCE, actions: INSTANCE_ACTIONS, localOnly: true, render };
