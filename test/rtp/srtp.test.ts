// SRTP/SRTCP transform (src/rtp/srtp.ts): packets protected by one side unprotect on the other,
// bytes match an independent RFC 3711 computation (key derivation checked against the RFC's
// Appendix B.3 vectors), and a wrong key or a flipped bit is counted as an authentication
// failure, never thrown.
import { createCipheriv, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateSdesKey, SRTP_SUITE, SrtpTransform, type NegotiatedSrtp } from '../../src/rtp/srtp.js';
import { RtpView } from '../../src/rtp/rtp-packet.js';

const inline = (keySalt: string) => ({ tag: 1, suite: SRTP_SUITE, keyParams: [{ method: 'inline', info: keySalt }], sessionParams: [] });
function pair(a = generateSdesKey().keySalt, b = generateSdesKey().keySalt): [SrtpTransform, SrtpTransform] {
  const x: NegotiatedSrtp = { suite: SRTP_SUITE, localCrypto: inline(a), remoteCrypto: inline(b) };
  const y: NegotiatedSrtp = { suite: SRTP_SUITE, localCrypto: inline(b), remoteCrypto: inline(a) };
  const tx = SrtpTransform.create(x);
  const ty = SrtpTransform.create(y);
  if (!tx.ok || !ty.ok) throw new Error('create failed');
  return [tx.value, ty.value];
}

function rtp(seq: number, ssrc = 0x11223344, payload = new Uint8Array(160).fill(0x55)): Uint8Array {
  const p = new Uint8Array(12 + payload.length);
  const v = new DataView(p.buffer);
  p[0] = 0x80;
  p[1] = 0;
  v.setUint16(2, seq);
  v.setUint32(4, seq * 160);
  v.setUint32(8, ssrc);
  p.set(payload, 12);
  return p;
}

// RFC 3711 §4.3.1 key derivation with AES-CM as the PRF (kdr = 0, so r = 0).
function derive(masterKey: Buffer, masterSalt: Buffer, label: number, length: number): Buffer {
  const x = Buffer.alloc(14);
  masterSalt.copy(x);
  x[7] = x[7]! ^ label;
  const iv = Buffer.concat([x, Buffer.alloc(2)]);
  const c = createCipheriv('aes-128-ctr', masterKey, iv);
  return c.update(Buffer.alloc(length));
}

