/**
 * `maintail.html` (spec §11.1): the end of supervisord's main log, at least 1024 bytes, with a
 * refresh link and the streaming `mainlogtail`; `No file for Supervisor` without a log file. The
 * log text is user data and is escaped.
 */
import { Faults, RpcFault } from "../../../supervisord/rpc/faults.js";
import { html } from "../../html.js";
import { tailLimit } from "../../tail-page.js";
import { faultText } from "../actions.js";
import { ASSET_PREFIX } from "../layout.js";
import type { DashboardPort } from "../port.js";

export async function renderMainTailPage(port: DashboardPort, rawLimit: string): Promise<string> {
  const limit = tailLimit(rawLimit);
  let text: string;
  try {
    text = String(await port.call("supervisor.readLog", [-limit, 0]));
  } catch (err) {
    text = err instanceof RpcFault && err.code === Faults.NO_FILE ? "No file for Supervisor" : `ERROR: ${faultText(err)}`;
  }
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Supervisor tail of process supervisord</title>
<link rel="stylesheet" href="${`${ASSET_PREFIX}/dashboard.css`}">
</head>
<body class="tail">
<pre id="tailbody">${text}</pre>
<div class="tail-buttons">
<a class="button" id="refresh" href="${`maintail.html?processname=supervisord&limit=${limit}`}">Refresh</a>
<a class="button" href="mainlogtail" target="_blank">Tail -f</a>
<a class="button" href="index.html">Supvisors</a>
</div>
</body>
</html>
`.text;
}
