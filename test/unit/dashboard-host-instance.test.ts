/**
 * The host section of the Supervisor page (host_instance.html, spec §11.7) rendered from a fake
 * DashboardPort: node characteristics, the CPU / Memory / Network / Disk cards and their rows,
 * the selections (cpuid, nic, device, partition, diskstats) with their rejection, the plotted
 * series, the header's view switch, escaping.
 */
import t from "tap";
import type { HostHistory } from "../../src/supvisors/stats/types.js";
import { HOST_INSTANCE_PAGE, memoryText, nodeCharacteristics } from "../../src/web/dashboard/pages/host-instance-page.js";
import { FakeDashboardPort, renderPage } from "../helpers/dashboard-fake-port.js";

const PAGE = HOST_INSTANCE_PAGE;

const decode = (s: string) => s.replaceAll("&amp;", "&").replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&quot;", '"').replaceAll("&#39;", "'");
const footer = (page: string) => decode(page.slice(page.indexOf('<footer id="footer"'), page.indexOf("</footer>")).replace(/<[^>]+>/g, " "));
const header = (page: string) => page.slice(page.indexOf('<header id="header"'), page.indexOf("</header>"));

/** The card of a kind (`cpu`, `mem`, `net-io`, `disk-io`, `disk-usage`), or null. */
function card(page: string, id: string): string | null {
  const at = page.indexOf(`<div class="card host-card ${id}">`);
  if (at < 0) return null;
  const next = page.indexOf('<div class="card host-card', at + 10);
  return page.slice(at, next < 0 ? page.indexOf("</main>") : next);
}

/** Each body row of a card as its cell texts. */
function rows(fragment: string): string[][] {
  const body = fragment.slice(fragment.indexOf("<tbody>"), fragment.indexOf("</tbody>"));
  return (body.match(/<tr[\s\S]*?<\/tr>/g) ?? []).map((tr) => (tr.match(/<td[^>]*>[\s\S]*?<\/td>/g) ?? []).map((td) => decode(td.replace(/<[^>]+>/g, ""))));
}

/** The charts of a fragment: key -> the plotted data. */
function charts(fragment: string): Map<string, { title: string; unit: string; x: number[]; y: number[] }> {
  const out = new Map();
  for (const m of fragment.matchAll(/<div class="chart" data-key="([^"]*)" data-chart="([^"]*)"><\/div>/g)) out.set(decode(m[1]!), JSON.parse(decode(m[2]!)));
  return out;
}

function history(): HostHistory {
  return {
    times: [0, 5, 10],
    cpu: [
      [10, 20, 30],
      [5, 5, 5],
      [15, 35, 55],
    ],
    mem: [40, 41, 42],
    net_io: {
      eth0: { times: [5, 10], values: [[100, 300], [10, 20]] },
      lo: { times: [0, 5, 10], values: [[1, 1, 1], [2, 2, 2]] },
    },
    disk_io: { sda: { times: [0, 5, 10], values: [[8, 16, 24], [0, 0, 3]] } },
    disk_usage: {
      "/": { times: [0, 5, 10], values: [[50, 50, 51]] },
      "/home": { times: [10], values: [[75.5]] },
    },
  };
}

function world(h: HostHistory | null = history(), period = 5): FakeDashboardPort {
  const port = new FakeDashboardPort();
  port.setHostHistory(port.local.identifier, period, h);
  return port;
}

t.test("node characteristics", async (t) => {
  const page = renderPage(PAGE, world());
  t.match(page, /<td class="node-name">10\.0\.0\.1<\/td>/);
  t.match(page, /<td class="node-ip">10\.0\.0\.1<\/td>/);
  const node = nodeCharacteristics();
  t.ok(node.logicalCores >= 1 && node.physicalCores >= 1 && node.physicalCores <= node.logicalCores);
  t.match(page, new RegExp(`<td class="node-cores">${node.physicalCores} / ${node.logicalCores}</td>`));
  t.match(page, /<td class="node-frequency">(\d+ MHz|--)<\/td>/);
  t.match(page, /<td class="node-memory">\d+\.\d\d (KiB|MiB|GiB)<\/td>/);
  t.equal(memoryText(16 * 1024 ** 3), "16.00 GiB");
  t.equal(memoryText(15.38 * 1024 ** 2), "15.38 MiB");
  t.equal(memoryText(2048), "2.00 KiB");
  t.equal(memoryText(4096 * 1024 ** 3), "4096.00 GiB");
});

