/** The web page's pure parts: escaping, quoting, ctime, the status and tail pages. */
import t from "tap";
import { ctime, escapeHtml, html, pyQuote } from "../../src/web/html.js";
import { actionableGroups, processActions, renderStatusPage, stateClass, type ProcessRow } from "../../src/web/status-page.js";
import { renderTailPage, tailLimit, tailModel } from "../../src/web/tail-page.js";
import { Faults, RpcFault } from "../../src/supervisord/rpc/faults.js";

const EVIL = `<b>x&"'`;
const row = (group: string, name: string, statename: string, description = ""): ProcessRow => ({ group, name, statename, description });
const page = (processes: ProcessRow[], message: string | null = null) =>
  renderStatusPage({ processes, message, version: "4.2.5", identification: "supervisor", year: 2026 });

t.test("escapeHtml neutralises every markup character", async (t) => {
  t.equal(escapeHtml(`<script>alert("x" & 'y')</script>`), "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;");
  t.equal(html`<a title="${EVIL}">${EVIL}</a>`.text, `<a title="&lt;b&gt;x&amp;&quot;&#39;">&lt;b&gt;x&amp;&quot;&#39;</a>`);
  t.equal(html`<p>${html`<i>${"<"}</i>`}</p>`.text, "<p><i>&lt;</i></p>", "nested Html is kept, its values escaped");
  t.equal(html`${null}${undefined}${3}`.text, "3");
});

t.test("pyQuote matches Python's urllib.parse.quote", async (t) => {
  t.equal(pyQuote("grp:sleeper"), "grp%3Asleeper");
  t.equal(pyQuote("w:*"), "w%3A%2A");
  t.equal(pyQuote(EVIL), "%3Cb%3Ex%26%22%27");
  t.equal(pyQuote("a b/c_d.e-f~g!()"), "a%20b/c_d.e-f~g%21%28%29");
  t.equal(pyQuote("café ☃"), "caf%C3%A9%20%E2%98%83");
  t.equal(pyQuote("ERROR: Process bad: no such file"), "ERROR%3A%20Process%20bad%3A%20no%20such%20file");
});

t.test("ctime is Python's time.ctime in local time", async (t) => {
  t.equal(ctime(new Date(2026, 10, 25, 14, 22, 9).getTime()), "Wed Nov 25 14:22:09 2026");
  t.equal(ctime(new Date(2026, 0, 5, 3, 4, 5).getTime()), "Mon Jan  5 03:04:05 2026", "day padded with a space");
});

t.test("state classes", async (t) => {
  t.equal(stateClass("RUNNING"), "statusrunning");
  t.equal(stateClass("FATAL"), "statuserror");
  t.equal(stateClass("BACKOFF"), "statuserror");
  for (const s of ["STOPPED", "STARTING", "STOPPING", "EXITED", "UNKNOWN"]) t.equal(stateClass(s), "statusnominal", s);
});

t.test("action links per state follow supervisord", async (t) => {
  const names = (state: string) => processActions("g:p", state).map((h) => /name="([^"]*)"/.exec(h.text)![1]);
  const tail = ["Clear Log", "Tail -f Stdout", "Tail -f Stderr"];
  t.same(names("RUNNING"), ["Restart", "Stop", ...tail]);
  for (const s of ["STOPPED", "EXITED", "FATAL"]) t.same(names(s), ["Start", "#", ...tail], s);
  for (const s of ["STARTING", "BACKOFF", "STOPPING", "UNKNOWN"]) t.same(names(s), ["#", "#", ...tail], s);
  const running = processActions("g:p", "RUNNING").map((h) => h.text).join("");
  t.match(running, `href="index.html?processname=g%3Ap&amp;action=restart"`);
  t.match(running, `href="index.html?processname=g%3Ap&amp;action=stop"`);
  t.match(running, `href="index.html?processname=g%3Ap&amp;action=clearlog"`);
  t.match(running, `href="logtail/g%3Ap" name="Tail -f Stdout" target="_blank"`);
  t.match(running, `href="logtail/g%3Ap/stderr" name="Tail -f Stderr" target="_blank"`);
});

t.test("status page: rows, names, shading, message, footer", async (t) => {
  const out = page(
    [row("cat", "cat", "RUNNING", "pid 12, uptime 0:00:04"), row("grp", "sleeper", "STOPPED", "Not started"), row("x", "x", "FATAL", "Exited too quickly")],
    "Process cat started",
  );
  t.match(out, /^<!DOCTYPE html PUBLIC "-\/\/W3C\/\/DTD XHTML 1.0 Transitional\/\/EN"/);
  t.match(out, "<title>Supervisor Status</title>");
  t.match(out, '<div class="status_msg">Process cat started</div>');
  for (const [href, label] of [["refresh", "Refresh"], ["restartall", "Restart All"], ["stopall", "Stop All"]]) {
    t.match(out, `<a href="index.html?action=${href}">${label}</a>`);
  }
  t.match(out, '<span class="statusrunning">running</span>');
  t.match(out, '<span class="statusnominal">stopped</span>');
  t.match(out, '<span class="statuserror">fatal</span>');
  t.match(out, "<td><span>pid 12, uptime 0:00:04</span></td>");
  t.match(out, '<a href="tail.html?processname=grp%3Asleeper" target="_blank">grp:sleeper</a>');
  const classes = [...out.matchAll(/<tr class="([^"]*)" data-namespec/g)].map((m) => m[1]);
  t.same(classes, ["", "shade", ""], "alternate process rows are shaded");
  t.match(out, '<span class="version">4.2.5</span>');
  t.match(out, '<span class="identification">supervisor</span>');
  t.match(out, "2006-<span>2026</span>");
  t.notMatch(out, /<script>/, "no inline script");
  t.match(out, '<script src="scripts/supervisor.js" type="text/javascript"></script>');
  t.notMatch(page([]), "status_msg", "no message div without a message");
});

