/**
 * What went wrong in a TLS connection, from Node's error codes, for the clients' one-line
 * messages (the ctl, the TypeScript client, the peer calls):
 * - `verify`: the server's certificate was refused (unknown authority, expired, wrong name...);
 * - `handshake`: no TLS at all or none we agree on (e.g. https:// to a plain HTTP port).
 * Imports nothing: every side shares it.
 */
export type TlsFailure = { readonly kind: "verify" | "handshake"; readonly code: string; readonly reason: string };

/** OpenSSL's X509 verification results as Node names them, and Node's own name check. */
const VERIFY_CODES = new Set([
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_CRL",
  "UNABLE_TO_DECRYPT_CERT_SIGNATURE",
  "UNABLE_TO_DECRYPT_CRL_SIGNATURE",
  "UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY",
  "CERT_SIGNATURE_FAILURE",
  "CRL_SIGNATURE_FAILURE",
  "CERT_NOT_YET_VALID",
  "CERT_HAS_EXPIRED",
  "CRL_NOT_YET_VALID",
  "CRL_HAS_EXPIRED",
  "ERROR_IN_CERT_NOT_BEFORE_FIELD",
  "ERROR_IN_CERT_NOT_AFTER_FIELD",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "CERT_CHAIN_TOO_LONG",
  "CERT_REVOKED",
  "INVALID_CA",
  "PATH_LENGTH_EXCEEDED",
  "INVALID_PURPOSE",
  "CERT_UNTRUSTED",
  "CERT_REJECTED",
  "HOSTNAME_MISMATCH",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

export function tlsFailureOf(err: unknown): TlsFailure | null {
  if (typeof err !== "object" || err === null) return null;
  const code = (err as { code?: unknown }).code;
  const message = (err as { message?: unknown }).message;
  if (typeof code !== "string") return null;
  const reason = typeof message === "string" ? message : code;
  if (VERIFY_CODES.has(code)) return { kind: "verify", code, reason };
  if (code.startsWith("ERR_SSL_") || code === "EPROTO" || code.startsWith("ERR_TLS_")) return { kind: "handshake", code, reason: conciseReason(reason) };
  return null;
}

/**
 * OpenSSL's texts carry a long prefix and a source location
 * (`C0B7...:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/...c:350:`).
 */
function conciseReason(reason: string): string {
  const m = /SSL routines:[^:]*:([^:\n]+)/.exec(reason);
  return m ? m[1]!.trim() : reason;
}

/** The one line a client prints, e.g. `TLS certificate verification failed for https://h:p: <reason>`. */
export function describeTlsFailure(f: TlsFailure, url: string): string {
  return f.kind === "verify"
    ? `TLS certificate verification failed for ${url}: ${f.reason} (${f.code})`
    : `TLS handshake with ${url} failed: ${f.reason}`;
}
