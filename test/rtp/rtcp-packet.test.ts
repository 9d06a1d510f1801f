// RTCP compound packets: golden bytes (commented field by field), round trips of every packet
// type, the RFC 3550 A.2 validity checks, and random bytes that never throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseRtcp, serializeRtcp, type RtcpPacket, type VoipMetrics } from '../../src/rtp/rtcp-packet.js';

function bytes(...b: number[]): Uint8Array {
  return Uint8Array.from(b);
}

function ascii(s: string): number[] {
  return [...s].map((c) => c.charCodeAt(0));
}

const VOIP: VoipMetrics = {
  ssrc: 0xbc5e9a40,
  lossRate: 12,
  discardRate: 2,
  burstDensity: 64,
  gapDensity: 5,
  burstDuration: 100,
  gapDuration: 2000,
  roundTripDelay: 50,
  endSystemDelay: 40,
  signalLevel: 127,
  noiseLevel: 127,
  rerl: 127,
  gmin: 16,
  rFactor: 80,
  extRFactor: 127,
  mosLq: 41,
  mosCq: 40,
  rxConfig: 0xe0,
  jbNominal: 40,
  jbMaximum: 80,
  jbAbsMax: 200,
};

const GOLDEN: Array<{ name: string; wire: Uint8Array; packets: RtcpPacket[] }> = [
  {
    name: 'SR with one report block + SDES CNAME (a sending phone\'s compound packet)',
    // prettier-ignore
    wire: bytes(
      0x81, 0xc8, 0x00, 0x0c, // V=2 P=0 RC=1, PT=200 SR, length 12 (52 bytes)
      0x90, 0x2f, 0x9e, 0x2e, // SSRC of sender
      0xe9, 0xb0, 0x3c, 0x80, // NTP timestamp, seconds
      0x80, 0x00, 0x00, 0x00, // NTP timestamp, fraction (0.5 s)
      0x00, 0x01, 0xe2, 0x40, // RTP timestamp 123456
      0x00, 0x00, 0x00, 0x64, // sender's packet count 100
      0x00, 0x00, 0x3e, 0x80, // sender's octet count 16000
      0xbc, 0x5e, 0x9a, 0x40, // report block: SSRC of source
      0x19,                   //   fraction lost 25/256
      0x00, 0x00, 0x05,       //   cumulative lost 5
      0x00, 0x01, 0x00, 0x20, //   extended highest sequence 65568 (1 cycle + 32)
      0x00, 0x00, 0x00, 0x10, //   interarrival jitter 16
      0x3c, 0x80, 0x80, 0x00, //   LSR
      0x00, 0x01, 0x00, 0x00, //   DLSR 1 s (65536/65536)
      0x81, 0xca, 0x00, 0x05, // V=2 SC=1, PT=202 SDES, length 5 (24 bytes)
      0x90, 0x2f, 0x9e, 0x2e, // chunk SSRC
      0x01, 0x0a,             //   CNAME, 10 bytes
      ...ascii('vphone@lab'),
      0x00, 0x00, 0x00, 0x00, //   end of items + padding to 32 bits
    ),
    packets: [
      {
        type: 'SR',
        ssrc: 0x902f9e2e,
        sender: { ntpSeconds: 0xe9b03c80, ntpFraction: 0x80000000, rtpTimestamp: 123456, packetCount: 100, octetCount: 16000 },
        reports: [{ ssrc: 0xbc5e9a40, fractionLost: 25, cumulativeLost: 5, extendedHighestSequence: 65568, jitter: 16, lastSenderReport: 0x3c808000, delaySinceLastSenderReport: 65536 }],
      },
      { type: 'SDES', chunks: [{ ssrc: 0x902f9e2e, items: [{ type: 1, text: 'vphone@lab' }] }] },
    ],
  },
  {
    name: 'empty RR + SDES + BYE with a reason (a receive-only phone hanging up)',
    // prettier-ignore
    wire: bytes(
      0x80, 0xc9, 0x00, 0x01, // V=2 RC=0, PT=201 RR, length 1 (8 bytes)
      0x00, 0x00, 0x04, 0xd2, // SSRC 1234
      0x81, 0xca, 0x00, 0x03, // SDES, SC=1, length 3 (16 bytes)
      0x00, 0x00, 0x04, 0xd2, // chunk SSRC
      0x01, 0x03, ...ascii('a@b'), // CNAME 'a@b'
      0x00, 0x00, 0x00,       // end of items + padding
      0x81, 0xcb, 0x00, 0x03, // V=2 SC=1, PT=203 BYE, length 3 (16 bytes)
      0x00, 0x00, 0x04, 0xd2, // SSRC leaving
      0x06, ...ascii('hangup'), // reason: length 6 + text
      0x00,                   // padding to 32 bits
    ),
    packets: [
      { type: 'RR', ssrc: 1234, reports: [] },
      { type: 'SDES', chunks: [{ ssrc: 1234, items: [{ type: 1, text: 'a@b' }] }] },
      { type: 'BYE', sources: [1234], reason: 'hangup' },
    ],
  },
  {
    name: 'APP, carried through (RFC 3550 §6.7)',
    // prettier-ignore
    wire: bytes(
      0x85, 0xcc, 0x00, 0x03, // V=2 subtype 5, PT=204 APP, length 3 (16 bytes)
      0x00, 0x00, 0x00, 0x2a, // SSRC 42
      ...ascii('TEST'),       // name
      0xca, 0xfe, 0xba, 0xbe, // application data
    ),
    packets: [{ type: 'APP', subtype: 5, ssrc: 42, name: 'TEST', data: bytes(0xca, 0xfe, 0xba, 0xbe) }],
  },
  {
    name: 'XR with a VoIP Metrics block (RFC 3611 §4.7)',
    // prettier-ignore
    wire: bytes(
      0x80, 0xcf, 0x00, 0x0a, // V=2, PT=207 XR, length 10 (44 bytes)
      0x90, 0x2f, 0x9e, 0x2e, // SSRC of the reporter
      0x07, 0x00, 0x00, 0x08, // BT=7 VoIP Metrics, reserved, block length 8
      0xbc, 0x5e, 0x9a, 0x40, // SSRC of source
      0x0c, 0x02, 0x40, 0x05, // loss rate 12, discard rate 2, burst density 64, gap density 5
      0x00, 0x64, 0x07, 0xd0, // burst duration 100 ms, gap duration 2000 ms
      0x00, 0x32, 0x00, 0x28, // round trip delay 50 ms, end system delay 40 ms
      0x7f, 0x7f, 0x7f, 0x10, // signal level, noise level, RERL unavailable; Gmin 16
      0x50, 0x7f, 0x29, 0x28, // R factor 80, ext R unavailable, MOS-LQ 4.1, MOS-CQ 4.0
      0xe0, 0x00, 0x00, 0x28, // RX config (PLC standard, adaptive JB), reserved, JB nominal 40
      0x00, 0x50, 0x00, 0xc8, // JB maximum 80, JB abs max 200
    ),
    packets: [{ type: 'XR', ssrc: 0x902f9e2e, blocks: [{ blockType: 7, metrics: VOIP }] }],
  },
  {
    name: 'an RTPFB generic NACK, passed through as unknown (RFC 4585 §6.2.1)',
    // prettier-ignore
    wire: bytes(
      0x81, 0xcd, 0x00, 0x03, // V=2 FMT=1, PT=205 RTPFB, length 3
      0x00, 0x00, 0x00, 0x01, // sender SSRC
      0x00, 0x00, 0x00, 0x02, // media SSRC
      0x00, 0x01, 0x00, 0x00, // PID 1, BLP 0
    ),
    packets: [{ type: 'unknown', packetType: 205, count: 1, body: bytes(0, 0, 0, 1, 0, 0, 0, 2, 0, 1, 0, 0) }],
  },
];

