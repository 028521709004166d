/**
 * Bad input never takes an instance down: a bad option or rules file stops start-up with one
 * message naming file:line; forged, unsigned, malformed internal messages are rejected and logged;
 * hostile XML-RPC arguments to the supvisors.* methods get faults.
 */
import { spawnSync } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { encodeEnvelope } from "../../src/supvisors/cluster/envelope.js";
import { internalKeyOf } from "../../src/supvisors/options/internal-key.js";
import { Buffer as RpcBinary } from "node:buffer";
import { freePortPair, poll, stateOf, TestCluster, type ClusterInstance } from "../helpers/cluster.js";
import { OUR_SUPERVISORD } from "../helpers/daemon.js";

function runConfig(body: string): { status: number | null; stderr: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "sv-bad-"));
  const conf = join(dir, "supervisord.conf");
  writeFileSync(conf, body.replaceAll("{dir}", dir));
  const r = spawnSync(process.execPath, [OUR_SUPERVISORD, "-c", conf], { encoding: "utf8", timeout: 20_000 });
  rmSync(dir, { recursive: true, force: true });
  return { status: r.status, stderr: r.stderr.replaceAll(dir, "{dir}"), dir };
}

const BASE = (port: number, extra: string) => `[supervisord]
nodaemon = true
logfile = {dir}/log
pidfile = {dir}/pid
[inet_http_server]
port = 127.0.0.1:${port}
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface
[rpcinterface:supvisors]
supervisor.rpcinterface_factory = supvisors.plugin:make_supvisors_rpcinterface
supvisors_list = 127.0.0.1:${port}
${extra}
`;

t.test("a bad option or rules file stops start-up with file:line", async (t) => {
  const port = await freePortPair();
  const opt = runConfig(BASE(port, "synchro_timeout = soon"));
  t.equal(opt.status, 2);
  t.match(opt.stderr, /^Error: invalid value 'soon' for synchro_timeout/m);
  t.match(opt.stderr, /\{dir\}\/supervisord\.conf:12, section \[rpcinterface:supvisors\]/);

  const rulesBody = `<?xml version="1.0"?>\n<root>\n<application name="a">\n<start_sequence>x</start_sequence>\n</application>\n</root>\n`;
  const dir = mkdtempSync(join(tmpdir(), "sv-rules-"));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "rules.xml"), rulesBody);
  const rules = runConfig(BASE(port, `rules_files = ${dir}/rules.xml`));
  t.equal(rules.status, 2);
  t.match(rules.stderr, `Error: ${dir}/rules.xml:4: <application name="a">: invalid value for start_sequence: "x" (integer in 0..127 expected)`);
});

t.test("forged and malformed internal messages are rejected, the instance keeps running", async (t) => {
  const auth = { username: "user", password: "secret" };
  const cluster = await TestCluster.create({ size: 2, auth, startNow: (i) => i === 0 });
  t.teardown(() => cluster.teardown());
  const [a0, ghost] = cluster.instances as [ClusterInstance, ClusterInstance];
  // The test takes the place of the second instance on its internal port.
  const zmq = await import("zeromq");
  const pub = new zmq.Publisher({ linger: 0 });
  t.teardown(() => pub.close());
  await pub.bind(`tcp://127.0.0.1:${ghost.spec.port + 3}`);
  const tick = (seq: number) => ({ from: ghost.identifier, boot: "b00t", seq, time: Date.now() / 1000, message: { kind: "tick" as const, boot: "b00t", sequence_counter: seq, when: Date.now() / 1000, when_monotonic: 1 } });
  const rightKey = internalKeyOf(null, auth)!;
  await poll(async () => {
    await pub.send([Buffer.from("garbage")]);
    const notJson = Buffer.from("{not json");
    await pub.send([notJson, Buffer.from(createHmac("sha256", rightKey).update(notJson).digest("hex"))]);
    await pub.send(encodeEnvelope(tick(1), null));
    await pub.send(encodeEnvelope(tick(2), "another key"));
    const [body] = encodeEnvelope(tick(3), rightKey);
    await pub.send([body, Buffer.from("0".repeat(64))]);
    const [b2, sig] = encodeEnvelope({ ...tick(4), message: { kind: "process", event: { bogus: true } } as never }, rightKey);
    await pub.send([b2, sig]);
    const log = a0.logText();
    return ["unsigned message", "bad signature", "not JSON", "1 frame(s)", "bad process payload"].every((r) => log.includes(r)) ? true : undefined;
  }, 10_000, "the rejections logged");
  t.equal(((await a0.rpc("supervisor.getState")) as { statename: string }).statename, "RUNNING", "still serving");
  const states = (await a0.rpc("supvisors.get_all_instances_info")) as { identifier: string; statename: string }[];
  t.equal(states.find((s) => s.identifier === ghost.identifier)?.statename, "STOPPED", "no forged message was trusted");
  // A correctly signed TICK is trusted: the instance is checked (and fails: nobody answers its XML-RPC).
  await poll(async () => {
    await pub.send(encodeEnvelope(tick(100 + Math.floor(Math.random() * 1e6)), rightKey));
    return a0.logText().includes(`Supvisors=a1 (${ghost.identifier}) STOPPED -> CHECKING`) ? true : undefined;
  }, 10_000, "a signed TICK accepted");
  t.pass("a signed TICK is accepted");
});

t.test("hostile XML-RPC arguments get faults, never a crash", async (t) => {
  const cluster = await TestCluster.create({ size: 1 });
  t.teardown(() => cluster.teardown());
  const [a0] = cluster.instances as [ClusterInstance];
  await poll(async () => ((await stateOf(a0)).fsm_statename === "OPERATION" ? true : undefined), 20_000, "OPERATION");
  const methods = (await a0.rpc("system.listMethods")) as string[];
  const supvisors = methods.filter((m) => m.startsWith("supvisors."));
  t.ok(supvisors.length >= 20, `${supvisors.length} supvisors methods listed`);
  const hostile = [[], ["x", "y", "z"], [[1, 2]], [{ a: 1 }], [RpcBinary.from("bin")], [new Date(0)], [null], [3.5], [true]];
  let faults = 0;
  for (const m of supvisors) {
    for (const args of hostile) {
      // Without arguments these two are valid requests: they would close the cluster.
      if (args.length === 0 && (m === "supvisors.restart" || m === "supvisors.shutdown")) continue;
      try {
        await a0.rpc(m, ...(args as never[]));
      } catch (err) {
        if (!("faultCode" in (err as object))) throw err;
        faults++;
      }
    }
  }
  t.ok(faults > 0, `${faults} faults answered`);
  t.equal(((await a0.rpc("supervisor.getState")) as { statename: string }).statename, "RUNNING", "still serving");
  t.same(await a0.rpc("supvisors.get_api_version"), "0.19");
  t.notMatch(a0.logText(), /CRIT (uncaptured|.*exception)/, "no uncaught exception");
});
