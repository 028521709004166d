/**
 * [rpcinterface:supvisors] options (spec §2.2): defaults, every option's good values, each bad
 * value's message and file:line, the synchro_options post-checks, globs and paths, the §2.6
 * example. Configs are real files read by the core's readConfig.
 */
import t from "tap";
import { join } from "node:path";
import { ConfigError, formatConfigError } from "../../src/supervisord/config/errors.js";
import { readConfig } from "../../src/supervisord/config/read.js";
import { findSupvisorsSection, SUPVISORS_FACTORY } from "../../src/supvisors/options/section.js";
import { internalKeyOf } from "../../src/supvisors/options/internal-key.js";
import { conf, fixture } from "./supvisors-fixture.js";

t.test("findSupvisorsSection: any [rpcinterface:x] with the Supvisors factory; none without", async (t) => {
  const f = fixture(t, conf("").replace("[rpcinterface:supvisors]", "[rpcinterface:cluster]"));
  const section = findSupvisorsSection(readConfig(f.file, { cwd: f.dir, hostname: "myhost" }));
  t.equal(section?.name, "cluster");
  t.equal(section?.factory, SUPVISORS_FACTORY);
  t.same(section?.where, { file: f.file, line: 7, section: "rpcinterface:cluster" });
  t.same(section?.locations["supervisor.rpcinterface_factory"], { file: f.file, line: 8, section: "rpcinterface:cluster", option: "supervisor.rpcinterface_factory" });

  const g = fixture(t, "[inet_http_server]\nport=:60000\n[supervisord]\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n");
  t.equal(findSupvisorsSection(readConfig(g.file, { cwd: g.dir, hostname: "myhost" })), null);
});

t.test("%(here)s and %(host_node_name)s are offered to the Supvisors section only", async (t) => {
  const f = fixture(t, conf("software_name = %(host_node_name)s in %(here)s"));
  t.equal((await f.read()).options.softwareName, `myhost in ${f.dir}`);
  const g = fixture(t, conf("", "[rpcinterface:other]\nsupervisor.rpcinterface_factory = x:y\nfoo = %(here)s\n"));
  t.throws(() => readConfig(g.file, { cwd: g.dir, hostname: "myhost" }), { code: "EXPAND", message: /contains names \('here'\) which cannot be expanded/ }, "as supervisord");
});

t.test("defaults: every field", async (t) => {
  const f = fixture(t, conf(""));
  const { options, warnings } = await f.read();
  t.same(options, {
    supvisorsList: [{ identifier: "myhost:60000", nick: "myhost:60000", hostId: "myhost", httpPort: 60000, internalPort: 60003, eventPort: 60001, ipAddress: "10.0.0.5" }],
    localIndex: 0,
    softwareName: "",
    softwareIcon: null,
    multicastGroup: null,
    multicastInterface: null,
    multicastTtl: 1,
    stereotypes: [],
    rulesFiles: [],
    cssFiles: [],
    autoFence: false,
    eventLink: "NONE",
    eventPort: null,
    // STRICT needs a list, CORE needs core_identifiers: both dropped silently from the default.
    synchroOptions: ["TIMEOUT"],
    synchroTimeout: 15,
    inactivityTicks: 2,
    coreIdentifiers: [],
    disabilitiesFile: null,
    startingStrategy: "CONFIG",
    conciliationStrategy: "USER",
    supvisorsFailureStrategy: "CONTINUE",
    statsEnabled: { host: true, process: true },
    statsCollectingPeriod: 5,
    statsPeriods: [10],
    statsHisto: 200,
    statsIrixMode: false,
    tailLimit: 1024,
    tailfLimit: 1024,
    logfile: null,
    logfileMaxbytes: 50 * 1024 * 1024,
    logfileBackups: 10,
    loglevel: "info",
    tickPeriod: 0.25,
    quorum: true,
    internalKey: null,
  });
  t.same(warnings, []);
});