describe('RTCP golden packets', () => {
  for (const g of GOLDEN) {
    it(`${g.name}: parses, serialises byte for byte`, () => {
      const r = parseRtcp(g.wire);
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value).toEqual(g.packets);
      expect(serializeRtcp(g.packets)).toEqual(g.wire);
    });
  }

  it('reads a negative cumulative loss (duplicates) as a signed 24-bit number', () => {
    const rr: RtcpPacket = { type: 'RR', ssrc: 1, reports: [{ ssrc: 2, fractionLost: 0, cumulativeLost: -3, extendedHighestSequence: 9, jitter: 0, lastSenderReport: 0, delaySinceLastSenderReport: 0 }] };
    const wire = serializeRtcp([rr]);
    expect(wire.subarray(13, 16)).toEqual(bytes(0xff, 0xff, 0xfd));
    expect(parseRtcp(wire)).toEqual({ ok: true, value: [rr] });
  });

  it('accepts padding on the last packet of a compound', () => {
    // prettier-ignore
    const wire = bytes(
      0xa0, 0xc9, 0x00, 0x02, // V=2 P=1 RC=0, RR, length 2 (12 bytes)
      0x00, 0x00, 0x00, 0x07, // SSRC 7
      0x00, 0x00, 0x00, 0x04, // 4 bytes of padding
    );
    expect(parseRtcp(wire)).toEqual({ ok: true, value: [{ type: 'RR', ssrc: 7, reports: [] }] });
  });

  it('keeps an SR profile extension and unknown XR blocks', () => {
    const packets: RtcpPacket[] = [
      { type: 'RR', ssrc: 5, reports: [], profileExtension: bytes(1, 2, 3, 4) },
      { type: 'XR', ssrc: 5, blocks: [{ blockType: 4, typeSpecific: 0, data: bytes(0, 0, 0, 9, 1, 2, 3, 4) }] },
    ];
    expect(parseRtcp(serializeRtcp(packets))).toEqual({ ok: true, value: packets });
  });
});

