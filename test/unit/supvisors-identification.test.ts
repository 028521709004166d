/**
 * supvisors_list identification (spec §2.3): item syntaxes, nick rules, local port default,
 * duplicates, the lone instance, host resolution, local-instance detection; network-info's
 * machine id, local names and network description on fake and on real machine data.
 */
import t from "tap";
import { hostname } from "node:os";
import { ConfigError } from "../../src/supervisord/config/errors.js";
import {
  checkPortCollisions,
  IdentificationError,
  identifyInstances,
  nickOf,
  parseListItem,
  type IdentifyInput,
} from "../../src/supvisors/cluster/identification.js";
import { localHost, localNetworkDescription, machineId, systemResolver, type MachineSource } from "../../src/supvisors/cluster/network-info.js";
import { conf, fakeResolver, fixture, LOCAL } from "./supvisors-fixture.js";

t.test("item syntaxes", async (t) => {
  t.match(parseListItem("nodeA"), { syntax: "0.18", nick: null, host: "nodeA", httpPort: null, internalPort: null });
  t.match(parseListItem("nodeC:60000"), { syntax: "0.18", nick: null, host: "nodeC", httpPort: 60000 });
  t.match(parseListItem("<consoleB>192.168.1.49"), { nick: "consoleB", host: "192.168.1.49", httpPort: null });
  t.match(parseListItem("<a-b:c.d>my-host.example.com:8888"), { syntax: "0.18", nick: "a-b:c.d", host: "my-host.example.com", httpPort: 8888 });
  // 0.11-0.17
  t.match(parseListItem("cliche83:60000:60001"), { syntax: "0.11", host: "cliche83", httpPort: 60000, internalPort: 60001 });
  t.match(parseListItem("10.0.0.1:8888:"), { syntax: "0.11", host: "10.0.0.1", httpPort: 8888, internalPort: null });
  t.match(parseListItem("<old>host::7001"), { syntax: "0.11", nick: "old", host: "host", httpPort: null, internalPort: 7001 });
  for (const bad of ["host:123", "host:123456", "<a b>host", "ho st", "", "host:1234:5678:9999", "<a:b>host:6000:6001", "host:"]) {
    t.throws(() => parseListItem(bad), { code: "BAD_ITEM", message: /matches neither/ }, `'${bad}'`);
  }
  t.throws(() => parseListItem("host:99999"), { code: "BAD_ITEM", message: "HTTP port 99999 of supvisors_list item 'host:99999' is not in 1-65535" });
  t.throws(() => parseListItem("host:0000"), { code: "BAD_ITEM", message: /HTTP port 0000 .* not in 1-65535/ });
});

t.test("nick rules", async (t) => {
  t.equal(nickOf(parseListItem("<web>nodeA:60000"), "nodeA:60000"), "web", "the <...> prefix");
  t.equal(nickOf(parseListItem("nodeA"), "nodeA:60000"), "nodeA", "no prefix, no port: the host");
  t.equal(nickOf(parseListItem("nodeA:60000"), "nodeA:60000"), "nodeA:60000", "no prefix, port written: the identifier");
  t.equal(nickOf(parseListItem("<supervisor>nodeA"), "nodeA:60000"), "nodeA", "Supervisor's default identifier is no nick");
  t.equal(nickOf(parseListItem("<supervisor>nodeA:60001"), "nodeA:60001"), "nodeA:60001");
});

function input(items: string[], more: Partial<IdentifyInput> = {}): IdentifyInput {
  return {
    items,
    localHttpPort: 60000,
    supervisorIdentifier: "supervisor",
    hostNodeName: "myhost",
    internalPort: null,
    eventPort: null,
    resolveHost: fakeResolver,
    localHost: async () => LOCAL,
    ...more,
  };
}

async function rejection(p: Promise<unknown>): Promise<IdentificationError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(e instanceof IdentificationError)) throw new Error(`expected an IdentificationError, got ${String(e)}`);
  return e;
}

