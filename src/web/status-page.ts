/**
 * The status page (spec §11.1) as a pure function of what the service reported: supervisord's
 * table, buttons, flash message and footer, plus our group rows (start/stop/restart a whole
 * group, Supervisor issue #1054) and an auto-refresh toggle that only appears when JavaScript
 * runs. Every piece of user data goes through the escaping `html` template.
 */
import { html, pyQuote, type Html } from "./html.js";
import { SCRIPT_PATH, STYLESHEET_PATH } from "./assets.js";

/** One row's data: the getProcessInfo fields the page shows. */
export interface ProcessRow {
  readonly name: string;
  readonly group: string;
  readonly statename: string;
  readonly description: string;
}

export interface StatusPageModel {
  /** Sorted by (group, name), as getAllProcessInfo returns them. */
  readonly processes: readonly ProcessRow[];
  /** The `?message=` text, or null. */
  readonly message: string | null;
  readonly version: string;
  readonly identification: string;
  /** For the copyright line. */
  readonly year: number;
}

export function namespecOf(p: Pick<ProcessRow, "group" | "name">): string {
  return p.group === p.name ? p.name : `${p.group}:${p.name}`;
}

/** supervisord's state classes: green for RUNNING, red for FATAL/BACKOFF, grey otherwise. */
export function stateClass(statename: string): "statusrunning" | "statuserror" | "statusnominal" {
  if (statename === "RUNNING") return "statusrunning";
  if (statename === "FATAL" || statename === "BACKOFF") return "statuserror";
  return "statusnominal";
}

/**
 * Groups that get their own action row: a [group:x] (its process names differ from the group
 * name) or a program with several processes. A single-process program's row already does it all.
 */
export function actionableGroups(processes: readonly ProcessRow[]): Set<string> {
  const count = new Map<string, number>();
  const out = new Set<string>();
  for (const p of processes) {
    count.set(p.group, (count.get(p.group) ?? 0) + 1);
    if (p.group !== p.name) out.add(p.group);
  }
  for (const [g, n] of count) if (n > 1) out.add(g);
  return out;
}

function hiddenAction(): Html {
  return html`<li><a class="hidden" href="#" name="#">Action</a></li>`;
}

function actionLink(ns: string, action: string, label: string): Html {
  return html`<li><a href="${`index.html?processname=${pyQuote(ns)}&action=${action}`}" name="${label}">${label}</a></li>`;
}

/** The five action links of a process row, per supervisord's state rules. */
export function processActions(ns: string, statename: string): Html[] {
  const out: Html[] = [];
  if (statename === "RUNNING") {
    out.push(actionLink(ns, "restart", "Restart"), actionLink(ns, "stop", "Stop"));
  } else if (statename === "STOPPED" || statename === "EXITED" || statename === "FATAL") {
    out.push(actionLink(ns, "start", "Start"), hiddenAction());
  } else {
    out.push(hiddenAction(), hiddenAction());
  }
  const q = pyQuote(ns);
  out.push(
    actionLink(ns, "clearlog", "Clear Log"),
    html`<li><a href="${`logtail/${q}`}" name="Tail -f Stdout" target="_blank">Tail -f Stdout</a></li>`,
    html`<li><a href="${`logtail/${q}/stderr`}" name="Tail -f Stderr" target="_blank">Tail -f Stderr</a></li>`,
  );
  return out;
}

function processRow(p: ProcessRow, shade: boolean): Html {
  const ns = namespecOf(p);
  return html`
        <tr class="${shade ? "shade" : ""}" data-namespec="${ns}">
          <td class="status"><span class="${stateClass(p.statename)}">${p.statename.toLowerCase()}</span></td>
          <td><span>${p.description}</span></td>
          <td><a href="${`tail.html?processname=${pyQuote(ns)}`}" target="_blank">${ns}</a></td>
          <td class="action"><ul>${processActions(ns, p.statename)}</ul></td>
        </tr>`;
}

function groupLink(group: string, action: string, label: string): Html {
  return html`<li><a href="${`index.html?groupname=${pyQuote(group)}&action=${action}`}" name="${label}">${label}</a></li>`;
}

/** A group's header row: how many of its processes run, and the three group actions. */
function groupRow(group: string, members: readonly ProcessRow[]): Html {
  const running = members.filter((m) => m.statename === "RUNNING").length;
  const cls = running === members.length ? "statusrunning" : members.some((m) => stateClass(m.statename) === "statuserror") ? "statuserror" : "statusnominal";
  return html`
        <tr class="group" data-group="${group}">
          <td class="status"><span class="${cls}">${`${running}/${members.length}`}</span></td>
          <td><span>${`group: ${running} of ${members.length} running`}</span></td>
          <td><strong>${group}</strong></td>
          <td class="action"><ul>${[
            groupLink(group, "startgroup", "Start Group"),
            groupLink(group, "stopgroup", "Stop Group"),
            groupLink(group, "restartgroup", "Restart Group"),
          ]}</ul></td>
        </tr>`;
}

function processTable(processes: readonly ProcessRow[]): Html {
  if (processes.length === 0) return html`<p class="empty">No programs to manage</p>`;
  const groups = actionableGroups(processes);
  const rows: Html[] = [];
  let shade = false;
  let lastGroup: string | null = null;
  for (const p of processes) {
    if (p.group !== lastGroup && groups.has(p.group)) {
      rows.push(groupRow(p.group, processes.filter((m) => m.group === p.group)));
    }
    lastGroup = p.group;
    rows.push(processRow(p, shade));
    shade = !shade;
  }
  return html`<table cellspacing="0">
        <thead>
        <tr>
          <th class="state">State</th>
          <th class="desc">Description</th>
          <th class="name">Name</th>
          <th class="action">Action</th>
        </tr>
        </thead>
        <tbody>${rows}
        </tbody>
      </table>`;
}

export function renderStatusPage(m: StatusPageModel): string {
  const flash = m.message !== null ? html`<div class="status_msg">${m.message}</div>` : null;
  const page = html`<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
  <meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
  <title>Supervisor Status</title>
  <link href="${STYLESHEET_PATH.slice(1)}" rel="stylesheet" type="text/css" />
</head>
<body>
<div id="wrapper">

  <div id="header">
    <h1>Supervisor <span class="identification">${m.identification}</span></h1>
  </div>

  <div>
    ${flash}

    <form action="index.html" method="post">
      <ul class="clr" id="buttons">
        <li class="action-button"><a href="index.html?action=refresh">Refresh</a></li>
        <li class="action-button"><a href="index.html?action=restartall">Restart All</a></li>
        <li class="action-button"><a href="index.html?action=stopall">Stop All</a></li>
        <li class="auto-refresh js-only" id="autorefresh-control"><label><input type="checkbox" id="autorefresh" /> Auto-refresh</label></li>
      </ul>

      <div id="process-list">
      ${processTable(m.processes)}
      </div>
    </form>

  </div>

  <div class="push">
  </div>
</div>

<div class="clr" id="footer">
  <div class="left">
    <a href="http://supervisord.org">Supervisor</a> <span class="version">${m.version}</span>
    (<span class="identification">${m.identification}</span>)
  </div>
  <div class="right">
    &copy; 2006-<span>${m.year}</span> <strong><a href="http://agendaless.com/">Agendaless Consulting and Contributors</a></strong>
  </div>
</div>
<script src="${SCRIPT_PATH.slice(1)}" type="text/javascript"></script>
</body>
</html>
`;
  return page.text;
}
