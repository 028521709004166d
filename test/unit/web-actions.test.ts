/**
 * The web page's actions: every action's message (spec §11.2), and the HTTP side of the pages
 * (headers, 301 Location, 500, POST forms) on our real HTTP servers with a fake service.
 */
import t from "tap";
import { request } from "node:http";
import { Faults, RpcFault } from "../../src/supervisord/rpc/faults.js";
import type { ProcessInfo, ProcessResult } from "../../src/supervisord/service/supervisor-service.js";
import { groupMessage, runAction, type ActionRequest } from "../../src/web/actions.js";
import { registerWebRoutes, type WebService } from "../../src/web/index.js";
import { ctime } from "../../src/web/html.js";
import { startTestServers } from "../helpers/rpc-test-server.js";

type Behaviour = "ok" | "nofile" | "noexec" | "spawnerr" | "abnormal" | "weird";

interface FakeProc {
  group: string;
  name: string;
  state: string;
  onStart: Behaviour;
}

/** An in-memory service with supervisord's fault rules for the calls the page makes. */
class FakeService implements WebService {
  readonly calls: string[] = [];
  shuttingDown = false;
  constructor(readonly procs: FakeProc[]) {}

  private ns(p: FakeProc): string {
    return p.group === p.name ? p.name : `${p.group}:${p.name}`;
  }
  private find(ns: string): FakeProc {
    if (this.shuttingDown) throw new RpcFault(Faults.SHUTDOWN_STATE);
    const p = this.procs.find((x) => this.ns(x) === ns);
    if (!p) throw new RpcFault(Faults.BAD_NAME, ns);
    return p;
  }
  private info(p: FakeProc): ProcessInfo {
    return {
      name: p.name, group: p.group, start: 0, stop: 0, now: 0, state: 0, statename: p.state as ProcessInfo["statename"],
      spawnerr: "", exitstatus: 0, pid: 0, description: `desc of ${this.ns(p)}`, logfile: "", stdout_logfile: "", stderr_logfile: "",
    };
  }
  private start(p: FakeProc): true | Promise<true> {
    const ns = this.ns(p);
    this.calls.push(`start ${ns}`);
    if (p.state === "RUNNING") throw new RpcFault(Faults.ALREADY_STARTED, ns);
    switch (p.onStart) {
      case "nofile": throw new RpcFault(Faults.NO_FILE, "/nope");
      case "noexec": throw new RpcFault(Faults.NOT_EXECUTABLE, "/etc");
      case "weird": throw new RpcFault(Faults.FAILED, `${ns} is in an unknown process state`);
      case "spawnerr": return Promise.reject(new RpcFault(Faults.SPAWN_ERROR, ns));
      case "abnormal": p.state = "BACKOFF"; return Promise.reject(new RpcFault(Faults.ABNORMAL_TERMINATION, ns));
      default: p.state = "RUNNING"; return Promise.resolve(true);
    }
  }
  private stop(p: FakeProc): Promise<true> {
    const ns = this.ns(p);
    this.calls.push(`stop ${ns}`);
    if (p.state !== "RUNNING") throw new RpcFault(Faults.NOT_RUNNING, ns);
    p.state = "STOPPED";
    return Promise.resolve(true);
  }
  private results(ps: FakeProc[], act: (p: FakeProc) => unknown, pred: (p: FakeProc) => boolean): Promise<ProcessResult[]> {
    return Promise.all(
      ps.filter(pred).map(async (p) => {
        try {
          await act(p);
          return { name: p.name, group: p.group, status: Faults.SUCCESS, description: "OK" };
        } catch (e) {
          const f = e as RpcFault;
          return { name: p.name, group: p.group, status: f.code, description: f.faultString };
        }
      }),
    );
  }
  private group(name: string): FakeProc[] {
    const ps = this.procs.filter((p) => p.group === name);
    if (ps.length === 0) throw new RpcFault(Faults.BAD_NAME, name);
    return ps;
  }

