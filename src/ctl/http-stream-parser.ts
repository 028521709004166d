/**
 * An incremental parser for the one HTTP response a streaming GET reads: status line, headers,
 * then a chunked or Content-Length body. Like supervisor's http_client it hands over each
 * complete chunk (chunked) or each received piece (Content-Length) as soon as it has it.
 */

export type StreamEvent =
  | { readonly kind: "status"; readonly code: number }
  | { readonly kind: "body"; readonly data: Buffer }
  | { readonly kind: "end" };

export class MalformedResponseError extends Error {
  readonly code = "MALFORMED_RESPONSE";
}

type Part = "status" | "headers" | "chunk-size" | "chunk-body" | "chunk-crlf" | "trailer" | "length-body" | "done";

const CRLF = Buffer.from("\r\n");

export class HttpStreamParser {
  private buf: Buffer = Buffer.alloc(0);
  private part: Part = "status";
  private chunked = false;
  private remaining = 0;

  /** Feeds bytes; returns what they completed. */
  push(data: Buffer): StreamEvent[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, data]) : data;
    const events: StreamEvent[] = [];
    for (;;) {
      const before = this.buf.length;
      const partBefore = this.part;
      this.step(events);
      if (this.part === "done" || (this.buf.length === before && this.part === partBefore)) return events;
    }
  }

  private line(): string | null {
    const i = this.buf.indexOf(CRLF);
    if (i < 0) return null;
    const l = this.buf.subarray(0, i).toString("latin1");
    this.buf = this.buf.subarray(i + 2);
    return l;
  }

  private step(events: StreamEvent[]): void {
    switch (this.part) {
      case "status": {
        const l = this.line();
        if (l === null) return;
        const m = /^(HTTP\/\S+)\s+(\d+)/.exec(l);
        if (!m) throw new MalformedResponseError(`bad status line ${JSON.stringify(l)}`);
        events.push({ kind: "status", code: Number(m[2]) });
        this.part = "headers";
        return;
      }
      case "headers": {
        const l = this.line();
        if (l === null) return;
        if (l === "") {
          this.part = this.chunked ? "chunk-size" : "length-body";
          if (!this.chunked && this.remaining === 0) {
            events.push({ kind: "end" });
            this.part = "done";
          }
          return;
        }
        const colon = l.indexOf(":");
        if (colon <= 0) return;
        const name = l.slice(0, colon).trim().toLowerCase();
        const value = l.slice(colon + 1).trim();
        if (name === "transfer-encoding") this.chunked = value.toLowerCase() === "chunked";
        else if (name === "content-length") this.remaining = Number(value) || 0;
        return;
      }
      case "chunk-size": {
        const l = this.line();
        if (l === null || l === "") return;
        const size = parseInt(l.split(/[\s;]/)[0]!, 16);
        if (Number.isNaN(size)) throw new MalformedResponseError(`bad chunk size ${JSON.stringify(l)}`);
        this.remaining = size;
        this.part = size === 0 ? "trailer" : "chunk-body";
        return;
      }
      case "chunk-body": {
        if (this.buf.length < this.remaining) return;
        events.push({ kind: "body", data: Buffer.from(this.buf.subarray(0, this.remaining)) });
        this.buf = this.buf.subarray(this.remaining);
        this.part = "chunk-crlf";
        return;
      }
      case "chunk-crlf": {
        if (this.line() === null) return;
        this.part = "chunk-size";
        return;
      }
      case "trailer": {
        const l = this.line();
        if (l === null) return;
        if (l === "") {
          events.push({ kind: "end" });
          this.part = "done";
        }
        return;
      }
      case "length-body": {
        if (this.buf.length === 0) return;
        const piece = this.buf.subarray(0, this.remaining);
        this.buf = this.buf.subarray(piece.length);
        this.remaining -= piece.length;
        events.push({ kind: "body", data: Buffer.from(piece) });
        if (this.remaining === 0) {
          events.push({ kind: "end" });
          this.part = "done";
        }
        return;
      }
      case "done":
        return;
    }
  }
}
