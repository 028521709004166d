/**
 * The request's form, like supervisord's view context: query-string fields, plus the fields of a
 * form-encoded POST body. Blank values count as absent (Python's parse_qs drops them).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendError } from "../supervisord/http/medusa.js";

export type Form = ReadonlyMap<string, string>;

/** Largest POST body the pages accept; an action form is a few dozen bytes. */
export const MAX_FORM_BYTES = 64 * 1024;

export class FormTooLarge extends Error {
  override readonly name = "FormTooLarge";
}

/** Parses `a=1&b=x+y` into a map; the first non-blank value of a field wins. */
export function parseForm(...sources: (string | null)[]): Map<string, string> {
  const form = new Map<string, string>();
  for (const src of sources) {
    if (!src) continue;
    for (const [k, v] of new URLSearchParams(src)) {
      if (v !== "" && !form.has(k)) form.set(k, v);
    }
  }
  return form;
}

/**
 * Reads a POST body (as text) up to `limit` bytes; other methods have none. Past the limit the
 * rest is drained, not destroyed: the caller answers 413 and the connection closes after it.
 */
export function readFormBody(req: IncomingMessage, limit = MAX_FORM_BYTES): Promise<string | null> {
  if (req.method !== "POST") return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off("data", onData);
      req.off("end", onEnd);
      req.resume();
      reject(new FormTooLarge(`form body over ${limit} bytes`));
    };
    const onEnd = () => resolve(Buffer.concat(chunks).toString("utf8"));
    req.on("data", onData);
    req.on("end", onEnd);
    req.once("error", reject);
  });
}

/** The form of a page request (query + POST body); null once a too large body was answered 413. */
export async function requestForm(ctx: { readonly req: IncomingMessage; readonly res: ServerResponse; readonly query: string | null }): Promise<Form | null> {
  try {
    return parseForm(ctx.query, await readFormBody(ctx.req));
  } catch (err) {
    if (!(err instanceof FormTooLarge)) throw err;
    sendError(ctx.res, 413, { Connection: "close" });
    return null;
  }
}
