// SIP parser benchmark (ARCHITECTURE.md "Figures"): parse, and parse + serialise, of a typical
// ~900-byte INVITE with SDP on one core, against the npm packages `sip` (its parse/stringify)
// and `drachtio-sip` (its parser, lazy and eager modes) on the same bytes in the same process.
// Runs are interleaved round-robin so machine noise hits every contender alike; the table shows
// the median of the runs. Run: npx tsx bench/sip-parse.ts [--runs N] [--iterations N]
import { createRequire } from 'node:module';
import { createResponse, parseMessage, serializeMessage, type SipRequest } from '../src/sip/message/index.js';

const require = createRequire(import.meta.url);

interface NpmSip {
  parse(data: Buffer | string): unknown;
  stringify(msg: unknown): string;
}
interface DrachtioParser {
  parseSipMessage(data: Buffer | string, lazy?: boolean): unknown;
  stringifySipMessage(msg: unknown): string;
}
const npmSip = require('sip') as NpmSip;
const drachtio = (require('drachtio-sip') as { parser: DrachtioParser }).parser;

const SDP = [
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 192.0.2.10',
  's=-',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'm=audio 49170 RTP/AVP 0 8 9 18 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:18 G729/8000',
  'a=fmtp:18 annexb=no',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=ptime:20',
  'a=sendrecv',
  '',
].join('\r\n');

const INVITE = Buffer.from(
  [
    'INVITE sip:bob@biloxi.example.com SIP/2.0',
    'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK776asdhds;rport',
    'Max-Forwards: 70',
    'From: "Alice" <sip:alice@atlanta.example.com>;tag=1928301774',
    'To: <sip:bob@biloxi.example.com>',
    'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
    'CSeq: 314159 INVITE',
    'Contact: <sip:alice@192.0.2.10:5060;transport=udp>',
    'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, REFER, NOTIFY, UPDATE, PRACK',
    'Supported: replaces, timer, 100rel',
    'Accept: application/sdp',
    'User-Agent: Panasonic-KX-UT670/01.133 (0080f0aabbcc)',
    'Content-Type: application/sdp',
    `Content-Length: ${Buffer.byteLength(SDP)}`,
    '',
    SDP,
  ].join('\r\n'),
);

interface Contender {
  readonly name: string;
  readonly parse: () => unknown;
  /** Absent when the package cannot serialise what it parsed (drachtio-sip's eager mode throws). */
  readonly roundTrip?: () => Buffer;
}

const contenders: Contender[] = [
  {
    name: 'vphone',
    parse: () => parseMessage(INVITE),
    roundTrip: () => {
      const r = parseMessage(INVITE);
      if (!r.ok) throw new Error(r.error.message);
      return serializeMessage(r.value);
    },
  },
  {
    name: 'sip (npm)',
    parse: () => npmSip.parse(INVITE),
    roundTrip: () => Buffer.from(npmSip.stringify(npmSip.parse(INVITE)), 'binary'),
  },
  {
    name: 'drachtio-sip lazy',
    parse: () => drachtio.parseSipMessage(INVITE, true),
    roundTrip: () => Buffer.from(drachtio.stringifySipMessage(drachtio.parseSipMessage(INVITE, true)), 'utf8'),
  },
  {
    name: 'drachtio-sip eager',
    parse: () => drachtio.parseSipMessage(INVITE, false),
  },
];

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const RUNS = arg('--runs', 7);
const ITERATIONS = arg('--iterations', 40_000);

let sink = 0;
function rate(fn: () => unknown, n: number): number {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const x = fn();
    if (x === undefined) sink++;
  }
  return n / ((performance.now() - t0) / 1000);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

// Which contenders' round trip is even usable (re-parses with a strict parser)?
const usable = new Map<string, boolean>();
for (const c of contenders) {
  let okRoundTrip = false;
  try {
    if (!c.roundTrip) continue;
    const again = parseMessage(c.roundTrip());
    okRoundTrip = again.ok && again.value.kind === 'request' && again.value.body.equals(Buffer.from(SDP));
  } catch {
    okRoundTrip = false;
  }
  usable.set(c.name, okRoundTrip);
}

