/**
 * Test certificates made at test time with the openssl CLI: a CA, a server certificate it signs
 * (SAN IP:127.0.0.1, DNS:localhost), and a second, unrelated CA (what a client that trusts the
 * wrong authority holds). Everything lives in one temp dir; `cleanup()` removes it.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const OPENSSL = "/usr/bin/openssl";

export interface TestPki {
  readonly dir: string;
  /** The CA that signed the server certificate. */
  readonly caCert: string;
  /** An unrelated CA. */
  readonly otherCaCert: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** A key that does not match serverCert. */
  readonly otherKey: string;
  cleanup(): void;
}

function openssl(args: readonly string[], cwd: string): void {
  execFileSync(OPENSSL, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

function makeCa(dir: string, name: string): { cert: string; key: string } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.pem`);
  openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2", "-subj", `/CN=${name}`,
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"], dir);
  return { cert, key };
}

export function makeTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), "tls-pki-"));
  try {
    const ca = makeCa(dir, "test-ca");
    const other = makeCa(dir, "other-ca");
    const serverKey = join(dir, "server.key");
    const csr = join(dir, "server.csr");
    const serverCert = join(dir, "server.pem");
    const ext = join(dir, "server.ext");
    writeFileSync(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
    openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", serverKey, "-out", csr, "-subj", "/CN=localhost"], dir);
    openssl(["x509", "-req", "-in", csr, "-CA", ca.cert, "-CAkey", ca.key, "-CAcreateserial", "-out", serverCert, "-days", "2", "-extfile", ext], dir);
    const otherKey = join(dir, "unrelated.key");
    openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", otherKey], dir);
    return {
      dir,
      caCert: ca.cert,
      otherCaCert: other.cert,
      serverCert,
      serverKey,
      otherKey,
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
