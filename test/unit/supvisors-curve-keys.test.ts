/**
 * The internal bus's CURVE keys (ours): Z85 as libzmq writes it, Curve25519 public keys as
 * libzmq computes them (checked against zeromq's own curveKeyPair), derived deterministically
 * from the internal key (same key, same pairs; another key, other pairs).
 */
import t from "tap";
import * as zmq from "zeromq";
import { busCurveKeys, curvePublicOf, z85Decode, z85Encode } from "../../src/supvisors/cluster/curve-keys.js";

t.test("Z85 of RFC 32's example", async (t) => {
  const bytes = Buffer.from([0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b]);
  t.equal(z85Encode(bytes), "HelloWorld");
  t.same(z85Decode("HelloWorld"), bytes);
  t.throws(() => z85Encode(Buffer.alloc(3)), RangeError);
});

t.test("public keys agree with libzmq's", async (t) => {
  for (let i = 0; i < 10; i++) {
    const pair = zmq.curveKeyPair();
    const secret = z85Decode(pair.secretKey);
    t.equal(z85Encode(secret), pair.secretKey, "Z85 round trip");
    t.equal(z85Encode(curvePublicOf(secret)), pair.publicKey, "the same public key");
  }
});

t.test("derived from the internal key, deterministically", async (t) => {
  const a = busCurveKeys("secret-1");
  t.same(busCurveKeys("secret-1"), a, "same key, same pairs");
  t.not(busCurveKeys("secret-2").server.secretKey, a.server.secretKey, "another key, another pair");
  t.not(a.server.secretKey, a.client.secretKey, "server and client pairs differ");
  t.equal(a.server.publicKey.length, 40);
  t.equal(z85Encode(curvePublicOf(z85Decode(a.client.secretKey))), a.client.publicKey);
});