// [option, text, field, expected]
const GOOD: [string, string, string, unknown][] = [
  ["software_name", "My System", "softwareName", "My System"],
  ["multicast_group", "239.0.0.1:7777", "multicastGroup", { address: "239.0.0.1", port: 7777 }],
  ["multicast_group", "224.0.0.1:1", "multicastGroup", { address: "224.0.0.1", port: 1 }],
  ["multicast_interface", "192.168.1.1", "multicastInterface", "192.168.1.1"],
  ["multicast_interface", "INADDR_ANY", "multicastInterface", null],
  ["multicast_interface", "any", "multicastInterface", null],
  ["multicast_ttl", "0", "multicastTtl", 0],
  ["multicast_ttl", "255", "multicastTtl", 255],
  ["stereotypes", "server, gpu,,server", "stereotypes", ["server", "gpu"]],
  ["auto_fence", "true", "autoFence", true],
  ["auto_fence", "off", "autoFence", false],
  ["event_link", "zmq", "eventLink", "ZMQ"],
  ["event_link", "WS", "eventLink", "WS"],
  ["event_port", "1", "eventPort", 1],
  ["event_port", "65535", "eventPort", 65535],
  ["synchro_timeout", "15", "synchroTimeout", 15],
  ["synchro_timeout", "1200", "synchroTimeout", 1200],
  ["inactivity_ticks", "2", "inactivityTicks", 2],
  ["inactivity_ticks", "720", "inactivityTicks", 720],
  ["core_identifiers", "a, b ,a", "coreIdentifiers", ["a", "b"]],
  ["starting_strategy", "less_loaded_node", "startingStrategy", "LESS_LOADED_NODE"],
  ["starting_strategy", "MOST_LOADED", "startingStrategy", "MOST_LOADED"],
  ["conciliation_strategy", "senicide", "conciliationStrategy", "SENICIDE"],
  ["conciliation_strategy", "RUNNING_FAILURE", "conciliationStrategy", "RUNNING_FAILURE"],
  ["stats_enabled", "OFF", "statsEnabled", { host: false, process: false }],
  ["stats_enabled", "host", "statsEnabled", { host: true, process: false }],
  ["stats_enabled", "HOST,PROCESS", "statsEnabled", { host: true, process: true }],
  ["stats_enabled", "PROCESS", "statsEnabled", { host: false, process: true }],
  ["stats_enabled", "ALL", "statsEnabled", { host: true, process: true }],
  ["stats_enabled", "false", "statsEnabled", { host: false, process: false }],
  ["stats_enabled", "true", "statsEnabled", { host: true, process: true }],
  ["stats_collecting_period", "1", "statsCollectingPeriod", 1],
  ["stats_collecting_period", "2.5", "statsCollectingPeriod", 2.5],
  ["stats_collecting_period", "3600", "statsCollectingPeriod", 3600],
  ["stats_periods", "600,5,60", "statsPeriods", [5, 60, 600]],
  ["stats_periods", "1.5", "statsPeriods", [1.5]],
  ["stats_histo", "10", "statsHisto", 10],
  ["stats_histo", "1500", "statsHisto", 1500],
  ["stats_irix_mode", "yes", "statsIrixMode", true],
  ["tail_limit", "2KB", "tailLimit", 2048],
  ["tail_limit", "0", "tailLimit", 0],
  ["tailf_limit", "1mb", "tailfLimit", 1024 * 1024],
  ["logfile", "auto", "logfile", null],
  ["logfile_maxbytes", "0", "logfileMaxbytes", 0],
  ["logfile_maxbytes", "1GB", "logfileMaxbytes", 1024 ** 3],
  ["logfile_backups", "0", "logfileBackups", 0],
  ["loglevel", "BLATHER", "loglevel", "blather"],
  ["loglevel", "warn", "loglevel", "warn"],
  ["tick_period", "0.05", "tickPeriod", 0.05],
  ["tick_period", "5", "tickPeriod", 5],
  ["tick_period", "1", "tickPeriod", 1],
  ["quorum", "false", "quorum", false],
  ["internal_key", "s3cr3t", "internalKey", "s3cr3t"],
];

