/**
 * Ours: what the ctl needs for an https:// server URL. The CA comes from `SUPERVISOR_CA_FILE`
 * or `[supervisorctl] ca_file` (else the system CAs, plus NODE_EXTRA_CA_CERTS as Node reads it);
 * verification is always on. A CA file that cannot be used and a refused certificate are
 * TlsErrors, printed as one `error: ...` line.
 */
import { readFileSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import { describeTlsFailure, tlsFailureOf } from "../protocol/tls-errors.js";
import { TlsError } from "./errors.js";

const cache = new Map<string, Buffer>();

/** The PEM bundle of `caFile` (read once), or undefined for the system CAs. */
export function caBundle(caFile: string | null | undefined): Buffer | undefined {
  if (!caFile) return undefined;
  const hit = cache.get(caFile);
  if (hit) return hit;
  let pem: Buffer;
  try {
    pem = readFileSync(caFile);
  } catch (e) {
    throw new TlsError(`cannot read the CA file ${caFile} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    new X509Certificate(pem);
  } catch {
    throw new TlsError(`the CA file ${caFile} holds no PEM certificate`);
  }
  cache.set(caFile, pem);
  return pem;
}

/** SNI wants a name, never an address (Node warns about one). */
export function serverName(host: string): string | undefined {
  return isIP(host) === 0 ? host : undefined;
}

/** A TLS failure of a request to `url` as a TlsError; null when `err` is something else. */
export function tlsErrorOf(err: unknown, url: string): TlsError | null {
  const f = tlsFailureOf(err);
  return f ? new TlsError(describeTlsFailure(f, url)) : null;
}
