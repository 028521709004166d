/**
 * The key that signs internal messages. Every instance of a cluster has the same HTTP
 * credentials (Supvisors requires it for its own XML-RPC calls), so a key derived from them is
 * shared without any new setting; `internal_key` sets one explicitly. scrypt, not a bare hash,
 * so a captured signed message does not make the password cheap to guess.
 */
import { scryptSync } from "node:crypto";

const SALT_PREFIX = "supvisors-ts internal key v1\0";

/**
 * `internal_key` when given, else derived from the [inet_http_server] username and password as
 * written (so all instances must write them the same way, cleartext or {SHA}), else null: the
 * cluster then runs unauthenticated, like an HTTP server without credentials.
 */
export function internalKeyOf(option: string | null, auth: { readonly username: string; readonly password: string } | null): string | null {
  if (option !== null) return option;
  if (auth === null) return null;
  return scryptSync(auth.password, SALT_PREFIX + auth.username, 32).toString("hex");
}