t.test("good values", async (t) => {
  for (const [option, text, field, expected] of GOOD) {
    const f = fixture(t, conf(`${option} = ${text}`));
    const { options } = await f.read();
    t.same((options as unknown as Record<string, unknown>)[field], expected, `${option} = ${text}`);
  }
});

// [option, text, reason shown after the value]
const BAD: [string, string, string][] = [
  ["multicast_group", "239.0.0.0:7777", "expected a multicast address:port"],
  ["multicast_group", "192.168.1.1:7777", "expected a multicast address:port"],
  ["multicast_group", "239.0.0.1", "expected a multicast address:port"],
  ["multicast_group", "239.0.0.1:0", "expected a multicast address:port"],
  ["multicast_group", "239.0.0.1:65536", "expected a multicast address:port"],
  ["multicast_interface", "eth0", "expected a dotted IPv4 address, ANY or INADDR_ANY"],
  ["multicast_ttl", "256", "expected an integer from 0 to 255"],
  ["multicast_ttl", "-1", "expected an integer from 0 to 255"],
  ["auto_fence", "maybe", "expected a boolean"],
  ["event_link", "UDP", "expected one of NONE, ZMQ, WS"],
  ["event_port", "0", "expected an integer from 1 to 65535"],
  ["event_port", "65536", "expected an integer from 1 to 65535"],
  ["event_port", "http", "expected an integer from 1 to 65535"],
  ["internal_port", "70000", "expected an integer from 1 to 65535"],
  ["synchro_options", "STRICT,SOON", "'SOON' is not one of STRICT, LIST, TIMEOUT, CORE, USER"],
  ["synchro_timeout", "14", "expected an integer from 15 to 1200"],
  ["synchro_timeout", "1201", "expected an integer from 15 to 1200"],
  ["synchro_timeout", "20.5", "expected an integer from 15 to 1200"],
  ["inactivity_ticks", "1", "expected an integer from 2 to 720"],
  ["inactivity_ticks", "721", "expected an integer from 2 to 720"],
  ["starting_strategy", "RANDOM", "expected one of CONFIG, LESS_LOADED, MOST_LOADED, LOCAL, LESS_LOADED_NODE, MOST_LOADED_NODE"],
  ["conciliation_strategy", "KILL", "expected one of SENICIDE, INFANTICIDE, USER, STOP, RESTART, RUNNING_FAILURE"],
  ["supvisors_failure_strategy", "PANIC", "expected one of CONTINUE, RESYNC, SHUTDOWN"],
  ["stats_enabled", "CPU", "expected OFF, HOST, PROCESS, ALL (or a list of them), or a boolean"],
  ["stats_collecting_period", "0.5", "expected a number from 1 to 3600"],
  ["stats_collecting_period", "3601", "expected a number from 1 to 3600"],
  ["stats_collecting_period", "nan", "expected a number from 1 to 3600"],
  ["stats_periods", "5,10,20,40", "expected 1 to 3 periods"],
  ["stats_periods", "5,0.5", "period '0.5' is not a number of seconds from 1 to 3600"],
  ["stats_periods", "5,x", "period 'x' is not a number of seconds from 1 to 3600"],
  ["stats_histo", "9", "expected an integer from 10 to 1500"],
  ["stats_histo", "1501", "expected an integer from 10 to 1500"],
  ["stats_irix_mode", "2", "expected a boolean"],
  ["tail_limit", "1XB", "expected a byte size such as 1024, 64KB, 50MB or 1GB"],
  ["tailf_limit", "-1", "expected a byte size such as 1024, 64KB, 50MB or 1GB"],
  ["logfile", "/no/such/dir/supvisors.log", "The directory named as part of the path /no/such/dir/supvisors.log does not exist"],
  ["logfile_maxbytes", "big", "expected a byte size"],
  ["logfile_backups", "-1", "expected an integer from 0 to 1000000"],
  ["loglevel", "verbose", "expected one of critical, error, warn, info, debug, trace, blather"],
  ["tick_period", "0.01", "expected a number from 0.05 to 5"],
  ["tick_period", "10", "expected a number from 0.05 to 5"],
  ["quorum", "majority", "expected a boolean"],
  ["internal_key", " ", "expected a non-empty value"],
];