t.test("identities: local port default, explicit ports, options, duplicates dropped (first kept)", async (t) => {
  const hosts = async (h: string) => (h === "cliche" ? "10.0.0.9" : fakeResolver(h));
  const r = await identifyInstances(input(["myhost", "nodeA:60010", "<b>nodeB", "cliche:61000:61500", "myhost:60000", "nodeA:60010"], { resolveHost: hosts }));
  t.same(
    r.instances.map((i) => [i.identifier, i.nick, i.hostId, i.httpPort, i.internalPort, i.eventPort, i.ipAddress]),
    [
      ["myhost:60000", "myhost", "myhost", 60000, 60003, 60001, "10.0.0.5"],
      ["nodeA:60010", "nodeA:60010", "nodeA", 60010, 60013, 60011, "10.0.0.1"],
      ["nodeB:60000", "b", "nodeB", 60000, 60003, 60001, "10.0.0.2"],
      ["cliche:61000", "cliche:61000", "cliche", 61000, 61500, 61001, "10.0.0.9"],
    ],
  );
  t.equal(r.localIndex, 0);
  t.same(r.warnings, [
    "supvisors_list item 'myhost:60000' repeats instance myhost:60000: ignored",
    "supvisors_list item 'nodeA:60010' repeats instance nodeA:60010: ignored",
  ]);

  const o = await identifyInstances(input(["myhost", "nodeA:7000:"], { internalPort: 9000, eventPort: 9100 }));
  t.same(o.instances.map((i) => [i.internalPort, i.eventPort]), [[9000, 9100], [9000, 9100]], "internal_port and event_port options apply to every instance");

  const e = await rejection(identifyInstances(input(["myhost:65534"], { localHttpPort: 65534 })));
  t.equal(e.code, "BAD_ITEM");
  t.equal(e.message, "internal port 65537 of supvisors_list item 'myhost:65534' (derived from HTTP port 65534) is above 65535");
});

t.test("duplicate nicks are an error", async (t) => {
  const e = await rejection(identifyInstances(input(["<x>myhost", "<x>nodeA"])));
  t.same([e.code, e.message], ["DUPLICATE_NICK", "nick 'x' is given to both myhost:60000 and nodeA:60000 in supvisors_list"]);
});

t.test("empty list: the local instance alone, <identifier>hostname:port", async (t) => {
  let r = await identifyInstances(input([]));
  t.same(r.instances, [{ identifier: "myhost:60000", nick: "myhost:60000", hostId: "myhost", httpPort: 60000, internalPort: 60003, eventPort: 60001, ipAddress: "10.0.0.5" }]);
  t.equal(r.localIndex, 0);
  r = await identifyInstances(input([], { supervisorIdentifier: "web1" }));
  t.equal(r.instances[0]!.nick, "web1", "[supervisord] identifier= is the nick");
  t.equal(r.instances[0]!.identifier, "myhost:60000");
  r = await identifyInstances(input([], { hostNodeName: "nowhere" }));
  t.equal(r.instances[0]!.ipAddress, "127.0.0.1");
  t.match(r.warnings, [/host name 'nowhere' does not resolve/]);
  let asked = false;
  await identifyInstances(input([], { localHost: async () => ((asked = true), LOCAL) }));
  t.notOk(asked, "no local address look-up for an empty list");
});

t.test("unresolvable host: a clear error, also when the resolver throws", async (t) => {
  let e = await rejection(identifyInstances(input(["myhost", "ghost:60010"])));
  t.same([e.code, e.message], ["UNRESOLVED", "could not define a Supvisors identification: host 'ghost' of supvisors_list item 'ghost:60010' does not resolve to an IPv4 address"]);
  e = await rejection(
    identifyInstances(
      input(["myhost"], {
        resolveHost: async () => {
          throw new Error("ENOTFOUND");
        },
      }),
    ),
  );
  t.equal(e.code, "UNRESOLVED");
});

