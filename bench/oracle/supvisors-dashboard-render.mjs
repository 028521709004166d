#!/usr/bin/env node
// Reference figures for the web dashboard benchmark, measured on the REAL Supvisors 0.19.
//
//   node bench/oracle/supvisors-dashboard-render.mjs [SUPVISORS_SRC] [--stats off|on|both] [--n 30]
//
// SUPVISORS_SRC: the 0.19 source tree (`git -C <mirror> archive 0.19 | tar -x -C /tmp/supvisors-src`);
// defaults to $SUPVISORS_SRC, then /tmp/supvisors-src. Needs Debian's supervisor 4.2.5 and
// python3-zmq/psutil/websockets/lxml (see /work/shared/oracle/supvisors/README.md), runs the daemon
// through /work/shared/oracle/supvisors/real_supervisord.py (override: SUPV_LAUNCHER).
//
// One round per statistics setting (default: `off` then `on`): a fresh temp dir, one Supvisors
// instance (supvisors_list = 127.0.0.1:<free port>, inet_http_server on that port, no auth), a
// rules file declaring application `big` (so it is managed), [program:w] numprocs=700 and
// [program:big] numprocs=300 running /bin/sleep 100000 (autostart, startsecs=0). Waits for the
// 1000 processes RUNNING (supervisor.getAllProcessInfo) and Supvisors in OPERATION
// (supvisors.get_supvisors_state), lets it settle, then times sequential GETs (new connection
// each, the session cookie kept like a browser) of /proc_instance.html and
// /application.html?appname=big: 3 warm-ups then N timed, request start to last byte (plus 10
// of /proc_instance.html?auto=true, the URL the dashboard actually reloads). Checks HTTP 200 and
// that every process name is in the page. With stats on, measures once right after settling
// (CPU/MEM cells still '--') and again once every cell has a value: 0.19's collector samples
// at most one process per ~0.2 s, so with 1000 processes that takes ~6 min (the main figures of
// that round are the populated ones, the early ones are under `before_stats_populated`).
// Prints ONE JSON line on stdout: {versions, figures (compact), rounds (everything, with samples)};
// progress on stderr. Cleans up (supervisor.shutdown, then SIGKILL of anything left:
// supervisord's process group and each recorded child, start time checked) also on failure /
// Ctrl-C, and removes the temp dirs.
// Env knobs (debugging): SETTLE_MS (15000), STATS_FILL_TIMEOUT_MS (900000), STATS_POLL_MS (20000),
// N_W / N_BIG (700 / 300), SUPV_LOGLEVEL (info), KEEP_DIR=1 (keep the temp dir),
// SAVE_PAGES=<dir> (write the last page of each series there), SUPV_PYTHON (/usr/bin/python3).
// Whole run (both settings) ~10-12 min on 2 cores.
// Plain Node ESM, no dependencies.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const argv = process.argv.slice(2);
let srcArg = null;
let statsMode = 'both';
let N = 30;
const WARMUP = 3;
for (let i = 0; i < argv.length; i++) {
  const a = argv[i];
  if (a === '--stats') statsMode = argv[++i];
  else if (a === '--n') N = Number(argv[++i]);
  else if (a === '-h' || a === '--help') {
    console.log('usage: supvisors-dashboard-render.mjs [SUPVISORS_SRC] [--stats off|on|both] [--n 30]');
    process.exit(0);
  } else srcArg = a;
}
const SRC = path.resolve(srcArg || process.env.SUPVISORS_SRC || '/tmp/supvisors-src');
const LAUNCHER = process.env.SUPV_LAUNCHER || '/work/shared/oracle/supvisors/real_supervisord.py';
const PYTHON = process.env.SUPV_PYTHON || '/usr/bin/python3';
const N_W = Number(process.env.N_W || 700);
const N_BIG = Number(process.env.N_BIG || 300);
const N_TOTAL = N_W + N_BIG;
const START_TIMEOUT_MS = 240_000;
const SETTLE_MS = Number(process.env.SETTLE_MS || 15_000);
const STATS_FILL_TIMEOUT_MS = Number(process.env.STATS_FILL_TIMEOUT_MS || 900_000);
const STATS_POLL_MS = Number(process.env.STATS_POLL_MS || 20_000);