t.test("bad values stop start-up: message names section, option and value; located at file:line", async (t) => {
  for (const [option, text, reason] of BAD) {
    // a harmless option first, so the bad one is on line 10, not the section's first line
    const f = fixture(t, conf(`software_name = x\n${option} = ${text}`));
    const err = await f.read().then(
      () => null,
      (e: unknown) => e,
    );
    if (!(err instanceof ConfigError)) {
      t.fail(`${option} = ${text}: expected a ConfigError, got ${String(err)}`);
      continue;
    }
    const shown = text.trim();
    t.ok(err.message.startsWith(`invalid value '${shown}' for ${option} in section [rpcinterface:supvisors]: ${reason}`), `${option} = ${text}: ${err.message}`);
    t.same([err.file, err.line, err.section, err.option], [f.file, 10, "rpcinterface:supvisors", option], `${option} location`);
  }
});

t.test("the error as the CLI prints it", async (t) => {
  const f = fixture(t, conf("synchro_timeout = 5"));
  const err = await f.read().catch((e: unknown) => e);
  t.type(err, ConfigError);
  t.equal(
    formatConfigError(err as ConfigError, "supervisord"),
    `Error: invalid value '5' for synchro_timeout in section [rpcinterface:supvisors]: expected an integer from 15 to 1200\n` +
      `(at ${f.file}:9, section [rpcinterface:supvisors], option 'synchro_timeout')\n` +
      `For help, use supervisord -h\n`,
  );
});

t.test("an option in an included file is located in that file", async (t) => {
  const f = fixture(
    t,
    "[inet_http_server]\nport=:60000\n[supervisord]\n[include]\nfiles = conf.d/*.ini\n",
  );
  const inc = f.write("conf.d/supvisors.ini", "[rpcinterface:supvisors]\nsupervisor.rpcinterface_factory = supvisors.plugin:make_supvisors_rpcinterface\n\nevent_link = carrier-pigeon\n");
  const err = await f.read().catch((e: unknown) => e);
  t.type(err, ConfigError);
  t.same([(err as ConfigError).file, (err as ConfigError).line, (err as ConfigError).option], [inc, 4, "event_link"]);
});

t.test("no [inet_http_server]: Supvisors cannot identify this instance", async (t) => {
  const f = fixture(t, "[unix_http_server]\nfile=%(here)s/s.sock\n[supervisord]\n[rpcinterface:supvisors]\nsupervisor.rpcinterface_factory = supvisors.plugin:make_supvisors_rpcinterface\n");
  const err = await f.read().catch((e: unknown) => e);
  t.type(err, ConfigError);
  t.match((err as ConfigError).message, /^Supvisors requires an \[inet_http_server\] section/);
  t.same([(err as ConfigError).code, (err as ConfigError).file, (err as ConfigError).line, (err as ConfigError).option], ["MISSING", f.file, 4, undefined]);
});

