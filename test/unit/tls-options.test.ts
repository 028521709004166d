/**
 * The TLS options (ours): [inet_http_server] certfile/keyfile (both or neither, %(here)s, absent
 * from a plain config's server object), [supervisorctl] ca_file and SUPERVISOR_CA_FILE, and the
 * serverurl forms that accept https.
 */
import t from "tap";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readConfig } from "../../src/supervisord/config/read.js";
import { ConfigError, describeConfigLocation } from "../../src/supervisord/config/errors.js";
import { parseCtlArgs } from "../../src/ctl/options.js";
import { parseServerUrl } from "../../src/ctl/server-url.js";
import { defaultServerUrl } from "../../src/supervisord/process/child-env.js";

const dir = mkdtempSync(join(tmpdir(), "tls-options-"));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

function write(inet: string, extra = ""): string {
  const file = join(dir, `c${n++}.conf`);
  writeFileSync(file, ["[supervisord]", `logfile=${dir}/l.log`, "", "[inet_http_server]", "port=127.0.0.1:9001", inet, "", extra].join("\n"));
  return file;
}

t.test("certfile and keyfile", async (t) => {
  const plain = readConfig(write(""), { cwd: dir, env: {} }).servers[0]!;
  t.notOk("tls" in plain, "a plain server has no tls key at all");
  const cfg = readConfig(write("certfile=%(here)s/s.pem\nkeyfile=/etc/k.pem"), { cwd: dir, env: {} });
  const inet = cfg.servers[0]!;
  t.same(inet.kind === "inet" ? inet.tls : null, { certfile: join(dir, "s.pem"), keyfile: "/etc/k.pem" });
  t.equal(defaultServerUrl(cfg.servers), "https://127.0.0.1:9001", "children are told https");
  for (const [lines, option] of [["certfile=/a.pem", "certfile"], ["keyfile=/a.pem", "keyfile"], ["certfile=/a.pem\nkeyfile=", "certfile"]] as const) {
    const file = write(lines);
    try {
      readConfig(file, { cwd: dir, env: {} });
      t.fail("no error");
    } catch (e) {
      t.ok(e instanceof ConfigError);
      t.match((e as ConfigError).message, /incomplete TLS settings/);
      t.match(describeConfigLocation(e as ConfigError), new RegExp(`^\\(at ${file}:\\d+, section \\[inet_http_server\\], option '${option}'\\)$`));
    }
  }
});

t.test("ctl: ca_file, SUPERVISOR_CA_FILE before it", async (t) => {
  const file = write("", "[supervisorctl]\nserverurl=https://127.0.0.1:9001\nca_file=%(here)s/ca.pem\n");
  const s1 = parseCtlArgs(["-c", file, "status"], "supervisorctl", {}, dir);
  t.equal(s1.kind === "run" ? s1.settings.ca_file : null, join(dir, "ca.pem"));
  const s2 = parseCtlArgs(["-c", file, "status"], "supervisorctl", { SUPERVISOR_CA_FILE: "/env/ca.pem" }, dir);
  t.equal(s2.kind === "run" ? s2.settings.ca_file : null, "/env/ca.pem");
  const s3 = parseCtlArgs(["-c", write("", "[supervisorctl]\n"), "status"], "supervisorctl", {}, dir);
  t.notOk(s3.kind === "run" && "ca_file" in s3.settings, "no ca_file key when none is set");
  t.same(parseServerUrl("https://h"), { kind: "tcp", host: "h", port: 443, hostHeader: "h", secure: true });
  t.same(parseServerUrl("http://h:1"), { kind: "tcp", host: "h", port: 1, hostHeader: "h:1" }, "http unchanged");
});

t.test("[rpcinterface:supvisors] tls_ca_file", async (t) => {
  const { conf, fixture } = await import("./supvisors-fixture.js");
  const { makeTestPki } = await import("../helpers/tls.js");
  const pki = makeTestPki();
  t.teardown(() => pki.cleanup());
  const withTls = (options: string) => conf(options).replace("port=:60000", `port=:60000\ncertfile=${pki.serverCert}\nkeyfile=${pki.serverKey}`);

  const good = fixture(t, withTls(`tls_ca_file = ${pki.caCert}`));
  const r = await good.read();
  t.equal(r.options.tlsCaFile, pki.caCert);
  t.same(r.warnings, []);

  const plain = fixture(t, conf(`tls_ca_file = ${pki.caCert}`));
  t.match((await plain.read()).warnings, [/tls_ca_file in section \[rpcinterface:supvisors\] is ignored/], "ignored without TLS, with a warning");

  for (const [value, reason] of [[join(pki.dir, "none.pem"), /cannot read .*none\.pem \(ENOENT\)/], [pki.serverKey, /holds no PEM certificate/]] as const) {
    const bad = fixture(t, withTls(`tls_ca_file = ${value}`));
    const err = await bad.read().then(
      () => null,
      (e: unknown) => e,
    );
    t.ok(err instanceof ConfigError, "a ConfigError");
    t.match((err as ConfigError).message, reason);
    t.match(describeConfigLocation(err as ConfigError), /^\(at .*supervisord\.conf:\d+, section \[rpcinterface:supvisors\], option 'tls_ca_file'\)$/);
  }
  t.notOk("tlsCaFile" in (await fixture(t, withTls("")).read()).options, "absent when not set");
});

t.test("supvisorsctl --follow: wss beside an https server URL", async (t) => {
  const { resolveEndpoint } = await import("../../src/ctl/supvisors/event-source.js");
  t.same(resolveEndpoint("https://10.0.0.1:9001", null, "/ca.pem"), { ok: true, endpoint: { link: "WS", host: "10.0.0.1", port: 9002, secure: true, caFile: "/ca.pem" } });
  t.same(resolveEndpoint("http://10.0.0.1:9001", null), { ok: true, endpoint: { link: "WS", host: "10.0.0.1", port: 9002 } }, "http unchanged");
  t.same(resolveEndpoint("https://10.0.0.1:9001", { link: "ZMQ", port: "7000" }), { ok: true, endpoint: { link: "ZMQ", host: "10.0.0.1", port: 7000 } }, "ZeroMQ stays plain");
});
