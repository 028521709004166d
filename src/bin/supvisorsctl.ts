/**
 * supvisorsctl: the same client as supervisorctl; the supvisors commands plug into its command
 * table (none yet: the list below is where they are registered).
 */
import { runSupervisorctl } from "../ctl/main.js";
import type { CtlPlugin } from "../ctl/plugin.js";

const supvisorsPlugins: readonly CtlPlugin[] = [];

const argv0 = process.argv[1] ?? "supvisorsctl";
runSupervisorctl(process.argv.slice(2), { argv0, plugins: supvisorsPlugins }).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`supvisorsctl: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