const results = new Map<string, { parse: number[]; roundTrip: number[] }>();
for (const c of contenders) results.set(c.name, { parse: [], roundTrip: [] });
// Warm-up (JIT) then interleaved measured runs.
for (const c of contenders) {
  rate(c.parse, ITERATIONS / 2);
  if (c.roundTrip) rate(c.roundTrip, ITERATIONS / 2);
}
for (let run = 0; run < RUNS; run++) {
  for (const c of contenders) {
    results.get(c.name)!.parse.push(rate(c.parse, ITERATIONS));
    if (c.roundTrip) results.get(c.name)!.roundTrip.push(rate(c.roundTrip, ITERATIONS));
  }
}

const k = (x: number): string => `${(x / 1000).toFixed(1)}k/s`.padStart(10);
console.log(`SIP parse benchmark: ${INVITE.length}-byte INVITE with SDP, ${RUNS} runs x ${ITERATIONS} messages, median, Node ${process.version}`);
console.log(`${'parser'.padEnd(20)}${'parse'.padStart(10)}${'parse+ser'.padStart(12)}  round trip re-parses`);
const med = new Map<string, { parse: number; roundTrip: number }>();
for (const c of contenders) {
  const r = results.get(c.name)!;
  const m = { parse: median(r.parse), roundTrip: r.roundTrip.length > 0 ? median(r.roundTrip) : 0 };
  med.set(c.name, m);
  const rt = c.roundTrip ? k(m.roundTrip) : 'n/a'.padStart(10);
  const reparse = c.roundTrip ? (usable.get(c.name) ? 'yes' : 'NO') : '(stringify throws)';
  console.log(`${c.name.padEnd(20)}${k(m.parse)}  ${rt}  ${reparse}`);
}
const ours = med.get('vphone')!;
const others = contenders.filter((c) => c.name !== 'vphone').map((c) => med.get(c.name)!);
const bestParse = Math.max(...others.map((o) => o.parse));
const bestRoundTrip = Math.max(...others.map((o) => o.roundTrip));
// Our own paths beyond the comparison: what a transaction layer reads from every message, and
// building + serialising an answer (the UAS side).
const keys = (): unknown => {
  const r = parseMessage(INVITE);
  if (!r.ok) throw new Error(r.error.message);
  const m = r.value;
  return `${m.topVia?.branch}|${m.cseq.method}|${m.cseq.seq}|${m.callId}|${m.from.tag}|${m.to.tag}`;
};
const parsedInvite = (parseMessage(INVITE) as { value: SipRequest }).value;
const answer = (): Buffer => serializeMessage(createResponse(parsedInvite, 180, { toTag: 'a6c85cf' }));
const extra: Array<[string, () => unknown]> = [
  ['vphone parse + read transaction keys (top Via branch, CSeq, Call-ID, tags)', keys],
  ['vphone createResponse(180) + serialize', answer],
];
for (const [, fn] of extra) rate(fn, ITERATIONS / 2);
for (const [name, fn] of extra) {
  const runs: number[] = [];
  for (let run = 0; run < RUNS; run++) runs.push(rate(fn, ITERATIONS));
  console.log(`${name}: ${k(median(runs)).trim()}`);
}
console.log(`ratio vphone / fastest other: parse ${(ours.parse / bestParse).toFixed(2)}x, parse+serialize ${(ours.roundTrip / bestRoundTrip).toFixed(2)}x`);
console.log(`target: parse+serialize >= 150.0k/s and >= 1.25x -> ${ours.roundTrip >= 150_000 && ours.roundTrip / bestRoundTrip >= 1.25 ? 'met' : 'NOT met'}`);
if (sink < 0) console.log(sink);
