/** The Supervisor web page: routes to add to the daemon's HTTP router. */
export { registerWebRoutes, type WebService, type WebRouteOptions } from "./routes.js";
