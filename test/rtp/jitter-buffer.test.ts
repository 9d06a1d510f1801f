// Jitter buffer in virtual time: hand-built sequences for each corner (reordering, duplicates,
// loss, late packets, DTX, SSRC change, timestamp jump, wraparound), then seeded impairment traces
// for the targets (5% loss + 40 ms jitter: concealment < 6%, mean added delay within 20 ms
// of the minimum) and a 10-minute clock drift run.
import { describe, expect, it } from 'vitest';
import { JitterBuffer, type JitterBufferOptions, type JitterPacket } from '../../src/rtp/jitter-buffer.js';
import { countKind, makeTrace, paretoJitter, runTrace, seededRandom, strictlyIncreasing, uniformJitter, type TracePacket } from './impairment.js';

const KX_DEFAULTS: JitterBufferOptions = { clockRate: 8000, frameMs: 20, minDelayMs: 20, nominalDelayMs: 20, maxDelayMs: 200 };

function jb(overrides: Partial<JitterBufferOptions> = {}): JitterBuffer {
  return new JitterBuffer({ ...KX_DEFAULTS, ...overrides });
}

/** A packet whose payload's first 4 bytes carry `index`. */
function pkt(index: number, fields: { seq?: number; ts?: number; ssrc?: number; pt?: number; marker?: boolean; bytes?: number } = {}): JitterPacket & { index: number } {
  const payload = new Uint8Array(fields.bytes ?? 160);
  new DataView(payload.buffer).setUint32(0, index);
  return {
    index,
    ssrc: fields.ssrc ?? 0xabcd,
    sequenceNumber: (fields.seq ?? 100 + index) & 0xffff,
    timestamp: (fields.ts ?? 8000 + index * 160) >>> 0,
    marker: fields.marker ?? false,
    payloadType: fields.pt ?? 0,
    bytes: payload,
    payloadOffset: 0,
    payloadLength: payload.length,
  };
}

function indexOf(buf: JitterBuffer, nowMs: number): number | string {
  const f = buf.pull(nowMs);
  if (f.kind !== 'audio') return f.kind;
  return f.payload.length >= 4 ? new DataView(f.payload.buffer, f.payload.byteOffset).getUint32(0) : 'cn';
}

/**
 * Drives a buffer by hand: `arrivals[k]` is the arrival time of packet k (undefined = lost);
 * pulls every 20 ms from `firstPullMs`. Returns what each pull gave.
 */
function drive(buf: JitterBuffer, packets: Array<{ p: JitterPacket; at: number }>, firstPullMs: number, pulls: number): Array<number | string> {
  const sorted = [...packets].sort((a, b) => a.at - b.at);
  const out: Array<number | string> = [];
  let next = 0;
  for (let j = 0; j < pulls; j++) {
    const now = firstPullMs + 20 * j;
    while (next < sorted.length && sorted[next]!.at <= now) {
      buf.push(sorted[next]!.p, sorted[next]!.at);
      next++;
    }
    out.push(indexOf(buf, now));
  }
  return out;
}

