/**
 * Capture-mode token scanning for one output channel (spec §6.4, dispatchers.py record_output):
 * outside capture mode the stream is searched for `<!--XSUPERVISOR:BEGIN-->`, inside it for
 * `<!--XSUPERVISOR:END-->`. A token split across reads is held back until it can be decided; the
 * token bytes themselves are never logged.
 *
 * Deliberate difference: the reference also holds back any buffer no longer than the token
 * (24 / 22 bytes) even when it cannot be the start of one, and never flushes it, so the last
 * short output of a capture-enabled process is lost at EOF. We hold back only a real token
 * prefix and release held bytes on flush() (channel close). The bytes reach the same places in
 * the same order; only the chunking of debug lines / PROCESS_LOG events can differ.
 */

export const BEGIN_TOKEN = Buffer.from("<!--XSUPERVISOR:BEGIN-->");
export const END_TOKEN = Buffer.from("<!--XSUPERVISOR:END-->");

/** What the scanner found, in stream order. */
export type CaptureStep = { readonly kind: "data"; readonly data: Buffer } | { readonly kind: "toggle"; readonly capturing: boolean };

export class CaptureScanner {
  private held: Buffer = Buffer.alloc(0);
  private capturing = false;

  get capturemode(): boolean {
    return this.capturing;
  }

  /** Bytes held back because they may start a token. */
  get heldBytes(): number {
    return this.held.length;
  }

  /** Scans one chunk; `emit` receives data pieces (never empty) and mode toggles in order. */
  feed(chunk: Buffer, emit: (step: CaptureStep) => void): void {
    let buf = this.held.length === 0 ? chunk : Buffer.concat([this.held, chunk]);
    this.held = Buffer.alloc(0);
    for (;;) {
      const token = this.capturing ? END_TOKEN : BEGIN_TOKEN;
      const at = buf.indexOf(token);
      if (at === -1) {
        const keep = prefixAtEnd(buf, token);
        if (buf.length - keep > 0) emit({ kind: "data", data: keep ? buf.subarray(0, buf.length - keep) : buf });
        if (keep) this.held = Buffer.from(buf.subarray(buf.length - keep));
        return;
      }
      if (at > 0) emit({ kind: "data", data: buf.subarray(0, at) });
      this.capturing = !this.capturing;
      emit({ kind: "toggle", capturing: this.capturing });
      buf = buf.subarray(at + token.length);
      if (buf.length === 0) return;
    }
  }

  /** Releases held-back bytes as data (at EOF nothing more can complete the token). */
  flush(emit: (step: CaptureStep) => void): void {
    if (this.held.length === 0) return;
    const data = this.held;
    this.held = Buffer.alloc(0);
    emit({ kind: "data", data });
  }
}

/** Length of the longest proper prefix of `token` that `buf` ends with (asynchat find_prefix_at_end). */
export function prefixAtEnd(buf: Buffer, token: Buffer): number {
  let l = Math.min(token.length - 1, buf.length);
  // Quick reject: the last byte must occur in the token.
  if (l > 0 && token.indexOf(buf[buf.length - 1]!) === -1) return 0;
  for (; l > 0; l--) {
    if (buf.compare(token, 0, l, buf.length - l, buf.length) === 0) return l;
  }
  return 0;
}

/**
 * The in-memory capture log (loggers.py BoundIO): when appending a chunk would exceed maxbytes,
 * the oldest len(chunk) bytes are dropped first, so the buffer can end up shorter than maxbytes
 * (or longer, when one chunk alone exceeds it), exactly like the reference.
 */
export class CaptureBuffer {
  private buf: Buffer = Buffer.alloc(0);
  constructor(readonly maxbytes: number) {}

  write(chunk: Buffer): void {
    if (this.buf.length + chunk.length > this.maxbytes) this.buf = this.buf.subarray(chunk.length);
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
  }

  get value(): Buffer {
    return this.buf;
  }

  clear(): void {
    this.buf = Buffer.alloc(0);
  }
}
