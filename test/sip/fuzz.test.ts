// Property-based fuzzing (fast-check): whatever the bytes, parseMessage returns a message or a
// Failure with a known code and never throws; a message it accepts can be read through every
// accessor without throwing and re-serialises to something it accepts again; buildBadRequest
// never throws; StreamFramer yields the same messages however the stream is cut.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildBadRequest,
  H,
  parseMessage,
  serializeMessage,
  StreamFramer,
  type FramerEvent,
  type SipErrorCode,
  type SipMessage,
} from '../../src/sip/message/index.js';
import { sharedPath } from '../helpers/shared-dir.js';

const CODES = new Set<SipErrorCode>([
  'SIP_EMPTY',
  'SIP_BAD_START_LINE',
  'SIP_BAD_VERSION',
  'SIP_BAD_URI',
  'SIP_BAD_HEADER',
  'SIP_MISSING_HEADER',
  'SIP_BAD_CSEQ',
  'SIP_BAD_CONTENT_LENGTH',
  'SIP_TOO_LARGE',
]);

const DIR = sharedPath('testdata', 'rfc4475') + '/';
const SEEDS: Buffer[] = [
  ...['wsinv', 'intmeth', 'esc01', 'escnull', 'lwsdisp', 'semiuri', 'transports', 'mpart01', 'unreason', 'noreason', 'regescrt', 'cparam01', 'inv2543', 'badinv01', 'quotbal', 'test'].map((n) =>
    readFileSync(`${DIR}${n}.dat`),
  ),
  Buffer.from(
    [
      'INVITE sip:bob@[2001:db8::2]:5060 SIP/2.0',
      'Via: SIP/2.0/UDP [2001:db8::1]:5060;branch=z9hG4bK776asdhds;rport',
      'Max-Forwards: 70',
      'From: "Alice" <sip:alice@atlanta.example.com>;tag=1928301774',
      'To: <sip:bob@biloxi.example.com>',
      'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
      'CSeq: 314159 INVITE',
      'Contact: <sip:alice@192.0.2.10:5060;transport=udp>;expires=60',
      'Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>',
      'WWW-Authenticate: Digest realm="r", nonce="n", qop="auth"',
      'Event: dialog;id=1',
      'Subscription-State: active;expires=60',
      'Refer-To: <sip:c@h?Replaces=a%40b%3Bto-tag%3D1%3Bfrom-tag%3D2>',
      'Content-Type: application/sdp',
      'Content-Length: 10',
      '',
      'v=0\r\ns=-\r\n',
    ].join('\r\n'),
  ),
];

/** Reads everything a layer above might read; must never throw for an accepted message. */
function readAll(m: SipMessage): void {
  void m.startLine;
  if (m.kind === 'request') void m.uri.toString();
  void m.from.tag;
  void m.to.uri.toString();
  void m.callId;
  void m.cseq.seq;
  void m.topVia?.branch;
  for (const v of m.vias) void v.toString();
  const c = m.contacts;
  if (c !== '*') for (const x of c) void x.toString();
  void m.maxForwards;
  for (const spec of Object.values(H)) void m.typed(spec as never);
}

function checkParse(bytes: Uint8Array): void {
  const r = parseMessage(bytes);
  if (!r.ok) {
    expect(CODES.has(r.error.code), r.error.code).toBe(true);
    expect(r.error.reason).not.toMatch(/Internal parser error/);
    expect([400, 505, 513]).toContain(r.error.status);
    const answer = buildBadRequest(bytes, r.error);
    if (answer !== undefined) {
      expect(answer.status).toBe(r.error.status);
      serializeMessage(answer);
    }
    return;
  }
  readAll(r.value);
  const out = serializeMessage(r.value);
  const again = parseMessage(out);
  expect(again.ok, again.ok ? '' : `${again.error.reason}\n${out.toString('latin1')}`).toBe(true);
  if (again.ok) {
    expect(again.value.startLine).toBe(r.value.startLine);
    expect(again.value.body.equals(r.value.body)).toBe(true);
    expect(serializeMessage(again.value).equals(out)).toBe(true);
  }
}

const seed = fc.constantFrom(...SEEDS);

