/**
 * `[inet_http_server*]` and `[unix_http_server*]` (server_configs_from_parser): every section
 * whose name starts with those words, inet ones first, in file order.
 */
import { ConfigError, ValueProblem } from "../errors.js";
import { at, locate, saneget, type ReadContext } from "../context.js";
import { colonSeparatedUserGroup, inetAddress, normalizePath, octal } from "../datatypes.js";
import { pyStrip } from "../pystr.js";
import type { Credentials, InetTlsConfig, ServerConfig } from "../types.js";

function credentials(ctx: ReadContext, section: string): Credentials | null {
  const username = saneget(ctx, section, "username");
  const password = saneget(ctx, section, "password");
  if (username === null && password === null) return null;
  if (username === null || password === null) {
    throw new ConfigError(
      `Section [${section}] contains incomplete authentication: If a username or a password is specified, both the username and password must be specified`,
      "VALUE",
      locate(ctx, section, username === null ? "username" : "password"),
    );
  }
  return { username, password };
}

/**
 * Ours: `certfile` and `keyfile` (PEM paths, `%(here)s` known) turn the inet server into an HTTPS
 * one. Both or neither; the files themselves are read when the server opens (a reload re-reads
 * them), so that supervisorctl, which never opens them, is not stopped by their permissions.
 */
function tlsOptions(ctx: ReadContext, section: string): InetTlsConfig | null {
  const here: [string, string][] = [["here", ctx.here]];
  const certfile = saneget(ctx, section, "certfile", { expansions: here });
  const keyfile = saneget(ctx, section, "keyfile", { expansions: here });
  if (certfile === null && keyfile === null) return null;
  const given = (v: string | null): v is string => v !== null && pyStrip(v) !== "";
  if (!given(certfile) || !given(keyfile)) {
    // Located at the one that is there (its line is the one to fix).
    throw new ConfigError(
      `Section [${section}] contains incomplete TLS settings: If a certfile or a keyfile is specified, both the certfile and keyfile must be specified`,
      "VALUE",
      locate(ctx, section, given(certfile) || certfile !== null ? "certfile" : "keyfile"),
    );
  }
  return { certfile: normalizePath(pyStrip(certfile), ctx), keyfile: normalizePath(pyStrip(keyfile), ctx) };
}

export function serverConfigsFromParser(ctx: ReadContext): ServerConfig[] {
  const out: ServerConfig[] = [];
  for (const section of ctx.doc.sections()) {
    if (!section.startsWith("inet_http_server")) continue;
    const auth = credentials(ctx, section);
    const port = saneget(ctx, section, "port");
    if (port === null) throw new ConfigError(`section [${section}] has no port value`, "MISSING", locate(ctx, section));
    const { host, port: portNumber } = at(ctx, section, "port", () => inetAddress(port));
    const tls = tlsOptions(ctx, section);
    out.push(tls ? { kind: "inet", section, host, port: portNumber, auth, tls } : { kind: "inet", section, host, port: portNumber, auth });
  }
  for (const section of ctx.doc.sections()) {
    if (!section.startsWith("unix_http_server")) continue;
    const sfile = saneget(ctx, section, "file", { expansions: [["here", ctx.here]] });
    if (sfile === null) throw new ConfigError(`section [${section}] has no file value`, "MISSING", locate(ctx, section));
    const file = normalizePath(pyStrip(sfile), ctx);
    const auth = credentials(ctx, section);
    const chownRaw = saneget(ctx, section, "chown");
    const chown =
      chownRaw === null
        ? null
        : at(ctx, section, "chown", () => {
            try {
              return colonSeparatedUserGroup(chownRaw, ctx.users);
            } catch {
              throw new ValueProblem(`Invalid sockchown value ${chownRaw}`);
            }
          });
    const chmodRaw = saneget(ctx, section, "chmod");
    const chmod =
      chmodRaw === null
        ? 0o700
        : at(ctx, section, "chmod", () => {
            try {
              return octal(chmodRaw);
            } catch {
              throw new ValueProblem(`Invalid chmod value ${chmodRaw}`);
            }
          });
    out.push({ kind: "unix", section, file, chmod, chown, auth });
  }
  return out;
}
