// RFC 4475 torture messages against a running phone (issue 3). The messages name outside hosts
// (example.com, 192.0.2.x), so rfc4475-device-runner.ts boots a KX-UT670 inside a loopback-only
// network namespace (test/peers/netns.ts) and sends it all 50 of them byte for byte over UDP; here
// each outcome is checked against the handling RFC 4475 (and index.tsv) gives: valid requests get
// a response that is not a 400, invalid requests a 400 (505 for SIP/7.0) whose reason phrase
// names the fault — or nothing where no response can be built — and responses are never answered.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { netnsUnavailable, runNodeInNetns } from '../peers/index.js';
import { RFC4475_DIR, rawCallId, type RunnerOutput, type RunnerReply } from './rfc4475-device-runner.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const unavailable = await netnsUnavailable();

interface Entry {
  readonly name: string;
  readonly valid: boolean;
  readonly handling: string;
}
const INDEX: Entry[] = readFileSync(join(RFC4475_DIR, 'index.tsv'), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [name, validity, , , handling] = line.split('\t');
    return { name: name!, valid: validity === 'valid', handling: handling! };
  });

/** Messages that are responses: a phone never answers them (RFC 3261 §18.1.2). */
const RESPONSES = new Set(['unreason', 'noreason', 'bcast', 'scalarlg', 'bigcode']);

/** Invalid requests RFC 4475 wants rejected with 400, and what the reason phrase must name. */
const MUST_REJECT: Record<string, RegExp> = {
  badinv01: /Via|Contact/,
  clerr: /Content-Length/,
  ncl: /Content-Length/,
  scalar02: /CSeq|Max-Forwards|Expires|Contact/,
  quotbal: /From|To/,
  ltgtruri: /Request-URI/,
  lwsruri: /Request-Line|Request-URI/,
  lwsstart: /Request-Line/,
  trws: /Request-Line|SIP-Version/,
  escruri: /Request-URI/,
  regbadct: /Contact/,
  badaspec: /To/,
  baddn: /From/,
  mismatch01: /CSeq/,
  mismatch02: /CSeq/,
  multi01: /Multiple/,
  mcl01: /Content-Length/,
};

/**
 * Invalid messages RFC 4475 lets a receiver either reject or treat otherwise: insuf and test
 * lack the headers a response must copy (400 "if possible", else discard); baddate may be
 * processed ignoring the Date (§3.1.2.12).
 */
const REJECT_OR_DROP = new Set(['insuf', 'test']);
const REJECT_OR_PROCESS = new Set(['baddate']);

describe.skipIf(unavailable !== undefined)('RFC 4475 torture messages against a running phone (loopback-only netns)', () => {
  let out: RunnerOutput;
  const sent = new Map<string, Buffer>();

  beforeAll(async () => {
    for (const e of INDEX) sent.set(e.name, readFileSync(join(RFC4475_DIR, `${e.name}.dat`)));
    const result = await runNodeInNetns(join(HERE, 'rfc4475-device-runner.ts'), [], { cwd: ROOT, timeoutMs: 120_000 });
    expect(result.code, result.stderr.slice(-3000)).toBe(0);
    out = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as RunnerOutput;
  }, 150_000);

  /** The phone's replies to one message: those carrying its Call-ID (an unACKed final response to an earlier INVITE is retransmitted meanwhile). */
  function repliesTo(name: string): RunnerReply[] {
    const all = out.replies[name];
    expect(all, `${name} was sent`).toBeDefined();
    const callId = rawCallId(sent.get(name)!.toString('latin1'));
    return callId === undefined ? all! : all!.filter((r) => r.callId === callId);
  }

  it('sent every message of the index and the phone still answers OPTIONS afterwards', () => {
    expect(INDEX).toHaveLength(50);
    expect(Object.keys(out.replies).sort()).toEqual(INDEX.map((e) => e.name).sort());
    // Nothing but SIP responses came back.
    for (const [name, replies] of Object.entries(out.replies)) for (const r of replies) expect(r.status, `${name}: ${r.reason}`).toBeGreaterThanOrEqual(100);
    expect(out.finalOptions).toBe(200);
  });

  it('valid requests get a response, never a 400', () => {
    const checked: string[] = [];
    for (const e of INDEX) {
      if (!e.valid || RESPONSES.has(e.name)) continue;
      const replies = repliesTo(e.name);
      expect(replies.length, `${e.name} answered (${e.handling})`).toBeGreaterThan(0);
      // badbranch: "400 or fall back to RFC 2543 matching" (§3.2.1): either is right.
      if (e.name !== 'badbranch') for (const r of replies) expect([400, 505, 513], `${e.name} got ${r.status} ${r.reason}`).not.toContain(r.status);
      checked.push(e.name);
    }
    expect(checked).toHaveLength(24);
    // Where RFC 4475 names the response and a phone's UA gives it.
    const statuses = (name: string): number[] => repliesTo(name).map((r) => r.status);
    expect(statuses('intmeth')).toEqual([501]); // §3.1.1.2 unknown method
    expect(statuses('esc02')).toEqual([501]); // §3.1.1.5 RE%47IST%45R is not REGISTER
    expect(statuses('bext01')).toEqual([420]); // §3.3.5
    expect(statuses('invut')[0]).toBe(415); // §3.3.6 (then retransmitted: nobody ACKs it)
    expect(statuses('zeromf')).toEqual([200]); // §3.3.11 a UA answers Max-Forwards 0 normally
    expect(statuses('inv2543')).toContain(180); // §3.4.1 processed
    expect(statuses('unkscm')).toEqual([416]); // §3.3.2 unknown Request-URI scheme
    expect(statuses('novelsc')).toEqual([416]); // §3.3.3 novel scheme
    expect(statuses('sdp01')[0]).toBe(406); // §3.3.15 Accept rules out SDP
    // §3.1.1.8 dblreq: only the REGISTER is processed, the bytes after it are ignored.
    const dblreq = out.replies['dblreq']!;
    expect(dblreq.map((r) => r.callId)).toEqual([rawCallId(sent.get('dblreq')!.toString('latin1'))]);
  });

  it('invalid requests get a 400 naming the fault (505 for SIP/7.0), or nothing where no response can be built', () => {
    for (const [name, reason] of Object.entries(MUST_REJECT)) {
      const replies = repliesTo(name);
      expect(replies.map((r) => r.status), name).toEqual([400]);
      expect(replies[0]!.reason, name).toMatch(reason);
    }
    expect(repliesTo('badvers').map((r) => `${r.status} ${r.reason}`)).toEqual(['505 Version Not Supported']);
    for (const name of REJECT_OR_DROP) for (const r of repliesTo(name)) expect(r.status, name).toBe(400);
    for (const name of REJECT_OR_PROCESS) expect(repliesTo(name).length, name).toBeGreaterThan(0);
    const covered = new Set([...Object.keys(MUST_REJECT), 'badvers', ...REJECT_OR_DROP, ...REJECT_OR_PROCESS, ...RESPONSES]);
    expect(INDEX.filter((e) => !e.valid && !covered.has(e.name)).map((e) => e.name)).toEqual([]);
  });

  it('responses, valid or not, are never answered', () => {
    for (const name of RESPONSES) expect(out.replies[name], name).toEqual([]);
  });
});
