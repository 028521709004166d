/**
 * The internal messages on the wire: two ZeroMQ frames, a JSON envelope
 * `{from, boot, seq, kind, time, payload}` and its HMAC-SHA256 (hex; empty when the cluster has no
 * key). decodeEnvelope() never throws: hostile bytes are a reason, not a crash.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Identifier, InternalMessage } from "../types.js";
import { checkInternalMessage, isObject } from "./message-checks.js";

/** Larger envelopes are refused unread (a process list of thousands of programs stays far below). */
export const MAX_ENVELOPE_BYTES = 4 * 1024 * 1024;

export interface Envelope {
  readonly from: Identifier;
  /** The sender's boot id (a restart draws a new one). */
  readonly boot: string;
  /** Per boot, +1 per message: duplicates and reordering are seen. */
  readonly seq: number;
  /** Sender's wall clock, seconds. */
  readonly time: number;
  readonly message: InternalMessage;
}

export type DecodeResult = { readonly ok: true; readonly envelope: Envelope } | { readonly ok: false; readonly reason: string; readonly from?: Identifier };

function mac(key: string, body: Buffer): Buffer {
  return createHmac("sha256", key).update(body).digest();
}

export function encodeEnvelope(e: Envelope, key: string | null): [Buffer, Buffer] {
  const { kind, ...payload } = e.message as InternalMessage & Record<string, unknown>;
  const body = Buffer.from(JSON.stringify({ from: e.from, boot: e.boot, seq: e.seq, time: e.time, kind, payload }));
  return [body, key === null ? Buffer.alloc(0) : Buffer.from(mac(key, body).toString("hex"))];
}

export function decodeEnvelope(frames: readonly Buffer[], key: string | null, known: ReadonlySet<Identifier>): DecodeResult {
  if (frames.length !== 2) return { ok: false, reason: `${frames.length} frame(s), 2 expected` };
  const [body, sig] = frames as [Buffer, Buffer];
  if (body.length > MAX_ENVELOPE_BYTES) return { ok: false, reason: `envelope of ${body.length} bytes refused` };
  if (key !== null) {
    if (sig.length !== 64) return { ok: false, reason: sig.length === 0 ? "unsigned message (this cluster signs its messages)" : "malformed signature" };
    const expected = Buffer.from(mac(key, body).toString("hex"));
    if (!timingSafeEqual(expected, sig)) return { ok: false, reason: "bad signature (another key?)" };
  } else if (sig.length !== 0) {
    return { ok: false, reason: "signed message, but this instance has no key (credentials differ?)" };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return { ok: false, reason: "not JSON" };
  }
  if (!isObject(parsed)) return { ok: false, reason: "not an object" };
  const { from, boot, seq, time, kind, payload } = parsed;
  if (typeof from !== "string" || !known.has(from)) return { ok: false, reason: `unknown sender ${JSON.stringify(from)?.slice(0, 80)}` };
  if (typeof boot !== "string" || boot.length > 64 || !Number.isSafeInteger(seq) || typeof time !== "number") return { ok: false, reason: "bad header", from };
  const message = checkInternalMessage(kind, payload);
  if (!message) return { ok: false, reason: `bad ${String(kind).slice(0, 40)} payload`, from };
  return { ok: true, envelope: { from, boot, seq: seq as number, time, message } };
}
