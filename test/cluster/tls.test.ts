/**
 * A cluster of 2 instances of ours whose inet servers all speak HTTPS (certfile/keyfile) with
 * `tls_ca_file` naming the test CA: the peer calls (handshakes, commands) go over verified HTTPS,
 * so the cluster reaches OPERATION and a start_process asked of one instance runs the program on
 * the other; the websocket event interface is wss:// with the same certificate (the TypeScript
 * client verifies it with the CA and refuses it with another); the dashboard links to the peer
 * with https; supvisorsctl talks https with SUPERVISOR_CA_FILE.
 */
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import { promisify } from "node:util";
import t from "tap";
import { SupvisorsClient } from "../../src/client/supvisors-client.js";
import type { SupvisorsEvent } from "../../src/client/event-types.js";
import { poll, stateOf, TestCluster, type ClusterInstance } from "../helpers/cluster.js";
import { REPO } from "../helpers/daemon.js";
import { makeTestPki } from "../helpers/tls.js";
import { busCurveKeys } from "../../src/supvisors/cluster/curve-keys.js";

const run = promisify(execFile);
const TIMEOUT = 30_000;
const SUPVISORSCTL = join(REPO, "dist/bin/supvisorsctl.mjs");

const pki = makeTestPki();
t.teardown(() => pki.cleanup());
const ca = readFileSync(pki.caCert);
const otherCa = readFileSync(pki.otherCaCert);

// The program exists on a1 only: a start asked of a0 must be carried out on a1 through a peer call.
const PROGRAMS = (index: number) => (index === 1 ? "[program:w]\ncommand = /bin/sleep 300\nautostart = false\nstartsecs = 0\n" : "");

function httpsGet(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: "127.0.0.1", port, path, ca, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end();
  });
}