t.test("local instance detection", async (t) => {
  const local = async (items: string[], more: Partial<IdentifyInput> = {}) => (await identifyInstances(input(items, more))).localIndex;
  t.equal(await local(["nodeA", "127.0.0.1:60000"]), 1, "loopback address");
  t.equal(await local(["nodeA", "localhost"]), 1, "localhost");
  t.equal(await local(["nodeA", "10.0.0.5:60000"]), 1, "an interface address");
  t.equal(await local(["nodeA", "MyHost"]), 1, "the host name, case-insensitive");
  t.equal(await local(["nodeA", "myhost.example.com"]), 1, "the FQDN");
  t.equal(await local(["nodeA", "debianname"]), 1, "a name resolving into 127/8 (Debian's 127.0.1.1)");
  t.equal(
    await local(["nodeA:60000", "alias:60000"], { resolveHost: async (h) => (h === "alias" ? "10.0.0.5" : fakeResolver(h)) }),
    1,
    "a name resolving to an interface address",
  );
  t.equal(await local(["127.0.0.1:60000", "127.0.0.1:60010", "127.0.0.1:60020"], { localHttpPort: 60010 }), 1, "several instances on loopback: the port decides");

  let e = await rejection(identifyInstances(input(["nodeA", "myhost:60010"])));
  t.equal(e.code, "NO_LOCAL", "port mismatch");
  t.match(e.message, /^could not find the local Supvisors instance in supvisors_list: no item names this host \(localhost, myhost, myhost.example.com, 127.0.0.1, 10.0.0.5\) with the local HTTP port 60000$/);
  e = await rejection(identifyInstances(input(["nodeA", "nodeB"])));
  t.equal(e.code, "NO_LOCAL", "no local host");
  e = await rejection(identifyInstances(input(["myhost", "127.0.0.1:60000", "nodeA"])));
  t.same([e.code, e.message], ["MULTIPLE_LOCAL", "multiple candidates for the local Supvisors instance in supvisors_list: myhost:60000, 127.0.0.1:60000 all designate this host with the local HTTP port 60000"]);

  const r = await identifyInstances(input(["<web>myhost", "nodeA"], { supervisorIdentifier: "other" }));
  t.equal(r.instances[0]!.nick, "web", "the list's nick wins");
  t.same(r.warnings, ["[supervisord] identifier 'other' differs from the local nick 'web' in supvisors_list: the nick is used"]);
});

t.test("port collisions between instances on one address", async (t) => {
  const { instances } = await identifyInstances(input(["127.0.0.1:60000", "127.0.0.1:60003", "127.0.0.1:60010"]));
  t.throws(() => checkPortCollisions(instances, false), {
    code: "PORT_COLLISION",
    message: /^port 60003 on 127.0.0.1 is both the internal port of 127.0.0.1:60000 and the HTTP port of 127.0.0.1:60003/,
  });
  const spaced = await identifyInstances(input(["127.0.0.1:60000", "127.0.0.1:60010", "<remote>nodeA:60000"]));
  t.doesNotThrow(() => checkPortCollisions(spaced.instances, true));
  const sameEvent = await identifyInstances(input(["127.0.0.1:60000", "127.0.0.1:60010"], { eventPort: 7000 }));
  t.doesNotThrow(() => checkPortCollisions(sameEvent.instances, false), "event ports unused without event_link");
  t.throws(() => checkPortCollisions(sameEvent.instances, true), { message: /port 7000 on 127.0.0.1 is both the event port of 127.0.0.1:60000 and the event port of 127.0.0.1:60010/ });
});

t.test("through the options reader: located at supvisors_list", async (t) => {
  const f = fixture(t, conf("software_name = x\nsupvisors_list = nodeA, ghost"));
  const err = await f.read().catch((e: unknown) => e);
  t.type(err, ConfigError);
  const ce = err as ConfigError;
  t.equal(ce.message, "could not define a Supvisors identification: host 'ghost' of supvisors_list item 'ghost' does not resolve to an IPv4 address (section [rpcinterface:supvisors], supvisors_list 'nodeA, ghost')");
  t.same([ce.file, ce.line, ce.section, ce.option], [f.file, 10, "rpcinterface:supvisors", "supvisors_list"]);

  const g = fixture(t, conf("supvisors_list = nodeA,nodeB"));
  t.match(((await g.read().catch((e: unknown) => e)) as Error).message, /^could not find the local Supvisors instance/);
  const h = fixture(t, conf("supvisors_list = 127.0.0.1:60000,127.0.0.1:60001\nevent_link = ZMQ"));
  t.match(((await h.read().catch((e: unknown) => e)) as Error).message, /^port 60001 on 127.0.0.1 is both the event port of 127.0.0.1:60000 and the HTTP port of 127.0.0.1:60001/);
  const ok = await fixture(t, conf("supvisors_list = nodeA:60000:61000,<me>127.0.0.1")).read();
  t.same(ok.options.supvisorsList.map((i) => [i.nick, i.internalPort]), [["nodeA:60000", 61000], ["me", 60003]]);
  t.equal(ok.options.localIndex, 1);
});

