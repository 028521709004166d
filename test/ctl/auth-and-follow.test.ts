/**
 * Authentication (401 handling, credentials from options and the interactive prompt) over an
 * inet server, and the streaming clients (`tail -f`, `maintail -f`) stopped by Ctrl-C (SIGINT):
 * real and ours side by side.
 */
import { spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import t from "tap";
import { freePort } from "../helpers/rpc-real-supervisord.js";
import { Pair, REAL_CTL, baseConfig, buildOurCtl, normalise, waitFor, type CtlRun, type Daemon } from "./harness.js";

// Ports the kernel hands out free (a pid-derived range collided with other test files' servers
// running in parallel: the daemon could not bind and never made its socket).
const REAL_PORT = await freePort();
let OURS_PORT = await freePort();
while (OURS_PORT === REAL_PORT) OURS_PORT = await freePort();
const port = (dir: string) => (dir.includes("ctl-real-") ? REAL_PORT : OURS_PORT);
const authConfig = (dir: string) =>
  baseConfig(`[inet_http_server]\nport=127.0.0.1:${port(dir)}\nusername=user\npassword=pw\n`)(dir);

/** Runs a client in the background until `until` shows in stdout, then sends SIGINT. */
async function interrupted(cmd: string, args: string[], cwd: string, until: RegExp): Promise<CtlRun> {
  const child = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: "1" } });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  await waitFor(() => until.test(stdout), 30_000, `${until} in output of ${args.join(" ")}`);
  child.kill("SIGINT");
  const status = await exited;
  return { stdout, stderr, status };
}

t.test("authentication over http://", async (t) => {
  const pair = new Pair(authConfig, await buildOurCtl());
  t.teardown(async () => {
    await pair.stop();
    pair.cleanup();
  });
  await pair.start();
  const cases: { args: string[]; input?: string }[] = [
    { args: ["status"] },
    { args: ["avail"] },
    { args: ["shutdown"] },
    { args: ["-u", "user", "-p", "bad", "version"] },
    { args: ["-u", "user", "-p", "pw", "version"] },
    { args: ["-u", "user", "-p", "pw", "tail", "-f", "nosuch"] },
    { args: [], input: "user\npw\nversion\n" },
    { args: [], input: "user\n" },
  ];
  for (const c of cases) {
    const run = (d: Daemon) => ["-s", `http://127.0.0.1:${port(d.dir)}`, ...c.args];
    const real = pair.runOn("real", run(pair.realSide), c.input);
    const ours = pair.runOn("ours", run(pair.oursSide), c.input);
    const n = (s: string) => s.replace(new RegExp(`:(${REAL_PORT}|${OURS_PORT})\\b`, "g"), ":<PORT>");
    const label = c.args.join(" ") || `(shell) ${JSON.stringify(c.input)}`;
    t.equal(n(ours.stdout), n(real.stdout), `${label}: stdout`);
    // Python's getpass adds two lines naming its own source file; the user-visible ones must match.
    const pyNoise = (s: string) => s.replace(/^\/usr\/lib\/python3[^\n]*GetPassWarning[^\n]*\n[^\n]*\n/m, "");
    t.equal(n(ours.stderr), n(pyNoise(real.stderr)), `${label}: stderr`);
    t.equal(ours.status, real.status, `${label}: exit status`);
  }
});

t.test("tail -f and maintail -f stop on Ctrl-C", async (t) => {
  const ourCtl = await buildOurCtl();
  const pair = new Pair(baseConfig(), ourCtl);
  t.teardown(async () => {
    await pair.stop();
    pair.cleanup();
  });
  await pair.start();
  for (const args of [
    ["tail", "-f", "echoer"],
    ["tail", "-f", "echoer", "stderr"],
  ]) {
    const expectText = args.includes("stderr") ? /hello err\n/ : /hello out\n/;
    const real = await interrupted(REAL_CTL, ["-c", pair.realSide.conf, ...args], pair.realSide.dir, expectText);
    const ours = await interrupted(process.execPath, [ourCtl, "-c", pair.oursSide.conf, ...args], pair.oursSide.dir, expectText);
    t.equal(ours.stdout, real.stdout, `${args.join(" ")}: stdout`);
    t.equal(ours.status, real.status, `${args.join(" ")}: exit status`);
  }

  // Appended data streams through: write to the main log while following it.
  const follow = async (cmd: string, pre: string[], d: Daemon) => {
    const child = spawn(cmd, [...pre, "-c", d.conf, "maintail", "-f"], { cwd: d.dir });
    let stdout = "";
    child.stdout.on("data", (x) => (stdout += x));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    await waitFor(() => stdout.includes("Press Ctrl-C"), 30_000, "maintail banner");
    // Give the server its first poll, then append a marker line.
    await waitFor(() => stdout.split("\n").length > 2, 30_000, "maintail backlog");
    appendFileSync(`${d.dir}/supervisord.log`, "MARKER-LINE\n");
    await waitFor(() => stdout.includes("MARKER-LINE\n"), 30_000, "appended marker");
    child.kill("SIGINT");
    const status = await exited;
    return { stdout: normalise(stdout, d, ""), status };
  };
  const real = await follow(REAL_CTL, [], pair.realSide);
  const ours = await follow(process.execPath, [ourCtl], pair.oursSide);
  t.match(ours.stdout, /^==> Press Ctrl-C to exit <==\n[\s\S]*MARKER-LINE\n\n$/, "ours: banner, log, marker, empty line");
  t.match(real.stdout, /^==> Press Ctrl-C to exit <==\n[\s\S]*MARKER-LINE\n\n$/, "real: same shape");
  t.equal(ours.status, real.status, "maintail -f exit status");
});
