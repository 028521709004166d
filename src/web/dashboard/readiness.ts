/**
 * Ours: the readiness of a process beside its state on the dashboard's process rows, only where
 * its program has a readiness_check ("ready" / "not ready"); nothing otherwise, so a plain
 * config's page is unchanged.
 */
import { html, type Html } from "../html.js";

export function readinessBadge(readiness: string | undefined): Html {
  if (readiness === "ready") return html` <span class="readiness ready" title="readiness check passing">ready</span>`;
  if (readiness === "pending" || readiness === "unready") return html` <span class="${`readiness not-ready ${readiness}`}" title="${readiness === "pending" ? "readiness check not passed yet" : "readiness check failing"}">not ready</span>`;
  return html``;
}
