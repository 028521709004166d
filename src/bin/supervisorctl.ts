/** supervisorctl: the supervisord client (spec §1.2, §10). */
import { runSupervisorctl } from "../ctl/main.js";

const argv0 = process.argv[1] ?? "supervisorctl";
runSupervisorctl(process.argv.slice(2), { argv0 }).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`supervisorctl: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
