// TLS on [inet_http_server] (ours: certfile/keyfile): our daemon serves XML-RPC, the REST API,
// the web page and the log tails over HTTPS only; our ctl (ca_file, SUPERVISOR_CA_FILE) and the
// TypeScript client (tls.ca) verify it with a test CA and refuse it with another one, with a
// clear message; plain HTTP to the port fails without harming the daemon; unusable certificate
// settings stop start-up with one line naming the file.
import t from "tap";
import { execFile, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { join } from "node:path";
import { promisify } from "node:util";
import { SupervisorClient } from "../../src/client/supervisor-client.js";
import { RpcTransportError } from "../../src/client/errors.js";
import { OUR_SUPERVISORD, REPO, TestDaemon } from "../helpers/daemon.js";
import { poll } from "../helpers/cluster.js";
import { freePort } from "../helpers/rpc-real-supervisord.js";
import { makeTestPki } from "../helpers/tls.js";

const run = promisify(execFile);
const CTL = join(REPO, "dist/bin/supervisorctl.mjs");

const pki = makeTestPki();
t.teardown(() => pki.cleanup());
const ca = readFileSync(pki.caCert);
const otherCa = readFileSync(pki.otherCaCert);

/** Runs our supervisorctl; never rejects (the exit status is part of the answer). */
async function ctl(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [CTL, ...args], { env: { ...process.env, SUPERVISOR_CA_FILE: "", ...env }, timeout: 30_000 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === "number" ? err.code : -1, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
  }
}

function httpsGet(port: number, path: string, caPem: Buffer): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: "127.0.0.1", port, path, method: "GET", ca: caPem, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), type: String(res.headers["content-type"] ?? "") }));
    });
    req.on("error", reject);
    req.end();
  });
}

