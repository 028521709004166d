/**
 * `tls_ca_file` (ours): the PEM CA bundle the instances verify each other's HTTPS servers with.
 * Checked when the options are read, so a wrong path stops start-up at the option's line.
 */
import { readFileSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import { ValueProblem } from "../../supervisord/config/errors.js";

/** The path, once it is known to hold a PEM certificate; a ValueProblem otherwise. */
export function readableCaFile(path: string): string {
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (e) {
    throw new ValueProblem(`cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    new X509Certificate(pem);
  } catch {
    throw new ValueProblem(`${path} holds no PEM certificate`);
  }
  return path;
}
