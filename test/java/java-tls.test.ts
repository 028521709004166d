/**
 * The Java client over TLS (ours): against one instance of ours whose inet server has
 * certfile/keyfile (test CA made at test time) and event_link = WS, SupervisorXmlRpcClient(URL,
 * user, password, PemTrust.sslContext(ca)) calls XML-RPC over https and the wss event subscriber
 * receives events; with an unrelated CA (or the JDK's default trust store) both are refused with
 * a "TLS certificate verification failed for https://..." message. Skipped without a JDK.
 */
import t from "tap";
import { compileJava, javaMissing, runJava } from "../helpers/java.js";
import { stateOf, TestCluster } from "../helpers/cluster.js";
import { makeTestPki } from "../helpers/tls.js";
import { readFileSync } from "node:fs";

const MAIN = "org.supvisors.test.TlsCheck";

const missing = javaMissing();
if (missing) {
  t.plan(0, `skipped: ${missing}`);
} else {
  const java = compileJava();
  t.teardown(() => java.cleanup());
  if (java.failure) {
    t.fail(`javac failed:\n${java.failure}`);
  } else {
    const pki = makeTestPki();
    t.teardown(() => pki.cleanup());
    const check = async (...args: string[]) => {
      const r = await runJava(["-cp", java.classpath, MAIN, ...args]);
      if (r.status !== 0) throw new Error(`TlsCheck ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
      return r.stdout.trim().split("\t");
    };

    t.test("XML-RPC and the event subscriber over TLS", async (t) => {
      const cluster = await TestCluster.create({
        size: 1,
        supvisors: "event_link = WS",
        tls: { certfile: pki.serverCert, keyfile: pki.serverKey, ca: readFileSync(pki.caCert) },
      });
      t.teardown(() => cluster.teardown());
      const a0 = cluster.instances[0]!;
      await cluster.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION", "OPERATION", 30_000);
      const url = `https://127.0.0.1:${a0.spec.port}`;
      const wss = `wss://127.0.0.1:${a0.spec.port + 1}`;

      t.same(await check("rpc", url, pki.caCert), ["state", "RUNNING"], "https with the test CA");
      for (const ca of [pki.otherCaCert, "-"]) {
        const [kind, message] = await check("rpc", url, ca);
        t.equal(kind, "error", `refused with ${ca}`);
        t.match(message, new RegExp(`^TLS certificate verification failed for ${url.replace(/\./g, "\\.")}: `), "a clear message");
      }
      t.same(await check("ws", wss, pki.caCert, "30"), ["event", "supvisors"], "wss with the test CA");
      const [kind, message] = await check("ws", wss, pki.otherCaCert, "30");
      t.equal(kind, "wserror", "wss refused with another CA");
      t.match(message, /^TLS certificate verification failed for wss:\/\/127\.0\.0\.1:\d+: /);
    });
  }
}
