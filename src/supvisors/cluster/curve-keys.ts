/**
 * CURVE keys of the internal bus (ours), derived from the cluster's internal key so that every
 * instance computes the same ones without a new setting: HKDF-SHA256 of the key gives two
 * Curve25519 secret keys (the PUB sockets' server key pair, the SUB sockets' client key pair);
 * X25519 gives their public keys; ZeroMQ takes them in Z85 (RFC 32). A SUB that does not know the
 * server's public key (i.e. the internal key) cannot complete the CURVE handshake, and what
 * travels on the bus is encrypted. The messages stay signed as before.
 */
import { createPrivateKey, createPublicKey, hkdfSync } from "node:crypto";

export interface CurveKeyPair {
  /** Z85, 40 characters. */
  readonly publicKey: string;
  readonly secretKey: string;
}

export interface BusCurveKeys {
  /** The PUB side (every instance's, the same): curveServer with this secret key. */
  readonly server: CurveKeyPair;
  /** The SUB side. */
  readonly client: CurveKeyPair;
}

const Z85 = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

/** Z85 of a buffer whose length is a multiple of 4. */
export function z85Encode(data: Uint8Array): string {
  if (data.length % 4 !== 0) throw new RangeError("Z85 needs a multiple of 4 bytes");
  let out = "";
  for (let i = 0; i < data.length; i += 4) {
    let value = ((data[i]! << 24) >>> 0) + (data[i + 1]! << 16) + (data[i + 2]! << 8) + data[i + 3]!;
    const chunk: string[] = [];
    for (let j = 0; j < 5; j++) {
      chunk.unshift(Z85[value % 85]!);
      value = Math.floor(value / 85);
    }
    out += chunk.join("");
  }
  return out;
}

export function z85Decode(text: string): Buffer {
  if (text.length % 5 !== 0) throw new RangeError("Z85 text length must be a multiple of 5");
  const out = Buffer.alloc((text.length / 5) * 4);
  for (let i = 0; i < text.length; i += 5) {
    let value = 0;
    for (let j = 0; j < 5; j++) {
      const d = Z85.indexOf(text[i + j]!);
      if (d < 0) throw new RangeError(`not a Z85 character: ${text[i + j]}`);
      value = value * 85 + d;
    }
    out.writeUInt32BE(value >>> 0, (i / 5) * 4);
  }
  return out;
}

/** PKCS#8 wrapping of a raw X25519 private key (RFC 8410). */
const PKCS8_X25519_PREFIX = Buffer.from("302e020100300506032b656e04220420", "hex");

/** The Curve25519 public key of a 32-byte secret key (clamped by X25519, as libsodium does). */
export function curvePublicOf(secret: Uint8Array): Buffer {
  const key = createPrivateKey({ key: Buffer.concat([PKCS8_X25519_PREFIX, secret]), format: "der", type: "pkcs8" });
  const spki = createPublicKey(key).export({ format: "der", type: "spki" });
  return spki.subarray(spki.length - 32);
}

function pairFrom(internalKey: string, label: string): CurveKeyPair {
  const secret = Buffer.from(hkdfSync("sha256", internalKey, "supvisors-ts internal bus", `curve ${label} v1`, 32));
  return { publicKey: z85Encode(curvePublicOf(secret)), secretKey: z85Encode(secret) };
}

export function busCurveKeys(internalKey: string): BusCurveKeys {
  return { server: pairFrom(internalKey, "server"), client: pairFrom(internalKey, "client") };
}
