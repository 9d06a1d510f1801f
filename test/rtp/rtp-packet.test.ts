// RTP packet parsing and serialisation: golden bytes (commented field by field), round trips,
// every RFC 3550 §5.1 / A.1 stateless validity check, and random bytes that never throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { looksLikeRtcp, parseRtp, RtpView, serializeRtp, serializeRtpInto, writeRtpHeader, type RtpPacket } from '../../src/rtp/rtp-packet.js';

function bytes(...b: number[]): Uint8Array {
  return Uint8Array.from(b);
}

const GOLDEN: Array<{ name: string; wire: Uint8Array; packet: RtpPacket }> = [
  {
    name: 'G.711 µ-law frame, marker set (first packet of a talkspurt)',
    // prettier-ignore
    wire: bytes(
      0x80,                   // V=2 P=0 X=0 CC=0
      0x80,                   // M=1 PT=0 (PCMU)
      0x30, 0x39,             // sequence number 12345
      0x00, 0x01, 0xe2, 0x40, // timestamp 123456
      0xde, 0xad, 0xbe, 0xef, // SSRC 0xdeadbeef
      0xff, 0x7f, 0x00, 0x80, // payload (4 bytes)
    ),
    packet: { marker: true, payloadType: 0, sequenceNumber: 12345, timestamp: 123456, ssrc: 0xdeadbeef, csrc: [], payload: bytes(0xff, 0x7f, 0x00, 0x80), paddingLength: 0 },
  },
  {
    name: 'two CSRCs and a header extension (RFC 3550 §5.3.1)',
    // prettier-ignore
    wire: bytes(
      0x92,                   // V=2 P=0 X=1 CC=2
      0x60,                   // M=0 PT=96
      0x69, 0x8f,             // sequence number 27023
      0xd9, 0xc2, 0x93, 0xda, // timestamp 3653407706
      0x1c, 0x64, 0x27, 0x82, // SSRC 476325762
      0x00, 0x00, 0x00, 0x01, // CSRC 1
      0x00, 0x00, 0x00, 0x02, // CSRC 2
      0xbe, 0xde,             // extension profile 0xBEDE (RFC 8285 one-byte)
      0x00, 0x01,             // extension length: 1 word
      0x10, 0xaa, 0x00, 0x00, // extension data
      0x98, 0x36, 0xbe,       // payload (3 bytes)
    ),
    packet: {
      marker: false,
      payloadType: 96,
      sequenceNumber: 27023,
      timestamp: 3653407706,
      ssrc: 476325762,
      csrc: [1, 2],
      extension: { profile: 0xbede, data: bytes(0x10, 0xaa, 0x00, 0x00) },
      payload: bytes(0x98, 0x36, 0xbe),
      paddingLength: 0,
    },
  },
  {
    name: 'padding (RFC 3550 §5.1 P: the last octet counts the padding, itself included)',
    // prettier-ignore
    wire: bytes(
      0xa0,                   // V=2 P=1 X=0 CC=0
      0x08,                   // M=0 PT=8 (PCMA)
      0xff, 0xff,             // sequence number 65535
      0xff, 0xff, 0xff, 0xff, // timestamp 4294967295
      0x00, 0x00, 0x00, 0x01, // SSRC 1
      0xd5, 0xd5,             // payload (2 bytes)
      0x00, 0x00, 0x03,       // 3 bytes of padding
    ),
    packet: { marker: false, payloadType: 8, sequenceNumber: 65535, timestamp: 0xffffffff, ssrc: 1, csrc: [], payload: bytes(0xd5, 0xd5), paddingLength: 3 },
  },
  {
    name: 'empty payload (a keep-alive some gateways send)',
    // prettier-ignore
    wire: bytes(
      0x80, 0x0d,             // V=2, PT=13 (comfort noise)
      0x00, 0x00,             // sequence number 0
      0x00, 0x00, 0x00, 0x00, // timestamp 0
      0x00, 0x00, 0x00, 0x00, // SSRC 0
    ),
    packet: { marker: false, payloadType: 13, sequenceNumber: 0, timestamp: 0, ssrc: 0, csrc: [], payload: bytes(), paddingLength: 0 },
  },
];

describe('RTP golden packets', () => {
  for (const g of GOLDEN) {
    it(`${g.name}: parses, serialises byte for byte`, () => {
      const r = parseRtp(g.wire);
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.value).toEqual(g.packet);
      expect(serializeRtp(g.packet)).toEqual(g.wire);
    });
  }

  it('RtpView reads in place: payload located, CSRCs by index, no copy', () => {
    const g = GOLDEN[1]!;
    const view = new RtpView();
    const r = view.read(g.wire);
    expect(r.ok).toBe(true);
    expect(view.csrcCount).toBe(2);
    expect([view.csrc(0), view.csrc(1)]).toEqual([1, 2]);
    expect(view.extensionProfile).toBe(0xbede);
    expect([view.extensionOffset, view.extensionLength]).toEqual([24, 4]);
    expect([view.payloadOffset, view.payloadLength]).toEqual([28, 3]);
    expect(view.payload().buffer).toBe(g.wire.buffer);
  });

  it('RtpView returns the same Result object on every successful read (allocation-free)', () => {
    const view = new RtpView();
    const a = view.read(GOLDEN[0]!.wire);
    const b = view.read(GOLDEN[2]!.wire);
    expect(a).toBe(b);
    expect(view.sequenceNumber).toBe(65535);
  });

  it('reads a datagram inside a larger receive buffer', () => {
    const buf = new Uint8Array(1500);
    buf.set(GOLDEN[0]!.wire);
    const view = new RtpView();
    expect(view.read(buf, GOLDEN[0]!.wire.length).ok).toBe(true);
    expect(view.payloadLength).toBe(4);
  });
});