describe('JitterBuffer basics', () => {
  it('plays an unimpaired stream in order at the nominal delay', () => {
    const buf = jb({ nominalDelayMs: 40 });
    // Packet k sent at 20k, arrives 30 ms later; pulls at 5 + 20j.
    const out = drive(buf, Array.from({ length: 50 }, (_, k) => ({ p: pkt(k), at: 20 * k + 30 })), 5, 52);
    // First arrival 30, due at 70: the nearest pull is 65 (within half a frame).
    expect(out.slice(0, 3)).toEqual(['silence', 'silence', 'silence']);
    expect(out.slice(3, 52)).toEqual(Array.from({ length: 49 }, (_, k) => k));
    const s = buf.stats();
    expect(s.concealed).toBe(0);
    expect(s.lost).toBe(0);
    expect(s.meanResidenceMs).toBe(35);
    expect(s.currentDelayMs).toBe(35);
  });

  it('puts reordered packets back in order when the delay covers the reordering', () => {
    const buf = jb({ nominalDelayMs: 60 });
    // Pairs swapped: 1 arrives before 0, 3 before 2, ... (even packets 45 ms later than odd ones).
    const packets = Array.from({ length: 40 }, (_, k) => ({ p: pkt(k), at: k % 2 === 0 ? 20 * k + 55 : 20 * k + 10 }));
    const pulled = drive(buf, packets, 1, 48);
    expect(pulled.filter((x) => typeof x === 'number')).toEqual(Array.from({ length: 40 }, (_, k) => k));
    expect(pulled.slice(pulled.indexOf(0), pulled.indexOf(39) + 1).every((x) => typeof x === 'number')).toBe(true);
    expect(buf.stats()).toMatchObject({ lost: 0, late: 0, dropped: 0 });
  });

  it('grows its delay to cover reordering it did not expect (a few frames concealed, then clean)', () => {
    const buf = jb(); // nominal 20 ms, less than the 45 ms the reordering needs
    const packets = Array.from({ length: 100 }, (_, k) => ({ p: pkt(k), at: k % 2 === 0 ? 20 * k + 55 : 20 * k + 10 }));
    const out = drive(buf, packets, 1, 100);
    const audio = out.filter((x) => typeof x === 'number');
    expect(strictlyIncreasing(audio as number[])).toBe(true);
    const s = buf.stats();
    expect(s.concealed).toBeLessThanOrEqual(4);
    expect(s.inserted).toBeGreaterThanOrEqual(1);
    // After adapting, every frame plays: the last 80 pulls are audio.
    expect(out.slice(-80).every((x) => typeof x === 'number')).toBe(true);
    expect(s.currentDelayMs).toBeGreaterThanOrEqual(45);
  });

  it('counts duplicates, before and after playout, and plays each frame once', () => {
    const buf = jb();
    const packets = Array.from({ length: 20 }, (_, k) => ({ p: pkt(k), at: 20 * k + 30 }));
    packets.push({ p: pkt(5), at: 20 * 5 + 31 }); // still buffered
    packets.push({ p: pkt(2), at: 20 * 12 }); // long played
    const out = drive(buf, packets, 10, 24).filter((x) => typeof x === 'number');
    expect(out).toEqual(Array.from({ length: out.length }, (_, k) => k));
    expect(buf.stats().duplicates).toBe(2);
    expect(buf.stats().late).toBe(0);
  });

  it('conceals a lost packet in its place and counts it lost', () => {
    const buf = jb();
    const packets = Array.from({ length: 30 }, (_, k) => ({ p: pkt(k), at: 20 * k + 30 })).filter((x) => x.p.index !== 10 && x.p.index !== 11);
    const out = drive(buf, packets, 10, 32);
    const firstAudio = out.findIndex((x) => x === 0);
    expect(out.slice(firstAudio, firstAudio + 14)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 'conceal', 'conceal', 12, 13]);
    expect(buf.stats().lost).toBe(2);
    expect(buf.stats().concealed).toBe(2);
  });

  it('drops a packet that arrives after its frame was given up, counting it late (and not lost)', () => {
    const buf = jb();
    const packets = Array.from({ length: 30 }, (_, k) => ({ p: pkt(k), at: k === 10 ? 20 * 10 + 200 : 20 * k + 30 }));
    const out = drive(buf, packets, 10, 32);
    const firstAudio = out.findIndex((x) => x === 0);
    expect(out.slice(firstAudio + 9, firstAudio + 12)).toEqual([9, 'conceal', 11]);
    const s = buf.stats();
    expect(s.late).toBe(1);
    expect(s.lost).toBe(0);
    expect(buf.burst.discardCount).toBe(1);
    expect(buf.burst.lossCount).toBe(0);
  });

  it('waits for a frame that is only a little late: one concealed frame, the delay grows, nothing lost', () => {
    const buf = jb();
    // Packet 10 and everything after it is 25 ms later than before (a route change).
    const packets = Array.from({ length: 40 }, (_, k) => ({ p: pkt(k), at: 20 * k + 30 + (k >= 10 ? 25 : 0) }));
    const out = drive(buf, packets, 10, 43); // the last pull plays the last packet
    const firstAudio = out.findIndex((x) => x === 0);
    expect(out.slice(firstAudio + 9, firstAudio + 13)).toEqual([9, 'conceal', 10, 11]);
    const s = buf.stats();
    expect(s.lost).toBe(0);
    expect(s.late).toBe(0);
    expect(s.inserted).toBe(1);
    expect(s.concealed).toBe(1);
  });

  it('handles sequence and timestamp wraparound', () => {
    const buf = jb();
    const packets = Array.from({ length: 40 }, (_, k) => ({ p: pkt(k, { seq: 65520 + k, ts: 0xffffffff - 160 * 20 + 160 * k }), at: 20 * k + 30 }));
    const out = drive(buf, packets, 10, 42).filter((x) => typeof x === 'number');
    expect(out).toEqual(Array.from({ length: 40 }, (_, k) => k));
    expect(buf.stats()).toMatchObject({ concealed: 0, lost: 0, timestampJumps: 0, sequenceRestarts: 0 });
  });

  it('reuses one frame object and one payload view per slot (no allocation per pull)', () => {
    const buf = jb({ maxDelayMs: 100 });
    const views = new Set<Uint8Array>();
    const frames = new Set<object>();
    for (let k = 0; k < 200; k++) {
      buf.push(pkt(k), 20 * k);
      const f = buf.pull(20 * k + 20);
      frames.add(f);
      if (f.kind === 'audio') views.add(f.payload);
    }
    expect(frames.size).toBe(1);
    // One exact-length view per slot at most (capacity = 100/10 + 16 = 26: room for 10 ms packets).
    expect(views.size).toBeLessThanOrEqual(26);
  });

  it('rejects payloads larger than its slots', () => {
    const buf = jb({ maxPayloadBytes: 100 });
    expect(buf.push(pkt(0, { bytes: 101 }), 0)).toBe('oversize');
    expect(buf.stats().oversize).toBe(1);
  });

  it('validates its configuration (a bug, so it throws)', () => {
    expect(() => jb({ minDelayMs: 50, nominalDelayMs: 20 })).toThrow(RangeError);
    expect(() => jb({ frameMs: 0 })).toThrow(RangeError);
  });
});