  getProcessInfo(ns: string) { return this.info(this.find(ns)); }
  getAllProcessInfo() {
    if (this.shuttingDown) throw new RpcFault(Faults.SHUTDOWN_STATE);
    return this.procs.map((p) => this.info(p));
  }
  getSupervisorVersion() { return "4.2.5"; }
  getIdentification() { return "fake<id>"; }
  startProcess(ns: string): Promise<boolean> { return Promise.resolve(this.start(this.find(ns))); }
  stopProcess(ns: string): Promise<boolean> { return this.stop(this.find(ns)); }
  startProcessGroup(g: string) { this.calls.push(`startgroup ${g}`); return this.results(this.group(g), (p) => this.start(p), (p) => p.state !== "RUNNING"); }
  stopProcessGroup(g: string) { this.calls.push(`stopgroup ${g}`); return this.results(this.group(g), (p) => this.stop(p), (p) => p.state === "RUNNING"); }
  startAllProcesses() { this.calls.push("startall"); return this.results(this.procs, (p) => this.start(p), (p) => p.state !== "RUNNING"); }
  stopAllProcesses() { this.calls.push("stopall"); return this.results(this.procs, (p) => this.stop(p), (p) => p.state === "RUNNING"); }
  clearProcessLogs(ns: string): boolean {
    this.find(ns);
    this.calls.push(`clearlog ${ns}`);
    if (ns === "nolog") throw new RpcFault(Faults.FAILED, ns);
    return true;
  }
  readProcessStdoutLog(ns: string, offset: number): string {
    this.find(ns);
    return `log of ${ns} at ${offset}: <script>alert(1)</script>`;
  }
}

const proc = (group: string, name: string, state: string, onStart: Behaviour = "ok"): FakeProc => ({ group, name, state, onStart });
const fixture = () =>
  new FakeService([
    proc("cat", "cat", "RUNNING"),
    proc("bad", "bad", "STOPPED", "nofile"),
    proc("noexec", "noexec", "STOPPED", "noexec"),
    proc("spawn", "spawn", "STOPPED", "spawnerr"),
    proc("quick", "quick", "STOPPED", "abnormal"),
    proc("weird", "weird", "STOPPED", "weird"),
    proc("nolog", "nolog", "STOPPED"),
    proc("grp", "a", "STOPPED"),
    proc("grp", "b", "RUNNING"),
    proc("mixed", "ok", "STOPPED"),
    proc("mixed", "broken", "STOPPED", "spawnerr"),
  ]);
const NOW = new Date(2026, 10, 25, 14, 22, 9).getTime();
const act = (s: FakeService, action: string, processname: string | null = null, groupname: string | null = null) =>
  runAction(s, { action, processname, groupname } satisfies ActionRequest, () => NOW);
const msg = async (s: FakeService, action: string, ns: string | null = null, g: string | null = null) => {
  const o = await act(s, action, ns, g);
  return o.kind === "message" ? o.message : "<invalid>";
};

t.test("process actions give supervisord's messages", async (t) => {
  const s = fixture();
  t.equal(await msg(s, "start", "bad"), "ERROR: Process bad: no such file");
  t.equal(await msg(s, "start", "noexec"), "ERROR: Process noexec: file not executable");
  t.equal(await msg(s, "start", "cat"), "ERROR: Process cat: already started");
  t.equal(await msg(s, "start", "spawn"), "ERROR: Process spawn: spawn error");
  t.equal(await msg(s, "start", "quick"), "ERROR: Process quick: abnormal termination");
  t.equal(await msg(s, "start", "weird"), "ERROR: Process weird: unexpected rpc fault [30] FAILED: weird is in an unknown process state");
  t.equal(await msg(s, "start", "grp:a"), "Process grp:a started");
  t.equal(s.procs.find((p) => p.name === "a")!.state, "RUNNING");
  t.equal(await msg(s, "stop", "grp:a"), "Process grp:a stopped");
  t.equal(await msg(s, "stop", "bad"), "unexpected rpc fault [70] NOT_RUNNING: bad");
  t.equal(await msg(s, "clearlog", "cat"), "Log for cat cleared");
  t.equal(await msg(s, "clearlog", "nolog"), "unexpected rpc fault [30] FAILED: nolog");
  t.equal(await msg(s, "start", "nope"), "No such process named nope");
  t.equal(await msg(s, "bogus", "nope"), "No such process named nope", "the name is checked before the action");
  t.equal(await msg(s, "stop", "grp:*"), "No such process named grp:*", "group specs are not processes here");
});

