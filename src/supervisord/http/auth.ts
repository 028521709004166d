/**
 * HTTP Basic authentication as supervisord checks it (spec §7.3): realm "default", clear or
 * `{SHA}`-hashed passwords, 400 for an undecodable Basic payload. A payload without `:` is a
 * plain 401 here (the reference crashes with a 500).
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { Credentials } from "../config/types.js";

export type AuthVerdict = "ok" | "unauthorized" | "malformed";

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** base64.decodebytes: non-alphabet characters are skipped; wrong padding is an error. */
function decodeBase64Lenient(s: string): Buffer | null {
  const cleaned = s.replace(/[^A-Za-z0-9+/=]/g, "");
  const eq = cleaned.indexOf("=");
  const data = eq >= 0 ? cleaned.slice(0, eq) : cleaned;
  const rem = data.length % 4;
  if (rem === 1) return null;
  if (rem !== 0) {
    const padding = eq >= 0 ? cleaned.slice(eq).replace(/[^=]/g, "").length : 0;
    if (padding < 4 - rem) return null;
  }
  return Buffer.from(data, "base64");
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function passwordMatches(stored: string, given: string): boolean {
  if (stored.startsWith("{SHA}")) {
    return sameText(stored.slice(5), createHash("sha1").update(given, "utf8").digest("hex"));
  }
  return sameText(stored, given);
}

/** Checks an `Authorization` header value against a server's credentials. */
export function checkBasicAuth(header: string | undefined, creds: Credentials): AuthVerdict {
  if (!header) return "unauthorized";
  const m = /^(\S+) (.*)$/s.exec(header);
  if (!m) return "unauthorized";
  if (m[1]!.toLowerCase() !== "basic") return "unauthorized";
  const raw = decodeBase64Lenient(m[2]!);
  if (!raw) return "malformed";
  let decoded: string;
  try {
    decoded = utf8.decode(raw);
  } catch {
    return "malformed";
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) return "unauthorized";
  const user = decoded.slice(0, colon);
  const pass = decoded.slice(colon + 1);
  return user === creds.username && passwordMatches(creds.password, pass) ? "ok" : "unauthorized";
}