t.test("status page without processes", async (t) => {
  const out = page([]);
  t.match(out, "No programs to manage");
  t.notMatch(out, "<table");
});

t.test("group rows: [group:x] and multi-process programs, not single programs", async (t) => {
  const procs = [
    row("cat", "cat", "RUNNING"),
    row("grp", "sleeper", "STOPPED"),
    row("w", "w_0", "RUNNING"),
    row("w", "w_1", "FATAL"),
  ];
  t.same([...actionableGroups(procs)].sort(), ["grp", "w"]);
  const out = page(procs);
  t.notMatch(out, 'data-group="cat"');
  t.match(out, 'data-group="grp"');
  t.match(out, 'href="index.html?groupname=w&amp;action=startgroup" name="Start Group"');
  t.match(out, 'href="index.html?groupname=w&amp;action=stopgroup" name="Stop Group"');
  t.match(out, 'href="index.html?groupname=w&amp;action=restartgroup" name="Restart Group"');
  t.match(out, /data-group="w">\s*<td class="status"><span class="statuserror">1\/2<\/span>/, "a failed member marks the group");
  // The group row comes right before its first process.
  t.ok(out.indexOf('data-group="w"') < out.indexOf('data-namespec="w:w_0"'));
  t.ok(out.indexOf('data-group="w"') > out.indexOf('data-namespec="grp:sleeper"'));
});

t.test("hostile process names and messages render inert", async (t) => {
  const out = page([row("evil", EVIL, "RUNNING", `<img src=x onerror=alert(1)>`)], `<script>alert(1)</script>`);
  t.notMatch(out, EVIL);
  t.notMatch(out, "<img");
  t.notMatch(out, "<script>alert");
  t.match(out, '<div class="status_msg">&lt;script&gt;alert(1)&lt;/script&gt;</div>');
  t.match(out, '<a href="tail.html?processname=evil%3A%3Cb%3Ex%26%22%27" target="_blank">evil:&lt;b&gt;x&amp;&quot;&#39;</a>');
  t.match(out, 'data-group="evil"');
});

t.test("tail limit: at least 1024, garbage means 1024", async (t) => {
  t.equal(tailLimit(null), 1024);
  t.equal(tailLimit("5"), 1024);
  t.equal(tailLimit("4096"), 4096);
  t.equal(tailLimit("-9"), 1024);
  t.equal(tailLimit("abc"), 1024);
});

t.test("tail model reads the stdout log and words faults like supervisord", async (t) => {
  const calls: [string, number, number][] = [];
  const service = (result: () => string) => ({
    readProcessStdoutLog(name: string, offset: number, length: number) {
      calls.push([name, offset, length]);
      return result();
    },
  });
  t.same(tailModel(service(() => "hello\n"), "cat", "2048"), { processname: "cat", tail: "hello\n", limit: 2048 });
  t.same(calls, [["cat", -2048, 0]]);
  const nofile = () => {
    throw new RpcFault(Faults.NO_FILE, "/x");
  };
  t.equal(tailModel(service(nofile), "cat", null).tail, "No file for cat");
  const badname = () => {
    throw new RpcFault(Faults.BAD_NAME, "nope");
  };
  t.equal(tailModel(service(badname), "nope", null).tail, "ERROR: unexpected rpc fault [10] BAD_NAME: nope");
  t.same(tailModel(service(() => "x"), null, null), { processname: null, tail: "No process name found", limit: 1024 });
});

t.test("tail page escapes the log and links to refresh and the streams", async (t) => {
  const out = renderTailPage({ processname: EVIL, tail: "<script>alert(1)</script>\n", limit: 1024 });
  t.match(out, "<title>Supervisor tail of process &lt;b&gt;x&amp;&quot;&#39;</title>");
  t.match(out, '<pre id="tailbody">&lt;script&gt;alert(1)&lt;/script&gt;\n</pre>');
  t.match(out, 'href="tail.html?processname=%3Cb%3Ex%26%22%27&amp;limit=1024"');
  t.match(out, 'href="logtail/%3Cb%3Ex%26%22%27" target="_blank"');
  t.match(out, 'href="logtail/%3Cb%3Ex%26%22%27/stderr" target="_blank"');
  t.notMatch(out, "<script>");
  const none = renderTailPage({ processname: null, tail: "No process name found", limit: 1024 });
  t.match(none, "<title>Supervisor tail of process None</title>");
  t.notMatch(none, "tail.html?", "no refresh link without a process");
});
