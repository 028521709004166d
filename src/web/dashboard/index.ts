/** The Supvisors dashboard: what the Supvisors layer adds to the HTTP router in place of Supervisor's page. */
import type { Router } from "../../supervisord/http/router.js";
import { LiveFeed } from "./live.js";
import { APPLICATION_PAGE } from "./pages/application-page.js";
import { CONCILIATION_PAGE } from "./pages/conciliation-page.js";
import { HOST_INSTANCE_PAGE } from "./pages/host-instance-page.js";
import { MAIN_PAGE } from "./pages/main-page.js";
import { PROC_INSTANCE_PAGE } from "./pages/proc-instance-page.js";
import type { DashboardPort } from "./port.js";
import { registerDashboardRoutes, type DashboardSupervisor } from "./routes.js";

export type { DashboardPort } from "./port.js";

export const DASHBOARD_PAGES = [MAIN_PAGE, CONCILIATION_PAGE, APPLICATION_PAGE, PROC_INSTANCE_PAGE, HOST_INSTANCE_PAGE] as const;

export interface Dashboard {
  addRoutes(router: Router, supervisor: DashboardSupervisor): void;
  /** Open live sockets (for diagnostics and tests). */
  readonly liveClients: number;
  close(): void;
}

export function createDashboard(port: DashboardPort): Dashboard {
  const live = new LiveFeed();
  const unsubscribe = port.onChange((topic) => live.notify(topic));
  return {
    addRoutes: (router, supervisor) => registerDashboardRoutes(router, port, supervisor, live, { pages: DASHBOARD_PAGES }),
    get liveClients() {
      return live.size;
    },
    close() {
      unsubscribe();
      live.close();
    },
  };
}