describe('RTCP malformed input', () => {
  const sr = GOLDEN[0]!.wire;
  const cases: Array<[string, Uint8Array, string, object?]> = [
    ['empty datagram', bytes(), 'RTCP_EMPTY'],
    ['version 1', bytes(0x40, 0xc9, 0x00, 0x01, 0, 0, 0, 1), 'RTCP_BAD_VERSION'],
    ['length beyond the datagram', bytes(0x80, 0xc9, 0x00, 0x05, 0, 0, 0, 1), 'RTCP_TRUNCATED'],
    ['stray bytes after the last packet', bytes(0x80, 0xc9, 0x00, 0x01, 0, 0, 0, 1, 0x80), 'RTCP_TRUNCATED'],
    ['SR whose report count overruns', bytes(0x82, 0xc8, 0x00, 0x06, ...new Array(24).fill(0)), 'RTCP_TRUNCATED'],
    ['RR whose report count overruns', bytes(0x81, 0xc9, 0x00, 0x01, 0, 0, 0, 1), 'RTCP_TRUNCATED'],
    ['padding on a packet that is not the last', bytes(0xa0, 0xc9, 0x00, 0x01, 0, 0, 0, 4, 0x80, 0xc9, 0x00, 0x01, 0, 0, 0, 1), 'RTCP_BAD_PADDING'],
    ['padding count larger than the packet', bytes(0xa0, 0xc9, 0x00, 0x01, 0, 0, 0, 9), 'RTCP_BAD_PADDING'],
    ['padding count 0', bytes(0xa0, 0xc9, 0x00, 0x01, 0, 0, 0, 0), 'RTCP_BAD_PADDING'],
    ['SDES item overrunning the packet', bytes(0x81, 0xca, 0x00, 0x02, 0, 0, 0, 1, 0x01, 0x09, 0x61, 0x62), 'RTCP_BAD_PACKET'],
    ['SDES chunk without a terminating null', bytes(0x81, 0xca, 0x00, 0x02, 0, 0, 0, 1, 0x01, 0x02, 0x61, 0x62), 'RTCP_BAD_PACKET'],
    ['SDES missing a chunk', bytes(0x82, 0xca, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 0), 'RTCP_TRUNCATED'],
    ['BYE reason overrunning', bytes(0x81, 0xcb, 0x00, 0x02, 0, 0, 0, 1, 0x09, 0x61, 0x62, 0x63), 'RTCP_BAD_PACKET'],
    ['BYE missing sources', bytes(0x83, 0xcb, 0x00, 0x01, 0, 0, 0, 1), 'RTCP_TRUNCATED'],
    ['APP shorter than its header', bytes(0x80, 0xcc, 0x00, 0x01, 0, 0, 0, 1), 'RTCP_TRUNCATED'],
    ['XR block overrunning', bytes(0x80, 0xcf, 0x00, 0x02, 0, 0, 0, 1, 0x07, 0x00, 0x00, 0x08), 'RTCP_BAD_PACKET'],
    ['XR without its SSRC', bytes(0x80, 0xcf, 0x00, 0x00), 'RTCP_TRUNCATED'],
    ['a compound starting with SDES when SR/RR first is required', sr.subarray(52), 'RTCP_NOT_REPORT_FIRST', { requireReportFirst: true }],
  ];
  for (const [name, wire, code, options] of cases) {
    it(`${name} → ${code}`, () => {
      const r = parseRtcp(wire, options);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe(code);
        expect(r.error.message).toMatch(/^rtcp: /);
      }
    });
  }

  it('the same SDES alone is accepted by default (reduced-size RTCP, RFC 5506)', () => {
    expect(parseRtcp(sr.subarray(52)).ok).toBe(true);
  });

  it('random bytes never throw, always a Result', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (b) => {
        expect(typeof parseRtcp(b).ok).toBe('boolean');
      }),
      { numRuns: 3000 },
    );
  });

  it('random bodies behind valid RTCP headers never throw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 31 }), fc.integer({ min: 200, max: 207 }), fc.uint8Array({ maxLength: 100 }), (count, pt, body) => {
        const padded = body.subarray(0, body.length - (body.length % 4));
        const wire = new Uint8Array(4 + padded.length);
        wire.set([0x80 | count, pt, 0, padded.length / 4]);
        wire.set(padded, 4);
        const r = parseRtcp(wire);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 3000 },
    );
  });
});

