/**
 * The container idiom (issue: events and event listeners): a Python listener subscribed to
 * PROCESS_STATE_FATAL calls supervisor.shutdown() through childutils.getRPCInterface(os.environ)
 * (SUPERVISOR_SERVER_URL, set by supervisord for its children) when the named program goes FATAL,
 * so the container's PID 1 exits. It must work unchanged against ours: the daemon exits 0.
 */
import t from "tap";
import { join } from "node:path";
import { TestDaemon, hasReal, type DaemonKind } from "../helpers/daemon.js";
import { listenerSection, readReceived } from "../fixtures/listeners/recorded.js";

const KINDS: DaemonKind[] = hasReal ? ["ours", "real"] : ["ours"];

const PROGRAMS =
  listenerSection("watchdog", { events: "PROCESS_STATE_FATAL", args: "--fatal-shutdown app" }) +
  [
    "[program:app]",
    'command=/bin/sh -c "sleep 0.2; exit 1"',
    "startretries=1",
    "[program:bystander]",
    "command=/bin/sleep 1000",
    "",
  ].join("\n");

for (const kind of KINDS) {
  t.test(`${kind}: a listener shuts supervisord down when a program goes FATAL`, async (t) => {
    const d = new TestDaemon(kind, { programs: PROGRAMS });
    t.teardown(async () => {
      await d.stop();
      d.cleanup();
    });
    await d.start();
    t.equal(await d.waitExit(30_000), 0, "supervisord exits 0");
    const msgs = d.messages();
    t.ok(msgs.includes("INFO gave up: app entered FATAL state, too many start retries too quickly"), "app went FATAL");
    const rs = readReceived(join(d.dir, "watchdog.jsonl"));
    t.same(
      rs.map((r) => r.payload),
      ["processname:app groupname:app from_state:BACKOFF"],
      "the listener got the FATAL event",
    );
    // the reference's shutdown, in order: the listener's group (priority -1) goes last
    t.same(msgs.slice(msgs.indexOf("INFO gave up: app entered FATAL state, too many start retries too quickly")), [
      "INFO gave up: app entered FATAL state, too many start retries too quickly",
      "INFO waiting for watchdog, bystander to die",
      "WARN stopped: bystander (terminated by SIGTERM)",
      "WARN stopped: watchdog (terminated by SIGTERM)",
    ]);
  });
}
