/**
 * The frame every dashboard page shares (spec §11.3): the left menu (instances, managed
 * applications, their state colours, the Master's star, failure lights), the header (the page's
 * cards and buttons, then refresh and auto-refresh), the footer (the message with its gravity,
 * the generation time and the serving instance). The live script (static/dashboard.js) swaps the
 * four `data-live` regions in place; without JavaScript, `auto` adds a 5 s meta refresh.
 */
import { ctime, html, type Html } from "../html.js";
import { instanceOrigin } from "./links.js";
import type { Snapshot } from "./snapshot.js";
import type { Gravity, ViewContext } from "./view-context.js";

export const ASSET_PREFIX = "/dashboard";

/** Instance states that have a live Supervisor to link to. */
export const ACTIVE_INSTANCE_STATES: ReadonlySet<string> = new Set(["CHECKING", "CHECKED", "RUNNING"]);

export interface PageFrame {
  readonly ctx: ViewContext;
  readonly snap: Snapshot;
  /** The browser's host (links to peers stay on its network). */
  readonly browserHost: string;
  readonly title: string;
  /** Status and option cards. */
  readonly header: Html;
  /** The page's own buttons (refresh and auto-refresh follow). */
  readonly actions: Html;
  readonly contents: Html;
  /** A message shown when the URL carries none (the processes page's warning). */
  readonly defaultMessage?: { readonly text: string; readonly gravity: Gravity };
  /** Loads uPlot for the statistics plots. */
  readonly charts?: boolean;
  readonly nowMs: number;
}

/** A button: a link, or a greyed label when `href` is null. */
export function button(label: string, href: string | null, cls = ""): Html {
  return href === null
    ? html`<span class="${`button off ${cls}`.trim()}">${label}</span>`
    : html`<a class="${`button ${cls}`.trim()}" href="${href}">${label}</a>`;
}

/** The URL of a page served by another instance (same parameters, without `ashex`). */
export function peerUrl(frame: Pick<PageFrame, "ctx" | "snap" | "browserHost">, identifier: string, page: string, changes: Parameters<ViewContext["query"]>[0] = {}): string {
  const { ctx, snap } = frame;
  const target = snap.instance(identifier);
  if (!target || identifier === snap.local.identifier) return ctx.url(page, changes);
  const origin = instanceOrigin(target, snap.local.identifier, frame.browserHost, (id) => snap.port.network(id), snap.port.scheme);
  return `${origin}/${page}${ctx.query(changes, ["ashex"])}`;
}

function menu(frame: PageFrame): Html {
  const { snap, ctx } = frame;
  const state = snap.state();
  const modes = snap.instanceModes();
  const conciliation = state.fsm_statename === "CONCILIATION";
  const instances = snap.instances().map((i) => {
    const m = modes.get(i.identifier);
    const master = i.identifier === state.master_identifier;
    const jobs = m !== undefined && (m.starting_jobs || m.stopping_jobs);
    const classes = [`istate-${i.statename}`, jobs ? "blink" : "", i.identifier === snap.local.identifier ? "local" : "", i.identifier === ctx.identifier ? "selected" : ""].filter(Boolean).join(" ");
    const label = `${master ? "✪ " : ""}${i.nick_identifier}`;
    const link = ACTIVE_INSTANCE_STATES.has(i.statename) ? html`<a href="${peerUrl(frame, i.identifier, "proc_instance.html", { ident: null, processname: null })}">${label}</a>` : html`<span>${label}</span>`;
    const light = i.process_failure ? html`<span class="light red" title="a process has crashed"></span>` : html``;
    return html`<li class="${classes}" data-identifier="${i.identifier}">${link}${light}</li>`;
  });
  const apps = snap.applications().filter((a) => a.managed);
  const applications = apps.map((a) => {
    const failure = a.major_failure || a.minor_failure;
    const moving = a.statename === "STARTING" || a.statename === "STOPPING";
    const classes = [`astate-${a.statename}`, moving ? "blink" : "", a.application_name === ctx.get("appname") ? "selected" : ""].filter(Boolean).join(" ");
    const href = ctx.url("application.html", { appname: a.application_name, strategy: snap.applicationStrategy(a.application_name), processname: null, pshex: null });
    return html`<li class="${classes}" data-application="${a.application_name}"><a href="${href}">${a.application_name}</a>${failure ? html`<span class="light red" title="${a.major_failure ? "major failure" : "minor failure"}"></span>` : html``}</li>`;
  });
  const instanceFailure = snap.instances().some((i) => i.process_failure);
  const appFailure = apps.some((a) => a.major_failure || a.minor_failure);
  return html`<a class="brand" href="${ctx.url("index.html", { processname: null, appname: null })}">Supvisors${conciliation ? html`<span class="light red blink" title="conciliation"></span>` : html``}</a>
<div class="version">${snap.port.version}</div>
<h2>Supervisors${instanceFailure ? html`<span class="light red"></span>` : html``}</h2>
<ul class="instances">${instances}</ul>
<h2>Applications${appFailure ? html`<span class="light red"></span>` : html``}</h2>
<ul class="applications">${applications}</ul>
<div class="copyright">Supvisors-compatible dashboard</div>`;
}

