/**
 * The dashboard's URL parameters (spec §11.2): defaults, validation with a footer error and the
 * default instead, and the links that carry them (sorted, empty dropped, quoted).
 */
import t from "tap";
import { ViewContext, type ViewEnv } from "../../src/web/dashboard/view-context.js";
import { hostOfHeader, instanceOrigin, sameNetworkAddress } from "../../src/web/dashboard/links.js";
import type { NetworkDescription } from "../../src/supvisors/types.js";

const env: ViewEnv = {
  localIdentifier: "10.0.0.1:9001",
  resolveInstance: (n) => ({ "10.0.0.1:9001": "10.0.0.1:9001", a0: "10.0.0.1:9001", a1: "10.0.0.2:9001" } as Record<string, string>)[n] ?? null,
  hasApplication: (n) => n === "web" || n === "db & co",
  periods: [5, 15, 60],
  defaultStrategy: "CONFIG",
};

const view = (q: Record<string, string>, page = "index.html") => new ViewContext(page, new Map(Object.entries(q)), env);

t.test("defaults", async (t) => {
  const v = view({});
  t.equal(v.identifier, "10.0.0.1:9001");
  t.equal(v.period, 5);
  t.equal(v.strategy, "CONFIG");
  t.equal(v.auto, false);
  t.equal(v.action, null);
  t.equal(v.gravity, "info");
  t.same(v.errors, []);
  t.equal(v.url("index.html"), "index.html");
});

t.test("valid values are kept and carried in sorted order", async (t) => {
  const v = view({ ident: "a1", period: "15", strategy: "less_loaded", auto: "True", appname: "web", ashex: "0F", action: "start", namespec: "web:x", message: "hi", gravity: "warn" });
  t.same(v.errors, []);
  t.equal(v.identifier, "10.0.0.2:9001", "a nick names its instance");
  t.equal(v.period, 15);
  t.equal(v.strategy, "LESS_LOADED");
  t.equal(v.auto, true);
  t.equal(v.action, "start");
  t.equal(v.namespec, "web:x");
  t.equal(v.message, "hi");
  t.equal(v.gravity, "warn");
  // action, namespec, message, gravity are one-shot: links do not carry them.
  t.equal(v.url("application.html"), "application.html?appname=web&ashex=0f&auto=true&ident=10.0.0.2%3A9001&period=15&strategy=LESS_LOADED");
});

t.test("changes: set, remove (null/false/empty) and one-shot parameters", async (t) => {
  const v = view({ appname: "db & co", auto: "true" });
  t.equal(v.url("x.html", { auto: false }), "x.html?appname=db%20%26%20co");
  t.equal(v.url("x.html", { appname: null, action: "stopapp", namespec: "a:b" }), "x.html?action=stopapp&auto=true&namespec=a%3Ab");
  t.equal(v.query({}, ["appname"]), "?auto=true");
});

t.test("bad values give the footer error and the default, never a throw", async (t) => {
  const v = view({ ident: "nosuch", period: "7", strategy: "BAD", auto: "maybe", appname: "nosuch", cpuid: "x", diskstats: "net", ashex: "xyz", pshex: "123", gravity: "loud" });
  t.equal(v.identifier, "10.0.0.1:9001");
  t.equal(v.period, 5);
  t.equal(v.strategy, "CONFIG");
  t.equal(v.auto, false);
  t.equal(v.get("appname"), null);
  t.equal(v.get("cpuid"), null);
  t.equal(v.get("diskstats"), null);
  t.equal(v.get("ashex"), null);
  t.equal(v.get("pshex"), null, "an odd number of hex digits is not a byte string");
  t.equal(v.gravity, "info");
  t.same(v.errors, [
    "Incorrect gravity: loud",
    "Incorrect ident: nosuch",
    "Unknown application: nosuch",
    "Incorrect period: 7",
    "Incorrect strategy: BAD",
    "Incorrect auto: maybe",
    "Incorrect cpuid: x",
    "Incorrect diskstats: net",
    "Incorrect ashex: xyz",
    "Incorrect pshex: 123",
  ]);
  t.equal(v.url("index.html"), "index.html", "nothing wrong is carried");
});

t.test("a page rejects what only it can check", async (t) => {
  const v = view({ processname: "web:x", nic: "eth9" });
  v.reject("nic");
  t.equal(v.get("nic"), null);
  t.equal(v.processname, "web:x");
  v.reject("processname", "Process not running here");
  t.same(v.errors, ["Incorrect nic: eth9", "Process not running here: web:x"]);
  v.reject("device");
  t.equal(v.errors.length, 2, "rejecting an absent parameter says nothing");
});

const net = (nics: Record<string, [string, string]>): NetworkDescription => ({
  machine_id: "m",
  fqdn: "f",
  addresses: Object.fromEntries(
    Object.entries(nics).map(([name, [ip, mask]]) => [name, { host_name: ip, aliases: [], ipv4_addresses: [ip], nic_info: { nic_name: name, ipv4_address: ip, netmask: mask } }]),
  ),
});

t.test("links to a peer stay on the browser's network", async (t) => {
  const local = net({ eth0: ["192.168.1.10", "255.255.255.0"], eth1: ["10.8.0.10", "255.255.0.0"] });
  const peer = net({ eth0: ["192.168.1.20", "255.255.255.0"], eth1: ["10.8.3.20", "255.255.0.0"] });
  t.equal(sameNetworkAddress("10.8.0.10", local, peer), "10.8.3.20");
  t.equal(sameNetworkAddress("192.168.1.10", local, peer), "192.168.1.20");
  t.equal(sameNetworkAddress("172.16.0.1", local, peer), null, "a network we are not on");
  t.equal(sameNetworkAddress("myhost", local, peer), null, "a name, not an address");
  t.equal(sameNetworkAddress("10.8.0.10", local, null), null, "no handshake yet");
  const target = { identifier: "p:9001", nick: "p", hostId: "peer.example", httpPort: 9101 };
  const network = (id: string) => (id === "l:9001" ? local : peer);
  t.equal(instanceOrigin(target, "l:9001", "10.8.0.10", network), "http://10.8.3.20:9101");
  t.equal(instanceOrigin(target, "l:9001", "localhost", network), "http://peer.example:9101", "else the configured host");
  t.equal(instanceOrigin({ ...target, hostId: "::1" }, "l:9001", "x", () => null), "http://[::1]:9101");
  t.equal(instanceOrigin(target, "p:9001", "x", network), "", "ourselves: a relative link");
  t.equal(hostOfHeader("10.0.0.1:9001"), "10.0.0.1");
  t.equal(hostOfHeader("[::1]:9001"), "[::1]");
  t.equal(hostOfHeader("host"), "host");
  t.equal(hostOfHeader(undefined), "");
});