describe('JitterBuffer timeline changes', () => {
  it('continues seamlessly across a timestamp jump (same SSRC, contiguous sequence)', () => {
    const buf = jb();
    const packets = Array.from({ length: 60 }, (_, k) => ({ p: pkt(k, { ts: k < 30 ? 1000 + 160 * k : 90_000_000 + 160 * k }), at: 20 * k + 30 }));
    const out = drive(buf, packets, 10, 62);
    const audio = out.filter((x) => typeof x === 'number');
    expect(audio).toEqual(Array.from({ length: 60 }, (_, k) => k));
    const firstAudio = out.indexOf(0);
    expect(out.slice(firstAudio, firstAudio + 60).every((x) => typeof x === 'number')).toBe(true);
    expect(buf.stats()).toMatchObject({ timestampJumps: 1, concealed: 0, lost: 0 });
  });

  it('follows a backward timestamp jump too', () => {
    const buf = jb();
    const packets = Array.from({ length: 60 }, (_, k) => ({ p: pkt(k, { ts: k < 30 ? 500_000 + 160 * k : 160 * k }), at: 20 * k + 30 }));
    const out = drive(buf, packets, 10, 62).filter((x) => typeof x === 'number');
    expect(out).toEqual(Array.from({ length: 60 }, (_, k) => k));
    expect(buf.stats()).toMatchObject({ timestampJumps: 1, concealed: 0 });
  });

  it('switches to a new SSRC mid-stream without a gap and drops stragglers of the old one', () => {
    const buf = jb();
    const packets = Array.from({ length: 60 }, (_, k) => ({
      p: k < 30 ? pkt(k) : pkt(k, { ssrc: 0x5555, seq: 40_000 + k, ts: 3_000_000_000 + 160 * k, marker: k === 30 }),
      at: 20 * k + 30,
    }));
    packets.push({ p: pkt(29), at: 20 * 31 + 30 }); // a late duplicate from the old source
    const out = drive(buf, packets, 10, 62);
    const audio = out.filter((x) => typeof x === 'number');
    expect(audio).toEqual(Array.from({ length: 60 }, (_, k) => k));
    const firstAudio = out.indexOf(0);
    expect(out.slice(firstAudio, firstAudio + 60).every((x) => typeof x === 'number')).toBe(true);
    expect(buf.stats()).toMatchObject({ ssrcChanges: 1, staleSource: 1, concealed: 0, lost: 0 });
  });

  it('resynchronises after a sequence restart confirmed by a second packet (one discarded)', () => {
    const buf = jb();
    const packets = Array.from({ length: 60 }, (_, k) => ({ p: pkt(k, { seq: k < 30 ? 100 + k : 30_000 + k }), at: 20 * k + 30 }));
    const out = drive(buf, packets, 10, 62).filter((x) => typeof x === 'number');
    expect(out).toEqual(Array.from({ length: 60 }, (_, k) => k).filter((k) => k !== 30));
    expect(buf.stats()).toMatchObject({ sequenceRestarts: 1, discarded: 1 });
  });

  it('ignores a lone stray packet with a wild sequence number', () => {
    const buf = jb();
    const packets = Array.from({ length: 40 }, (_, k) => ({ p: pkt(k), at: 20 * k + 30 }));
    packets.push({ p: pkt(999, { seq: 20_000 }), at: 20 * 15 + 31 });
    const out = drive(buf, packets, 10, 42).filter((x) => typeof x === 'number');
    expect(out).toEqual(Array.from({ length: 40 }, (_, k) => k));
    expect(buf.stats()).toMatchObject({ discarded: 1, sequenceRestarts: 0, concealed: 0 });
  });
});

