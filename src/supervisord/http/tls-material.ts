/**
 * The certificate and key of an HTTPS inet server (ours: `certfile` / `keyfile`), read and
 * checked before anything listens, so that a wrong file stops the daemon with one line naming it
 * (unreadable, not a PEM certificate, not a PEM key, key of another certificate) instead of a
 * TLS stack trace or a server that fails every handshake.
 */
import { readFile } from "node:fs/promises";
import { createPrivateKey, X509Certificate } from "node:crypto";
import { createSecureContext } from "node:tls";
import type { InetTlsConfig } from "../config/types.js";
import { HttpBindError } from "./bind-errors.js";

export interface TlsMaterial {
  /** PEM, the whole chain as the file has it. */
  readonly cert: Buffer;
  readonly key: Buffer;
}

function problem(section: string, text: string): HttpBindError {
  return new HttpBindError("TLS_MATERIAL", `Cannot open an HTTPS server: [${section}] ${text}`, section);
}

async function readPem(section: string, option: string, file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw problem(section, `${option} ${file} cannot be read (${err.code ?? err.message})`);
  }
}

/** Throws HttpBindError (code TLS_MATERIAL) with the file at fault. */
export async function loadTlsMaterial(tls: InetTlsConfig, section: string): Promise<TlsMaterial> {
  const cert = await readPem(section, "certfile", tls.certfile);
  const key = await readPem(section, "keyfile", tls.keyfile);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw problem(section, `certfile ${tls.certfile} is not a PEM certificate`);
  }
  let privateKey;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw problem(section, `keyfile ${tls.keyfile} is not a PEM private key (or it is encrypted)`);
  }
  if (!x509.checkPrivateKey(privateKey)) {
    throw problem(section, `keyfile ${tls.keyfile} is not the key of the certificate in certfile ${tls.certfile}`);
  }
  try {
    createSecureContext({ cert, key });
  } catch (e) {
    throw problem(section, `certfile ${tls.certfile} / keyfile ${tls.keyfile}: ${(e as Error).message}`);
  }
  return { cert, key };
}