t.test("restart stops then starts and always says restarted", async (t) => {
  const s = fixture();
  t.equal(await msg(s, "restart", "cat"), "Process cat restarted");
  t.same(s.calls, ["stop cat", "start cat"]);
  s.calls.length = 0;
  t.equal(await msg(s, "restart", "bad"), "Process bad restarted", "even when both steps fail");
  t.same(s.calls, ["stop bad", "start bad"]);
});

t.test("refresh, stopall, restartall carry ctime", async (t) => {
  const s = fixture();
  t.equal(await msg(s, "refresh"), `Page refreshed at ${ctime(NOW)}`);
  t.equal(await msg(s, "stopall"), `All stopped at ${ctime(NOW)}`);
  t.notOk(s.procs.some((p) => p.state === "RUNNING"));
  t.equal(await msg(s, "restartall"), `All restarted at ${ctime(NOW)}`);
  t.same(s.calls.slice(-2 - s.procs.length).filter((c) => !c.startsWith("start ")), ["stopall", "startall"]);
  t.equal(s.procs.find((p) => p.name === "cat")!.state, "RUNNING");
});

t.test("unknown actions and missing names are invalid (HTTP 500)", async (t) => {
  const s = fixture();
  t.same(await act(s, "bogus", "cat"), { kind: "invalid" });
  t.same(await act(s, "start"), { kind: "invalid" });
  t.same(await act(s, "startgroup"), { kind: "invalid" });
});

t.test("group actions go through the group calls", async (t) => {
  const s = fixture();
  t.equal(await msg(s, "startgroup", null, "grp"), "Group grp started");
  t.same(s.calls, ["startgroup grp", "start grp:a"]);
  t.ok(s.procs.filter((p) => p.group === "grp").every((p) => p.state === "RUNNING"));
  t.equal(await msg(s, "stopgroup", null, "grp"), "Group grp stopped");
  t.ok(s.procs.filter((p) => p.group === "grp").every((p) => p.state === "STOPPED"));
  s.calls.length = 0;
  t.equal(await msg(s, "restartgroup", null, "grp"), "Group grp restarted");
  t.same(s.calls, ["stopgroup grp", "startgroup grp", "start grp:a", "start grp:b"]);
  t.equal(await msg(s, "startgroup", null, "mixed"), "ERROR: Group mixed: mixed:broken: spawn error");
  t.equal(await msg(s, "startgroup", null, "nope"), "No such group named nope");
  s.shuttingDown = true;
  t.equal(await msg(s, "stop", "cat"), "unexpected rpc fault [6] SHUTDOWN_STATE", "other lookup faults surface from the action");
});

t.test("groupMessage words failures per kind", async (t) => {
  const r = (name: string, status: number, description: string): ProcessResult => ({ name, group: "g", status, description });
  t.equal(groupMessage("g", "stopped", "stop", [r("a", Faults.SUCCESS, "OK")]), "Group g stopped");
  t.equal(groupMessage("g", "stopped", "stop", [r("a", Faults.FAILED, "FAILED: boom")]), "ERROR: Group g: g:a: FAILED: boom");
  t.equal(
    groupMessage("g", "started", "start", [r("a", Faults.NO_FILE, "NO_FILE: /x"), r("g", Faults.FAILED, "FAILED: y")]),
    "ERROR: Group g: g:a: no such file; g: unexpected rpc fault [30] FAILED: y",
  );
});