t.test("synchro_options post-checks", async (t) => {
  const list = "supvisors_list = myhost,nodeA";
  const read = async (opts: string) => fixture(t, conf(opts)).read();

  let r = await read(list);
  t.same(r.options.synchroOptions, ["STRICT", "TIMEOUT"], "default without core_identifiers: CORE dropped");
  r = await read(`${list}\ncore_identifiers = nodeA`);
  t.same(r.options.synchroOptions, ["STRICT", "TIMEOUT", "CORE"], "default with core_identifiers");

  r = await read(`${list}\nsynchro_options = core, list`);
  t.same(r.options.synchroOptions, ["LIST"]);
  t.match(r.warnings, [/synchro_options CORE .* ignored: core_identifiers is empty/]);

  r = await read("synchro_options = STRICT, USER");
  t.same(r.options.synchroOptions, ["USER"], "STRICT dropped with an empty supvisors_list");
  t.match(r.warnings, [/synchro_options STRICT .* ignored: supvisors_list is empty/]);

  const f = fixture(t, conf("synchro_options = STRICT,CORE"));
  const err = await f.read().catch((e: unknown) => e);
  t.type(err, ConfigError);
  t.match((err as ConfigError).message, /^invalid value 'STRICT,CORE' for synchro_options in section \[rpcinterface:supvisors\]: no synchronization condition is left/);
  t.same([(err as ConfigError).file, (err as ConfigError).line], [f.file, 9]);

  const g = fixture(t, conf("synchro_options ="));
  t.match(((await g.read().catch((e: unknown) => e)) as Error).message, /for synchro_options .* no synchronization condition is left/);

  r = await read(`${list}\nsynchro_options = STRICT,TIMEOUT\nsupvisors_failure_strategy = shutdown`);
  t.equal(r.options.supvisorsFailureStrategy, "CONTINUE", "TIMEOUT forces CONTINUE");
  t.match(r.warnings, [/supvisors_failure_strategy SHUTDOWN .* replaced by CONTINUE: synchro_options contains TIMEOUT/]);
  r = await read(`${list}\nsynchro_options = STRICT\nsupvisors_failure_strategy = resync`);
  t.equal(r.options.supvisorsFailureStrategy, "RESYNC", "kept without TIMEOUT");
});

t.test("globs: %(here)s, %(host_node_name)s, %(ENV_X)s, relative to cwd, sorted, directories left out", async (t) => {
  const f = fixture(
    t,
    conf(
      [
        "rules_files = %(here)s/etc/rules-b.xml ./etc/rules-a*.xml %(ENV_SUPV_DIR)s/%(host_node_name)s/*.xml",
        "css_files = css/*.css",
        "software_icon = img/*.png",
      ].join("\n"),
    ),
  );
  const b = f.write("etc/rules-b.xml", "<root/>");
  const a1 = f.write("etc/rules-a1.xml", "<root/>");
  const a2 = f.write("etc/rules-a2.xml", "<root/>");
  f.write("etc/rules-a.xml.d/ignored", "");
  const h = f.write("myhost/h.xml", "<root/>");
  const css = f.write("css/site.css", "");
  const icon1 = f.write("img/a.png", "");
  f.write("img/b.png", "");
  const { options, warnings } = await f.read();
  t.same(options.rulesFiles, [a1, a2, b, h]);
  t.same(options.cssFiles, [css]);
  t.equal(options.softwareIcon, icon1);
  t.match(warnings, [/software_icon 'img\/\*\.png' .* matches 2 files: .*a\.png is used/]);

  const g = fixture(t, conf("rules_files = nothing/*.xml\ncss_files = none.css\nsoftware_icon = none.png"));
  const r = await g.read();
  t.same([r.options.rulesFiles, r.options.cssFiles, r.options.softwareIcon], [[], [], null]);
  t.match(r.warnings, [/software_icon 'none.png' .* matches no file: no icon/, /rules_files 'nothing\/\*\.xml' .* matches no file: no rules/, /css_files 'none.css' .* matches no file/]);
});

t.test("paths: ~ in disabilities_file, logfile made absolute", async (t) => {
  const f = fixture(t, conf("disabilities_file = ~/.supvisors/disabilities.json\nlogfile = ./supvisors.log"));
  const { options } = await f.read();
  t.equal(options.disabilitiesFile, join(f.dir, "home", ".supvisors/disabilities.json"));
  t.equal(options.logfile, join(f.dir, "supvisors.log"));
  const g = fixture(t, conf("disabilities_file = state/d.json"));
  t.equal((await g.read()).options.disabilitiesFile, join(g.dir, "state/d.json"));
});

t.test("internal key: internal_key, else derived from the HTTP credentials, else none", async (t) => {
  const withAuth = (opts: string) => conf(opts).replace("port=:60000", "port=:60000\nusername=alice\npassword=secret");
  const derived = (await fixture(t, withAuth("")).read()).options.internalKey;
  t.match(derived, /^[0-9a-f]{64}$/);
  t.equal(derived, internalKeyOf(null, { username: "alice", password: "secret" }), "the same credentials give the same key on every instance");
  t.not(derived, internalKeyOf(null, { username: "alice", password: "other" }));
  t.not(derived, internalKeyOf(null, { username: "bob", password: "secret" }));
  t.equal((await fixture(t, withAuth("internal_key = k")).read()).options.internalKey, "k");
  t.equal((await fixture(t, conf("")).read()).options.internalKey, null);
});