t.test("a TLS cluster", async (t) => {
  const cluster = await TestCluster.create({
    size: 2,
    supvisors: `event_link = WS\ntls_ca_file = ${pki.caCert}\ninternal_key = tls-cluster-key`,
    programs: PROGRAMS,
    tls: { certfile: pki.serverCert, keyfile: pki.serverKey, ca },
  });
  t.teardown(() => cluster.teardown());
  const [a0, a1] = cluster.instances as [ClusterInstance, ClusterInstance];
  await cluster.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION", "OPERATION over https peer calls", TIMEOUT);
  t.pass("OPERATION reached");
  const states = await stateOf(a0);
  t.same(Object.values(states.instance_states).sort(), ["RUNNING", "RUNNING"], "both instances RUNNING seen from a0");

  const client = new SupvisorsClient(`https://127.0.0.1:${a0.spec.port}`, { tls: { ca } });
  t.teardown(() => client.close());

  await t.test("start_process on a0 runs the program on a1, events over wss://", async (t) => {
    const stream = client.subscribe({ headers: ["process"], reconnect: false });
    await stream.opened(TIMEOUT);
    t.match(stream.url, /^wss:\/\/127\.0\.0\.1:\d+\//, "wss by default for an https client");
    const running = stream.waitFor((e: SupvisorsEvent) => e.header === "process" && e.body.process_name === "w" && e.body.statename === "RUNNING", { timeoutMs: TIMEOUT });
    t.equal(await a0.slowRpc(TIMEOUT, "supvisors.start_process", "CONFIG", "w:w", "", true), true);
    const ev = await running;
    t.same(ev.header === "process" ? ev.body.identifiers : null, [a1.identifier], "RUNNING on a1, seen on a0's wss stream");
    const info = (await a1.rpc("supervisor.getProcessInfo", "w")) as { statename: string };
    t.equal(info.statename, "RUNNING");
    await stream.close();
  });

  await t.test("the wss event interface refuses a client with another CA", async (t) => {
    const other = new SupvisorsClient(`https://127.0.0.1:${a0.spec.port}`, { tls: { ca: otherCa } });
    t.teardown(() => other.close());
    const stream = other.subscribe({ reconnect: false });
    const err = await new Promise<Error>((resolve) => stream.once("error", resolve));
    t.match(err.message, /certificate/);
    await stream.close();
  });

  await t.test("the dashboard over https links to the peer with https", async (t) => {
    const page = await httpsGet(a0.spec.port, "/index.html");
    t.equal(page.status, 200);
    t.ok(page.body.includes(`https://127.0.0.1:${a1.spec.port}/`), "a link to a1 in https");
    t.notOk(page.body.includes(`http://127.0.0.1:${a1.spec.port}/`), "no plain http link to a1");
    // The dashboard's live feed: a websocket upgrade on the HTTPS server itself.
    const { WebSocket } = await import("ws");
    const live = new WebSocket(`wss://127.0.0.1:${a0.spec.port}/dashboard/live`, { ca });
    t.teardown(() => live.terminate());
    await new Promise<void>((resolve, reject) => {
      live.once("open", () => resolve());
      live.once("error", reject);
    });
    t.pass("wss:// upgrade of the dashboard's live feed");
  });

  await t.test("the internal bus is encrypted with CURVE keys derived from internal_key", async (t) => {
    t.match(a0.logText(), /Supvisors: internal bus encrypted with CURVE/);
    const zmq = await import("zeromq");
    const keys = busCurveKeys("tls-cluster-key");
    const endpoint = `tcp://127.0.0.1:${a0.spec.port + 3}`;
    const deadline = <T,>(p: Promise<T>, what: string) =>
      Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out: ${what}`)), TIMEOUT).unref())]);
    // A subscriber with the keys hears the beats...
    const good = new zmq.Subscriber({ linger: 0, curveServerKey: keys.server.publicKey, curvePublicKey: keys.client.publicKey, curveSecretKey: keys.client.secretKey });
    t.teardown(() => good.close());
    good.subscribe();
    good.connect(endpoint);
    const [first] = await deadline(good.receive(), "a message through CURVE");
    t.ok(first && first.length > 0, "a message through CURVE");
    // ...a plain one never completes a handshake: the server drops it (seen as the socket's events, not as silence).
    const plain = new zmq.Subscriber({ linger: 0 });
    t.teardown(() => plain.close());
    plain.subscribe();
    plain.connect(endpoint);
    const outcome = await deadline(
      (async () => {
        for await (const event of plain.events) {
          if (event.type === "handshake") return "handshake";
          if (event.type.startsWith("handshake:error") || event.type === "disconnect") return event.type;
        }
        return "closed";
      })(),
      "the plain subscriber's fate",
    );
    t.not(outcome, "handshake", `plain ZMTP refused (${outcome})`);
  });

  await t.test("supvisorsctl over https", async (t) => {
    const r = await run(process.execPath, [SUPVISORSCTL, "-s", `https://127.0.0.1:${a1.spec.port}`, "sstate"], {
      env: { ...process.env, SUPERVISOR_CA_FILE: pki.caCert },
      timeout: TIMEOUT,
    });
    t.match(r.stdout, /OPERATION/);
    const refused = await run(process.execPath, [SUPVISORSCTL, "-s", `https://127.0.0.1:${a1.spec.port}`, "sstate"], {
      env: { ...process.env, SUPERVISOR_CA_FILE: pki.otherCaCert },
      timeout: TIMEOUT,
    }).then(
      () => null,
      (e: { code?: number; stdout?: string }) => e,
    );
    t.ok(refused && refused.code !== 0, "a non-zero exit status with the other CA");
    t.match(refused?.stdout ?? "", /TLS certificate verification failed/);
  });
});

t.test("peer calls verify the certificate: an instance trusting another CA cannot handshake", async (t) => {
  const cluster = await TestCluster.create({
    size: 2,
    supvisors: "tls_ca_file = {dir}/ca.pem",
    tls: { certfile: pki.serverCert, keyfile: pki.serverKey, ca },
    startNow: () => false,
  });
  t.teardown(() => cluster.teardown());
  const [a0, a1] = cluster.instances as [ClusterInstance, ClusterInstance];
  writeFileSync(join(a0.dir, "ca.pem"), ca);
  writeFileSync(join(a1.dir, "ca.pem"), otherCa);
  await Promise.all([a0.start(), a1.start()]);
  const refused = new RegExp(`handshake with ${a0.identifier.replace(/\./g, "\\.")}: transport_failure \\(TLS certificate verification failed for https://127\\.0\\.0\\.1:${a0.spec.port}: `);
  await poll(() => (refused.test(a1.logText()) ? true : undefined), TIMEOUT, "a1 refusing a0's certificate");
  t.pass("a1 logs the refused certificate of a0");
  const seen = (await stateOf(a1)).instance_states;
  t.not(seen[a0.identifier], "RUNNING", "a1 does not count a0 as RUNNING");
});