const log = (...a) => process.stderr.write(`[dash-oracle ${new Date().toISOString().slice(11, 19)}] ${a.join(' ')}\n`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

if (!fs.existsSync(path.join(SRC, 'supvisors', 'version.txt'))) {
  console.error(`not a Supvisors source tree: ${SRC} (no supvisors/version.txt)`);
  process.exit(2);
}
const supvisorsVersion = fs.readFileSync(path.join(SRC, 'supvisors', 'version.txt'), 'utf8').split('=')[1].trim();

// ---------------------------------------------------------------- cleanup bookkeeping
const live = new Set(); // rounds with something to tear down
let exiting = false;

function procStartTime(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2).split(' ')[19]; // field 22
  } catch { return null; }
}
function procPpid(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]);
  } catch { return null; }
}
function procCpuTicks(pid) {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').slice(0).split(') ')[1].split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime
  } catch { return null; }
}
function descendants(rootPid) {
  const kids = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    const pp = procPpid(Number(d));
    if (pp == null) continue;
    if (!kids.has(pp)) kids.set(pp, []);
    kids.get(pp).push(Number(d));
  }
  const out = [];
  const stack = [rootPid];
  while (stack.length) {
    const p = stack.pop();
    for (const k of kids.get(p) || []) { out.push(k); stack.push(k); }
  }
  return out;
}
function rememberPids(round, pids) {
  for (const p of pids) {
    if (!round.known.has(p)) {
      const st = procStartTime(p);
      if (st) round.known.set(p, st);
    }
  }
}
function killKnownSync(round) {
  // SIGKILL supervisord's process group (supervisord + its multiprocessing helpers) and every
  // recorded child (supervisor puts each child in its own process group), checking start times
  // so that a recycled pid is never hit.
  if (round.pid) {
    try { process.kill(-round.pid, 'SIGKILL'); } catch {}
  }
  for (const [p, st] of round.known) {
    if (procStartTime(p) === st) { try { process.kill(p, 'SIGKILL'); } catch {} }
  }
}
function removeDirSync(round) {
  if (process.env.KEEP_DIR) { if (round.dir) log(`KEEP_DIR: left ${round.dir}`); return; }
  if (round.dir) { try { fs.rmSync(round.dir, { recursive: true, force: true }); } catch {} }
}
async function teardown(round) {
  if (round.tornDown) return;
  round.tornDown = true;
  try {
    if (round.pid && procStartTime(round.pid)) {
      rememberPids(round, descendants(round.pid));
      try {
        await rpc(round.port, 'supervisor.shutdown', [], 10_000);
        log(`round ${round.label}: supervisor.shutdown sent`);
      } catch (e) { log(`round ${round.label}: shutdown RPC failed (${e.message}), killing`); }
      const t0 = Date.now();
      while (Date.now() - t0 < 60_000 && round.exited === false) await sleep(200);
      if (round.exited === false) log(`round ${round.label}: supervisord still alive after 60 s, SIGKILL`);
    }
  } finally {
    killKnownSync(round);
    // wait until every recorded process is gone (the orphans are reaped by init)
    const t0 = Date.now();
    while (Date.now() - t0 < 10_000 && [...round.known].some(([p, st]) => procStartTime(p) === st)) await sleep(100);
    const left = [...round.known].filter(([p, st]) => procStartTime(p) === st).map(([p]) => p);
    if (left.length) log(`round ${round.label}: WARNING ${left.length} processes still alive: ${left.slice(0, 10)}`);
    removeDirSync(round);
    live.delete(round);
  }
}
async function teardownAll() { for (const r of [...live]) await teardown(r); }
process.on('exit', () => { for (const r of live) { killKnownSync(r); removeDirSync(r); } });
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, async () => {
    if (exiting) return;
    exiting = true;
    log(`${sig}: cleaning up`);
    await teardownAll();
    process.exit(130);
  });
}

