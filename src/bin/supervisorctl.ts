/**
 * supervisorctl: the supervisord client (spec §1.2, §10). A `[ctlplugin:supvisors]` section with
 * Supvisors' factory adds the supvisors commands, as it does to Python's supervisorctl.
 */
import { runSupervisorctl } from "../ctl/main.js";
import { SUPVISORS_CTL_FACTORY, supvisorsPlugin } from "../ctl/supvisors/plugin.js";

const argv0 = process.argv[1] ?? "supervisorctl";
runSupervisorctl(process.argv.slice(2), { argv0, factories: { [SUPVISORS_CTL_FACTORY]: supvisorsPlugin } }).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`supervisorctl: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
