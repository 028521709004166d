/** Pure parts of the ctl client: Python text helpers, namespecs, option parsing, formatting, streaming parser, plugins. */
import t from "tap";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { columnize, ljust, parseLine, pySplit } from "../../src/ctl/python-text.js";
import { makeNamespec, splitNamespec } from "../../src/ctl/namespec.js";
import { parseCtlArgs } from "../../src/ctl/options.js";
import { formatStatusLines } from "../../src/ctl/commands/status.js";
import { changeLines, availLine } from "../../src/ctl/commands/config-commands.js";
import { startResultLine, signalResultLine } from "../../src/ctl/commands/process-control.js";
import { HttpStreamParser } from "../../src/ctl/http-stream-parser.js";
import { processCandidates, groupCandidates, currentWord } from "../../src/ctl/completion.js";
import { Controller, type ControllerIO } from "../../src/ctl/controller.js";
import { buildCommandTable } from "../../src/ctl/main.js";
import { CommandTable } from "../../src/ctl/plugin.js";
import { HttpStatusError, XmlRpcFault, formatUnexpected } from "../../src/ctl/errors.js";
import type { RpcValue } from "../../src/supervisord/rpc/codec.js";

t.test("cmd.Cmd line parsing", async (t) => {
  t.same(parseLine("  status  foo "), { cmd: "status", arg: "foo", line: "status  foo" });
  t.same(parseLine("?start"), { cmd: "help", arg: "start", line: "help start" });
  t.same(parseLine("!ls"), { cmd: null, arg: null, line: "!ls" });
  t.same(parseLine("status:x"), { cmd: "status", arg: ":x", line: "status:x" });
  t.same(parseLine("   "), { cmd: null, arg: null, line: "" });
  t.same(pySplit(" a\tb  c \n"), ["a", "b", "c"]);
  t.equal(ljust("é", 3), "é  ");
});

t.test("columnize matches cmd.Cmd for the default help", async (t) => {
  const cmds = "add avail clear exit fg maintail open pid quit reload remove reread restart shutdown signal start status stop tail update version".split(" ");
  t.same(columnize(cmds, 79), [
    "add    exit      open  reload  restart   start   tail   ",
    "avail  fg        pid   remove  shutdown  status  update ",
    "clear  maintail  quit  reread  signal    stop    version",
  ]);
  t.same(columnize([]), ["<empty>"]);
  t.same(columnize(["one"]), ["one"]);
});

t.test("namespecs", async (t) => {
  t.same(splitNamespec("g:p"), ["g", "p"]);
  t.same(splitNamespec("g:*"), ["g", null]);
  t.same(splitNamespec("g:"), ["g", null]);
  t.same(splitNamespec("p"), ["p", "p"]);
  t.same(splitNamespec("a:b:c"), ["a", "b:c"]);
  t.equal(makeNamespec("x", "x"), "x");
  t.equal(makeNamespec("g", "p"), "g:p");
});

t.test("options: getopt semantics, config and precedence", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "ctl-opt-"));
  const conf = join(dir, "sv.conf");
  writeFileSync(conf, "[supervisorctl]\nserverurl=unix://%(here)s/x.sock\nprompt=mine ; comment\nusername=u\nhistory_file=~/h\n");
  const run = (...a: string[]) => parseCtlArgs(a, "/usr/bin/supervisorctl", { HOME: "/home/me" }, dir);

  const r = run("-c", conf, "tail", "-f", "web", "stderr");
  t.equal(r.kind, "run");
  if (r.kind === "run") {
    t.same(r.settings.args, ["tail", "-f", "web", "stderr"]);
    t.equal(r.settings.serverurl, `unix://${dir}/x.sock`);
    t.equal(r.settings.prompt, "mine");
    t.equal(r.settings.username, "u");
    t.equal(r.settings.interactive, false);
  }
  const r2 = run("-c", conf, "-s", "http://h:1", "-u", "v", "-i", "status");
  if (r2.kind === "run") {
    t.equal(r2.settings.serverurl, "http://h:1", "command line wins");
    t.equal(r2.settings.username, "v");
    t.equal(r2.settings.interactive, true, "-i with an action is kept (confirmations are asked)");
  }
  const r3 = run("-c", conf);
  if (r3.kind === "run") t.equal(r3.settings.interactive, true, "no action means the shell");
  t.same(run("--serverur=http://x:1", "-c", conf, "status").kind, "run", "unique long prefix");
  t.same(run("-x"), { kind: "usage-error", message: "option -x not recognized" });
  t.same(run("-s"), { kind: "usage-error", message: "option -s requires argument" });
  t.same(run("--h"), { kind: "usage-error", message: "option --h not a unique prefix" });
  t.same(run("--s", "x"), { kind: "usage-error", message: "invalid value for --serverurl 'x': value 'x' is not a URL" });
  t.same(run("-s", "foo"), { kind: "usage-error", message: "invalid value for -s 'foo': value 'foo' is not a URL" });
  t.same(run("-u", "a", "-u", "b"), { kind: "usage-error", message: "conflicting command line option '-u'" });
  t.same(run("-c", join(dir, "nope.conf")), { kind: "usage-error", message: `could not find config file ${join(dir, "nope.conf")}` });
  writeFileSync(join(dir, "nosection.conf"), "[supervisord]\n");
  t.same(run("-c", join(dir, "nosection.conf")), { kind: "usage-error", message: ".ini file does not include supervisorctl section" });
  const h = run("-h", "-x");
  t.equal(h.kind, "usage-error", "getopt errors come before -h is acted on");
  const h2 = run("-c", conf, "-h");
  t.equal(h2.kind, "help");
  if (h2.kind === "help") t.match(h2.text, /^supervisorctl -- control applications.*\n\nUsage: \/usr\/bin\/supervisorctl \[options\]/s);
});