// ---------------------------------------------------------------- XML-RPC (minimal)
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const unesc = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'")
  .replace(/&#(\d+);/g, (_, d) => String.fromCodePoint(Number(d))).replace(/&amp;/g, '&');
function encodeValue(v) {
  if (typeof v === 'boolean') return `<value><boolean>${v ? 1 : 0}</boolean></value>`;
  if (typeof v === 'number') return Number.isInteger(v) ? `<value><int>${v}</int></value>` : `<value><double>${v}</double></value>`;
  if (Array.isArray(v)) return `<value><array><data>${v.map(encodeValue).join('')}</data></array></value>`;
  return `<value><string>${esc(v)}</string></value>`;
}
function parseXmlRpc(xml) {
  const toks = xml.replace(/<\?xml[^>]*\?>/, '').match(/<[^>]+>|[^<]+/g) || [];
  let i = 0;
  const ws = () => { while (i < toks.length && toks[i][0] !== '<' && !toks[i].trim()) i++; };
  const expect = (t) => { ws(); if (toks[i] !== t) throw new Error(`xmlrpc: expected ${t} got ${toks[i]}`); i++; };
  function value() {
    ws();
    if (toks[i] === '<value/>') { i++; return ''; }
    expect('<value>');
    let out;
    if (toks[i] === '</value>') { i++; return ''; }
    if (toks[i][0] !== '<') { // bare string, or whitespace before a typed element
      const text = toks[i];
      if (toks[i + 1] === '</value>') { i += 2; return unesc(text); }
      i++;
    }
    ws();
    const tag = toks[i];
    if (tag === '<string/>') { i++; out = ''; }
    else if (tag === '<nil/>') { i++; out = null; }
    else if (tag === '<array>') {
      i++; expect('<data>'); out = [];
      ws();
      if (toks[i] === '<data/>') i++;
      while (ws(), toks[i] !== '</data>') out.push(value());
      i++; expect('</array>');
    } else if (tag === '<struct>') {
      i++; out = {};
      while (ws(), toks[i] !== '</struct>') {
        expect('<member>'); expect('<name>');
        const name = toks[i][0] === '<' ? '' : unesc(toks[i++]);
        expect('</name>');
        out[name] = value();
        expect('</member>');
      }
      i++;
    } else {
      const m = /^<(\w+)>$/.exec(tag);
      if (!m) throw new Error(`xmlrpc: unexpected ${tag}`);
      i++;
      let text = '';
      if (toks[i][0] !== '<') text = toks[i++];
      expect(`</${m[1]}>`);
      if (m[1] === 'string') out = unesc(text);
      else if (m[1] === 'int' || m[1] === 'i4' || m[1] === 'i8') out = parseInt(text, 10);
      else if (m[1] === 'double') out = parseFloat(text);
      else if (m[1] === 'boolean') out = text.trim() === '1';
      else out = unesc(text);
    }
    expect('</value>');
    return out;
  }
  ws();
  expect('<methodResponse>'); ws();
  if (toks[i] === '<fault>') { i++; const f = value(); const e = new Error(`fault ${f.faultCode}: ${f.faultString}`); e.fault = f; throw e; }
  expect('<params>'); expect('<param>');
  return value();
}
function httpRequest(port, { method = 'GET', pathName = '/', body = null, headers = {}, timeout = 60_000 }) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request({ host: '127.0.0.1', port, method, path: pathName, agent: false, headers: {
      ...(body ? { 'Content-Type': 'text/xml', 'Content-Length': Buffer.byteLength(body) } : {}), ...headers } },
    (res) => {
      let tFirst = null;
      const chunks = [];
      res.on('data', (c) => { if (tFirst == null) tFirst = process.hrtime.bigint(); chunks.push(c); });
      res.on('end', () => {
        const t1 = process.hrtime.bigint();
        resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks),
          ms: Number(t1 - t0) / 1e6, ttfbMs: tFirst == null ? null : Number(tFirst - t0) / 1e6 });
      });
      res.on('error', reject);
    });
    req.setTimeout(timeout, () => req.destroy(new Error(`timeout after ${timeout} ms on ${pathName}`)));
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}
async function rpc(port, method, params = [], timeout = 60_000) {
  const body = `<?xml version="1.0"?><methodCall><methodName>${method}</methodName><params>${
    params.map((p) => `<param>${encodeValue(p)}</param>`).join('')}</params></methodCall>`;
  const r = await httpRequest(port, { method: 'POST', pathName: '/RPC2', body, timeout });
  if (r.status !== 200) throw new Error(`${method}: HTTP ${r.status}`);
  return parseXmlRpc(r.body.toString('utf8'));
}