describe('RTP malformed input', () => {
  const cases: Array<[string, Uint8Array, string]> = [
    ['shorter than the header', bytes(0x80, 0x00, 0x00), 'RTP_TRUNCATED'],
    ['version 1', bytes(0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), 'RTP_BAD_VERSION'],
    ['version 0 (STUN-like)', bytes(0x00, 0x01, 0, 8, 0x21, 0x12, 0xa4, 0x42, 0, 0, 0, 0), 'RTP_BAD_VERSION'],
    ['CSRC list overruns', bytes(0x83, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), 'RTP_TRUNCATED'],
    ['extension header missing', bytes(0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xbe), 'RTP_TRUNCATED'],
    ['extension overruns', bytes(0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xbe, 0xde, 0, 2, 0, 0, 0, 0), 'RTP_TRUNCATED'],
    ['padding count 0', bytes(0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0), 'RTP_BAD_PADDING'],
    ['padding longer than the payload', bytes(0xa0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 9), 'RTP_BAD_PADDING'],
  ];
  for (const [name, wire, code] of cases) {
    it(`${name} → ${code}`, () => {
      const r = parseRtp(wire);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe(code);
        expect(r.error.message).toMatch(/^rtp: /);
      }
    });
  }

  it('random bytes never throw, always a Result', () => {
    const view = new RtpView();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (b) => {
        const r = parseRtp(b);
        expect(typeof r.ok).toBe('boolean');
        const v = view.read(b);
        expect(v.ok).toBe(r.ok);
        if (r.ok) expect(r.value.payload.length + 12 + 4 * r.value.csrc.length).toBeLessThanOrEqual(b.length);
      }),
      { numRuns: 2000 },
    );
  });

  it('random version-2 packets never throw and re-serialise to the same bytes (padding octets aside)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 63 }), fc.uint8Array({ minLength: 11, maxLength: 60 }), (flags, rest) => {
        const b = new Uint8Array(rest.length + 1);
        b[0] = 0x80 | flags;
        b.set(rest, 1);
        const r = parseRtp(b);
        if (!r.ok) return;
        // Padding octets before the count are not kept (serialising writes zeros).
        const again = serializeRtp(r.value);
        const pad = r.value.paddingLength;
        expect(again.length).toBe(b.length);
        expect(again.subarray(0, b.length - pad)).toEqual(b.subarray(0, b.length - pad));
        expect(again[b.length - 1]).toBe(b[b.length - 1]);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('RTP serialisation', () => {
  const arbPacket = fc.record({
    marker: fc.boolean(),
    payloadType: fc.integer({ min: 0, max: 127 }),
    sequenceNumber: fc.integer({ min: 0, max: 0xffff }),
    timestamp: fc.integer({ min: 0, max: 0xffffffff }),
    ssrc: fc.integer({ min: 0, max: 0xffffffff }),
    csrc: fc.array(fc.integer({ min: 0, max: 0xffffffff }), { maxLength: 15 }),
    extension: fc.option(fc.record({ profile: fc.integer({ min: 0, max: 0xffff }), data: fc.uint8Array({ maxLength: 12 }).map((d) => d.slice(0, d.length - (d.length % 4))) }), { nil: undefined }),
    payload: fc.uint8Array({ maxLength: 200 }),
    paddingLength: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 255 })),
  });

  it('parse(serialize(p)) = p for any packet', () => {
    fc.assert(
      fc.property(arbPacket, (p) => {
        const packet: RtpPacket = { ...p };
        if (p.extension === undefined) delete packet.extension;
        const r = parseRtp(serializeRtp(packet));
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.value).toEqual(packet);
      }),
      { numRuns: 500 },
    );
  });

  it('writeRtpHeader writes the same 12 bytes as serializeRtp', () => {
    const out = new Uint8Array(16);
    expect(writeRtpHeader(out, 0, true, 0, 12345, 123456, 0xdeadbeef)).toBe(12);
    expect(out.subarray(0, 12)).toEqual(GOLDEN[0]!.wire.subarray(0, 12));
  });

  it('refuses packets it cannot encode (caller bugs throw RangeError)', () => {
    const base = GOLDEN[0]!.packet;
    expect(() => serializeRtp({ ...base, csrc: Array.from({ length: 16 }, () => 1) })).toThrow(RangeError);
    expect(() => serializeRtp({ ...base, payloadType: 128 })).toThrow(RangeError);
    expect(() => serializeRtp({ ...base, sequenceNumber: 65536 })).toThrow(RangeError);
    expect(() => serializeRtp({ ...base, extension: { profile: 1, data: bytes(1, 2, 3) } })).toThrow(RangeError);
    expect(() => serializeRtpInto(base, new Uint8Array(10))).toThrow(RangeError);
  });
});

describe('RTP/RTCP demultiplexing (RFC 5761 §4)', () => {
  it('tells RTCP (second octet 192–223) from RTP', () => {
    expect(looksLikeRtcp(bytes(0x80, 0xc8, 0x00, 0x06))).toBe(true); // SR
    expect(looksLikeRtcp(bytes(0x81, 0xc9, 0x00, 0x07))).toBe(true); // RR
    expect(looksLikeRtcp(GOLDEN[0]!.wire)).toBe(false); // PT 0 with marker = 0x80
    expect(looksLikeRtcp(bytes(0x80, 0x60, 0, 0))).toBe(false);
    expect(looksLikeRtcp(bytes(0x80, 0xc8))).toBe(false);
  });
});
