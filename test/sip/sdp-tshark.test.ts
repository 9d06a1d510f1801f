// Cross-check with Wireshark's SDP dissector: our offers, carried in a SIP INVITE over UDP in a
// pcap file, must dissect without malformed or invalid fields, and tshark must read the same
// codecs, payload types, port, address, telephone-event and crypto suite as we wrote.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultDeviceSettings } from '../../src/settings/canonical.js';
import { createOffer, sdpOptionsFromSettings, serializeSdp, type SdpOptions } from '../../src/sip/sdp/index.js';

const TSHARK = '/usr/bin/tshark';
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'vphone-sdp-tshark-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function ipChecksum(header: Buffer): number {
  let sum = 0;
  for (let i = 0; i < header.length; i += 2) sum += header.readUInt16BE(i);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** One Ethernet/IPv4/UDP frame 127.0.0.1:5062 → 127.0.0.2:5060 (UDP checksum 0: none, RFC 768). */
function frame(payload: Buffer): Buffer {
  const eth = Buffer.from([0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0x08, 0x00]);
  const ip = Buffer.alloc(20);
  ip.writeUInt8(0x45, 0);
  ip.writeUInt16BE(20 + 8 + payload.length, 2);
  ip.writeUInt8(64, 8);
  ip.writeUInt8(17, 9);
  Buffer.from([127, 0, 0, 1]).copy(ip, 12);
  Buffer.from([127, 0, 0, 2]).copy(ip, 16);
  ip.writeUInt16BE(ipChecksum(ip), 10);
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(5062, 0);
  udp.writeUInt16BE(5060, 2);
  udp.writeUInt16BE(8 + payload.length, 4);
  return Buffer.concat([eth, ip, udp, payload]);
}

/** A classic pcap file (LINKTYPE_ETHERNET), one packet per frame, a second apart. */
function pcap(frames: Buffer[]): Buffer {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(65535, 16);
  head.writeUInt32LE(1, 20);
  const records = frames.map((f, i) => {
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(1_700_000_000 + i, 0);
    rec.writeUInt32LE(f.length, 8);
    rec.writeUInt32LE(f.length, 12);
    return Buffer.concat([rec, f]);
  });
  return Buffer.concat([head, ...records]);
}

function invite(body: string, n: number): Buffer {
  const headers = [
    `INVITE sip:bob@127.0.0.2 SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:5062;branch=z9hG4bK-sdp-${n};rport`,
    'Max-Forwards: 70',
    'From: <sip:alice@127.0.0.1>;tag=a1',
    'To: <sip:bob@127.0.0.2>',
    `Call-ID: sdp-tshark-${n}@127.0.0.1`,
    `CSeq: ${n} INVITE`,
    'Contact: <sip:alice@127.0.0.1:5062>',
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  return Buffer.from(headers.join('\r\n') + '\r\n\r\n' + body);
}

const settings = defaultDeviceSettings(1, 0);
const base: SdpOptions = { ...sdpOptionsFromSettings(settings.lines[0]!, settings.rtp), address: '127.0.0.1', port: 16000 };
const a12: SdpOptions = {
  ...sdpOptionsFromSettings(
    { ...settings.lines[0]!, sdpUserId: 'a12', codecs: { PCMU: { enabled: true, priority: 1 }, OPUS: { enabled: true, priority: 2 }, ILBC: { enabled: true, priority: 3 } }, rtcp: { enabled: true, intervalS: 5, useSdpPort: true } },
    { ...settings.rtp, g729AnnexBNo: true },
    { available: ['PCMU', 'OPUS', 'ILBC'], srtp: 'compulsory', g711Required: false },
  ),
  address: '127.0.0.1',
  port: 16002,
  srtpKeys: [{ suite: 'AES_CM_128_HMAC_SHA1_80', keySalt: 'WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz' }],
};

function offer(o: SdpOptions, direction?: 'sendonly'): string {
  const r = createOffer(o, { origin: { sessionId: '3900000000', sessionVersion: '3900000001' }, ...(direction ? { direction, unspecifiedConnection: true } : {}) });
  if (!r.ok) throw new Error(r.error.message);
  return serializeSdp(r.value);
}

describe.skipIf(!existsSync(TSHARK))('tshark reads our offers', () => {
  it('three offers: no malformed or invalid fields, the same codecs, ports and attributes', async () => {
    const bodies = [offer(base), offer(a12), offer(base, 'sendonly')];
    const file = join(dir, 'offers.pcap');
    writeFileSync(file, pcap(bodies.map((b, i) => frame(invite(b, i + 1)))));
    const fields = ['frame.number', 'sip.Method', 'sdp.media.port', 'sdp.media.proto', 'sdp.media.format', 'sdp.mime.type', 'sdp.sample_rate', 'sdp.connection_info.address', 'sdp.owner.username', 'sdp.crypto.crypto_suite', 'sdp.media_attribute.field', 'sdp.media_attr', '_ws.expert.severity', '_ws.malformed'];
    const { stdout } = await run(TSHARK, ['-n', '-r', file, '-T', 'fields', '-E', 'separator=|', '-E', 'occurrence=a', '-E', 'aggregator=;', ...fields.flatMap((f) => ['-e', f])], { timeout: 60_000 });
    const rows = stdout
      .trim()
      .split('\n')
      .map((l) => Object.fromEntries(l.split('|').map((v, i) => [fields[i]!, v])));
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row['sip.Method']).toBe('INVITE');
      expect(row['_ws.malformed']).toBe('');
      // No expert item at all (a bad a=crypto tag, for one, shows as 8388608 "Invalid crypto tag").
      expect(row['_ws.expert.severity']).toBe('');
    }
    const [kx, fanvil, hold] = rows as [Record<string, string>, Record<string, string>, Record<string, string>];
    expect(kx['sdp.media.port']).toBe('16000');
    expect(kx['sdp.media.proto']).toBe('RTP/AVP');
    expect(kx['sdp.mime.type']).toBe('G722;PCMA;G729;PCMU;telephone-event');
    expect(kx['sdp.sample_rate']).toBe('8000;8000;8000;8000;8000');
    expect(kx['sdp.connection_info.address']).toBe('127.0.0.1');
    expect(kx['sdp.media_attribute.field']).toBe('rtpmap;rtpmap;rtpmap;rtpmap;rtpmap;fmtp;ptime');
    expect(kx['sdp.media_attr']?.split(';').at(-1)).toBe('sendrecv');

    expect(fanvil['sdp.media.port']).toBe('16002');
    expect(fanvil['sdp.media.proto']).toBe('RTP/SAVP');
    expect(fanvil['sdp.mime.type']).toBe('PCMU;opus;iLBC;telephone-event;telephone-event');
    expect(fanvil['sdp.sample_rate']).toBe('8000;48000;8000;8000;48000');
    expect(fanvil['sdp.owner.username']).toBe('a12');
    expect(fanvil['sdp.crypto.crypto_suite']).toBe('AES_CM_128_HMAC_SHA1_80');
    expect(fanvil['sdp.media_attribute.field']).toContain('rtcp');

    expect(hold['sdp.connection_info.address']).toBe('0.0.0.0');
    expect(hold['sdp.media_attr']?.split(';').at(-1)).toBe('sendonly');
  }, 90_000);
});