// ---- over HTTP --------------------------------------------------------------------------------

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string, opts: { method?: string; body?: string; host?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { Host: opts.host ?? `127.0.0.1:${port}` };
    if (opts.body !== undefined) headers["Content-Type"] = "application/x-www-form-urlencoded";
    const req = request({ host: "127.0.0.1", port, path, method: opts.method ?? "GET", headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end(opts.body);
  });
}

t.test("pages over HTTP", async (t) => {
  const servers = await startTestServers();
  t.teardown(() => servers.stop());
  const s = fixture();
  registerWebRoutes(servers.router, s, { now: () => NOW });
  const port = servers.port;

  for (const path of ["/", "/index.html"]) {
    const r = await get(port, `${path}?message=${encodeURIComponent("<b>hi</b>")}`);
    t.equal(r.status, 200, path);
    t.equal(r.headers["content-type"], "text/html;charset=utf-8");
    t.equal(r.headers["pragma"], "no-cache");
    t.equal(r.headers["cache-control"], "no-cache");
    t.equal(r.headers["expires"], "Thu, 01 Jan 1970 00:00:00 GMT");
    t.equal(r.headers["server"], "Medusa/1.12");
    t.match(r.headers["content-security-policy"], "script-src 'self'");
    t.match(r.body, '<div class="status_msg">&lt;b&gt;hi&lt;/b&gt;</div>');
    t.match(r.body, "fake&lt;id&gt;");
  }

  const start = await get(port, "/index.html?action=start&processname=grp%3Aa");
  t.equal(start.status, 301);
  t.equal(start.headers["location"], `http://127.0.0.1:${port}/?message=Process%20grp%3Aa%20started`);
  t.equal(start.headers["content-type"], "text/html");
  t.equal(start.headers["pragma"], "no-cache");
  t.match(start.body, "<p>Error code 301.");

  const post = await get(port, "/index.html", { method: "POST", body: "action=stop&processname=cat" });
  t.equal(post.status, 301);
  t.equal(post.headers["location"], `http://127.0.0.1:${port}/?message=Process%20cat%20stopped`);
  t.equal(s.procs[0]!.state, "STOPPED");

  const group = await get(port, "/?action=stopgroup&groupname=grp");
  t.equal(group.headers["location"], `http://127.0.0.1:${port}/?message=Group%20grp%20stopped`);

  t.equal((await get(port, "/index.html?action=bogus&processname=cat")).status, 500);
  t.equal((await get(port, "/index.html?action=&processname=cat")).status, 200, "a blank action just shows the page");
  t.equal((await get(port, "/", { method: "PUT" })).status, 400);
  t.equal((await get(port, "/", { method: "HEAD" })).status, 404);
  t.equal((await get(port, "/index.html", { method: "POST", body: "x=" + "a".repeat(70_000) })).status, 413);

  const tail = await get(port, "/tail.html?processname=cat&limit=2000");
  t.equal(tail.status, 200);
  t.equal(tail.headers["pragma"], "no-cache");
  t.match(tail.body, "<pre id=\"tailbody\">log of cat at -2000: &lt;script&gt;alert(1)&lt;/script&gt;</pre>");

  const css = await get(port, "/stylesheets/supervisor.css");
  t.equal(css.status, 200);
  t.equal(css.headers["content-type"], "text/css;charset=utf-8");
  t.match(css.body, ".statusrunning");
  const js = await get(port, "/scripts/supervisor.js");
  t.equal(js.headers["content-type"], "text/javascript;charset=utf-8");
  t.match(js.body, "autorefresh");

  s.shuttingDown = true;
  const down = await get(port, "/");
  t.equal(down.status, 200);
  t.match(down.body, "ERROR: unexpected rpc fault [6] SHUTDOWN_STATE");
});
