/**
 * Failures the ctl client can meet, each able to print itself the way Python's supervisorctl
 * reports an unexpected exception: `error: <class 'T'>, <str(value)>: file: <f> line: <n>`
 * (spec §10.1). Scripts grep these lines, so the class names, messages and even the
 * Python source locations of the reference (Debian's supervisor 4.2.5 on Python 3.11) are
 * reproduced textually.
 */
import { pythonStrRepr } from "../supervisord/text.js";

const SUPERVISOR_PKG = "/usr/lib/python3/dist-packages/supervisor";
const PY_LIB = "/usr/lib/python3.11";

/** Where the reference would have raised the exception (last traceback frame). */
export interface PythonOrigin {
  readonly file: string;
  readonly line: number;
}

export abstract class CtlError extends Error {
  abstract readonly code: string;
  /** e.g. `xmlrpc.client.Fault` or `ConnectionRefusedError`. */
  abstract readonly pythonClass: string;
  abstract readonly pythonOrigin: PythonOrigin;
  /** Python's str() of the exception. */
  abstract pythonStr(): string;
}

/** An XML-RPC fault answer. */
export class XmlRpcFault extends CtlError {
  readonly code = "RPC_FAULT";
  readonly pythonClass = "xmlrpc.client.Fault";
  readonly pythonOrigin = { file: `${PY_LIB}/xmlrpc/client.py`, line: 668 };
  constructor(
    readonly faultCode: number,
    readonly faultString: string,
  ) {
    super(`fault ${faultCode}: ${faultString}`);
  }
  pythonStr(): string {
    return `<Fault ${this.faultCode}: ${pythonStrRepr(this.faultString)}>`;
  }
}

/** A non-200 HTTP answer to an XML-RPC POST (Python's xmlrpc.client.ProtocolError). */
export class HttpStatusError extends CtlError {
  readonly code = "HTTP_STATUS";
  readonly pythonClass = "xmlrpc.client.ProtocolError";
  readonly pythonOrigin = { file: `${SUPERVISOR_PKG}/xmlrpc.py`, line: 539 };
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(`HTTP ${status} ${reason}`);
  }
  pythonStr(): string {
    // supervisorctl talks to a fake "http://127.0.0.1" ServerProxy whatever the real URL is.
    return `<ProtocolError for 127.0.0.1/RPC2: ${this.status} ${this.reason}>`;
  }
}

interface ErrnoInfo {
  readonly errno: number;
  readonly pythonClass: string;
  readonly message: string;
}
const ERRNO: Readonly<Record<string, ErrnoInfo>> = {
  ENOENT: { errno: 2, pythonClass: "FileNotFoundError", message: "No such file or directory" },
  EACCES: { errno: 13, pythonClass: "PermissionError", message: "Permission denied" },
  ENOTDIR: { errno: 20, pythonClass: "NotADirectoryError", message: "Not a directory" },
  EPIPE: { errno: 32, pythonClass: "BrokenPipeError", message: "Broken pipe" },
  EADDRNOTAVAIL: { errno: 99, pythonClass: "OSError", message: "Cannot assign requested address" },
  ENETUNREACH: { errno: 101, pythonClass: "OSError", message: "Network is unreachable" },
  ECONNRESET: { errno: 104, pythonClass: "ConnectionResetError", message: "Connection reset by peer" },
  ETIMEDOUT: { errno: 110, pythonClass: "TimeoutError", message: "Connection timed out" },
  ECONNREFUSED: { errno: 111, pythonClass: "ConnectionRefusedError", message: "Connection refused" },
  EHOSTUNREACH: { errno: 113, pythonClass: "OSError", message: "No route to host" },
  ENOTSOCK: { errno: 88, pythonClass: "OSError", message: "Socket operation on non-socket" },
};

/** A socket-level failure (connect or I/O); `errnoCode` is Node's code such as ECONNREFUSED. */
export class SocketError extends CtlError {
  readonly code = "SOCKET";
  readonly pythonClass: string;
  readonly pythonOrigin: PythonOrigin;
  private readonly info: ErrnoInfo;
  constructor(
    readonly errnoCode: string,
    readonly transport: "unix" | "tcp",
  ) {
    super(`socket error ${errnoCode}`);
    this.info = ERRNO[errnoCode] ?? { errno: 5, pythonClass: "OSError", message: errnoCode };
    this.pythonClass = this.info.pythonClass;
    // The unix connect is supervisor's own UnixStreamHTTPConnection.connect; TCP fails inside
    // socket.create_connection.
    this.pythonOrigin =
      transport === "unix" ? { file: `${SUPERVISOR_PKG}/xmlrpc.py`, line: 557 } : { file: `${PY_LIB}/socket.py`, line: 836 };
  }
  pythonStr(): string {
    return `[Errno ${this.info.errno}] ${this.info.message}`;
  }
}

