/**
 * clients/java/build.sh makes one jar (the client, its example command, JeroMQ) with the JDK alone,
 * and `java -jar <jar> status` prints what a 3-instance cluster of ours says over XML-RPC: its
 * state and master, each instance, each application and its processes where they run. Without
 * credentials the protected instance refuses it (exit 1, HTTP 401); a bad command line exits 2.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { stateOf, TestCluster, type ClusterInstance } from "../helpers/cluster.js";
import { JAVA_ROOT, javaMissing, runJava, type JavaRun } from "../helpers/java.js";

const TIMEOUT = 30_000;
const AUTH = { username: "javauser", password: "s3cret" };
const RULES = `<?xml version="1.0"?>
<root>
  <application name="app">
    <programs>
      <program name="one"><start_sequence>1</start_sequence></program>
      <program name="two"><start_sequence>2</start_sequence></program>
    </programs>
  </application>
</root>
`;
const PROGRAMS = `[group:app]
programs = one,two

[program:one]
command = /bin/sleep 300
autostart = false
startsecs = 0

[program:two]
command = /bin/sleep 300
autostart = false
startsecs = 0

[program:solo]
command = /bin/sleep 300
autostart = false
`;

function runJar(jar: string, args: readonly string[]): Promise<JavaRun> {
  return runJava(["-jar", jar, ...args]);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const missing = javaMissing();
if (missing) {
  t.plan(0, `skipped: ${missing}`);
} else {
  const out = mkdtempSync(join(tmpdir(), "sv-java-build-"));
  t.teardown(() => rmSync(out, { recursive: true, force: true }));
  const build = spawnSync(join(JAVA_ROOT, "build.sh"), [out], { encoding: "utf8" });
  t.equal(build.status, 0, "build.sh succeeds", { stderr: build.stderr.slice(0, 4000) });
  const jar = build.stdout.trim().split("\n").pop() ?? "";
  t.match(jar, /supvisors-client-\d+\.\d+\.\d+\.jar$/, "build.sh prints the versioned jar it made");

  t.test("the jar: the three packages, the command as Main-Class, JeroMQ inside", async (t) => {
    const list = spawnSync("jar", ["tf", jar], { encoding: "utf8" }).stdout.split("\n");
    for (const entry of [
      "org/supvisors/rpc/SupervisorXmlRpcClient.class",
      "org/supvisors/rpc/SupervisorXmlRpc.class",
      "org/supvisors/rpc/SupvisorsXmlRpc.class",
      "org/supvisors/rpc/SystemXmlRpc.class",
      "org/supvisors/common/SupvisorsProcessInfo.class",
      "org/supvisors/event/SupvisorsEventSubscriber.class",
      "org/supvisors/event/SupvisorsWsEventSubscriber.class",
      "org/supvisors/example/Status.class",
      "org/zeromq/ZMQ.class",
    ]) {
      t.ok(list.includes(entry), entry);
    }
    const manifest = spawnSync("unzip", ["-p", jar, "META-INF/MANIFEST.MF"], { encoding: "utf8" }).stdout;
    t.match(manifest, /^Main-Class: org\.supvisors\.example\.Status\r?$/m, "Main-Class");
  });

  t.test("java -jar … status against a cluster", async (t) => {
    writeFileSync(join(out, "rules.xml"), RULES);
    const cluster = await TestCluster.create({ size: 3, programs: PROGRAMS, auth: AUTH, supvisors: `rules_files = ${out}/rules.xml` });
    t.teardown(() => cluster.teardown());
    const [a0] = cluster.instances as [ClusterInstance, ClusterInstance, ClusterInstance];
    await cluster.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION", "OPERATION", TIMEOUT);
    t.equal(await a0.slowRpc(TIMEOUT, "supvisors.start_application", "CONFIG", "app", true), true, "app started");
    const url = `http://127.0.0.1:${a0.spec.port}`;

    const run = await runJar(jar, ["status", "-s", url, "-u", AUTH.username, "-p", AUTH.password]);
    t.equal(run.status, 0, "exit status 0", { stderr: run.stderr });
    const lines = run.stdout.split("\n");

    const state = (await a0.rpc("supvisors.get_supvisors_state")) as { fsm_statename: string };
    const master = (await a0.rpc("supvisors.get_master_identifier")) as { nick_identifier: string };
    t.equal(lines[0], `Supvisors ${state.fsm_statename}   master: ${master.nick_identifier}`, "the state and the master");

    const instances = (await a0.rpc("supvisors.get_all_instances_info")) as { identifier: string; nick_identifier: string; node_name: string; port: number; statename: string; loading: number }[];
    t.equal(instances.length, 3);
    for (const i of instances) {
      const re = new RegExp(`^${escape(i.nick_identifier)}\\s+${escape(i.node_name)}\\s+${i.port}\\s+${i.statename}\\s+\\d+%`);
      t.ok(lines.some((l) => re.test(l)), `instance ${i.nick_identifier} ${i.statename}`, { lines });
    }

    const apps = (await a0.rpc("supvisors.get_all_applications_info")) as { application_name: string; statename: string; managed: boolean }[];
    const processes = (await a0.rpc("supvisors.get_all_process_info")) as { application_name: string; process_name: string; statename: string; identifiers: string[] }[];
    t.ok(apps.some((a) => a.application_name === "app" && a.statename === "RUNNING"), "app RUNNING over XML-RPC");
    for (const a of apps) {
      const at = lines.findIndex((l) => l.startsWith(`${a.application_name}  ${a.statename}`));
      t.ok(at > 0, `application ${a.application_name} ${a.statename}`, { lines });
      for (const p of processes.filter((p) => p.application_name === a.application_name)) {
        const namespec = p.application_name === p.process_name ? p.process_name : `${p.application_name}:${p.process_name}`;
        const nick = (id: string) => instances.find((i) => i.identifier === id)?.nick_identifier ?? id;
        const where = p.identifiers.length ? p.identifiers.map(nick).join(",") : "-";
        const re = new RegExp(`^    ${escape(namespec)}\\s+${p.statename}\\s+${escape(where)}$`);
        t.ok(lines.slice(at + 1).some((l) => re.test(l)), `process ${namespec} ${p.statename} on ${where}`, { lines });
      }
    }

    const refused = await runJar(jar, ["status", "-s", url]);
    t.equal(refused.status, 1, "no credentials: exit status 1");
    t.match(refused.stderr, /HTTP 401/, "no credentials: HTTP 401 said");
    t.equal(refused.stdout, "", "no credentials: nothing printed");
  });

  t.test("bad command lines", async (t) => {
    const none = await runJar(jar, []);
    t.equal(none.status, 2, "no command: exit status 2");
    t.match(none.stderr, /usage: java -jar supvisors-client\.jar status/);
    const unknown = await runJar(jar, ["stats"]);
    t.equal(unknown.status, 2, "unknown command: exit status 2");
    t.match(unknown.stderr, /unknown command: stats/);
    const badUrl = await runJar(jar, ["status", "-s", "ftp://x"]);
    t.equal(badUrl.status, 2, "bad URL: exit status 2");
    const unreachable = await runJar(jar, ["status", "-s", "unix:///nonexistent/sv.sock"]);
    t.equal(unreachable.status, 1, "unreachable: exit status 1");
    t.match(unreachable.stderr, /^error: unix:\/\/\/nonexistent\/sv\.sock: /);
  });
}
