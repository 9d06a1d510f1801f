// SRTP and SRTCP (RFC 3711) for one call's audio, keyed by SDES (RFC 4568): our a=crypto key
// protects what we send, the peer's key unprotects what we receive. The AES-CM / HMAC-SHA1
// transforms and the key derivation come from werift-rtp; this file adapts them to the media
// path (plain bytes in and out, never a throw: a packet that fails authentication is counted
// and dropped, RFC 3711 §3.3 step 5).
import { randomBytes } from 'node:crypto';
import { ProtectionProfileAes128CmHmacSha1_80, RtpHeader, SrtcpSession, SrtpSession } from 'werift-rtp';
import { failure, ok, type Result } from '../core/result.js';

/** RFC 4568 §6.2.1: the one suite offered and accepted (80-bit tag; the 32-bit one is not supported by the transform). */
export const SRTP_SUITE = 'AES_CM_128_HMAC_SHA1_80';
const KEY_BYTES = 16;
const SALT_BYTES = 14;
/** RFC 3711 §4.2: the 80-bit HMAC-SHA1 tag; SRTCP adds the E flag and 31-bit index (§3.4). */
const AUTH_TAG_BYTES = 10;
const SRTCP_INDEX_BYTES = 4;

/** An SDES inline key for the SDP layer (src/sip/sdp SrtpKey). */
export interface SdesKey {
  readonly suite: string;
  /** base64(master key || master salt), 30 bytes. */
  readonly keySalt: string;
}

/** A fresh random master key and salt for one call (RFC 4568 §6.1: a new key per session). */
export function generateSdesKey(random: (n: number) => Uint8Array = randomBytes): SdesKey {
  return { suite: SRTP_SUITE, keySalt: Buffer.from(random(KEY_BYTES + SALT_BYTES)).toString('base64') };
}

interface MasterKey {
  key: Buffer;
  salt: Buffer;
}

/** The key-params of an a=crypto line (`inline:<key||salt>[|lifetime][|MKI:len]`), one key. */
function masterKeyOf(keyParams: readonly { method: string; info: string }[], who: string): Result<MasterKey> {
  if (keyParams.length !== 1) return failure('SRTP_KEY', `srtp: ${who} has ${keyParams.length} keys; one is supported`);
  const p = keyParams[0]!;
  const parts = p.info.split('|');
  if (p.method !== 'inline') return failure('SRTP_KEY', `srtp: ${who} key method ${p.method} is not inline`);
  // DEVIATION: an MKI (RFC 3711 §3.1) would need the MKI field in every packet; not supported.
  if (parts.some((x) => x.includes(':'))) return failure('SRTP_KEY', `srtp: ${who} key has an MKI, which is not supported`);
  const bytes = Buffer.from(parts[0]!, 'base64');
  if (bytes.length !== KEY_BYTES + SALT_BYTES) return failure('SRTP_KEY', `srtp: ${who} key is ${bytes.length} bytes, ${KEY_BYTES + SALT_BYTES} expected`);
  return ok({ key: bytes.subarray(0, KEY_BYTES), salt: bytes.subarray(KEY_BYTES) });
}

/** What the SDP layer negotiated (NegotiatedMedia.srtp): our crypto line and the peer's. */
export interface NegotiatedSrtp {
  readonly suite: string;
  readonly localCrypto: { readonly keyParams: readonly { method: string; info: string }[] };
  readonly remoteCrypto: { readonly keyParams: readonly { method: string; info: string }[] };
}

export interface SrtpStats {
  /** Packets that failed authentication (wrong key, tampering, a replayed index): dropped. */
  readonly authFailures: number;
  /** Datagrams too short or not RTP/RTCP at all: dropped. */
  readonly malformed: number;
  readonly protectedRtp: number;
  readonly unprotectedRtp: number;
  readonly protectedRtcp: number;
  readonly unprotectedRtcp: number;
}

/** How the media path protects and unprotects packets (SRTP here; anything keeping the contract). */
export interface PacketProtection {
  protectRtp(packet: Uint8Array, length: number): Uint8Array | undefined;
  unprotectRtp(datagram: Uint8Array): Uint8Array | undefined;
  protectRtcp(packet: Uint8Array): Uint8Array | undefined;
  unprotectRtcp(datagram: Uint8Array): Uint8Array | undefined;
  stats(): SrtpStats;
}

