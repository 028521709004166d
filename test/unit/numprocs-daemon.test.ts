/**
 * updateNumprocs through the real daemon (in process, real children): the groups, the listener
 * pool, getAllConfigInfo / getAllProcessInfo and the bus events follow; a reread sees the group as
 * changed (the file's numprocs), as supervisord does after Supvisors changed it.
 */
import t from "tap";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readConfig } from "../../src/supervisord/config/read.js";
import { Supervisord } from "../../src/supervisord/daemon.js";
import { eventPayload } from "../../src/supervisord/events/payloads.js";
import { eventTypeName, type SupervisorEvent } from "../../src/supervisord/events/types.js";

const dir = mkdtempSync(join(tmpdir(), "numprocs-daemon-"));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, "supervisord.conf");
writeFileSync(
  file,
  `[supervisord]
logfile = %(here)s/supervisord.log
pidfile = %(here)s/supervisord.pid
childlogdir = %(here)s
loglevel = debug
nodaemon = true
silent = true

[unix_http_server]
file = %(here)s/supervisor.sock

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[program:web]
command = /bin/sleep 1000
process_name = web_%(process_num)s
startsecs = 0
stopwaitsecs = 5

[eventlistener:lis]
command = /bin/sh -c "printf 'READY\\n'; exec /bin/sleep 1000"
process_name = lis_%(process_num)s
startsecs = 0
events = PROCESS_STATE
`,
);

const load = () => readConfig(file, { cwd: dir });
let started!: () => void;
const startedP = new Promise<void>((r) => (started = r));
const daemon = new Supervisord({ load, env: { ...process.env }, onStarted: () => started() });
const exited = daemon.run(load());
await startedP;

const events: string[] = [];
daemon.bus.subscribe((e: SupervisorEvent) => {
  if (e.kind === "PROCESS") events.push(`${eventTypeName(e)} ${eventPayload(e)}`);
});

/** Resolves once `check` holds (checked after every bus event), or rejects after 10 s. */
function until(check: () => boolean): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check()) return resolve();
    const timer = setTimeout(() => {
      off();
      reject(new Error("timed out"));
    }, 10_000);
    const off = daemon.bus.subscribe(() => {
      setImmediate(() => {
        if (check()) {
          clearTimeout(timer);
          off();
          resolve();
        }
      });
    });
  });
}
const states = () => Object.fromEntries(daemon.service.getAllProcessInfo().map((p) => [`${p.group}:${p.name}`, p.statename]));
const configNames = () => daemon.service.getAllConfigInfo().map((c) => `${c.group}:${c.name}`);

t.test("increase, decrease (not lazy), event listeners, config info", async (t) => {
  await until(() => states()["web:web_0"] === "RUNNING" && states()["lis:lis_0"] === "RUNNING");

  const up = daemon.updateNumprocs("web", 3, false);
  t.strictSame(up, { kind: "updated", added: ["web:web_1", "web:web_2"], revived: [], removed: [], pending: [] });
  await until(() => states()["web:web_1"] === "RUNNING" && states()["web:web_2"] === "RUNNING");
  t.strictSame(configNames(), ["lis:lis_0", "web:web_0", "web:web_1", "web:web_2"], "getAllConfigInfo shows the new processes");
  t.strictSame(events, ["PROCESS_ADDED processname:web_1 groupname:web ", "PROCESS_ADDED processname:web_2 groupname:web "]);

  t.strictSame(daemon.updateNumprocs("lis", 2, false).kind, "updated");
  await until(() => states()["lis:lis_1"] === "RUNNING");

  events.length = 0;
  const down = daemon.updateNumprocs("web", 1, false);
  t.strictSame(down, { kind: "updated", added: [], revived: [], removed: [], pending: ["web:web_1", "web:web_2"] });
  t.equal(states()["web:web_1"], "STOPPING");
  await until(() => events.length === 2);
  t.strictSame(events.sort(), ["PROCESS_REMOVED processname:web_1 groupname:web ", "PROCESS_REMOVED processname:web_2 groupname:web "]);
  t.strictSame(Object.keys(states()).sort(), ["lis:lis_0", "lis:lis_1", "web:web_0"]);
  t.strictSame(configNames(), ["lis:lis_0", "lis:lis_1", "web:web_0"]);

  // A listener removed while it holds an event (BUSY: it never answers) must not upset its pool.
  events.length = 0;
  t.strictSame(daemon.updateNumprocs("lis", 1, false), { kind: "updated", added: [], revived: [], removed: [], pending: ["lis:lis_1"] });
  await until(() => events.length === 1);
  t.strictSame(Object.keys(states()).sort(), ["lis:lis_0", "web:web_0"]);

  t.equal(daemon.updateNumprocs("web", 2, false).kind, "updated");
  await until(() => states()["web:web_1"] === "RUNNING");
  t.strictSame(daemon.service.reloadConfig(), [[], ["web"], []], "the file says numprocs=1 again: changed");

  const log = readFileSync(join(dir, "supervisord.log"), "utf8");
  t.notMatch(log, /uncaptured|UnknownListener/);
  if (process.env.SHOWLOG) console.error(log);
});

t.test("setProgramDisabled once running: PROCESS_DISABLED / PROCESS_ENABLED", async (t) => {
  events.length = 0;
  daemon.setProgramDisabled("web", true);
  daemon.setProgramDisabled("web", true);
  daemon.setProgramDisabled("web", false);
  t.strictSame(events, [
    "PROCESS_DISABLED processname:web_0 groupname:web ",
    "PROCESS_DISABLED processname:web_1 groupname:web ",
    "PROCESS_ENABLED processname:web_0 groupname:web ",
    "PROCESS_ENABLED processname:web_1 groupname:web ",
  ]);
});

t.test("shutdown", async (t) => {
  daemon.shutdown();
  t.equal(await exited, 0);
});
