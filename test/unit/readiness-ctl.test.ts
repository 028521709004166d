/** Our ctl's status line for a process with a readiness check: ` (not ready)` only while pending/unready. */
import t from "tap";
import { formatStatusLines } from "../../src/ctl/commands/status.js";
import { toProcessInfo } from "../../src/ctl/rpc-types.js";

const base = { name: "web", group: "web", state: 20, statename: "RUNNING", description: "pid 42, uptime 0:00:05", pid: 42 };
const line = (extra: Record<string, string>) => formatStatusLines([toProcessInfo({ ...base, ...extra })], false)[0];

t.test("suffix by readiness; none without the field", async (t) => {
  const plain = line({});
  t.equal(plain, "web                              RUNNING   pid 42, uptime 0:00:05", "byte-identical to supervisorctl");
  t.equal(line({ readiness: "ready" }), plain);
  t.equal(line({ readiness: "off" }), plain);
  t.equal(line({ readiness: "pending" }), `${plain} (not ready)`);
  t.equal(line({ readiness: "unready" }), `${plain} (not ready)`);
  t.notOk("readiness" in toProcessInfo(base), "no field in, no field out");
});