t.test("the IP address comes from the network description when the host is a name", async (t) => {
  const port = new FakeDashboardPort({ instances: [{ identifier: "alpha", nick: "alpha", hostId: "alpha.lan", httpPort: 9001 }] });
  port.networks["alpha"] = {
    machine_id: "m",
    fqdn: "alpha.lan",
    addresses: {
      eth0: { host_name: "other", aliases: [], ipv4_addresses: ["192.168.1.9"], nic_info: { nic_name: "eth0", ipv4_address: "192.168.1.9", netmask: "255.255.255.0" } },
      eth1: { host_name: "alpha.lan", aliases: [], ipv4_addresses: ["10.1.2.3"], nic_info: { nic_name: "eth1", ipv4_address: "10.1.2.3", netmask: "255.0.0.0" } },
    },
  };
  const page = renderPage(PAGE, port);
  t.match(page, /<td class="node-name">alpha\.lan<\/td>/);
  t.match(page, /<td class="node-ip">10\.1\.2\.3<\/td>/);
});

t.test("no statistics yet: no cards", async (t) => {
  const port = world(null);
  let page = renderPage(PAGE, port);
  for (const id of ["cpu", "mem", "net-io", "disk-io", "disk-usage"]) t.equal(card(page, id), null, `no ${id} card`);
  t.match(page, /No host statistics yet for this period\./);
  t.notMatch(page, /uplot\.js/, "no charts to draw");
  port.statistics = { host_stats: false, process_stats: true, collecting_period: 5 };
  page = renderPage(PAGE, port);
  t.match(page, /Host statistics are not collected on this instance\./);
  // an empty history is no data either
  page = renderPage(PAGE, world({ times: [], cpu: [], mem: [], net_io: {}, disk_io: {}, disk_usage: {} }));
  t.equal(card(page, "cpu"), null);
  // a selection cannot be checked without data: no error
  page = renderPage(PAGE, world(null), "cpuid=7&nic=eth9");
  t.notMatch(footer(page), /Incorrect/);
});

