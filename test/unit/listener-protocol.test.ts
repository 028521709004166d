import t from "tap";
import { ListenerProtocol, ListenerProtocolError, isSupportedResultHandler, type ProtocolOutcome } from "../../src/supervisord/events/listener-protocol.js";

const b = (s: string) => Buffer.from(s, "latin1");
const tr = (from: string, to: string) => ({ kind: "transition", from, to });

t.test("starts ACKNOWLEDGED; READY\\n makes it READY; split across chunks", async (t) => {
  const p = new ListenerProtocol();
  t.equal(p.state, "ACKNOWLEDGED");
  t.same(p.feed(b("REA")), [], "fewer than 6 bytes: no decision yet");
  t.same(p.feed(b("DY")), []);
  t.same(p.feed(b("\n")), [tr("ACKNOWLEDGED", "READY")]);
  t.equal(p.state, "READY");
});

t.test("6+ bytes not starting with READY\\n → UNKNOWN, terminal until respawn", async (t) => {
  const p = new ListenerProtocol();
  t.same(p.feed(b("hello!")), [tr("ACKNOWLEDGED", "UNKNOWN")]);
  t.same(p.feed(b("READY\n")), [], "ignored in UNKNOWN");
  t.equal(p.state, "UNKNOWN");
  t.throws(() => p.eventSent(), ListenerProtocolError);
  p.spawned();
  t.equal(p.state, "ACKNOWLEDGED");
  t.same(p.feed(b("READY\n")), [tr("ACKNOWLEDGED", "READY")]);
});

t.test("a partial READY buffered before a respawn is forgotten", async (t) => {
  const p = new ListenerProtocol();
  p.feed(b("REA"));
  p.spawned();
  t.same(p.feed(b("DY\nxyz")), [tr("ACKNOWLEDGED", "UNKNOWN")], "the new instance saw only DY\\nxyz");
  t.equal(p.state, "UNKNOWN");
});

t.test("unsolicited output while READY → UNKNOWN", async (t) => {
  const p = new ListenerProtocol();
  p.feed(b("READY\n"));
  t.same(p.feed(b("x")), [tr("READY", "UNKNOWN")]);
  t.equal(p.state, "UNKNOWN");
});

t.test("READY\\n followed by more bytes in the same chunk is unsolicited output", async (t) => {
  const p = new ListenerProtocol();
  t.same(p.feed(b("READY\nREADY\n")), [tr("ACKNOWLEDGED", "READY"), tr("READY", "UNKNOWN")]);
});

t.test("RESULT 2\\nOK → processed → ACKNOWLEDGED, then READY in the same chunk", async (t) => {
  const p = new ListenerProtocol();
  p.feed(b("READY\n"));
  p.eventSent();
  t.equal(p.state, "BUSY");
  const out = p.feed(b("RESULT 2\nOKREADY\n"));
  t.same(out, [{ kind: "result", verdict: "processed", from: "BUSY", to: "ACKNOWLEDGED" }, tr("ACKNOWLEDGED", "READY")]);
  t.equal(p.state, "READY");
});

t.test("result split byte by byte", async (t) => {
  const p = new ListenerProtocol();
  p.feed(b("READY\n"));
  p.eventSent();
  const all: ProtocolOutcome[] = [];
  for (const ch of "RESULT 4\nFAILREADY\n") all.push(...p.feed(b(ch)));
  t.same(all, [{ kind: "result", verdict: "rejected", from: "BUSY", to: "ACKNOWLEDGED" }, tr("ACKNOWLEDGED", "READY")]);
});

t.test("anything but OK is rejected by the default handler", async (t) => {
  for (const body of ["FAIL", "ok", "OK ", ""]) {
    const p = new ListenerProtocol();
    p.feed(b("READY\n"));
    p.eventSent();
    const out = p.feed(b(`RESULT ${body.length}\n${body}`));
    t.same(out, [{ kind: "result", verdict: "rejected", from: "BUSY", to: "ACKNOWLEDGED" }], JSON.stringify(body));
  }
});

t.test("result length parsed like Python int(); the word RESULT is not checked", async (t) => {
  for (const line of ["RESULT  2 ", "XXXXXXX2", "RESULT +2", "RESULT 0_2"]) {
    const p = new ListenerProtocol();
    p.feed(b("READY\n"));
    p.eventSent();
    t.same(p.feed(b(`${line}\nOK`)), [{ kind: "result", verdict: "processed", from: "BUSY", to: "ACKNOWLEDGED" }], line);
  }
});

t.test("bad result line → UNKNOWN with the line", async (t) => {
  for (const [line, shown] of [
    ["RESULT two", "RESULT two"],
    ["RESULT ", "RESULT "],
    ["OK", "OK"],
    ["RESULT 1__0", "RESULT 1__0"],
    ["RESULT -1", "RESULT -1"],
    ["RESULT \xff", "Undecodable: b'RESULT \\xff'"],
  ]) {
    const p = new ListenerProtocol();
    p.feed(b("READY\n"));
    p.eventSent();
    t.same(p.feed(b(`${line}\nREADY\n`)), [{ kind: "result", verdict: "bad-result-line", line: shown, from: "BUSY", to: "UNKNOWN" }], line);
    t.equal(p.state, "UNKNOWN");
  }
});

t.test("no decision until the whole result line and body arrived", async (t) => {
  const p = new ListenerProtocol();
  p.feed(b("READY\n"));
  p.eventSent();
  t.same(p.feed(b("RESULT 10")), []);
  t.same(p.feed(b("\n0123")), []);
  t.same(p.feed(b("45678")), []);
  t.equal(p.state, "BUSY");
  t.same(p.feed(b("9")), [{ kind: "result", verdict: "rejected", from: "BUSY", to: "ACKNOWLEDGED" }]);
});

t.test("RESULT 0 completes at once with an empty body", async (t) => {
  const p = new ListenerProtocol((body) => (body.length === 0 ? "processed" : "rejected"));
  p.feed(b("READY\n"));
  p.eventSent();
  t.same(p.feed(b("RESULT 0\n")), [{ kind: "result", verdict: "processed", from: "BUSY", to: "ACKNOWLEDGED" }]);
});

t.test("a throwing result handler → error → UNKNOWN", async (t) => {
  const p = new ListenerProtocol(() => {
    throw new Error("boom");
  });
  p.feed(b("READY\n"));
  p.eventSent();
  t.same(p.feed(b("RESULT 2\nOKREADY\n")), [{ kind: "result", verdict: "error", from: "BUSY", to: "UNKNOWN" }]);
  t.equal(p.state, "UNKNOWN");
});

t.test("eventSent only from READY", async (t) => {
  const p = new ListenerProtocol();
  t.throws(() => p.eventSent(), { code: "LISTENER_NOT_READY" });
});

t.test("only the reference's default result handler is supported by name", async (t) => {
  t.ok(isSupportedResultHandler("supervisor.dispatchers:default_handler"));
  t.notOk(isSupportedResultHandler("mymod:handler"));
  t.notOk(isSupportedResultHandler("toString"));
});