/**
 * The SRTP context pair of one stream: protect what we send, unprotect what we receive. Every
 * method returns new bytes or undefined (dropped, counted); none throws.
 * DEVIATION: no replay list (RFC 3711 §3.3.2): a replayed packet authenticates and reaches the
 * RTP session, whose sequence check discards duplicates.
 */
export class SrtpTransform implements PacketProtection {
  private readonly srtp: SrtpSession;
  private readonly srtcp: SrtcpSession;
  private counts = { authFailures: 0, malformed: 0, protectedRtp: 0, unprotectedRtp: 0, protectedRtcp: 0, unprotectedRtcp: 0 };

  private constructor(local: MasterKey, remote: MasterKey) {
    const keys = { localMasterKey: local.key, localMasterSalt: local.salt, remoteMasterKey: remote.key, remoteMasterSalt: remote.salt };
    this.srtp = new SrtpSession({ keys, profile: ProtectionProfileAes128CmHmacSha1_80 });
    this.srtcp = new SrtcpSession({ keys, profile: ProtectionProfileAes128CmHmacSha1_80 });
  }

  /** The transform of a negotiated stream; a failure for a suite or key we cannot use. */
  static create(negotiated: NegotiatedSrtp): Result<SrtpTransform> {
    if (negotiated.suite !== SRTP_SUITE) return failure('SRTP_SUITE', `srtp: suite ${negotiated.suite} is not supported`);
    const local = masterKeyOf(negotiated.localCrypto.keyParams, 'our a=crypto');
    if (!local.ok) return local;
    const remote = masterKeyOf(negotiated.remoteCrypto.keyParams, "the peer's a=crypto");
    if (!remote.ok) return remote;
    return ok(new SrtpTransform(local.value, remote.value));
  }

  stats(): SrtpStats {
    return { ...this.counts };
  }

  /** RFC 3711 §3.3: encrypts the payload of `packet[0..length)` and appends the tag. */
  protectRtp(packet: Uint8Array, length: number): Uint8Array | undefined {
    try {
      const bytes = Buffer.from(packet.buffer, packet.byteOffset, length);
      const header = RtpHeader.deSerialize(bytes);
      const out = this.srtp.encrypt(bytes.subarray(header.payloadOffset), header);
      this.counts.protectedRtp++;
      return out;
    } catch {
      this.counts.malformed++;
      return undefined;
    }
  }

  /** RFC 3711 §3.3: authenticates and decrypts; undefined when the tag does not verify. */
  unprotectRtp(datagram: Uint8Array): Uint8Array | undefined {
    if (datagram.length < 12 + AUTH_TAG_BYTES) {
      this.counts.malformed++;
      return undefined;
    }
    try {
      const out = this.srtp.decrypt(Buffer.from(datagram.buffer, datagram.byteOffset, datagram.length));
      this.counts.unprotectedRtp++;
      return out;
    } catch {
      this.counts.authFailures++;
      return undefined;
    }
  }

  /** RFC 3711 §3.4: SRTCP with the E flag set (encrypted) and the 31-bit index. */
  protectRtcp(packet: Uint8Array): Uint8Array | undefined {
    if (packet.length < 8) {
      this.counts.malformed++;
      return undefined;
    }
    const out = this.srtcp.encrypt(Buffer.from(packet.buffer, packet.byteOffset, packet.length));
    this.counts.protectedRtcp++;
    return out;
  }

  unprotectRtcp(datagram: Uint8Array): Uint8Array | undefined {
    if (datagram.length < 8 + SRTCP_INDEX_BYTES + AUTH_TAG_BYTES) {
      this.counts.malformed++;
      return undefined;
    }
    try {
      const out = this.srtcp.decrypt(Buffer.from(datagram.buffer, datagram.byteOffset, datagram.length));
      this.counts.unprotectedRtcp++;
      return out;
    } catch {
      this.counts.authFailures++;
      return undefined;
    }
  }
}