t.test("unknown and obsolete options get a warning", async (t) => {
  const { warnings } = await fixture(t, conf("rules_file = r.xml\nforce_synchro_if = a\ntick_periods = 1")).read();
  t.same(warnings, [
    "unknown option rules_file in section [rpcinterface:supvisors] ignored (removed in Supvisors 0.12: use rules_files)",
    "unknown option force_synchro_if in section [rpcinterface:supvisors] ignored (renamed core_identifiers in Supvisors 0.11)",
    "unknown option tick_periods in section [rpcinterface:supvisors] ignored",
  ]);
});

t.test("the spec's §2.6 example configuration", async (t) => {
  const f = fixture(
    t,
    `[inet_http_server]
port=:60000

[supervisord]
logfile=./log/supervisord.log

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[include]
files = common/*/*.ini %(host_node_name)s/*.ini

[rpcinterface:supvisors]
supervisor.rpcinterface_factory = supvisors.plugin:make_supvisors_rpcinterface
software_name = My System
supvisors_list = nodeA,<consoleB>192.168.1.49,nodeC:60000,nodeD
rules_files = ./etc/rules*.xml
stereotypes = server
synchro_options = STRICT,TIMEOUT,CORE
synchro_timeout = 30
inactivity_ticks = 3
core_identifiers = nodeA,consoleB
starting_strategy = LESS_LOADED
conciliation_strategy = USER
event_link = ZMQ
event_port = 60002
stats_periods = 5,60,600
stats_histo = 100
disabilities_file = ~/.supvisors/disabilities.json
loglevel = info

[ctlplugin:supvisors]
supervisor.ctl_factory = supvisors.supvisorsctl:make_supvisors_controller_plugin
`,
    "nodeA",
  );
  f.write("log/.keep", "");
  f.write("common/apps/web.ini", "[program:web]\ncommand=/bin/cat\n");
  f.write("nodeA/local.ini", "[program:local]\ncommand=/bin/cat\n");
  const rules = f.write("etc/rules.xml", "<root/>");
  const { options, warnings } = await f.read({
    localHost: async () => ({ addresses: ["127.0.0.1", "10.0.0.1"], names: ["localhost", "nodeA"] }),
  });
  t.same(warnings, []);
  t.same(
    options.supvisorsList.map((i) => [i.identifier, i.nick, i.hostId, i.httpPort, i.eventPort, i.internalPort, i.ipAddress]),
    [
      ["nodeA:60000", "nodeA", "nodeA", 60000, 60002, 60003, "10.0.0.1"],
      ["192.168.1.49:60000", "consoleB", "192.168.1.49", 60000, 60002, 60003, "192.168.1.49"],
      ["nodeC:60000", "nodeC:60000", "nodeC", 60000, 60002, 60003, "10.0.0.3"],
      ["nodeD:60000", "nodeD", "nodeD", 60000, 60002, 60003, "10.0.0.4"],
    ],
  );
  t.equal(options.localIndex, 0);
  t.match(options, {
    softwareName: "My System",
    rulesFiles: [rules],
    stereotypes: ["server"],
    synchroOptions: ["STRICT", "TIMEOUT", "CORE"],
    synchroTimeout: 30,
    inactivityTicks: 3,
    coreIdentifiers: ["nodeA", "consoleB"],
    startingStrategy: "LESS_LOADED",
    conciliationStrategy: "USER",
    eventLink: "ZMQ",
    eventPort: 60002,
    statsPeriods: [5, 60, 600],
    statsHisto: 100,
    disabilitiesFile: join(f.dir, "home", ".supvisors/disabilities.json"),
    loglevel: "info",
  });
});
