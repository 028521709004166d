/**
 * The tail view (spec §11.3): the end of a process's stdout log in a <pre>, a Refresh link, and
 * links to the streaming /logtail endpoints. The log text is user data and is escaped.
 */
import { Faults, RpcFault } from "../supervisord/rpc/faults.js";
import type { SupervisorService } from "../supervisord/service/supervisor-service.js";
import { STYLESHEET_PATH } from "./assets.js";
import { html, pyQuote } from "./html.js";
import { unexpectedFault } from "./actions.js";

export interface TailPageModel {
  /** null when the request had no processname (the title then says `None`, like Python). */
  readonly processname: string | null;
  readonly tail: string;
  /** Bytes shown, at least 1024. */
  readonly limit: number;
}

/** supervisord's limit rule: a decimal `limit` below 1024 (or none, or garbage) means 1024. */
export function tailLimit(raw: string | null): number {
  if (raw === null || !/^[0-9]+$/.test(raw)) return 1024;
  return Math.max(1024, Number(raw));
}

export type TailService = Pick<SupervisorService, "readProcessStdoutLog">;

/** Reads the tail the page shows, faults turned into supervisord's texts. */
export function tailModel(service: TailService, processname: string | null, rawLimit: string | null): TailPageModel {
  const limit = tailLimit(rawLimit);
  if (!processname) return { processname, tail: "No process name found", limit };
  let tail: string;
  try {
    tail = service.readProcessStdoutLog(processname, -limit, 0);
  } catch (err) {
    const f = err instanceof RpcFault ? err : new RpcFault(Faults.FAILED, String(err));
    tail = f.code === Faults.NO_FILE ? `No file for ${processname}` : `ERROR: ${unexpectedFault(f)}`;
  }
  return { processname, tail, limit };
}

export function renderTailPage(m: TailPageModel): string {
  const ns = m.processname;
  const links =
    ns === null
      ? null
      : html`<ul class="clr" id="buttons">
    <li class="action-button"><a href="${`tail.html?processname=${pyQuote(ns)}&limit=${m.limit}`}" id="refresh">Refresh</a></li>
    <li class="action-button"><a href="${`logtail/${pyQuote(ns)}`}" target="_blank">Tail -f Stdout</a></li>
    <li class="action-button"><a href="${`logtail/${pyQuote(ns)}/stderr`}" target="_blank">Tail -f Stderr</a></li>
    <li class="action-button"><a href="index.html">Status</a></li>
  </ul>`;
  return html`<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
  <meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
  <title>Supervisor tail of process ${ns ?? "None"}</title>
  <link href="${STYLESHEET_PATH.slice(1)}" rel="stylesheet" type="text/css" />
</head>
<body>
<div id="tail">

<pre id="tailbody">${m.tail}</pre>

<form action="index.html" method="post">
  ${links}
</form>

</div>
</body>
</html>
`.text;
}