/** Concealed frames before the last audio frame (the end of a trace is an underrun too). */
function concealedInStream(kinds: readonly string[]): number {
  return countKind(kinds.slice(0, kinds.lastIndexOf('audio')) as never, 'conceal');
}

describe('JitterBuffer silence (DTX) gaps', () => {
  const gap: Array<[number, number]> = [[100, 150]]; // 1 s of silence after 2 s of talk

  it('plays silence through a comfort-noise gap without concealment or loss', () => {
    const rand = seededRandom(7);
    const trace = makeTrace({ frames: 250, silentFrames: gap, comfortNoise: true, jitter: uniformJitter(10) }, rand);
    const buf = jb();
    const r = runTrace(buf, trace, { firstPullMs: 41, endMs: 250 * 20 + 200 });
    expect(concealedInStream(r.kinds)).toBe(0);
    expect(buf.stats()).toMatchObject({ lost: 0, late: 0, dropped: 0 });
    expect(strictlyIncreasing(r.played)).toBe(true);
    expect(r.played.filter((x) => x >= 0)).toHaveLength(200);
    // The second talkspurt starts with the marker bit (the sender's first packet after the gap).
    expect(trace.find((p) => p.index === 150)?.marker).toBe(true);
  });

  it('without comfort noise, waits at most maxHoldFrames before calling it silence; nothing lost', () => {
    const rand = seededRandom(8);
    const trace = makeTrace({ frames: 250, silentFrames: gap, jitter: uniformJitter(10) }, rand);
    const buf = jb();
    const r = runTrace(buf, trace, { firstPullMs: 41, endMs: 250 * 20 + 200 });
    expect(buf.stats().lost).toBe(0);
    expect(concealedInStream(r.kinds)).toBeLessThanOrEqual(3);
    expect(r.played.filter((x) => x >= 0)).toHaveLength(200);
    expect(strictlyIncreasing(r.played)).toBe(true);
  });

  it('re-anchors the next talkspurt at its due time (the gap absorbs a delay change)', () => {
    const buf = jb();
    // Talkspurt 1: frames 0–49 with 30 ms delay. Gap. Talkspurt 2: frames 100–149, 90 ms delay.
    const packets: Array<{ p: JitterPacket; at: number }> = [];
    for (let k = 0; k < 50; k++) packets.push({ p: pkt(k, { seq: 100 + k }), at: 20 * k + 30 });
    for (let k = 100; k < 150; k++) packets.push({ p: pkt(k, { seq: 100 + k - 50, marker: k === 100 }), at: 20 * k + 90 });
    const out = drive(buf, packets, 10, 160);
    const s = buf.stats();
    expect(concealedInStream(out.map((x) => (typeof x === 'number' ? 'audio' : x)))).toBeLessThanOrEqual(3);
    expect(s.lost).toBe(0);
    expect(out.filter((x) => typeof x === 'number')).toHaveLength(100);
    // Talkspurt 2 comes 60 ms later than talkspurt 1: the transit window spans 60 ms, so the
    // target is 60 ms and frame 100 (sent at 2000, arriving at 2090) is due at
    // max(arrival, 2000 + fastest transit 30 + 60) = 2090: it plays at once, and every frame of
    // the talkspurt plays without a drop or concealment.
    expect(10 + 20 * out.indexOf(100)).toBe(2090);
    expect(out.slice(out.indexOf(100), out.indexOf(100) + 50)).toEqual(Array.from({ length: 50 }, (_, k) => 100 + k));
    expect(s.dropped).toBe(0);
  });
});

