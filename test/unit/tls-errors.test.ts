/** The clients' reading of Node's TLS errors (src/protocol/tls-errors.ts). */
import t from "tap";
import { describeTlsFailure, tlsFailureOf } from "../../src/protocol/tls-errors.js";

const err = (code: string, message: string) => Object.assign(new Error(message), { code });

t.test("certificate refusals", async (t) => {
  const f = tlsFailureOf(err("UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify the first certificate"));
  t.same(f, { kind: "verify", code: "UNABLE_TO_VERIFY_LEAF_SIGNATURE", reason: "unable to verify the first certificate" });
  t.equal(describeTlsFailure(f!, "https://h:1"), "TLS certificate verification failed for https://h:1: unable to verify the first certificate (UNABLE_TO_VERIFY_LEAF_SIGNATURE)");
  t.equal(tlsFailureOf(err("ERR_TLS_CERT_ALTNAME_INVALID", "Hostname/IP does not match"))?.kind, "verify");
  t.equal(tlsFailureOf(err("CERT_HAS_EXPIRED", "certificate has expired"))?.kind, "verify");
});

t.test("handshake failures keep OpenSSL's reason only", async (t) => {
  const f = tlsFailureOf(err("ERR_SSL_WRONG_VERSION_NUMBER", "C0B7:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n"));
  t.same(f, { kind: "handshake", code: "ERR_SSL_WRONG_VERSION_NUMBER", reason: "wrong version number" });
  t.equal(describeTlsFailure(f!, "https://h:1"), "TLS handshake with https://h:1 failed: wrong version number");
});

t.test("anything else is not a TLS failure", async (t) => {
  t.equal(tlsFailureOf(err("ECONNREFUSED", "connect ECONNREFUSED")), null);
  t.equal(tlsFailureOf(new Error("no code")), null);
  t.equal(tlsFailureOf(null), null);
});
