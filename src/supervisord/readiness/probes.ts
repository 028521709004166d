/**
 * The three kinds of readiness check, each one attempt with an abort handle (the loop owns the
 * timeout: it aborts a slow attempt and counts it as failed). Nothing is kept between attempts:
 * HTTP uses no agent (no keep-alive socket left open per process), TCP resets at once on connect,
 * a command is killed when aborted. Reasons are short texts for the main log and the event:
 * "HTTP 503", "connect ECONNREFUSED", "exit status 1".
 */
import * as http from "node:http";
import * as https from "node:https";
import * as net from "node:net";
import { resolveExecutable } from "../process/executable.js";
import { spawnChild } from "../process/spawner.js";
import type { ReadinessCheck } from "../config/types.js";
import type { CheckResult } from "./machine.js";

/** What a command check runs with: the process's own environment, directory and user. */
export interface ProbeContext {
  env(): Readonly<Record<string, string>>;
  readonly directory: string | null;
  readonly user: { readonly uid: number; readonly gid: number; readonly name: string } | null;
}

/** Starts one attempt; `done` is called at most once, never after the returned abort was called. */
export type Prober = (check: ReadinessCheck, ctx: ProbeContext, done: (r: CheckResult) => void) => () => void;

const PASS_CONNECTED: CheckResult = { ok: true, detail: "connected" };
const PASS_EXIT0: CheckResult = { ok: true, detail: "exit status 0" };

export const realProber: Prober = (check, ctx, done) => {
  switch (check.kind) {
    case "http":
      return httpProbe(check.url, done);
    case "tcp":
      return tcpProbe(check.host, check.port, done);
    case "command":
      return commandProbe(check.command, ctx, done);
  }
};

function errorReason(prefix: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return `${e.syscall ?? prefix} ${e.code ?? e.message ?? String(err)}`;
}

export function httpProbe(url: string, done: (r: CheckResult) => void): () => void {
  let over = false;
  const finish = (r: CheckResult) => {
    if (over) return;
    over = true;
    req.destroy();
    done(r);
  };
  const mod = url.startsWith("https:") ? https : http;
  const req = mod.request(url, { method: "GET", agent: false, headers: { connection: "close" } }, (res) => {
    const code = res.statusCode ?? 0;
    res.resume();
    finish(code >= 200 && code < 400 ? { ok: true, detail: `HTTP ${code}` } : { ok: false, reason: `HTTP ${code}` });
  });
  req.on("error", (err) => finish({ ok: false, reason: errorReason("request", err) }));
  req.end();
  return () => {
    over = true;
    req.destroy();
  };
}

export function tcpProbe(host: string, port: number, done: (r: CheckResult) => void): () => void {
  let over = false;
  const sock = net.connect({ host, port });
  sock.on("connect", () => {
    // RST, not FIN: a probe at 1/s per process must not pile up TIME_WAIT sockets (ports).
    sock.resetAndDestroy();
    if (over) return;
    over = true;
    done(PASS_CONNECTED);
  });
  sock.on("error", (err) => {
    sock.destroy();
    if (over) return;
    over = true;
    done({ ok: false, reason: errorReason("connect", err) });
  });
  return () => {
    over = true;
    sock.destroy();
  };
}

/**
 * Through the daemon's Spawner (the native one when built): node:child_process children would be
 * taken by the native reaper, which reaps every child of ours. Output is read and dropped (a check
 * that prints must not die of a closed pipe); stderr goes into the same pipe. The child leads its
 * own session, so an abort kills its whole process group (a `sh -c` check's children too).
 */
export function commandProbe(command: string, ctx: ProbeContext, done: (r: CheckResult) => void): () => void {
  let over = false;
  const finish = (r: CheckResult) => {
    if (over) return;
    over = true;
    done(r);
  };
  const env = ctx.env();
  const exe = resolved(command, env);
  if (!exe.ok) {
    finish({ ok: false, reason: exe.reason });
    return () => {};
  }
  let pid = 0;
  const outcome = spawnChild(
    {
      name: "readiness check",
      filename: exe.filename,
      argv: exe.argv,
      env: env as Record<string, string>,
      directory: ctx.directory,
      umask: null,
      user: ctx.user,
      redirectStderr: true,
    },
    {
      onStdout: IGNORE,
      onStderr: IGNORE,
      onExit: (exit) => {
        pid = 0;
        if (exit.code === 0) finish(PASS_EXIT0);
        else finish({ ok: false, reason: exit.code !== null ? `exit status ${exit.code}` : `terminated by ${exit.signal}` });
      },
    },
  );
  if (!outcome.ok) {
    resolutions.delete(resolutionKey(command, env));
    finish({ ok: false, reason: outcome.spawnerr });
    return () => {};
  }
  pid = outcome.child.pid;
  return () => {
    over = true;
    if (pid > 0) killGroup(pid);
  };
}

const IGNORE = (): void => {};

/**
 * Resolved executables of check commands, by PATH and command: a check every second must not stat
 * every PATH directory each time. A resolution that stops working (spawn error) is dropped, and a
 * failed one is never kept, so a command installed later is found.
 */
const resolutions = new Map<string, ReturnType<typeof resolveExecutable>>();

function resolutionKey(command: string, env: Readonly<Record<string, string>>): string {
  return `${env.PATH ?? ""}\u0000${command}`;
}

function resolved(command: string, env: Readonly<Record<string, string>>): ReturnType<typeof resolveExecutable> {
  const key = resolutionKey(command, env);
  const known = resolutions.get(key);
  if (known) return known;
  const r = resolveExecutable(command, null, env);
  if (r.ok) {
    if (resolutions.size >= 10_000) resolutions.clear();
    resolutions.set(key, r);
  }
  return r;
}

function killGroup(pid: number): void {
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }
}