// ---------------------------------------------------------------- helpers
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}
async function freePortPair() {
  // the instance's event port defaults to http port + 1 (unused with event_link NONE, kept free anyway)
  for (let k = 0; k < 20; k++) {
    const p = await freePort();
    if (p >= 65535) continue;
    const ok = await new Promise((res) => {
      const s = net.createServer(); s.unref();
      s.on('error', () => res(false));
      s.listen(p + 1, '127.0.0.1', () => s.close(() => res(true)));
    });
    if (ok) return p;
  }
  throw new Error('no free port pair');
}
const quantile = (sorted, q) => {
  if (!sorted.length) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos); const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
};
const r1 = (x) => (x == null ? null : Math.round(x * 10) / 10);
function cpuBusy() {
  const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + (f[4] || 0);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { idle, total };
}
const loadavg = () => fs.readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
async function busyOver(ms) {
  const b0 = cpuBusy(); await sleep(ms); const b1 = cpuBusy();
  return r1(100 * (1 - (b1.idle - b0.idle) / Math.max(1, b1.total - b0.total)));
}
// CPU cells of the process tables: the cell right after the '%Load' (expected) cell
function statsCells(text) {
  const cells = [...text.matchAll(/class="centered expected">[^<]*<\/td>\s*<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1].trim());
  // a stats cell is '--' (no value yet) or a number (a link to the process plot); with stats
  // disabled proc_instance.html drops the columns and the next cell is the Start button
  const empty = cells.filter((c) => c === '--').length;
  const filled = cells.filter((c) => /^(<a\b[^>]*>)?\s*[\d.]+%?\s*(<\/a>)?$/.test(c)).length;
  return { total: empty + filled, filled };
}
async function waitStatsPopulated(round, nProcs) {
  const t0 = Date.now();
  let last = null;
  while (Date.now() - t0 < STATS_FILL_TIMEOUT_MS) {
    const r = await httpRequest(round.port, { pathName: '/proc_instance.html', timeout: 120_000 });
    const c = statsCells(r.body.toString('utf8'));
    last = { total: c.total, filled: c.filled, waited_s: r1((Date.now() - t0) / 1000) };
    log(`round ${round.label}: stats cells filled ${c.filled}/${c.total} after ${last.waited_s} s`);
    if (c.total > 0 && c.filled >= c.total) return { ...last, complete: true };
    await sleep(STATS_POLL_MS);
  }
  log(`round ${round.label}: stats still not all populated after ${STATS_FILL_TIMEOUT_MS / 1000} s, measuring anyway`);
  return { ...last, complete: false };
}
function cmdOut(cmd, args) {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let o = '';
    p.stdout.on('data', (d) => { o += d; });
    p.stderr.on('data', (d) => { o += d; });
    p.on('error', () => resolve(null));
    p.on('close', () => resolve(o.trim()));
  });
}

// ---------------------------------------------------------------- one round
function writeConfig(dir, port, stats) {
  const rules = `<?xml version="1.0" encoding="UTF-8"?>
<root>
    <application name="big">
        <distribution>ALL_INSTANCES</distribution>
    </application>
</root>
`;
  fs.writeFileSync(path.join(dir, 'rules.xml'), rules);
  fs.mkdirSync(path.join(dir, 'logs'));
  const prog = (name, n) => `[program:${name}]
command = /bin/sleep 100000
process_name = %(program_name)s_%(process_num)03d
numprocs = ${n}
autostart = true
autorestart = false
startsecs = 0
`;
  const conf = `[supervisord]
logfile = ${dir}/supervisord.log
pidfile = ${dir}/supervisord.pid
childlogdir = ${dir}/logs
identifier = dash-oracle
nodaemon = true
minfds = 8192
loglevel = ${process.env.SUPV_LOGLEVEL || "info"}

[inet_http_server]
port = 127.0.0.1:${port}

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[rpcinterface:supvisors]
supervisor.rpcinterface_factory = supvisors.plugin:make_supvisors_rpcinterface
supvisors_list = 127.0.0.1:${port}
rules_files = ${dir}/rules.xml
stats_enabled = ${stats ? 'true' : 'false'}
logfile = ${dir}/supvisors.log
loglevel = ${process.env.SUPV_LOGLEVEL || "info"}

[ctlplugin:supvisors]
supervisor.ctl_factory = supvisors.supvisorsctl:make_supvisors_controller_plugin

[supervisorctl]
serverurl = http://127.0.0.1:${port}

${prog('w', N_W)}
${prog('big', N_BIG)}`;
  fs.writeFileSync(path.join(dir, 'supervisord.conf'), conf);
  return conf;
}