function fakeMachine(o: Partial<MachineSource> & { files?: Record<string, string> } = {}): MachineSource {
  return {
    readFile: (p) => {
      const text = o.files?.[p];
      if (text === undefined) throw new Error("ENOENT");
      return text;
    },
    interfaces: () => ({
      lo: [{ address: "127.0.0.1", netmask: "255.0.0.0", family: "IPv4", mac: "00:00:00:00:00:00", internal: true, cidr: "127.0.0.1/8" }],
      eth0: [
        { address: "10.0.0.5", netmask: "255.255.255.0", family: "IPv4", mac: "52:54:00:AB:CD:EF", internal: false, cidr: "10.0.0.5/24" },
        { address: "fe80::1", netmask: "ffff:ffff:ffff:ffff::", family: "IPv6", mac: "52:54:00:AB:CD:EF", internal: false, cidr: "fe80::1/64", scopeid: 2 },
      ],
    }),
    hostname: () => "myhost",
    reverse: async (ip) => ({ "10.0.0.5": "myhost.example.com", "127.0.0.1": "localhost" })[ip] ?? null,
    addressesOf: async (name) => ({ myhost: ["10.0.0.5"], "myhost.example.com": ["10.0.0.5"], localhost: ["127.0.0.1"] })[name] ?? [],
    ...o,
  };
}

t.test("machine id: /etc/machine-id, else the first non-internal MAC, else the host name", async (t) => {
  t.equal(machineId(fakeMachine({ files: { "/etc/machine-id": "0123456789ABCDEF0123456789abcdef\n" } })), "0123456789abcdef0123456789abcdef");
  t.equal(machineId(fakeMachine({ files: { "/var/lib/dbus/machine-id": "fedcba9876543210fedcba9876543210" } })), "fedcba9876543210fedcba9876543210");
  t.equal(machineId(fakeMachine({ files: { "/etc/machine-id": "\n" } })), "52:54:00:ab:cd:ef", "an empty machine-id file is skipped");
  t.equal(machineId(fakeMachine({ interfaces: () => ({}) })), "myhost");
  const real = machineId();
  t.ok(real.length > 0, "this machine has one");
  t.equal(machineId(), real, "stable");
});

t.test("local host and network description", async (t) => {
  const l = await localHost("myhost", fakeMachine());
  t.same(l.addresses, ["127.0.0.1", "10.0.0.5"], "IPv4 only, loopback included");
  t.same(l.names, ["localhost", "myhost", "myhost.example.com"]);
  const d = await localNetworkDescription(fakeMachine({ files: { "/etc/machine-id": "0123456789abcdef0123456789abcdef" } }));
  t.same(d, {
    machine_id: "0123456789abcdef0123456789abcdef",
    fqdn: "myhost.example.com",
    addresses: {
      eth0: { host_name: "myhost.example.com", aliases: [], ipv4_addresses: ["10.0.0.5"], nic_info: { nic_name: "eth0", ipv4_address: "10.0.0.5", netmask: "255.255.255.0" } },
    },
  });
  const noDns = await localNetworkDescription(fakeMachine({ reverse: async () => null, addressesOf: async () => [] }));
  t.equal(noDns.fqdn, "myhost");
  t.same(noDns.addresses.eth0?.host_name, "10.0.0.5", "no reverse name: the address");
});

t.test("this machine", async (t) => {
  const l = await localHost(hostname());
  t.ok(l.addresses.includes("127.0.0.1"), "loopback is a local address");
  t.ok(l.names.includes(hostname()) && l.names.includes("localhost"));
  const resolve = systemResolver();
  t.equal(await resolve("127.0.0.1"), "127.0.0.1");
  t.equal(await resolve("localhost"), "127.0.0.1");
  t.equal(await resolve("no-such-host.invalid"), null);
  const d = await localNetworkDescription();
  t.notOk(Object.values(d.addresses).some((a) => a.nic_info.ipv4_address.startsWith("127.")), "loopback excluded");
});
