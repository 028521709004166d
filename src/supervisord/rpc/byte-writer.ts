/**
 * A growable byte buffer that strings are appended to as UTF-8. The XML-RPC encoder writes a
 * reply through it instead of concatenating strings: a 1000-process getAllProcessInfo reply is
 * ~45,000 pieces, and as a V8 rope they all stay alive until the rope is flattened, so with the
 * daemon's 1 MiB young generation they were copied and promoted by the scavenger, then flattened
 * again by Buffer.from: ~18 ms per reply against ~6 ms written here (docs/benchmarks.md, scenario 3).
 */
export class ByteWriter {
  private buf: Buffer;
  private len = 0;

  /** Small by default: most replies are a few hundred bytes, and doubling reaches 1 MB in ~9 copies. */
  constructor(initialSize = 2048) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** Appends s as UTF-8. */
  write(s: string): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8 (a surrogate pair, 2 units, takes 4).
    const room = s.length * 3;
    if (this.len + room > this.buf.length) this.grow(this.len + room);
    this.len += this.buf.write(s, this.len);
  }

  /** The bytes written so far (a view: valid until the next write). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.len);
  }

  private grow(needed: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, needed));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }
}