/** One mutation of a message: byte flips, truncation, line duplication/removal, insertion. */
const mutated = fc
  .tuple(
    seed,
    fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
        fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('dupLine' as const), at: fc.nat() }),
        fc.record({ kind: fc.constant('dropLine' as const), at: fc.nat() }),
        fc.record({
          kind: fc.constant('insert' as const),
          at: fc.nat(),
          text: fc.constantFrom(',', ';', ' ', '\r\n', '\r\n ', '"', '<', '>', ':', '@', '%', '[', ']', '\\', '=', '\x00', '\u00e9', 'Via: SIP/2.0/UDP h', 'l: 0'),
        }),
      ),
      { minLength: 1, maxLength: 4 },
    ),
  )
  .map(([base, ops]) => {
    let b = Buffer.from(base);
    for (const op of ops) {
      const at = b.length === 0 ? 0 : op.at % b.length;
      if (op.kind === 'flip') {
        if (b.length > 0) b[at] = op.byte;
      } else if (op.kind === 'truncate') b = b.subarray(0, at);
      else if (op.kind === 'insert') b = Buffer.concat([b.subarray(0, at), Buffer.from(op.text), b.subarray(at)]);
      else {
        const lines = b.toString('latin1').split('\r\n');
        const i = op.at % lines.length;
        if (op.kind === 'dupLine') lines.splice(i, 0, lines[i]!);
        else lines.splice(i, 1);
        b = Buffer.from(lines.join('\r\n'), 'latin1');
      }
    }
    return b;
  });

describe('parseMessage fuzzing', () => {
  it('the seeds themselves behave', () => {
    for (const s of SEEDS) checkParse(s);
  });

  it('random bytes never throw', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => checkParse(bytes)), { numRuns: 1500 });
  });

  it('random SIP-looking text never throws', () => {
    const alphabet = fc.constantFrom(...'INVITE sip:@;=,<>"\\ \t\r\n:/SIP2.0Via:From:To:Call-ID:CSeq:l0123456789[]%?&abc'.split(''));
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 400 }), (chars) => checkParse(Buffer.from('INVITE sip:a@b SIP/2.0\r\n' + chars.join('')))),
      { numRuns: 1500 },
    );
  });

  it('mutated valid messages never throw, and what parses round-trips', () => {
    fc.assert(fc.property(mutated, (bytes) => checkParse(bytes)), { numRuns: 3000 });
  });
});

/** Messages framed by StreamFramer from `chunks`, summarised for comparison. */
function frameAll(chunks: Uint8Array[]): string[] {
  const f = new StreamFramer();
  const out: string[] = [];
  const take = (events: FramerEvent[]): void => {
    for (const e of events) if (e.type === 'message' || e.type === 'error') out.push(e.type === 'message' ? e.bytes.toString('latin1') : `error ${e.failure.code}`);
  };
  for (const c of chunks) take(f.push(c));
  return out;
}

function split(stream: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let last = 0;
  for (const p of points) {
    chunks.push(stream.subarray(last, p));
    last = p;
  }
  chunks.push(stream.subarray(last));
  return chunks;
}

describe('StreamFramer fuzzing', () => {
  const framed = SEEDS.filter((s) => {
    const r = parseMessage(s);
    return r.ok && r.value.headers.has('Content-Length') && r.value.body.length === s.length - s.indexOf('\r\n\r\n') - 4;
  });

  it('yields the same messages however the stream is split', () => {
    expect(framed.length).toBeGreaterThan(5);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...framed.map((_, i) => i)), { minLength: 1, maxLength: 6 }),
        fc.array(fc.constantFrom('', '\r\n\r\n', '\r\n'), { minLength: 6, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (order, gaps, cuts) => {
          const parts: Buffer[] = [];
          order.forEach((i, k) => parts.push(Buffer.from(gaps[k]!), framed[i]!));
          const stream = Buffer.concat(parts);
          const expected = order.map((i) => framed[i]!.toString('latin1'));
          expect(frameAll([stream])).toEqual(expected);
          expect(frameAll(split(stream, cuts))).toEqual(expected);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('never throws on random chunks', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 10 }), (chunks) => {
        const f = new StreamFramer({ maxHeaderBytes: 512, maxBodyBytes: 512 });
        for (const c of chunks) for (const e of f.push(c)) if (e.type === 'message') checkParse(e.bytes);
      }),
      { numRuns: 800 },
    );
  });

  it('never throws on mutated streams, and errors at most once', () => {
    fc.assert(
      fc.property(mutated, fc.array(fc.nat(), { maxLength: 10 }), (bytes, cuts) => {
        const f = new StreamFramer();
        let errors = 0;
        for (const c of split(bytes, cuts)) for (const e of f.push(c)) if (e.type === 'error') errors++;
        expect(errors).toBeLessThanOrEqual(1);
      }),
      { numRuns: 800 },
    );
  });
});