describe('JitterBuffer under impairment (issue targets)', () => {
  const FRAMES = 3000; // one minute per run

  function impaired(seed: number, jitter: (r: () => number) => number): { concealedPct: number; residence: number; offset: number; played: boolean; late: number; dropped: number } {
    const rand = seededRandom(seed);
    const trace = makeTrace({ frames: FRAMES, lossRate: 0.05, jitter, baseDelayMs: 30 }, rand);
    const buf = jb();
    // The media tick's phase relative to the sender is arbitrary: draw it too.
    const r = runTrace(buf, trace, { firstPullMs: 30 + rand() * 20, endMs: FRAMES * 20 + 400 });
    const s = buf.stats();
    return {
      concealedPct: (100 * s.concealed) / FRAMES,
      residence: s.meanResidenceMs,
      offset: s.meanPlayoutOffsetMs,
      played: strictlyIncreasing(r.played),
      late: s.late,
      dropped: s.dropped,
    };
  }

  it('5% loss + uniform 0–40 ms jitter: concealment < 6%, mean added delay ≤ min + 20 ms', () => {
    const rows = [1, 2, 3, 4, 5, 6].map((seed) => impaired(seed, uniformJitter(40)));
    for (const row of rows) {
      expect(row.played).toBe(true);
      expect(row.concealedPct).toBeLessThan(6);
      expect(row.residence).toBeLessThanOrEqual(KX_DEFAULTS.minDelayMs + 20);
    }
  });

  it('5% loss + Pareto 0–40 ms jitter: concealment < 6%; delay within a frame of the target', () => {
    // Lomax(scale 5 ms, shape 1.5) clipped at 40 ms: 3.7% of packets take the full 40 ms, so no
    // buffer can play them on time with less than 40 ms over the fastest packet; the mean time
    // in the buffer is then 40 ms + the media tick's phase (0–20 ms) − the mean delay (~6.7 ms).
    const rows = [1, 2, 3, 4, 5, 6].map((seed) => impaired(seed, paretoJitter(5, 1.5, 40)));
    for (const row of rows) {
      expect(row.played).toBe(true);
      expect(row.concealedPct).toBeLessThan(6);
      expect(row.residence).toBeLessThanOrEqual(KX_DEFAULTS.minDelayMs + 20 + 20);
      expect(row.offset).toBeLessThan(40 + 20 + 1);
    }
  });

  it('grows under a jitter burst and shrinks back to the minimum afterwards', () => {
    const rand = seededRandom(11);
    const calm = (r: () => number): number => r() * 5;
    const trace = makeTrace({ frames: 2000, jitter: calm, baseDelayMs: 30 }, rand).map((p) =>
      // Frames 500–999: up to 100 ms of extra delay.
      p.index >= 500 && p.index < 1000 ? { ...p, arrivalMs: p.arrivalMs + rand() * 100 } : p,
    );
    const buf = jb();
    const delays: number[] = [];
    runTrace(buf, trace, { firstPullMs: 37, endMs: 2000 * 20 + 300, onPull: () => delays.push(buf.stats().currentDelayMs) });
    const at = (frame: number): number => delays[frame]!;
    expect(at(450)).toBeLessThanOrEqual(40);
    expect(Math.max(...delays.slice(600, 1000))).toBeGreaterThanOrEqual(90);
    // 10 s window + a drop per second: back near the minimum well before the end.
    expect(at(1990)).toBeLessThanOrEqual(40);
    expect(buf.stats().maxPlayoutOffsetMs).toBeLessThanOrEqual(KX_DEFAULTS.maxDelayMs + 20);
  });

  it('never plays later than the maximum delay allows', () => {
    const rand = seededRandom(12);
    const trace = makeTrace({ frames: 1500, jitter: (r) => (r() < 0.02 ? 400 : r() * 20), baseDelayMs: 30 }, rand);
    const buf = jb({ maxDelayMs: 100 });
    let worst = 0;
    runTrace(buf, trace, { firstPullMs: 33, endMs: 1500 * 20 + 500, onPull: () => (worst = Math.max(worst, buf.stats().currentDelayMs)) });
    expect(worst).toBeLessThanOrEqual(100 + 20);
    expect(buf.stats().late).toBeGreaterThan(0);
  });

  it('non-adaptive: stays at the nominal delay when nothing is late', () => {
    const rand = seededRandom(13);
    const trace = makeTrace({ frames: 1000, jitter: uniformJitter(10), baseDelayMs: 30 }, rand);
    const buf = jb({ adaptive: false, nominalDelayMs: 60, minDelayMs: 20 });
    runTrace(buf, trace, { firstPullMs: 30, endMs: 1000 * 20 + 300 });
    const s = buf.stats();
    expect(s.dropped).toBe(0);
    expect(s.meanPlayoutOffsetMs).toBeGreaterThanOrEqual(50);
    expect(s.meanPlayoutOffsetMs).toBeLessThanOrEqual(70);
  });
});