describe('RTCP round trips', () => {
  const u32 = fc.integer({ min: 0, max: 0xffffffff });
  const u8 = fc.integer({ min: 0, max: 255 });
  const u16 = fc.integer({ min: 0, max: 0xffff });
  const words = fc.uint8Array({ maxLength: 16 }).map((d) => d.slice(0, d.length - (d.length % 4)));
  const report = fc.record({
    ssrc: u32,
    fractionLost: u8,
    cumulativeLost: fc.integer({ min: -0x800000, max: 0x7fffff }),
    extendedHighestSequence: u32,
    jitter: u32,
    lastSenderReport: u32,
    delaySinceLastSenderReport: u32,
  });
  const text = fc.string({ maxLength: 40 });
  const voip = fc.record({
    ssrc: u32,
    lossRate: u8,
    discardRate: u8,
    burstDensity: u8,
    gapDensity: u8,
    burstDuration: u16,
    gapDuration: u16,
    roundTripDelay: u16,
    endSystemDelay: u16,
    signalLevel: fc.integer({ min: -128, max: 127 }),
    noiseLevel: fc.integer({ min: -128, max: 127 }),
    rerl: u8,
    gmin: u8,
    rFactor: u8,
    extRFactor: u8,
    mosLq: u8,
    mosCq: u8,
    rxConfig: u8,
    jbNominal: u16,
    jbMaximum: u16,
    jbAbsMax: u16,
  });
  const packet: fc.Arbitrary<RtcpPacket> = fc.oneof(
    fc.record({ type: fc.constant('SR' as const), ssrc: u32, sender: fc.record({ ntpSeconds: u32, ntpFraction: u32, rtpTimestamp: u32, packetCount: u32, octetCount: u32 }), reports: fc.array(report, { maxLength: 4 }) }),
    fc.record({ type: fc.constant('RR' as const), ssrc: u32, reports: fc.array(report, { maxLength: 4 }) }),
    fc.record({ type: fc.constant('SDES' as const), chunks: fc.array(fc.record({ ssrc: u32, items: fc.array(fc.record({ type: fc.integer({ min: 1, max: 8 }), text }), { maxLength: 3 }) }), { maxLength: 3 }) }),
    fc.record({ type: fc.constant('BYE' as const), sources: fc.array(u32, { maxLength: 3 }), reason: text }),
    fc.record({ type: fc.constant('APP' as const), subtype: fc.integer({ min: 0, max: 31 }), ssrc: u32, name: fc.constantFrom('ABCD', 'qos1', 'PING'), data: words }),
    fc.record({ type: fc.constant('XR' as const), ssrc: u32, blocks: fc.array(fc.oneof(voip.map((metrics) => ({ blockType: 7 as const, metrics })), fc.record({ blockType: fc.integer({ min: 1, max: 6 }), typeSpecific: u8, data: words })), { maxLength: 3 }) }),
  );

  it('parse(serialize(packets)) = packets for any compound', () => {
    fc.assert(
      fc.property(fc.array(packet, { minLength: 1, maxLength: 5 }), (packets) => {
        const r = parseRtcp(serializeRtcp(packets));
        expect(r).toEqual({ ok: true, value: packets });
      }),
      { numRuns: 500 },
    );
  });

  it('refuses what it cannot encode (caller bugs throw RangeError)', () => {
    expect(() => serializeRtcp([{ type: 'RR', ssrc: 1, reports: new Array(32).fill({ ssrc: 1, fractionLost: 0, cumulativeLost: 0, extendedHighestSequence: 0, jitter: 0, lastSenderReport: 0, delaySinceLastSenderReport: 0 }) }])).toThrow(RangeError);
    expect(() => serializeRtcp([{ type: 'SDES', chunks: [{ ssrc: 1, items: [{ type: 1, text: 'x'.repeat(256) }] }] }])).toThrow(RangeError);
    expect(() => serializeRtcp([{ type: 'APP', subtype: 0, ssrc: 1, name: 'TOOLONG', data: bytes() }])).toThrow(RangeError);
    expect(() => serializeRtcp([{ type: 'RR', ssrc: -1, reports: [] }])).toThrow(RangeError);
  });
});
