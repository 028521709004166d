/**
 * supvisorsctl: supervisorctl with the supvisors commands always loaded (spec §10), as
 * Supvisors' own supvisorsctl adds its plugin when the config has none.
 */
import { runSupervisorctl } from "../ctl/main.js";
import { SUPVISORS_CTL_FACTORY, supvisorsPlugin } from "../ctl/supvisors/plugin.js";

const argv0 = process.argv[1] ?? "supvisorsctl";
runSupervisorctl(process.argv.slice(2), { argv0, plugins: [supvisorsPlugin], factories: { [SUPVISORS_CTL_FACTORY]: supvisorsPlugin } }).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`supvisorsctl: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