async function waitReady(round) {
  const t0 = Date.now();
  let lastMsg = '';
  let running = 0;
  let fsm = '?';
  let tRunning = null;
  let tOperation = null;
  while (Date.now() - t0 < START_TIMEOUT_MS) {
    if (round.exited !== false) throw new Error(`supervisord exited (code ${round.exited}); see ${round.dir}/supervisord.log`);
    try {
      const st = await rpc(round.port, 'supvisors.get_supvisors_state', [], 30_000);
      fsm = st.fsm_statename;
      if (fsm === 'OPERATION' && tOperation == null) tOperation = Date.now() - t0;
      const infos = await rpc(round.port, 'supervisor.getAllProcessInfo', [], 60_000);
      running = infos.filter((p) => p.statename === 'RUNNING').length;
      rememberPids(round, infos.map((p) => p.pid).filter((p) => p > 0));
      if (running === N_TOTAL && tRunning == null) tRunning = Date.now() - t0;
      if (running === N_TOTAL && fsm === 'OPERATION') return { tRunningMs: tRunning, tOperationMs: tOperation, infos };
    } catch (e) {
      if (!/ECONNREFUSED|socket hang up|ECONNRESET/.test(e.message)) lastMsg = e.message;
    }
    const msg = `t=${((Date.now() - t0) / 1000).toFixed(0)}s running=${running}/${N_TOTAL} fsm=${fsm}${lastMsg ? ' last error: ' + lastMsg : ''}`;
    if (msg !== round.lastProgress) { log(`round ${round.label}: ${msg}`); round.lastProgress = msg; }
    await sleep(1000);
  }
  throw new Error(`not ready after ${START_TIMEOUT_MS / 1000} s: running=${running}/${N_TOTAL} fsm=${fsm} ${lastMsg}`);
}

function checkPage(body, names) {
  const text = body.toString('utf8');
  const missing = names.filter((n) => !text.includes(n));
  return { missing: missing.length, missingSample: missing.slice(0, 5) };
}

async function timePage(round, pathName, expectNames, n = N) {
  let cookie = null;
  const get = async () => {
    const r = await httpRequest(round.port, { pathName, headers: cookie ? { Cookie: cookie } : {}, timeout: 120_000 });
    const sc = r.headers['set-cookie'];
    if (sc && sc.length) cookie = sc[0].split(';')[0];
    return r;
  };
  for (let k = 0; k < WARMUP; k++) {
    const r = await get();
    if (r.status !== 200) throw new Error(`${pathName}: warm-up HTTP ${r.status}: ${r.body.toString('utf8').slice(0, 300)}`);
  }
  const samples = []; const ttfb = []; const sizes = new Set(); const statuses = new Set();
  let worstMissing = 0; let missingSample = [];
  const cpu0 = procCpuTicks(round.pid); const busy0 = cpuBusy(); const w0 = Date.now();
  let lastBody = null;
  for (let k = 0; k < n; k++) {
    const r = await get();
    samples.push(r.ms); ttfb.push(r.ttfbMs); sizes.add(r.body.length); statuses.add(r.status);
    lastBody = r.body;
    if (k === 0 || k === n - 1) {
      const c = checkPage(r.body, expectNames);
      if (c.missing > worstMissing) { worstMissing = c.missing; missingSample = c.missingSample; }
    }
  }
  const wallS = (Date.now() - w0) / 1000;
  const cpu1 = procCpuTicks(round.pid); const busy1 = cpuBusy();
  const hz = 100;
  const sorted = [...samples].sort((a, b) => a - b);
  const tsorted = [...ttfb].sort((a, b) => a - b);
  const text = lastBody.toString('utf8');
  if (process.env.SAVE_PAGES) {
    fs.mkdirSync(process.env.SAVE_PAGES, { recursive: true });
    fs.writeFileSync(path.join(process.env.SAVE_PAGES, `${round.label}-${pathName.replace(/[^a-z0-9]+/gi, '_')}.html`), lastBody);
  }
  return {
    path: pathName,
    n,
    warmup: WARMUP,
    median_ms: r1(quantile(sorted, 0.5)),
    p90_ms: r1(quantile(sorted, 0.9)),
    min_ms: r1(sorted[0]),
    max_ms: r1(sorted[sorted.length - 1]),
    ttfb_median_ms: r1(quantile(tsorted, 0.5)),
    bytes: [...sizes].sort((a, b) => a - b),
    http_status: [...statuses],
    expected_names: expectNames.length,
    names_missing: worstMissing,
    names_missing_sample: missingSample,
    has_refresh_meta: /http-equiv="refresh"/.test(text),
    has_cpu_mem_columns: text.includes('%CPU') && text.includes('%MEM'),
    stats_cells: statsCells(text).total,
    stats_cells_filled: statsCells(text).filled,
    supervisord_cpu_ms_per_request: cpu0 == null || cpu1 == null ? null : r1(((cpu1 - cpu0) * 1000 / hz) / n),
    machine_cpu_busy_pct: r1(100 * (1 - (busy1.idle - busy0.idle) / Math.max(1, busy1.total - busy0.total))),
    // CPU of everything else on the machine meanwhile (other users, this client), % of all cores
    others_cpu_pct: cpu0 == null || cpu1 == null ? null : r1(100 * (((busy1.total - busy0.total) - (busy1.idle - busy0.idle)) - (cpu1 - cpu0)) / Math.max(1, busy1.total - busy0.total)),
    wall_s: r1(wallS),
    samples_ms: samples.map(r1),
  };
}