describe('JitterBuffer clock drift', () => {
  const FRAMES = 30_000; // 10 minutes

  function drift(ppm: number): { buffered: number; minDelay: number; maxDelay: number; stats: ReturnType<JitterBuffer['stats']>; kinds: string[] } {
    const rand = seededRandom(42);
    const trace: TracePacket[] = makeTrace({ frames: FRAMES, jitter: uniformJitter(20), baseDelayMs: 30, senderDriftPpm: ppm }, rand);
    const buf = jb();
    let buffered = 0;
    let minDelay = Infinity;
    let maxDelay = 0;
    const r = runTrace(buf, trace, {
      firstPullMs: 35,
      endMs: FRAMES * 20 * (1 - ppm / 1e6) + 300,
      onPull: (now) => {
        if (now < 5000) return;
        const s = buf.stats();
        buffered = Math.max(buffered, s.bufferedFrames);
        minDelay = Math.min(minDelay, s.currentDelayMs);
        maxDelay = Math.max(maxDelay, s.currentDelayMs);
      },
    });
    return { buffered, minDelay, maxDelay, stats: { ...buf.stats() }, kinds: r.kinds };
  }

  it('sender 0.1% fast for 10 minutes: drops ~one frame per 20 s, never overflows', () => {
    const { buffered, maxDelay, stats } = drift(1000);
    // 600 ms of surplus audio in 10 minutes = 30 frames.
    expect(stats.dropped).toBeGreaterThanOrEqual(25);
    expect(stats.dropped).toBeLessThanOrEqual(35);
    expect(buffered).toBeLessThanOrEqual(4);
    expect(maxDelay).toBeLessThanOrEqual(80);
    expect(stats.concealed).toBeLessThanOrEqual(5);
    expect(stats.overflow).toBe(0);
  });

  it('sender 0.1% slow for 10 minutes: inserts ~one frame per 20 s, no persistent underrun', () => {
    const { minDelay, stats, kinds } = drift(-1000);
    expect(stats.inserted).toBeGreaterThanOrEqual(25);
    expect(stats.inserted).toBeLessThanOrEqual(35);
    expect(stats.concealed - stats.inserted).toBeLessThanOrEqual(5);
    expect(minDelay).toBeGreaterThanOrEqual(0);
    // No run of more than one non-audio frame after the start.
    const body = kinds.slice(50, -20).join(',');
    expect(body).not.toMatch(/conceal,conceal|silence/);
  });
});

describe('JitterBuffer traces are deterministic', () => {
  it('the same seed gives the same pull sequence', () => {
    const run = (): string => {
      const rand = seededRandom(99);
      const trace = makeTrace({ frames: 500, lossRate: 0.05, jitter: uniformJitter(40) }, rand);
      const buf = jb();
      return runTrace(buf, trace, { firstPullMs: 40, endMs: 500 * 20 + 200 }).kinds.join('');
    };
    expect(run()).toBe(run());
    expect(countKind(['audio', 'conceal', 'audio'], 'audio')).toBe(2);
  });
});