t.test("a daemon with certfile/keyfile", async (t) => {
  const port = await freePort();
  const d = new TestDaemon("ours", {
    programs: `
[inet_http_server]
port = 127.0.0.1:${port}
certfile = ${pki.serverCert}
keyfile = ${pki.serverKey}

[supervisorctl]
serverurl = https://127.0.0.1:${port}
ca_file = ${pki.caCert}

[program:talker]
command = sh -c 'echo out-line; exec sleep 1000'
startsecs = 0
`,
  });
  t.teardown(async () => {
    await d.stop();
    d.cleanup();
  });
  await d.start();
  await poll(async () => ((await d.rpc("supervisor.getProcessInfo", "talker")) as { statename: string }).statename === "RUNNING" || undefined, 15_000, "talker RUNNING");
  const url = `https://127.0.0.1:${port}`;

  await t.test("our ctl with [supervisorctl] ca_file", async (t) => {
    const r = await ctl(["-c", d.conf, "status"]);
    t.equal(r.code, 0, r.stdout + r.stderr);
    t.match(r.stdout, /^talker\s+RUNNING/m);
  });

  await t.test("our ctl with SUPERVISOR_CA_FILE and -s https://", async (t) => {
    const r = await ctl(["-s", url, "status", "talker"], { SUPERVISOR_CA_FILE: pki.caCert });
    t.equal(r.code, 0, r.stdout + r.stderr);
    t.match(r.stdout, /^talker\s+RUNNING/m);
  });

  await t.test("our ctl's open accepts an https URL", async (t) => {
    const r = await ctl(["-s", `unix://${d.sock}`, "open", url], { SUPERVISOR_CA_FILE: pki.caCert });
    t.match(r.stdout, /^talker\s+RUNNING/m, r.stdout + r.stderr);
  });

  await t.test("our ctl refuses a certificate of another CA, one clear line", async (t) => {
    for (const env of [{ SUPERVISOR_CA_FILE: pki.otherCaCert }, {}]) {
      const r = await ctl(["-s", url, "status"], env);
      t.equal(r.code, 1, "exit status of a connection error");
      t.equal(r.stdout.trim().split("\n").length, 1, "one line");
      t.match(r.stdout, new RegExp(`^error: TLS certificate verification failed for ${url.replace(/\./g, "\\.")}: .+\\(UNABLE_TO_VERIFY_LEAF_SIGNATURE\\)$`, "m"));
    }
    const missing = await ctl(["-s", url, "status"], { SUPERVISOR_CA_FILE: join(pki.dir, "nowhere.pem") });
    t.equal(missing.code, 1);
    t.match(missing.stdout, /^error: cannot read the CA file .*nowhere\.pem \(ENOENT\)$/m);
  });

  await t.test("our ctl's tail -f streams over TLS", async (t) => {
    const child = spawn(process.execPath, [CTL, "-c", d.conf, "tail", "-f", "talker"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c) => (out += c));
    child.stderr.on("data", (c) => (out += c));
    const exited = new Promise((r) => child.once("exit", r));
    try {
      await poll(() => (out.includes("out-line") ? true : undefined), 15_000, "tail -f output");
      t.match(out, /out-line/);
    } finally {
      child.kill("SIGTERM");
      await exited;
    }
  });

  await t.test("the TypeScript client with tls.ca", async (t) => {
    const client = new SupervisorClient(url, { tls: { ca } });
    t.teardown(() => client.close());
    t.same(await client.supervisor.getState(), { statecode: 1, statename: "RUNNING" });
    t.equal((await client.supervisor.getProcessInfo("talker")).statename, "RUNNING");
  });

  await t.test("the TypeScript client refuses another CA with a typed error", async (t) => {
    for (const opts of [{ tls: { ca: otherCa } }, {}]) {
      const client = new SupervisorClient(url, opts);
      t.teardown(() => client.close());
      const err = await client.supervisor.getState().then(
        () => null,
        (e: unknown) => e,
      );
      t.ok(err instanceof RpcTransportError, "RpcTransportError");
      const e = err as RpcTransportError;
      t.equal(e.kind, "connect");
      t.equal(e.code, "UNABLE_TO_VERIFY_LEAF_SIGNATURE");
      t.match(e.message, /certificate verification failed/);
    }
    const lax = new SupervisorClient(url, { tls: { rejectUnauthorized: false } });
    t.teardown(() => lax.close());
    t.equal((await lax.supervisor.getState()).statename, "RUNNING", "rejectUnauthorized: false accepts it");
  });

  await t.test("REST API and the web page over HTTPS", async (t) => {
    const state = await httpsGet(port, "/api/supervisor/getState", ca);
    t.equal(state.status, 200);
    t.same(JSON.parse(state.body), { statecode: 1, statename: "RUNNING" });
    const page = await httpsGet(port, "/", ca);
    t.equal(page.status, 200);
    t.match(page.type, /text\/html/);
    t.match(page.body, /talker/);
    const ok = await httpsGet(port, "/ok.html", ca);
    t.equal(ok.body, "OK");
    await t.rejects(httpsGet(port, "/ok.html", otherCa), /certificate/, "a browser-like client with the wrong CA is refused");
  });

  await t.test("plain HTTP to the HTTPS port fails and the daemon carries on", async (t) => {
    const plain = await new Promise<string>((resolve) => {
      const req = httpRequest({ host: "127.0.0.1", port, path: "/RPC2", method: "POST", agent: false }, (res) => resolve(`HTTP ${res.statusCode}`));
      req.on("error", (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      req.end("<methodCall><methodName>supervisor.getState</methodName></methodCall>");
    });
    t.match(plain, /^(ECONNRESET|EPIPE)$/, `no answer in plain HTTP (${plain})`);
    const client = new SupervisorClient(url, { tls: { ca } });
    t.teardown(() => client.close());
    t.equal((await client.supervisor.getState()).statename, "RUNNING");
    t.equal(d.exitCode, null, "still running");
  });
});

t.test("unusable TLS settings stop start-up with one line", async (t) => {
  const port = await freePort();
  const cases: [string, string, RegExp][] = [
    ["only certfile", `certfile = ${pki.serverCert}`, /^Error: Section \[inet_http_server\] contains incomplete TLS settings: .*\n\(at .*supervisord\.conf:\d+, section \[inet_http_server\], option 'certfile'\)$/m],
    ["missing file", `certfile = ${pki.dir}/none.pem\nkeyfile = ${pki.serverKey}`, /^Error: Cannot open an HTTPS server: \[inet_http_server\] certfile .*none\.pem cannot be read \(ENOENT\)$/m],
    ["not a certificate", `certfile = ${pki.serverKey}\nkeyfile = ${pki.serverKey}`, /^Error: Cannot open an HTTPS server: \[inet_http_server\] certfile .*server\.key is not a PEM certificate$/m],
    ["mismatched key", `certfile = ${pki.serverCert}\nkeyfile = ${pki.otherKey}`, /^Error: Cannot open an HTTPS server: \[inet_http_server\] keyfile .*unrelated\.key is not the key of the certificate in certfile .*server\.pem$/m],
  ];
  for (const [name, lines, expected] of cases) {
    const dir = join(pki.dir, name.replace(/ /g, "-"));
    const { mkdirSync } = await import("node:fs");
    mkdirSync(dir);
    const conf = join(dir, "supervisord.conf");
    writeFileSync(
      conf,
      `[supervisord]\nnodaemon = true\nlogfile = ${dir}/sd.log\npidfile = ${dir}/sd.pid\n\n[inet_http_server]\nport = 127.0.0.1:${port}\n${lines}\n\n[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n`,
    );
    const r = await run(process.execPath, [OUR_SUPERVISORD, "-c", conf], { timeout: 30_000 }).then(
      () => ({ code: 0, stderr: "" }),
      (e: { code?: number; stderr?: string }) => ({ code: e.code ?? -1, stderr: e.stderr ?? "" }),
    );
    t.equal(r.code, 2, `${name}: exit status 2`);
    t.match(r.stderr, expected, name);
    t.notMatch(r.stderr, /\n\s+at /, `${name}: no stack trace`);
  }
});