describe('SRTP transform (RFC 3711, AES_CM_128_HMAC_SHA1_80)', () => {
  it('derives the session keys of RFC 3711 B.3 (the reference used below)', () => {
    const mk = Buffer.from('E1F97A0D3E018BE0D64FA32C06DE4139', 'hex');
    const ms = Buffer.from('0EC675AD498AFEEBB6960B3AABE6', 'hex');
    expect(derive(mk, ms, 0, 16).toString('hex').toUpperCase()).toBe('C61E7A93744F39EE10734AFE3FF7A087');
    expect(derive(mk, ms, 2, 14).toString('hex').toUpperCase()).toBe('30CBBC08863D8C85D49DB34A9AE1');
    expect(derive(mk, ms, 1, 20).toString('hex').toUpperCase()).toBe('CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4');
  });

  it('protects exactly as RFC 3711 §3.3 / §4.1.1 / §4.2 compute it', () => {
    const keySalt = Buffer.from(Array.from({ length: 30 }, (_, i) => (i * 37 + 11) & 0xff));
    const [tx] = pair(keySalt.toString('base64'));
    const plain = rtp(4711);
    const out = tx.protectRtp(plain, plain.length)!;
    expect(out.length).toBe(plain.length + 10);
    const mk = keySalt.subarray(0, 16);
    const ms = keySalt.subarray(16);
    const ke = derive(mk, ms, 0, 16);
    const ks = derive(mk, ms, 2, 14);
    const ka = derive(mk, ms, 1, 20);
    // IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16), i = ROC * 2^16 + SEQ with ROC = 0.
    const iv = Buffer.alloc(16);
    ks.copy(iv);
    iv.writeUInt32BE((iv.readUInt32BE(4) ^ 0x11223344) >>> 0, 4);
    iv.writeUInt16BE(iv.readUInt16BE(12) ^ 4711, 12);
    const enc = createCipheriv('aes-128-ctr', ke, iv).update(Buffer.from(plain.subarray(12)));
    expect(Buffer.from(out.subarray(0, 12)).equals(Buffer.from(plain.subarray(0, 12)))).toBe(true);
    expect(Buffer.from(out.subarray(12, plain.length)).equals(enc)).toBe(true);
    const tag = createHmac('sha1', ka).update(out.subarray(0, plain.length)).update(Buffer.alloc(4)).digest().subarray(0, 10);
    expect(Buffer.from(out.subarray(plain.length)).equals(tag)).toBe(true);
  });

  it('round-trips RTP and SRTCP between two ends, across a sequence wrap', () => {
    const [a, b] = pair();
    const view = new RtpView();
    for (const seq of [65534, 65535, 0, 1]) {
      const plain = rtp(seq);
      const wire = a.protectRtp(plain, plain.length)!;
      expect(Buffer.from(wire.subarray(12, 172)).equals(Buffer.from(plain.subarray(12)))).toBe(false);
      const back = b.unprotectRtp(wire)!;
      expect(back).toBeDefined();
      expect(view.read(back).ok).toBe(true);
      expect(view.sequenceNumber).toBe(seq);
      expect(Buffer.from(back).equals(Buffer.from(plain))).toBe(true);
    }
    // An RTCP receiver report (RFC 3550 §6.4.2, no blocks).
    const rr = Uint8Array.from([0x80, 201, 0, 1, 0x11, 0x22, 0x33, 0x44]);
    const srtcp = b.protectRtcp(rr)!;
    expect(srtcp.length).toBe(8 + 4 + 10);
    expect(srtcp[8]! & 0x80).toBe(0x80); // E flag: encrypted
    expect(Buffer.from(a.unprotectRtcp(srtcp)!).equals(Buffer.from(rr))).toBe(true);
    expect(a.stats()).toMatchObject({ protectedRtp: 4, unprotectedRtcp: 1, authFailures: 0 });
    expect(b.stats()).toMatchObject({ unprotectedRtp: 4, protectedRtcp: 1, authFailures: 0 });
  });

  it('counts a wrong key, a flipped bit and garbage as failures without throwing', () => {
    const [a] = pair();
    const [, stranger] = pair(); // keys of another call
    const plain = rtp(100);
    const wire = a.protectRtp(plain, plain.length)!;
    expect(stranger.unprotectRtp(wire)).toBeUndefined();
    const [, b] = pair(generateSdesKey().keySalt);
    expect(b.unprotectRtp(wire)).toBeUndefined();
    expect(stranger.unprotectRtcp(a.protectRtcp(Uint8Array.from([0x80, 201, 0, 1, 1, 2, 3, 4]))!)).toBeUndefined();
    expect(stranger.stats().authFailures).toBe(2);
    expect(stranger.unprotectRtp(new Uint8Array(5))).toBeUndefined();
    expect(stranger.unprotectRtp(Uint8Array.from({ length: 40 }, (_, i) => i))).toBeUndefined();
    expect(stranger.stats()).toMatchObject({ authFailures: 3, malformed: 1 });
  });

  it('a flipped bit in the payload or the tag fails authentication', () => {
    const k1 = generateSdesKey().keySalt;
    const k2 = generateSdesKey().keySalt;
    const [a, b] = pair(k1, k2);
    const plain = rtp(7);
    for (const at of [20, plain.length + 3, 2]) {
      const wire = Uint8Array.from(a.protectRtp(plain, plain.length)!);
      wire[at] = wire[at]! ^ 0x01;
      expect(b.unprotectRtp(wire)).toBeUndefined();
    }
    expect(b.stats().authFailures).toBe(3);
  });

  it('refuses keys it cannot use with a reason', () => {
    const bad = (info: string, suite = SRTP_SUITE) => SrtpTransform.create({ suite, localCrypto: inline(generateSdesKey().keySalt), remoteCrypto: { keyParams: [{ method: 'inline', info }] } });
    expect(bad('AAAA').ok).toBe(false);
    const mki = bad(`${generateSdesKey().keySalt}|2^20|1:4`);
    expect(!mki.ok && mki.error.message).toMatch(/MKI/);
    const suite = SrtpTransform.create({ suite: 'AES_CM_128_HMAC_SHA1_32', localCrypto: inline(generateSdesKey().keySalt), remoteCrypto: inline(generateSdesKey().keySalt) });
    expect(!suite.ok && suite.error.code).toBe('SRTP_SUITE');
    // A lifetime alone is fine.
    expect(bad(`${generateSdesKey().keySalt}|2^31`).ok).toBe(true);
    expect(generateSdesKey()).toMatchObject({ suite: SRTP_SUITE });
    expect(Buffer.from(generateSdesKey().keySalt, 'base64').length).toBe(30);
  });
});