describe('JitterBuffer with packets of any duration (RFC 3551 §4.2)', () => {
  /**
   * Packets of `durationsMs` (G.711 at 8 kHz: one byte per tick, timestamps advancing by each
   * one's duration) arriving `delayMs` after their capture time, except those in `lost`. The
   * reader pulls whenever the previous frame has played out (as the MediaStream's FIFO does)
   * until `endMs`. Returns the pulls and the stats.
   */
  function play(durationsMs: number[], opts: { lost?: Set<number>; delayMs?: number; endMs?: number; packetTicks?: boolean } = {}) {
    const buf = jb({ ...(opts.packetTicks === false ? {} : { packetTicks: (_b: Uint8Array, _o: number, length: number) => length }) });
    const arrivals: { at: number; p: JitterPacket }[] = [];
    let ts = 0;
    durationsMs.forEach((ms, k) => {
      const p = pkt(k, { ts: 8000 + ts, bytes: ms * 8 });
      if (!opts.lost?.has(k)) arrivals.push({ at: ts / 8 + (opts.delayMs ?? 0), p });
      ts += ms * 8;
    });
    const end = opts.endMs ?? ts / 8 + 100;
    const pulls: { at: number; kind: string; index: number | undefined; ticks: number }[] = [];
    let next = 0;
    for (let t = 0; t < end; ) {
      while (next < arrivals.length && arrivals[next]!.at <= t) {
        buf.push(arrivals[next]!.p, arrivals[next]!.at);
        next++;
      }
      const f = buf.pull(t);
      const index = f.kind === 'audio' ? new DataView(f.payload.buffer, f.payload.byteOffset).getUint32(0) : undefined;
      pulls.push({ at: t, kind: f.kind, index, ticks: f.durationTicks });
      t += f.durationTicks / 8;
      if (index === durationsMs.length - 1) break; // the stream ended (then the buffer would wait)
    }
    return { pulls, stats: { ...buf.stats() } };
  }

  for (const ms of [10, 20, 30, 40, 60]) {
    it(`${ms} ms packets (our frame 20 ms): each plays once, in order, for its duration; nothing concealed`, () => {
      const n = Math.round(2000 / ms);
      const { pulls, stats } = play(new Array<number>(n).fill(ms));
      const audio = pulls.filter((p) => p.kind === 'audio');
      expect(audio.map((p) => p.index)).toEqual([...Array(n).keys()]);
      expect(new Set(audio.map((p) => p.ticks))).toEqual(new Set([ms * 8]));
      // Back to back: each packet starts when the one before has played out.
      for (let k = 1; k < audio.length; k++) expect(audio[k]!.at - audio[k - 1]!.at).toBe(ms);
      expect(stats.concealed).toBe(0);
      expect(stats.lost).toBe(0);
      expect(stats.dropped).toBe(0);
    });
  }

  it('a duration change mid-stream (20 → 60 → 10 → 30 ms) plays every packet back to back', () => {
    const durations = [...new Array<number>(30).fill(20), ...new Array<number>(10).fill(60), ...new Array<number>(40).fill(10), ...new Array<number>(20).fill(30)];
    const { pulls, stats } = play(durations);
    const audio = pulls.filter((p) => p.kind === 'audio');
    expect(audio.map((p) => p.index)).toEqual([...durations.keys()]);
    expect(audio.map((p) => p.ticks / 8)).toEqual(durations);
    for (let k = 1; k < audio.length; k++) expect(audio[k]!.at - audio[k - 1]!.at).toBe(durations[k - 1]);
    expect(stats.concealed).toBe(0);
    expect(stats.silence).toBe(pulls.length - audio.length);
  });

  it('a lost 30 ms packet is concealed for 30 ms (240 ticks) and counted lost once', () => {
    const { pulls, stats } = play(new Array<number>(50).fill(30), { lost: new Set([20]) });
    // Not there when due: the buffer waits a frame (20 ms concealed), then packet 21 shows it lost
    // and the other 10 ms of it are concealed; playout goes on at packet 21's time.
    const i = pulls.findIndex((p) => p.index === 19);
    const j = pulls.findIndex((p) => p.index === 21);
    expect(pulls.slice(i + 1, j).map((p) => `${p.kind} ${p.ticks}`)).toEqual(['conceal 160', 'conceal 80']);
    expect(pulls[j]!.at - pulls[i]!.at).toBe(60);
    expect(stats.lost).toBe(1);
    expect(stats.concealedMs).toBe(30);
  });

  it('without packetTicks every packet is taken as one frame (the old behaviour)', () => {
    const { pulls, stats } = play(new Array<number>(50).fill(20), { packetTicks: false });
    expect(pulls.filter((p) => p.kind === 'audio')).toHaveLength(50);
    expect(stats.concealed).toBe(0);
  });
});