t.test("CPU card: one row per cpu#all, cpu#0..., the selected one plotted", async (t) => {
  const page = renderPage(PAGE, world());
  const cpu = card(page, "cpu")!;
  // cpu#all [10, 20, 30] at 0, 5, 10: mean 20, slope 2/s × 5 = 10, stddev 8.16
  t.same(rows(cpu), [
    ["cpu#all", "30.00", "20.00", "10.00", "8.16"],
    ["cpu#0", "5.00", "5.00", "0.00", "0.00"],
    ["cpu#1", "55.00", "35.00", "20.00", "16.33"],
  ]);
  t.match(cpu, /<span class="button off small active">cpu#all<\/span>/, "the default selection: the average");
  t.match(cpu, /<a class="button small" href="host_instance\.html\?cpuid=1">cpu#0<\/a>/);
  t.match(cpu, /<a class="button small" href="host_instance\.html\?cpuid=2">cpu#1<\/a>/);
  t.match(cpu, /<td class="num last trend increase">30\.00<\/td>/);
  t.match(cpu, /<td class="num last trend stable">5\.00<\/td>/);
  const c = charts(cpu).get("host|cpu|0|5")!;
  t.same([c.title, c.unit, c.x, c.y], ["CPU #all", "%", [0, 5, 10], [10, 20, 30]]);
  t.match(page, /<script src="\/dashboard\/uplot\.js" defer><\/script>/);

  const second = card(renderPage(PAGE, world(), "cpuid=2"), "cpu")!;
  t.match(second, /<span class="button off small active">cpu#1<\/span>/);
  t.match(second, /<a class="button small" href="host_instance\.html\?cpuid=0">cpu#all<\/a>/);
  const c2 = charts(second).get("host|cpu|2|5")!;
  t.same([c2.title, c2.y], ["CPU #1", [15, 35, 55]]);
});

t.test("a cpuid out of range or not a number: the footer error and cpu#all", async (t) => {
  let page = renderPage(PAGE, world(), "cpuid=3");
  t.match(footer(page), /Incorrect cpuid: 3 at /);
  t.ok(charts(card(page, "cpu")!).has("host|cpu|0|5"));
  t.notMatch(page, /cpuid=3/, "the links no longer carry it");
  page = renderPage(PAGE, world(), "cpuid=x1");
  t.match(footer(page), /Incorrect cpuid: x1/);
  t.ok(charts(card(page, "cpu")!).has("host|cpu|0|5"));
});

t.test("Memory card", async (t) => {
  const mem = card(renderPage(PAGE, world()), "mem")!;
  t.same(rows(mem), [["mem", "42.00", "41.00", "1.00", "0.82"]]);
  const c = charts(mem).get("host|mem|5")!;
  t.same([c.title, c.unit, c.y], ["MEM", "%", [40, 41, 42]]);
});

t.test("Network card: Rx / Tx per interface, the selected one plotted", async (t) => {
  const page = renderPage(PAGE, world());
  const net = card(page, "net-io")!;
  t.same(rows(net), [
    ["eth0", "Rx", "300.00", "200.00", "200.00", "100.00"],
    ["Tx", "20.00", "15.00", "10.00", "5.00"],
    ["lo", "Rx", "1.00", "1.00", "0.00", "0.00"],
    ["Tx", "2.00", "2.00", "0.00", "0.00"],
  ]);
  t.match(net, /<td rowspan="2"><span class="button off small active">eth0<\/span><\/td>/, "the first interface by default");
  t.match(net, /<a class="button small" href="host_instance\.html\?nic=lo">lo<\/a>/);
  const c = charts(net);
  t.same([...c.keys()], ["host|net-io|eth0|0|5", "host|net-io|eth0|1|5"]);
  t.same([c.get("host|net-io|eth0|0|5")!.title, c.get("host|net-io|eth0|0|5")!.unit, c.get("host|net-io|eth0|0|5")!.x, c.get("host|net-io|eth0|0|5")!.y], ["eth0 received", "kbits/s", [5, 10], [100, 300]]);
  t.same([c.get("host|net-io|eth0|1|5")!.title, c.get("host|net-io|eth0|1|5")!.y], ["eth0 sent", [10, 20]]);

  const lo = card(renderPage(PAGE, world(), "nic=lo"), "net-io")!;
  t.match(lo, /<span class="button off small active">lo<\/span>/);
  t.same([...charts(lo).keys()], ["host|net-io|lo|0|5", "host|net-io|lo|1|5"]);

  const bad = renderPage(PAGE, world(), "nic=wlan9");
  t.match(footer(bad), /Incorrect nic: wlan9 at /);
  t.same([...charts(card(bad, "net-io")!).keys()], ["host|net-io|eth0|0|5", "host|net-io|eth0|1|5"]);
});

t.test("Disk card: I/O by default, usage with diskstats=usage", async (t) => {
  const page = renderPage(PAGE, world());
  t.equal(card(page, "disk-usage"), null);
  const io = card(page, "disk-io")!;
  t.same(rows(io), [
    ["sda", "R", "24.00", "16.00", "8.00", "6.53"],
    ["W", "3.00", "1.00", "1.50", "1.41"],
  ]);
  t.match(io, /<span class="button off small active">Disk I\/O<\/span>/);
  t.match(io, /<a class="button small" href="host_instance\.html\?diskstats=usage">Disk usage<\/a>/);
  const c = charts(io);
  t.same([...c.keys()], ["host|disk-io|sda|0|5", "host|disk-io|sda|1|5"]);
  t.same([c.get("host|disk-io|sda|0|5")!.title, c.get("host|disk-io|sda|0|5")!.unit, c.get("host|disk-io|sda|1|5")!.title], ["sda read", "kbits/s", "sda written"]);
  t.match(footer(renderPage(PAGE, world(), "device=sdz")), /Incorrect device: sdz at /);

  const usagePage = renderPage(PAGE, world(), "diskstats=usage");
  t.equal(card(usagePage, "disk-io"), null);
  const usage = card(usagePage, "disk-usage")!;
  t.same(rows(usage), [
    ["/", "51.00", "50.33", "0.50", "0.47"],
    ["/home", "75.50", "75.50", "", ""],
  ]);
  t.match(usage, /<a class="button small" href="host_instance\.html\?diskstats=io">Disk I\/O<\/a>/);
  t.match(usage, /<span class="button off small active">Disk usage<\/span>/);
  t.match(usage, /<span class="button off small active">\/<\/span>/);
  t.match(usage, /<a class="button small" href="host_instance\.html\?diskstats=usage&amp;partition=%2Fhome">\/home<\/a>/);
  const u = charts(usage).get("host|usage|/|5")!;
  t.same([u.title, u.unit, u.y], ["/", "%", [50, 50, 51]]);

  const home = card(renderPage(PAGE, world(), "diskstats=usage&partition=%2Fhome"), "disk-usage")!;
  t.same(charts(home).get("host|usage|/home|5")!.y, [75.5]);
  const bad = renderPage(PAGE, world(), "diskstats=usage&partition=%2Fnope");
  t.match(footer(bad), /Incorrect partition: \/nope at /);
  t.ok(charts(card(bad, "disk-usage")!).has("host|usage|/|5"));
  t.match(footer(renderPage(PAGE, world(), "diskstats=both")), /Incorrect diskstats: both/);
});

t.test("cards are omitted until their data exists", async (t) => {
  const h = { ...history(), net_io: {}, disk_io: {}, disk_usage: {} };
  const page = renderPage(PAGE, world(h));
  t.ok(card(page, "cpu") && card(page, "mem"));
  t.equal(card(page, "net-io"), null);
  t.equal(card(page, "disk-io"), null);
  t.equal(card(page, "disk-usage"), null);
});

t.test("the period selects the history", async (t) => {
  const port = world(null);
  port.setHostHistory(port.local.identifier, 15, { ...history(), mem: [1, 2, 3] });
  const page = renderPage(PAGE, port, "period=15");
  t.same(rows(card(page, "mem")!), [["mem", "3.00", "2.00", "3.00", "0.82"]], "slope 0.2 / s × 15 s");
  t.ok(charts(page).has("host|mem|15"));
  t.match(card(page, "cpu")!, /href="host_instance\.html\?cpuid=1&amp;period=15"/, "links carry the period");
  t.equal(card(renderPage(PAGE, port), "mem"), null, "nothing for the default period");
});

t.test("header: the host view selected, back to the processes, the periods", async (t) => {
  const port = world();
  const h = header(renderPage(PAGE, port, "period=60"));
  t.match(h, /<a class="button" href="proc_instance\.html\?period=60">Processes<\/a><span class="button off active">10\.0\.0\.1<\/span>/);
  t.match(h, /<a class="button" href="host_instance\.html\?period=5">5s<\/a><a class="button" href="host_instance\.html\?period=15">15s<\/a><span class="button off active">60s<\/span>/);
  t.match(h, /<a class="button" href="host_instance\.html\?action=stopall&amp;period=60">Stop all<\/a>/);
  t.match(h, /<span class="nick">A<\/span>/);
  port.statistics = { host_stats: false, process_stats: false, collecting_period: 5 };
  const off = header(renderPage(PAGE, port));
  t.match(off, /Statistics View/, "always a way back");
  t.notMatch(off, /Statistics Period/);
  t.match(renderPage(PAGE, port), /<title>Supvisors – A host<\/title>/);
  t.notMatch(renderPage(PAGE, port), /Supvisors rules do NOT apply/, "no default warning on the host section");
});

t.test("hostile interface, device and partition names are escaped", async (t) => {
  const h: HostHistory = {
    ...history(),
    net_io: { '<img src=x onerror="a">': { times: [0], values: [[1], [2]] } },
    disk_usage: { "/mnt/<script>": { times: [0], values: [[1]] } },
  };
  const io = renderPage(PAGE, world(h));
  t.notMatch(io, /<img src=x/);
  t.match(io, /&lt;img src=x onerror=&quot;a&quot;&gt;/);
  const usage = renderPage(PAGE, world(h), "diskstats=usage");
  t.notMatch(usage, /<script>/);
  t.match(usage, /\/mnt\/&lt;script&gt;/);
  const selected = renderPage(PAGE, world(h), `nic=${encodeURIComponent('<img src=x onerror="a">')}`);
  t.notMatch(footer(selected), /Incorrect/);
});
