// Jitter buffer figures for `make bench` (issue 4 target: under 5 % random loss and 40 ms jitter,
// concealed frames < 6 % and mean added delay within 20 ms of the configured minimum). Each row is
// the median of 9 seeded one-minute traces (deterministic: virtual time, so machine noise does not
// enter these figures); the throughput row is wall time and noisy.
import { JitterBuffer } from '../src/rtp/jitter-buffer.js';
import { makeTrace, paretoJitter, runTrace, seededRandom, uniformJitter } from '../test/rtp/impairment.js';

const FRAMES = 3000;
const KX = { clockRate: 8000, frameMs: 20, minDelayMs: 20, nominalDelayMs: 20, maxDelayMs: 200 };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function run(seed: number, jitter: (r: () => number) => number, loss: number): { concealedPct: number; addedMs: number } {
  const rand = seededRandom(seed);
  const trace = makeTrace({ frames: FRAMES, lossRate: loss, jitter, baseDelayMs: 30 }, rand);
  const jb = new JitterBuffer(KX);
  runTrace(jb, trace, { firstPullMs: 30 + rand() * 20, endMs: FRAMES * 20 + 400 });
  const s = jb.stats();
  return { concealedPct: (100 * s.concealed) / FRAMES, addedMs: s.meanResidenceMs };
}

const scenarios: Array<[string, (r: () => number) => number, number]> = [
  ['5% loss, uniform 0-40 ms jitter', uniformJitter(40), 0.05],
  ['5% loss, Pareto jitter clipped at 40 ms', paretoJitter(5, 1.5, 40), 0.05],
  ['no loss, no jitter', () => 0, 0],
];

console.log(`Jitter buffer (KX-UT670 defaults: min ${KX.minDelayMs} / nominal ${KX.nominalDelayMs} / max ${KX.maxDelayMs} ms), median of 9 one-minute traces`);
console.log('scenario                                  concealed  target   ratio   added delay  limit    ratio');
for (const [name, jitter, loss] of scenarios) {
  const rows = Array.from({ length: 9 }, (_, i) => run(i + 1, jitter, loss));
  const c = median(rows.map((r) => r.concealedPct));
  const d = median(rows.map((r) => r.addedMs));
  const limit = KX.minDelayMs + 20;
  console.log(`${name.padEnd(40)}  ${c.toFixed(2).padStart(7)} %  < 6 %  ${(c / 6).toFixed(2).padStart(6)}  ${d.toFixed(1).padStart(8)} ms  ${String(limit).padStart(3)} ms  ${(d / limit).toFixed(2).padStart(6)}`);
}

// Throughput: push + pull of one frame, the per-packet cost on the media tick.
const trace = makeTrace({ frames: 50_000, lossRate: 0.05, jitter: uniformJitter(40), baseDelayMs: 30 }, seededRandom(99));
const times: number[] = [];
for (let i = 0; i < 5; i++) {
  const jb = new JitterBuffer(KX);
  const t0 = performance.now();
  runTrace(jb, trace, { firstPullMs: 40, endMs: 50_000 * 20 + 400 });
  times.push(performance.now() - t0);
}
const perFrameUs = (median(times) * 1000) / 50_000;
console.log(`push+pull per frame: ${perFrameUs.toFixed(2)} µs (incl. virtual clock), ${(20_000 / perFrameUs).toFixed(0)} streams' worth per core at 50 frames/s`);
