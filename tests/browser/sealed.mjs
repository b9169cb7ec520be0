// Opens a value the server sealed at rest (docs/envelope.md) with the content key of its key file,
// so that a test can check what was stored without the server: XChaCha20-Poly1305 (IETF) from
// Node's ChaCha20-Poly1305 and an HChaCha20 subkey.
import crypto from "node:crypto";
import fs from "node:fs";

function rotl(v, c) {
  return ((v << c) | (v >>> (32 - c))) >>> 0;
}

function hchacha20(key, nonce16) {
  const s = new Uint32Array(16);
  s.set([0x61707865, 0x3320646e, 0x79622d32, 0x6b206574]);
  for (let i = 0; i < 8; i++) s[4 + i] = key.readUInt32LE(4 * i);
  for (let i = 0; i < 4; i++) s[12 + i] = nonce16.readUInt32LE(4 * i);
  const qr = (a, b, c, d) => {
    s[a] = (s[a] + s[b]) >>> 0;
    s[d] = rotl(s[d] ^ s[a], 16);
    s[c] = (s[c] + s[d]) >>> 0;
    s[b] = rotl(s[b] ^ s[c], 12);
    s[a] = (s[a] + s[b]) >>> 0;
    s[d] = rotl(s[d] ^ s[a], 8);
    s[c] = (s[c] + s[d]) >>> 0;
    s[b] = rotl(s[b] ^ s[c], 7);
  };
  for (let round = 0; round < 10; round++) {
    qr(0, 4, 8, 12);
    qr(1, 5, 9, 13);
    qr(2, 6, 10, 14);
    qr(3, 7, 11, 15);
    qr(0, 5, 10, 15);
    qr(1, 6, 11, 12);
    qr(2, 7, 8, 13);
    qr(3, 4, 9, 14);
  }
  const out = Buffer.alloc(32);
  [0, 1, 2, 3, 12, 13, 14, 15].forEach((word, i) => out.writeUInt32LE(s[word], 4 * i));
  return out;
}

function xchachaOpen(key, nonce24, sealed, ad) {
  const subkey = hchacha20(key, nonce24.subarray(0, 16));
  const iv = Buffer.concat([Buffer.alloc(4), nonce24.subarray(16, 24)]);
  const decipher = crypto.createDecipheriv("chacha20-poly1305", subkey, iv, { authTagLength: 16 });
  decipher.setAAD(ad, { plaintextLength: sealed.length - 16 });
  decipher.setAuthTag(sealed.subarray(sealed.length - 16));
  return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - 16)), decipher.final()]);
}

/** The plain text of a sealed value of table.column for record, with the key file's content key. */
export function openSealed(keyFile, table, column, record, sealed) {
  const contentKey = Buffer.from(JSON.parse(fs.readFileSync(keyFile, "utf8")).content_key, "hex");
  let ad = "kindband-sealed-v1";
  for (const part of [table, column, record]) ad += `\n${Buffer.byteLength(part)}:${part}`;
  const adBytes = Buffer.from(ad);
  const blob = Buffer.from(sealed.split(".")[2], "base64url");
  const dataKey = xchachaOpen(contentKey, blob.subarray(0, 24), blob.subarray(24, 72), adBytes);
  return xchachaOpen(dataKey, blob.subarray(72, 96), blob.subarray(96), adBytes).toString("utf8");
}