/** The host name of an http:// server URL did not resolve. */
export class HostLookupError extends CtlError {
  readonly code = "HOST_LOOKUP";
  readonly pythonClass = "socket.gaierror";
  readonly pythonOrigin = { file: `${PY_LIB}/socket.py`, line: 962 };
  constructor(readonly host: string) {
    super(`cannot resolve ${host}`);
  }
  pythonStr(): string {
    return "[Errno -2] Name or service not known";
  }
}

/** The server closed the connection without answering (http.client.RemoteDisconnected). */
export class RemoteDisconnectedError extends CtlError {
  readonly code = "REMOTE_DISCONNECTED";
  readonly pythonClass = "http.client.RemoteDisconnected";
  readonly pythonOrigin = { file: `${PY_LIB}/http/client.py`, line: 287 };
  constructor() {
    super("Remote end closed connection without response");
  }
  pythonStr(): string {
    return this.message;
  }
}

/** The answer was not a well-formed XML-RPC response. */
export class BadResponseError extends CtlError {
  readonly code = "BAD_RESPONSE";
  readonly pythonClass = "xml.parsers.expat.ExpatError";
  readonly pythonOrigin = { file: `${PY_LIB}/xmlrpc/client.py`, line: 451 };
  constructor(detail: string) {
    super(detail);
  }
  pythonStr(): string {
    return this.message;
  }
}

/** The server URL has a scheme other than http:// or unix://. */
export class UnknownProtocolError extends CtlError {
  readonly code = "UNKNOWN_PROTOCOL";
  readonly pythonClass = "ValueError";
  readonly pythonOrigin = { file: `${SUPERVISOR_PKG}/xmlrpc.py`, line: 505 };
  constructor(readonly serverurl: string) {
    super(`Unknown protocol for serverurl ${serverurl}`);
  }
  pythonStr(): string {
    return this.message;
  }
}

/**
 * Ours: an https:// server URL whose TLS failed (certificate refused, no TLS on the port) or
 * whose CA file could not be read. The reference has no https, so there is no Python shape to
 * copy: formatUnexpected prints `error: <message>`, one clear line.
 */
export class TlsError extends CtlError {
  readonly code = "TLS";
  readonly pythonClass = "ssl.SSLError";
  readonly pythonOrigin = { file: `${PY_LIB}/ssl.py`, line: 0 };
  constructor(message: string) {
    super(message);
  }
  pythonStr(): string {
    return this.message;
  }
}

/** Where supervisorctl.py raises "Unknown result code" for each result formatter. */
export type ResultKind = "start" | "signal" | "clear";
const RESULT_LINES: Readonly<Record<ResultKind, number>> = { start: 761, signal: 835, clear: 1260 };

/** A per-process result carried a fault code the command has no wording for. */
export class UnknownResultCodeError extends CtlError {
  readonly code = "UNKNOWN_RESULT_CODE";
  readonly pythonClass = "ValueError";
  readonly pythonOrigin: PythonOrigin;
  constructor(faultCode: number, name: string, kind: ResultKind) {
    super(`Unknown result code ${faultCode} for ${name}`);
    this.pythonOrigin = { file: `${SUPERVISOR_PKG}/supervisorctl.py`, line: RESULT_LINES[kind] };
  }
  pythonStr(): string {
    return this.message;
  }
}

/** Where supervisorctl.py reads a line with raw_input (EOFError is raised there on Ctrl-D). */
export type PromptSite = "auth" | "shutdown" | "reload" | "fg" | "getpass";
const PROMPT_LINES: Readonly<Record<Exclude<PromptSite, "getpass">, number>> = { auth: 212, shutdown: 987, reload: 1027, fg: 1380 };

/** End of input where a confirmation or a credential was expected (Python's EOFError). */
export class EndOfInputError extends CtlError {
  readonly code = "END_OF_INPUT";
  readonly pythonClass = "EOFError";
  readonly pythonOrigin: PythonOrigin;
  constructor(site: PromptSite) {
    // getpass raises a bare EOFError (empty message) from its own module.
    super(site === "getpass" ? "" : "EOF when reading a line");
    this.pythonOrigin =
      site === "getpass"
        ? { file: `${PY_LIB}/getpass.py`, line: 148 }
        : { file: `${SUPERVISOR_PKG}/supervisorctl.py`, line: PROMPT_LINES[site] };
  }
  pythonStr(): string {
    return this.message;
  }
}

/** The one-line report of an unexpected exception, as supervisorctl's onecmd prints it. */
export function formatUnexpected(err: unknown): string {
  if (err instanceof TlsError) return `error: ${err.message}`;
  if (err instanceof CtlError) {
    const o = err.pythonOrigin;
    return `error: <class '${err.pythonClass}'>, ${err.pythonStr()}: file: ${o.file} line: ${o.line}`;
  }
  // A bug of ours: still one line, never a stack trace, and recognisably the same shape.
  const msg = err instanceof Error ? err.message : String(err);
  const name = err instanceof Error ? err.name : "Exception";
  return `error: <class '${name}'>, ${msg}: file: supervisorctl line: 0`;
}
