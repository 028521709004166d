/**
 * One websocket frame of the event interface to a typed event. The daemon sends each event as
 * one text frame holding the JSON array `["<header>", <body>]` (spec supvisors.md §7.1).
 */
import { SupvisorsEventHeaders, type SupvisorsEventHeader } from "../protocol/supvisors.js";
import type { SupvisorsEvent } from "./event-types.js";

const HEADERS: ReadonlySet<string> = new Set(SupvisorsEventHeaders);

export class EventFrameError extends Error {
  override readonly name = "EventFrameError";
  constructor(
    message: string,
    /** The start of the frame, for a log. */
    readonly frame: string,
  ) {
    super(message);
  }
}

/**
 * The event in a frame; null for a well-formed event under a header this client does not know
 * (a newer daemon's), which is skipped rather than failed. EventFrameError for anything else.
 */
export function parseEventFrame(text: string): SupvisorsEvent | null {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new EventFrameError(`an event frame is not JSON: ${(err as Error).message}`, text.slice(0, 200));
  }
  if (!Array.isArray(data) || data.length !== 2 || typeof data[0] !== "string") {
    throw new EventFrameError('an event frame is not ["header", body]', text.slice(0, 200));
  }
  const [header, body] = data as [string, unknown];
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new EventFrameError(`the body of a ${header} event is not an object`, text.slice(0, 200));
  }
  if (!HEADERS.has(header)) return null;
  return { header, body } as SupvisorsEvent;
}

/** The URL path that subscribes to `headers` (`/all` for every one, or when none is named). */
export function subscriptionPath(headers: readonly SupvisorsEventHeader[] | undefined): string {
  if (headers === undefined) return "/all";
  if (headers.length === 0) throw new TypeError("no event header to subscribe to");
  for (const h of headers) if (!HEADERS.has(h)) throw new TypeError(`unknown event header ${JSON.stringify(h)}: one of ${SupvisorsEventHeaders.join(", ")} expected`);
  if (SupvisorsEventHeaders.every((h) => headers.includes(h))) return "/all";
  return "/" + [...new Set(headers)].join("/");
}
