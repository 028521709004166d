/**
 * A dashboard page: its file name, its actions, and how it renders from one snapshot. The routes
 * (routes.ts) parse the parameters, run the action and redirect, or render.
 */
import type { ActionHandler } from "../actions.js";
import type { Snapshot } from "../snapshot.js";
import type { ViewContext } from "../view-context.js";

export interface PageInput {
  readonly ctx: ViewContext;
  readonly snap: Snapshot;
  /** The host the browser used (links to peers stay on its network). */
  readonly browserHost: string;
  readonly nowMs: number;
}

export interface DashboardPage {
  /** e.g. `index.html`. */
  readonly name: string;
  readonly actions: Readonly<Record<string, ActionHandler>>;
  /**
   * Shows the serving instance only (the processes and host pages): an `ident` naming another
   * instance redirects the browser to that instance's page.
   */
  readonly localOnly?: boolean;
  /** The whole document (layout.ts's renderFrame), or where to send the browser instead. */
  render(input: PageInput): string | { readonly redirect: string };
}