async function runRound(stats) {
  const label = stats ? 'stats=on' : 'stats=off';
  const round = { label, known: new Map(), pid: null, exited: false, dir: null, port: null, tornDown: false };
  live.add(round);
  try {
    round.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'supv-dash-oracle-'));
    round.port = await freePortPair();
    writeConfig(round.dir, round.port, stats);
    log(`round ${label}: dir=${round.dir} port=${round.port}`);
    const child = spawn(PYTHON, [LAUNCHER, '-c', path.join(round.dir, 'supervisord.conf')], {
      cwd: round.dir, detached: true, stdio: ['ignore', fs.openSync(path.join(round.dir, 'stdout.txt'), 'w'), fs.openSync(path.join(round.dir, 'stderr.txt'), 'w')],
      env: { ...process.env, PYTHONPATH: SRC, SUPV_BIND_HOST: '127.0.0.1' },
    });
    round.pid = child.pid;
    round.known.set(child.pid, procStartTime(child.pid));
    child.on('exit', (code, sig) => { round.exited = code ?? sig; });
    const tStart = Date.now();
    const ready = await waitReady(round);
    log(`round ${label}: ${N_TOTAL} RUNNING after ${(ready.tRunningMs / 1000).toFixed(1)} s, OPERATION after ${(ready.tOperationMs / 1000).toFixed(1)} s; settling ${SETTLE_MS / 1000} s`);
    rememberPids(round, descendants(round.pid));
    await sleep(SETTLE_MS);
    const st = await rpc(round.port, 'supvisors.get_supvisors_state');
    const names = ready.infos.map((p) => p.name).sort();
    const bigNames = names.filter((n) => n.startsWith('big_'));
    const measure = async (tag) => {
      const quiet = await busyOver(1000);
      const load0 = loadavg();
      const procPage = await timePage(round, '/proc_instance.html', names);
      log(`round ${label} ${tag}: proc_instance.html median ${procPage.median_ms} ms p90 ${procPage.p90_ms} ms, ${procPage.bytes} bytes, missing names ${procPage.names_missing}, stats cells ${procPage.stats_cells_filled}/${procPage.stats_cells}`);
      const appPage = await timePage(round, '/application.html?appname=big', bigNames);
      log(`round ${label} ${tag}: application.html median ${appPage.median_ms} ms p90 ${appPage.p90_ms} ms, ${appPage.bytes} bytes, missing names ${appPage.names_missing}, stats cells ${appPage.stats_cells_filled}/${appPage.stats_cells}`);
      // the dashboard itself reloads the auto=true variant: same render plus the <meta refresh>
      const autoPage = await timePage(round, '/proc_instance.html?auto=true', names, 10);
      log(`round ${label} ${tag}: proc_instance.html?auto=true median ${autoPage.median_ms} ms (n=10), refresh meta ${autoPage.has_refresh_meta}`);
      return {
        machine_cpu_busy_pct_quiet_1s_before: quiet, loadavg_before: load0, loadavg_after: loadavg(),
        proc_instance: procPage, application: appPage,
        proc_instance_auto_true: (({ samples_ms, ...x }) => x)(autoPage),
        transition_to_visible_ms: {
          note: 'no live update: <meta refresh content=5> with auto=true; average = 2.5 s + render median, worst = 5 s + render (median / p90)',
          proc_instance: worst(procPage),
          application: worst(appPage),
        },
      };
    };
    const worst = (page) => ({
      avg_ms: r1(2500 + page.median_ms),
      worst_ms: r1(5000 + page.median_ms),
      worst_p90_ms: r1(5000 + page.p90_ms),
    });
    const first = await measure(stats ? 'before-stats-populated' : 'main');
    let populated = null;
    let fill = null;
    if (stats) {
      // Supvisors 0.19's collector samples at most one process per 0.2 s, so with 1000 processes
      // the CPU/MEM cells stay '--' for minutes: wait until (nearly) every cell has a value.
      fill = await waitStatsPopulated(round, names.length);
      populated = await measure('stats-populated');
    }
    // is big really managed?
    let bigManaged = null;
    try {
      const ai = await rpc(round.port, 'supvisors.get_application_info', ['big']);
      bigManaged = ai.managed ?? null;
    } catch (e) { bigManaged = `error: ${e.message}`; }
    const helpers = descendants(round.pid).filter((p) => {
      try { return !fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').startsWith('/bin/sleep'); } catch { return false; }
    }).length;
    const main = populated || first;
    const result = {
      round: label,
      settings: {
        stats_enabled: stats ? 'true (= ALL, the default: host and process statistics; stats_collecting_period=5, stats_periods=10, stats_histo=200 defaults)' : 'false (OFF)',
        supvisors_list: `127.0.0.1:${round.port}`, rules: 'application big declared (managed), distribution ALL_INSTANCES',
        programs: `w x${N_W} + big x${N_BIG}, /bin/sleep 100000, autostart=true, startsecs=0, autorestart=false, stdout/stderr logs AUTO`,
        minfds: 8192, settle_s: SETTLE_MS / 1000, event_link: 'NONE (default)',
      },
      startup: { all_running_s: r1(ready.tRunningMs / 1000), operation_s: r1(ready.tOperationMs / 1000) },
      fsm: st.fsm_statename,
      big_managed: bigManaged,
      supervisord_helper_processes: helpers,
      stats_fill: fill,
      ...main,
      ...(populated ? { before_stats_populated: first } : {}),
      round_wall_s: r1((Date.now() - tStart) / 1000),
    };
    return result;
  } finally {
    await teardown(round);
  }
}

