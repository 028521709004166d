/**
 * `/logtail/<namespec>[/<channel>]` and `/mainlogtail` (spec §11.3): a response that never ends
 * on its own, starting with the last 1024 bytes of the file and then following it like
 * `tail -f`, polled every 100 ms: `==> File truncated <==` when it shrinks, the new file from its
 * start when the path now names another inode (rotation). Chunked under HTTP/1.1.
 *
 * The file is resolved through a callback so this module knows nothing about processes. A slow
 * reader only slows its own stream: nothing more is read while the socket is not drained.
 */
import { open, stat, type FileHandle } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import type { Clock } from "../clock.js";
import { baseHeaders, httpDate, sendError } from "./medusa.js";
import type { HttpContext, HttpRoute } from "./router.js";

export const TAIL_BACKLOG_BYTES = 1024;
export const TAIL_POLL_MS = 100;
export const TRUNCATED_MARK = "==> File truncated <==\n";
const READ_CHUNK = 64 * 1024;

/** Maps `(processName or group:process, channel)` to a log path, or null for 404. */
export type LogPathResolver = (name: string, channel: string) => string | null;

interface TailState {
  file: FileHandle;
  ino: number;
  pos: number;
}

async function openTail(path: string): Promise<TailState> {
  const file = await open(path, "r");
  const st = await file.stat();
  return { file, ino: st.ino, pos: 0 };
}

/**
 * Streams `path` into `res` until the client goes away. Headers must already be written.
 * Returns a stop function (also called when the response closes).
 */
export function followFile(path: string, initial: TailState, res: ServerResponse, clock: Clock): () => void {
  let state = initial;
  let stopped = false;
  let timer: ReturnType<Clock["setTimer"]> | null = null;
  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    clock.clearTimer(timer);
    void state.file.close().catch(() => {});
  };
  res.on("close", stop);

  const write = (data: Buffer | string): Promise<void> =>
    new Promise((resolve) => {
      if (stopped || res.destroyed) return resolve();
      if (res.write(data)) resolve();
      else {
        const done = (): void => {
          res.off("drain", done);
          res.off("close", done);
          resolve();
        };
        res.on("drain", done);
        res.on("close", done);
      }
    });

  const step = async (): Promise<void> => {
    // Rotation: the path now names another file; read the new one from its start.
    try {
      const st = await stat(path);
      if (st.ino !== state.ino) {
        const next = await openTail(path);
        void state.file.close().catch(() => {});
        state = next;
        if (stopped) void next.file.close().catch(() => {});
      }
    } catch {
      // Unlinked and not recreated yet: keep reading the open file.
    }
    if (stopped) return;
    const size = (await state.file.stat()).size;
    if (size < state.pos) {
      state.pos = 0;
      await write(TRUNCATED_MARK);
      return;
    }
    while (!stopped && state.pos < size) {
      const want = Math.min(READ_CHUNK, size - state.pos);
      const buf = Buffer.alloc(want);
      const { bytesRead } = await state.file.read(buf, 0, want, state.pos);
      if (bytesRead === 0) break;
      state.pos += bytesRead;
      await write(buf.subarray(0, bytesRead));
    }
  };

  const loop = (): void => {
    step().then(
      () => {
        if (!stopped) timer = clock.setTimer(TAIL_POLL_MS, loop);
      },
      () => {
        // The file vanished under us or could not be read: end the stream like a closed fd does.
        if (!stopped && !res.destroyed) res.end();
        stop();
      },
    );
  };
  loop();
  return stop;
}

/** Starts a tail response: 404 when there is no file, else headers then the stream. */
export async function serveTail(
  ctx: HttpContext,
  path: string | null,
  clock: Clock,
  opts: { accelBufferingHeader: boolean; backlogBytes?: number },
): Promise<void> {
  const { res } = ctx;
  if (path === null) return sendError(res, 404);
  let state: TailState;
  let mtimeMs: number;
  try {
    state = await openTail(path);
    const st = await state.file.stat();
    mtimeMs = st.mtimeMs;
    const backlog = opts.backlogBytes ?? TAIL_BACKLOG_BYTES;
    state.pos = st.size >= backlog ? st.size - backlog : 0;
  } catch {
    return sendError(res, 404);
  }
  if (res.destroyed) {
    await state.file.close();
    return;
  }
  res.sendDate = false;
  const headers: Record<string, string> = {
    ...baseHeaders(clock.now()),
    "Last-Modified": httpDate(Math.floor(mtimeMs / 1000) * 1000),
    "Content-Type": "text/plain;charset=utf-8",
    // A browser sniffs the first ~512 bytes of a text/plain stream before it shows anything, so
    // a short log would stay blank in its tab; supervisord sends no such header (ours is extra).
    "X-Content-Type-Options": "nosniff",
  };
  if (opts.accelBufferingHeader) headers["X-Accel-Buffering"] = "no";
  res.writeHead(200, "OK", headers);
  res.flushHeaders();
  followFile(path, state, res, clock);
}

/** Splits `/logtail/<name>[/<channel>]` like supervisord's handler; null when there is no name part. */
export function parseLogtailPath(path: string): { name: string; channel: string } | null {
  const stripped = path.replace(/^\/+/, "");
  const slash = stripped.indexOf("/");
  if (slash < 0) return null;
  const rest = stripped.slice(slash + 1);
  const chanSlash = rest.indexOf("/");
  if (chanSlash < 0) return { name: rest, channel: "stdout" };
  return { name: rest.slice(0, chanSlash), channel: rest.slice(chanSlash + 1) };
}

/** `backlogBytes`: what the stream starts with (1024; Supvisors' `tailf_limit`). */
export function createLogtailRoute(resolve: LogPathResolver, clock: Clock, backlogBytes = TAIL_BACKLOG_BYTES): HttpRoute {
  return {
    name: "logtail",
    match: { prefix: "/logtail" },
    async handle(ctx) {
      if (ctx.req.method !== "GET") return sendError(ctx.res, 400);
      const parsed = parseLogtailPath(ctx.path);
      // The reference crashes (500) on `/logtail` without a name; no such file is a 404.
      const file = parsed ? resolve(parsed.name, parsed.channel) : null;
      await serveTail(ctx, file, clock, { accelBufferingHeader: true, backlogBytes });
    },
  };
}

export function createMainLogtailRoute(mainLogPath: () => string | null, clock: Clock, backlogBytes = TAIL_BACKLOG_BYTES): HttpRoute {
  return {
    name: "mainlogtail",
    match: { prefix: "/mainlogtail" },
    async handle(ctx) {
      if (ctx.req.method !== "GET") return sendError(ctx.res, 400);
      await serveTail(ctx, mainLogPath(), clock, { accelBufferingHeader: false, backlogBytes });
    },
  };
}
