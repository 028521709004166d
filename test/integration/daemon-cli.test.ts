/**
 * The supervisord command line and the daemon's process-level behaviour: -v/-h, config errors
 * (exit 2, file/section/option named), the demo config, daemon mode (detach, pidfile, umask),
 * user= privilege dropping (as root), and [fcgi-program:x] sockets on fd 0.
 */
import t from "tap";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, statSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "../helpers/rpc-real-supervisord.js";
import { poll } from "../helpers/cluster.js";
import { OUR_SUPERVISORD, REAL_SUPERVISORD, REPO, TestDaemon, hasReal, waitFor, xmlrpc } from "../helpers/daemon.js";

const ours = (args: string[], cwd = REPO) => spawnSync(process.execPath, [OUR_SUPERVISORD, ...args], { cwd, encoding: "utf8", timeout: 20_000 });

t.test("-v prints the version, -h the usage", async (t) => {
  const v = ours(["-v"]);
  t.equal(v.status, 0);
  t.equal(v.stdout, "4.2.5\n");
  const h = ours(["-h"]);
  t.equal(h.status, 0);
  t.match(h.stdout, /^supervisord -- run a set of applications as daemons\./);
  if (hasReal) {
    const real = spawnSync(REAL_SUPERVISORD, ["-h"], { encoding: "utf8" });
    t.equal(h.stdout.replaceAll(OUR_SUPERVISORD, "<argv0>"), real.stdout.replaceAll(REAL_SUPERVISORD, "<argv0>"), "same usage text");
  }
});

t.test("a bad config exits 2 naming file, section and option", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "badconf-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const conf = join(dir, "bad.conf");
  writeFileSync(conf, `[supervisord]\nlogfile=${dir}/x.log\n\n[program:web]\ncommand=/bin/true\nautostart=maybe\n`);
  const r = ours(["-c", conf]);
  t.equal(r.status, 2);
  t.match(r.stderr, `Error: not a valid boolean value: 'maybe' in section 'program:web' (file: '${conf}')`);
  t.match(r.stderr, `${conf}:6`, "the line is named");
  t.match(r.stderr, /For help, use .* -h/);
  t.notMatch(r.stderr, /\n\s+at /, "no stack trace");
  if (hasReal) {
    const real = spawnSync(REAL_SUPERVISORD, ["-c", conf], { encoding: "utf8" });
    t.equal(real.status, 2);
    t.equal(r.stderr.split("\n")[0], real.stderr.split("\n")[0], "same first line as supervisord");
  }
});