// ---------------------------------------------------------------- main
async function main() {
  const versions = {
    node: process.version,
    python: await cmdOut(PYTHON, ['--version']),
    supervisor: await cmdOut(PYTHON, ['-c', 'import supervisor.options as o; print(o.VERSION)']),
    supvisors: supvisorsVersion,
    supvisors_src: SRC,
    cores: os.cpus().length,
  };
  const modes = statsMode === 'both' ? [false, true] : statsMode === 'on' ? [true] : [false];
  const rounds = [];
  for (const s of modes) rounds.push(await runRound(s));
  const brief = (pg) => ({ median_ms: pg.median_ms, p90_ms: pg.p90_ms, bytes: pg.bytes.length === 1 ? pg.bytes[0] : pg.bytes,
    http_status: pg.http_status, names_missing: pg.names_missing, supervisord_cpu_ms_per_request: pg.supervisord_cpu_ms_per_request });
  const figures = rounds.map((r) => ({
    round: r.round,
    proc_instance_1000: brief(r.proc_instance),
    application_big_300: brief(r.application),
    transition_to_visible_ms: { proc_instance: r.transition_to_visible_ms.proc_instance, application: r.transition_to_visible_ms.application },
    ...(r.before_stats_populated ? { before_stats_populated: {
      proc_instance_1000: brief(r.before_stats_populated.proc_instance),
      application_big_300: brief(r.before_stats_populated.application) } } : {}),
  }));
  console.log(JSON.stringify({ benchmark: 'supvisors-0.19-dashboard-render', versions, figures, rounds }));
}

main().then(async () => { await teardownAll(); process.exit(0); }, async (e) => {
  log(`FAILED: ${e.stack || e.message}`);
  await teardownAll();
  process.exit(1);
});