t.test("status formatting: width max(30, longest)+3, state padded to 10 even with no description", async (t) => {
  const info = (group: string, name: string, statename: string, description: string) => ({ group, name, statename, description, state: 0, pid: 0 });
  t.same(formatStatusLines([info("a", "a", "STARTING", "")], false), ["a" + " ".repeat(32) + "STARTING  "]);
  const long = "g".repeat(40);
  t.same(formatStatusLines([info(long, "p", "RUNNING", "pid 1, uptime 0:00:01"), info("x", "x", "STOPPED", "Not started")], false), [
    `${long}:p` + "   " + "RUNNING   pid 1, uptime 0:00:01",
    "x" + " ".repeat(44) + "STOPPED   Not started",
  ]);
  const coloured = formatStatusLines([info("a", "a", "RUNNING", "x")], true)[0]!;
  t.equal(coloured.replace(/\x1b\[[0-9;]*m/g, ""), formatStatusLines([info("a", "a", "RUNNING", "x")], false)[0], "colour adds only escapes");
  t.not(coloured, formatStatusLines([info("a", "a", "RUNNING", "x")], false)[0]);
});

t.test("result lines and config changes", async (t) => {
  t.equal(startResultLine({ group: "g", name: "p", status: 80, description: "OK" }), "g:p: started");
  t.equal(startResultLine({ group: "p", name: "p", status: 60, description: "" }), "p: ERROR (already started)");
  t.throws(() => startResultLine({ group: "p", name: "p", status: 30, description: "" }), { code: "UNKNOWN_RESULT_CODE" });
  t.equal(signalResultLine({ group: "p", name: "p", status: 30, description: "FAILED: boom" }), "FAILED: boom");
  t.same(changeLines({ added: ["b"], changed: ["a"], removed: ["c"] }), ["a: changed", "b: available", "c: disappeared"]);
  t.same(changeLines({ added: [], changed: [], removed: [] }), ["No config updates to processes"]);
  t.equal(
    availLine({ group: "g", name: "p", inuse: true, autostart: false, group_prio: 999, process_prio: 5 }),
    "g:p                              in use    manual    999:5",
  );
});

t.test("unexpected errors print like Python's compact traceback line", async (t) => {
  t.equal(
    formatUnexpected(new XmlRpcFault(2, "INCORRECT_PARAMETERS")),
    "error: <class 'xmlrpc.client.Fault'>, <Fault 2: 'INCORRECT_PARAMETERS'>: file: /usr/lib/python3.11/xmlrpc/client.py line: 668",
  );
  t.equal(
    formatUnexpected(new HttpStatusError(500, "Internal Server Error")),
    "error: <class 'xmlrpc.client.ProtocolError'>, <ProtocolError for 127.0.0.1/RPC2: 500 Internal Server Error>: file: /usr/lib/python3/dist-packages/supervisor/xmlrpc.py line: 539",
  );
});

t.test("streaming response parser: chunked and Content-Length, split anywhere", async (t) => {
  const collect = (raw: string, step: number) => {
    const p = new HttpStreamParser();
    const out: string[] = [];
    const b = Buffer.from(raw);
    for (let i = 0; i < b.length; i += step) {
      for (const e of p.push(b.subarray(i, i + step))) out.push(e.kind === "body" ? `body:${e.data}` : e.kind === "status" ? `status:${e.code}` : "end");
    }
    return out;
  };
  const chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3\r\nabc\r\n0\r\n\r\n";
  for (const step of [1, 3, 1000]) t.same(collect(chunked, step), ["status:200", "body:hello", "body:abc", "end"], `chunked step ${step}`);
  t.same(collect("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", 1000), ["status:200", "body:hello", "end"]);
  t.same(collect("HTTP/1.1 404 Not Found\r\n", 1000), ["status:404"]);
});

t.test("completion candidates", async (t) => {
  const infos = [
    { group: "cat", name: "cat", statename: "", description: "", state: 0, pid: 0 },
    { group: "grp", name: "a", statename: "", description: "", state: 0, pid: 0 },
    { group: "grp", name: "b", statename: "", description: "", state: 0, pid: 0 },
  ];
  t.same(processCandidates(infos, ""), ["cat ", "grp:a ", "grp:* ", "grp:b "]);
  t.same(processCandidates(infos, "c"), ["cat "]);
  t.same(processCandidates(infos, "cat:"), ["cat:cat ", "cat:* "]);
  t.same(groupCandidates(infos, "g"), ["grp "]);
  t.equal(currentWord("start grp:a"), "grp:a");
});

/** A controller on scripted RPC answers, to test the dispatcher without a daemon. */
function scriptedController(answers: Record<string, (params: readonly RpcValue[]) => RpcValue>, interactive = false) {
  let out = "";
  const io: ControllerIO = {
    write: (s) => void (out += s),
    errorLine: (l) => void (out += `[err] ${l}\n`),
    readLine: async () => null,
    colour: false,
  };
  const caller = {
    async call(method: string, params: readonly RpcValue[] = []) {
      const f = answers[method];
      if (!f) throw new XmlRpcFault(1, "UNKNOWN_METHOD");
      return f(params);
    },
    close() {},
  };
  const ctl = new Controller(
    { serverurl: "unix:///x", username: null, password: null, prompt: "supervisor", history_file: null, interactive },
    io,
    buildCommandTable([
      {
        name: "extra",
        commands: [
          { name: "hello", help: "hello\tSay hello", run: async (c, arg) => c.output(`hello ${arg}`) },
          { name: "hidden", run: async (c) => c.output("hidden ran") },
        ],
      },
    ]),
    () => caller,
  );
  return { ctl, output: () => out };
}

t.test("plugins: dispatch, help sections, vocabulary", async (t) => {
  const { ctl, output } = scriptedController({});
  await ctl.onecmd("hello world");
  await ctl.onecmd("hidden");
  t.equal(output(), "hello world\nhidden ran\n");
  const h = scriptedController({});
  await h.ctl.onecmd("help");
  t.match(h.output(), /default commands \(type help <topic>\):\n=+\n[\s\S]*\n\nextra commands \(type help <topic>\):\n=+\nhello\n\n$/);
  t.notMatch(h.output(), /hidden/, "commands without help are not listed");
  const hh = scriptedController({});
  await hh.ctl.onecmd("help hello");
  t.equal(hh.output(), "*** No help on hello\nhello\tSay hello\n", "each plugin answers, like Python's per-plugin do_help");
  t.ok(ctl.vocabulary().includes("hello"));
  t.throws(() => new CommandTable().register({ name: "bad", commands: [{ name: "a-b", run: async () => {} }] }), { code: "INVALID_COMMAND_NAME" });
});

t.test("401 without a terminal: message, second attempt's error line, status 1", async (t) => {
  const { ctl, output } = scriptedController({
    "supervisor.getVersion": () => {
      throw new HttpStatusError(401, "Unauthorized");
    },
  });
  await ctl.onecmd("status");
  t.equal(
    output(),
    "Server requires authentication\nerror: <class 'xmlrpc.client.ProtocolError'>, <ProtocolError for 127.0.0.1/RPC2: 401 Unauthorized>: file: /usr/lib/python3/dist-packages/supervisor/xmlrpc.py line: 539\n",
  );
  t.equal(ctl.exitstatus, 1);
});

t.test("upcheck: wrong API version and unknown namespace", async (t) => {
  const v = scriptedController({ "supervisor.getVersion": () => "2.0" });
  await v.ctl.onecmd("version");
  t.equal(v.output(), "Sorry, this version of supervisorctl expects to talk to a server with API version 3.0, but the remote version is 2.0.\n");
  t.equal(v.ctl.exitstatus, 5);
  const u = scriptedController({});
  await u.ctl.onecmd("status");
  t.match(u.output(), /^Sorry, supervisord responded but did not recognize the supervisor namespace/);
  t.equal(u.ctl.exitstatus, 4, "status overrides upcheck's 3 with 4");
  const w = scriptedController({});
  await w.ctl.onecmd("pid");
  t.equal(w.ctl.exitstatus, 3);
});

t.test("status with zero processes prints nothing and exits 0", async (t) => {
  const { ctl, output } = scriptedController({ "supervisor.getVersion": () => "3.0", "supervisor.getAllProcessInfo": () => [] });
  await ctl.onecmd("status");
  await ctl.onecmd("pid all");
  t.equal(output(), "");
  t.equal(ctl.exitstatus, 0);
});