t.test("the demo config starts and serves", async (t) => {
  const d = new TestDaemon("ours", { programs: "" });
  t.teardown(() => d.cleanup());
  const child = (await import("node:child_process")).spawn(process.execPath, [OUR_SUPERVISORD, "-c", "examples/demo.conf", "-n"], {
    cwd: REPO,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (c) => (out += c));
  t.teardown(() => child.kill("SIGKILL"));
  await waitFor(() => out.includes("success: worker_01"), 20_000, "demo processes running");
  const sock = join(REPO, "examples/run/supervisor.sock");
  const infos = (await xmlrpc(sock, "supervisor.getAllProcessInfo", [])) as { name: string; statename: string }[];
  t.same(infos.map((i) => i.name).sort(), ["clock", "flaky", "manual", "worker_00", "worker_01"]);
  child.kill("SIGTERM");
  await new Promise((r) => child.once("exit", r));
  t.notOk(existsSync(sock), "the socket file is removed at exit");
});

t.test("npm start's cluster demo forms, starts its applications, serves the dashboard, and stops on SIGTERM", async (t) => {
  const child = (await import("node:child_process")).spawn(process.execPath, [join(REPO, "scripts/demo-cluster.mjs")], { cwd: REPO, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (c) => (out += c));
  child.stderr.on("data", (c) => (out += c));
  const exited = new Promise((r) => child.once("exit", r));
  t.teardown(() => child.kill("SIGKILL"));
  const alpha = "http://127.0.0.1:9001";
  const sock = join(REPO, "examples/cluster/run/alpha/supervisor.sock");
  const rpc = (method: string, ...params: string[]) => xmlrpc(sock, method, params);
  await poll(
    async () => {
      try {
        return ((await rpc("supvisors.get_application_info", "web")) as { statename: string }).statename === "RUNNING" ? true : undefined;
      } catch {
        return undefined;
      }
    },
    60_000,
    "the demo's web application running",
    200,
  );
  const states = ((await rpc("supvisors.get_all_instances_info")) as { nick_identifier: string; statename: string }[]).map((i) => `${i.nick_identifier}:${i.statename}`);
  t.same(states, ["alpha:RUNNING", "beta:RUNNING", "gamma:RUNNING"]);
  const page = await fetch(`${alpha}/`);
  t.equal(page.status, 200);
  const html = await page.text();
  t.match(html, /Demo cluster/, "software_name on the dashboard");
  t.match(html, /data-identifier="127\.0\.0\.1:9021"/, "gamma's card");
  child.kill("SIGTERM");
  await exited;
  t.match(out, /alpha \| exited \(0\)/);
  t.match(out, /gamma \| exited \(0\)/);
});

t.test("daemon mode detaches, writes the pidfile and applies umask", async (t) => {
  const d = new TestDaemon("ours", {
    supervisord: "nodaemon = false\numask = 077",
    programs: "[program:s]\ncommand=/bin/sleep 1000\nstartsecs=0\nstdout_logfile={dir}/s.log\n",
  });
  t.teardown(async () => {
    try {
      await xmlrpc(d.sock, "supervisor.shutdown", []);
    } catch {
      /* already gone */
    }
    d.cleanup();
  });
  const r = ours(["-c", d.conf], d.dir);
  t.equal(r.status, 0, "the foreground process exits 0 once the daemon is ready");
  t.ok(existsSync(d.sock), "the socket exists when the parent returns");
  const pid = Number(readFileSync(join(d.dir, "supervisord.pid"), "utf8").trim());
  t.ok(pid > 0);
  t.equal(await xmlrpc(d.sock, "supervisor.getPID", []), pid);
  await waitFor(() => existsSync(join(d.dir, "s.log")), 10_000);
  t.equal(statSync(join(d.dir, "s.log")).mode & 0o777, 0o600, "files are created under umask 077");
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  t.equal(Number(f[3]), pid, "the daemon leads its own session");
  t.match(d.logText(), "daemonizing the supervisord process");
  await xmlrpc(d.sock, "supervisor.shutdown", []);
  await waitFor(() => !existsSync(`/proc/${pid}`), 20_000, "daemon exit");
  t.notOk(existsSync(join(d.dir, "supervisord.pid")), "the pidfile is removed");
});

const isRoot = process.getuid?.() === 0;
t.test("user= runs the program as that user with its groups", { skip: !isRoot && "needs root" }, async (t) => {
  const d = new TestDaemon("ours", {
    programs: "[program:who]\ncommand=/usr/bin/id\nuser=nobody\nstartsecs=0\nautorestart=false\nstdout_logfile={dir}/who.log\n",
  });
  t.teardown(async () => {
    await d.stop();
    d.cleanup();
  });
  await d.start();
  await d.waitForLog("exited: who");
  const expected = spawnSync("setpriv", ["--reuid=nobody", "--regid=nogroup", "--init-groups", "id"], { encoding: "utf8" }).stdout;
  t.equal(readFileSync(join(d.dir, "who.log"), "utf8"), expected);
  t.match(expected, /uid=65534\(nobody\)/);
});

t.test("[fcgi-program:x] passes a listening socket as fd 0", async (t) => {
  const port = await freePort();
  const d = new TestDaemon("ours", {
    programs: [
      "[fcgi-program:echo]",
      `socket=tcp://127.0.0.1:${port}`,
      // Accept one connection on fd 0 and answer with our pid.
      `command=/usr/bin/python3 -c "import socket,os; s=socket.socket(fileno=0); c,_=s.accept(); c.sendall(b'pid %%d' %% os.getpid()); c.close(); import time; time.sleep(1000)"`,
      "startsecs=0",
      "",
    ].join("\n"),
  });
  t.teardown(async () => {
    await d.stop();
    d.cleanup();
  });
  await d.start();
  await d.waitForLog("success: echo");
  const info = (await d.rpc("supervisor.getProcessInfo", "echo")) as { pid: number };
  const answer = await new Promise<string>((resolve, reject) => {
    const c = createConnection({ host: "127.0.0.1", port });
    c.setTimeout(15_000, () => c.destroy(new Error("no answer from the fcgi child")));
    let data = "";
    c.on("data", (b) => (data += b));
    c.on("end", () => resolve(data));
    c.on("error", reject);
  });
  t.equal(answer, `pid ${info.pid}`);
  t.match(d.logText(), `Creating socket tcp://127.0.0.1:${port}`);
});

t.test("a closed stdout does not kill a foreground daemon (or orphan its children)", async (t) => {
  const d = new TestDaemon("ours", {
    programs: "[program:a]\ncommand=/bin/sleep 1000\nstartsecs=0\n[program:b]\ncommand=/bin/sleep 1000\nstartsecs=0\nautostart=false\n",
  });
  t.teardown(async () => {
    await d.stop();
    d.cleanup();
  });
  await d.start();
  // The reader of the daemon's stdout goes away; the next echoed log lines hit EPIPE.
  d.child!.stdout!.destroy();
  await d.rpc("supervisor.startProcess", "b");
  await d.rpc("supervisor.stopProcess", "b");
  await d.rpc("supervisor.startProcess", "b");
  const infos = (await d.rpc("supervisor.getAllProcessInfo")) as { name: string; statename: string }[];
  t.same(
    infos.map((i) => `${i.name}:${i.statename}`),
    ["a:RUNNING", "b:RUNNING"],
    "the daemon still answers and supervises",
  );
  t.equal(d.exitCode, null, "the daemon is alive");
  d.signal("SIGTERM");
  t.equal(await d.waitExit(), 0, "and shuts down cleanly");
  t.match(d.logText(), "stopped: a (terminated by SIGTERM)");
});

t.test("silent, AUTO log cleanup and nocleanup, minfds", async (t) => {
  const soft = Number(readFileSync("/proc/self/limits", "utf8").match(/Max open files\s+(\d+)/)?.[1] ?? 1024);
  const hardText = readFileSync("/proc/self/limits", "utf8").match(/Max open files\s+\d+\s+(\S+)/)?.[1] ?? "0";
  const hard = hardText === "unlimited" ? Infinity : Number(hardText);
  const wanted = Math.min(soft + 1, hard);
  const d = new TestDaemon("ours", {
    supervisord: `silent = true\nminfds = ${wanted}`,
    programs: "[program:p]\ncommand=/bin/sleep 1000\nstartsecs=0\n",
  });
  t.teardown(async () => {
    await d.stop();
    d.cleanup();
  });
  const stale = join(d.dir, "old-stdout---supervisor-abcd1234.log");
  const foreign = join(d.dir, "old-stdout---other-abcd1234.log");
  writeFileSync(stale, "x");
  writeFileSync(foreign, "x");
  await d.start();
  await d.waitForLog("success: p");
  t.equal(d.stdout, "", "silent: nothing echoed to stdout");
  t.notOk(existsSync(stale), "AUTO logs of a previous run with the same identifier are deleted");
  t.ok(existsSync(foreign), "other identifiers' logs are kept");
  const limits = readFileSync(`/proc/${d.pid}/limits`, "utf8");
  t.ok(Number(limits.match(/Max open files\s+(\d+)/)?.[1]) >= wanted, "RLIMIT_NOFILE raised to minfds");
  if (wanted > soft) t.match(d.logText(), `Increased RLIMIT_NOFILE limit to ${wanted}`);
  await d.stop();

  // nocleanup keeps them.
  writeFileSync(stale, "x");
  d.writeConfig({ supervisord: "nocleanup = true", programs: "[program:p]\ncommand=/bin/sleep 1000\nstartsecs=0\n" });
  await d.start();
  t.ok(existsSync(stale), "nocleanup keeps old AUTO logs");
});
