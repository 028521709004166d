// GET /metrics on a 2-instance Supvisors cluster of ours: the supvisors_* series (state,
// master, instance states and loads, applications, conflicts) equal the supvisors.* XML-RPC
// answers of the same instance, the process statistics appear as CPU and memory gauges of the
// local processes only, the host gauges for every instance, and the same auth as every route.
import t from "tap";
import { poll, stateOf, TestCluster, type ClusterInstance } from "../helpers/cluster.js";
import { rest } from "../helpers/rest.js";
import { parseExposition, samples, value, type PromFamily } from "../helpers/prometheus.js";

const TIMEOUT = 30_000;
const AUTH = { username: "user", password: "secret" };

const PROGRAMS = (i: number) =>
  `[program:sleeper${i}]
command = sleep 1000
startsecs = 0
`;

async function scrape(i: ClusterInstance): Promise<Map<string, PromFamily>> {
  const a = await rest({ port: i.spec.port, auth: `${AUTH.username}:${AUTH.password}` }, "GET", "/metrics");
  if (a.status !== 200) throw new Error(`${i.spec.nick} /metrics: HTTP ${a.status}`);
  if (a.headers["content-type"] !== "text/plain; version=0.0.4; charset=utf-8") throw new Error(`content type ${a.headers["content-type"]}`);
  return parseExposition(a.text);
}

t.test("/metrics of a Supvisors cluster", async (t) => {
  const cluster = await TestCluster.create({
    size: 2,
    auth: AUTH,
    supvisors: "stats_collecting_period = 1\nstats_periods = 2,4\nstats_histo = 10",
    programs: PROGRAMS,
  });
  t.teardown(() => cluster.teardown());
  const [a0, a1] = cluster.instances as [ClusterInstance, ClusterInstance];
  await cluster.waitAll(async (i) => (await stateOf(i)).fsm_statename === "OPERATION", "OPERATION", TIMEOUT);

  await t.test("401 without credentials", async (t) => {
    t.equal((await rest({ port: a0.spec.port }, "GET", "/metrics")).status, 401);
  });

  await t.test("state, master, instances, applications: the supvisors.* answers", async (t) => {
    for (const i of [a0, a1]) {
      // Scraped when the XML-RPC view is steady around it (a state can move between two reads).
      const f = await poll(async () => {
        const before = JSON.stringify(await i.rpc("supvisors.get_all_instances_info").then((x) => (x as { statename: string }[]).map((y) => y.statename)));
        const got = await scrape(i);
        const after = JSON.stringify(await i.rpc("supvisors.get_all_instances_info").then((x) => (x as { statename: string }[]).map((y) => y.statename)));
        return before === after && value(got, "supvisors_state", { state: "OPERATION" }) === 1 ? got : undefined;
      }, TIMEOUT, `${i.spec.nick} steady OPERATION scrape`);
      const nick = i.spec.nick;
      t.equal(samples(f, "supvisors_state").filter((s) => s.value === "1").length, 1, `${nick}: one current state`);
      const master = (await i.rpc("supvisors.get_master_identifier")) as { identifier: string; nick_identifier: string };
      t.equal(value(f, "supvisors_master", { identifier: master.identifier, nick: master.nick_identifier }), 1, `${nick}: the master`);
      t.equal(value(f, "supvisors_is_master"), master.identifier === i.identifier ? 1 : 0);
      const infos = (await i.rpc("supvisors.get_all_instances_info")) as { identifier: string; nick_identifier: string; statename: string; loading: number }[];
      t.equal(samples(f, "supvisors_instance_state").length, 2, `${nick}: one series per instance`);
      for (const x of infos) {
        t.equal(value(f, "supvisors_instance_state", { identifier: x.identifier, nick: x.nick_identifier, state: x.statename }), 1, `${nick} sees ${x.nick_identifier} ${x.statename}`);
        t.equal(x.statename, "RUNNING");
        t.equal(value(f, "supvisors_instance_load", { identifier: x.identifier }), x.loading);
      }
      const apps = (await i.rpc("supvisors.get_all_applications_info")) as { application_name: string; statename: string }[];
      t.ok(apps.length >= 2, "both applications known");
      for (const a of apps) t.equal(value(f, "supvisors_application_state", { application: a.application_name, state: a.statename }), 1, `${nick}: ${a.application_name} ${a.statename}`);
      t.equal(value(f, "supvisors_conflicts"), ((await i.rpc("supvisors.get_conflicts")) as unknown[]).length);
      t.equal(value(f, "supvisors_statistics_enabled", { kind: "process" }), 1);
      // The supervisord series are there too, for the instance's own processes only.
      t.equal(value(f, "supervisord_process_state", { group: `sleeper${i.index}`, name: `sleeper${i.index}`, state: "RUNNING" }), 1);
      t.equal(samples(f, "supervisord_process_state").length, 1);
    }
  });

  await t.test("statistics: local processes' CPU and memory, every instance's host", async (t) => {
    for (const i of [a0, a1]) {
      const id = { group: `sleeper${i.index}`, name: `sleeper${i.index}` };
      const f = await poll(async () => {
        const got = await scrape(i);
        return samples(got, "supervisord_process_cpu_percent", id).length === 1 && samples(got, "supvisors_host_cpu_percent").length === 2 ? got : undefined;
      }, TIMEOUT, `${i.spec.nick}: process and host statistics in /metrics`);
      const cpu = value(f, "supervisord_process_cpu_percent", id);
      const mem = value(f, "supervisord_process_memory_percent", id);
      t.ok(cpu >= 0 && Number.isFinite(cpu), `${i.spec.nick}: sleeper cpu ${cpu}`);
      t.ok(mem > 0 && mem < 100, `${i.spec.nick}: sleeper memory ${mem} %`);
      t.equal(samples(f, "supervisord_process_cpu_percent").filter((s) => s.labels?.name?.startsWith("sleeper")).length, 1, "only the local process");
      for (const x of [a0, a1]) {
        const host = value(f, "supvisors_host_cpu_percent", { identifier: x.identifier, nick: x.spec.nick });
        const hostMem = value(f, "supvisors_host_memory_percent", { identifier: x.identifier });
        t.ok(host >= 0 && host <= 100, `${i.spec.nick} sees ${x.spec.nick} host cpu ${host}`);
        t.ok(hostMem > 0 && hostMem <= 100, `${i.spec.nick} sees ${x.spec.nick} host memory ${hostMem}`);
      }
    }
  });
});
