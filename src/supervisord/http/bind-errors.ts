/**
 * Why an HTTP server could not be opened, with supervisord's exact messages (spec §7.2). The
 * daemon prints `Error: <message>` and exits 2, like supervisord's `usage()`.
 */
import { constants } from "node:os";

/** TLS_MATERIAL (ours): the certfile/keyfile of an HTTPS server cannot be used. */
export type HttpBindErrorCode = "ADDRESS_IN_USE" | "SOCKET_ERROR" | "CHOWN_NOT_PERMITTED" | "TLS_MATERIAL";

export class HttpBindError extends Error {
  constructor(
    readonly code: HttpBindErrorCode,
    message: string,
    /** The server section that failed. */
    readonly section: string,
  ) {
    super(message);
    this.name = "HttpBindError";
  }
}

export const ADDRESS_IN_USE_MESSAGE =
  "Another program is already listening on a port that one of our HTTP servers is configured to use.  " +
  "Shut this program down first before starting supervisord.";

/** Maps a listen/bind failure to supervisord's message. */
export function bindErrorFrom(err: unknown, section: string): HttpBindError {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  if (code === "EADDRINUSE") return new HttpBindError("ADDRESS_IN_USE", ADDRESS_IN_USE_MESSAGE, section);
  const errno = code ? (constants.errno as Record<string, number>)[code] : undefined;
  const help = "Cannot open an HTTP server: socket.error reported";
  const message =
    code && errno !== undefined ? `${help} errno.${code} (${errno})` : `${help} ${code ?? (err instanceof Error ? err.message : String(err))}`;
  return new HttpBindError("SOCKET_ERROR", message, section);
}

export function chownNotPermitted(file: string, uid: number, gid: number, user: string, section: string): HttpBindError {
  return new HttpBindError(
    "CHOWN_NOT_PERMITTED",
    `Not permitted to chown ${file} to uid/gid (${uid}, ${gid}); adjust "sockchown" value in config file or ` +
      `on command line to values that the current user (${user}) can successfully chown`,
    section,
  );
}