function footer(frame: PageFrame): Html {
  const { ctx, snap } = frame;
  const lines: Html[] = [];
  if (ctx.message !== null) lines.push(html`<div class="message gravity-${ctx.gravity}">${ctx.message}</div>`);
  else if (frame.defaultMessage && ctx.errors.length === 0) lines.push(html`<div class="message gravity-${frame.defaultMessage.gravity}">${frame.defaultMessage.text}</div>`);
  for (const e of ctx.errors) lines.push(html`<div class="message gravity-erro">${e} at ${ctime(frame.nowMs)}</div>`);
  const box = lines.length ? html`<div class="acknowledge">${lines}</div>` : html`<div class="acknowledge empty"></div>`;
  return html`${box}<div class="generated">Page generated at ${ctime(frame.nowMs)} by ${snap.local.nick}</div>`;
}

function commonActions(frame: PageFrame): Html {
  const { ctx } = frame;
  return html`${button("refresh", ctx.url(ctx.page))}${button("auto-refresh", ctx.url(ctx.page, { auto: !ctx.auto }), ctx.auto ? "active" : "")}`;
}

/** The whole document. */
export function renderFrame(frame: PageFrame): string {
  const { ctx, snap } = frame;
  const css = snap.port.options.cssFiles.map((_, i) => html`<link rel="stylesheet" href="${`${ASSET_PREFIX}/user-${i}.css`}">`);
  const charts = frame.charts
    ? html`<link rel="stylesheet" href="${`${ASSET_PREFIX}/uplot.css`}"><script src="${`${ASSET_PREFIX}/uplot.js`}" defer></script>`
    : html``;
  const software = snap.port.options.softwareName || snap.port.options.softwareIcon
    ? html`<div class="card software">${snap.port.options.softwareIcon ? html`<img src="/software_icon.png" alt="">` : html``}<span>${snap.port.options.softwareName}</span></div>`
    : html``;
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${frame.title}</title>
<link rel="stylesheet" href="${`${ASSET_PREFIX}/dashboard.css`}">
${charts}<script src="${`${ASSET_PREFIX}/dashboard.js`}" defer></script>
${ctx.auto ? html`<noscript><meta http-equiv="refresh" content="5"></noscript>` : html``}${css}
</head>
<body data-page="${ctx.page}" data-auto="${ctx.auto ? "true" : "false"}">
<div id="layout">
<nav id="menu" data-live="menu">${menu(frame)}</nav>
<div id="main">
<header id="header" data-live="header">${software}${frame.header}<div class="card actions">${frame.actions}${commonActions(frame)}</div></header>
<main id="contents" data-live="contents">${frame.contents}</main>
<footer id="footer" data-live="footer">${footer(frame)}</footer>
</div>
</div>
</body>
</html>
`.text;
}
