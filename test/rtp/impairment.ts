// Deterministic network impairment for jitter buffer tests: a seeded PRNG, packet traces with
// loss, jitter, clock drift and DTX gaps, and a runner that pushes packets at their arrival times
// and pulls one frame per ptime on a VirtualClock.
import { mulberry32 } from '../../src/codecs/identity-mark.js';
import { VirtualClock } from '../../src/core/clock.js';
import type { FrameKind, JitterBuffer, JitterPacket } from '../../src/rtp/jitter-buffer.js';

/** mulberry32 (the identity mark's PRNG), seeded, returning [0, 1). */
export function seededRandom(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() / 4294967296;
}

/** Uniform delay in [0, maxMs). */
export function uniformJitter(maxMs: number): (rand: () => number) => number {
  return (rand) => rand() * maxMs;
}

/**
 * Pareto (Lomax) delay with scale `scaleMs` and shape `alpha`, clipped to [0, maxMs]: most
 * packets are fast, a heavy tail is slow (the classic model of queueing delay spikes).
 */
export function paretoJitter(scaleMs: number, alpha: number, maxMs: number): (rand: () => number) => number {
  return (rand) => Math.min(maxMs, scaleMs * ((1 - rand()) ** (-1 / alpha) - 1));
}

export interface TracePacket extends JitterPacket {
  /** Index of the frame in the sender's stream (also written into the payload's first 4 bytes). */
  readonly index: number;
  readonly sendMs: number;
  readonly arrivalMs: number;
}

export interface TraceOptions {
  /** Frames the sender produces (including silent ones it does not send). */
  frames: number;
  frameMs?: number;
  clockRate?: number;
  /** Probability that a packet is lost. */
  lossRate?: number;
  /** Extra network delay per packet, ms. */
  jitter?: (rand: () => number) => number;
  /** Fixed network delay, ms. */
  baseDelayMs?: number;
  /** Sender clock error in parts per million; positive = the sender's clock runs fast. */
  senderDriftPpm?: number;
  ssrc?: number;
  firstSequence?: number;
  firstTimestamp?: number;
  /** Frame index ranges [from, to) during which the sender sends nothing (DTX). */
  silentFrames?: Array<[number, number]>;
  /** Send a comfort noise packet (PT 13) as the first frame of each silent range. */
  comfortNoise?: boolean;
  payloadType?: number;
  payloadBytes?: number;
  startMs?: number;
}

/** The packets that reach the receiver, in send order (arrival order differs under jitter). */
export function makeTrace(options: TraceOptions, rand: () => number): TracePacket[] {
  const frameMs = options.frameMs ?? 20;
  const ticks = ((options.clockRate ?? 8000) * frameMs) / 1000;
  const periodMs = frameMs / (1 + (options.senderDriftPpm ?? 0) / 1e6);
  const out: TracePacket[] = [];
  let seq = options.firstSequence ?? 1000;
  let talkspurtStart = true;
  for (let k = 0; k < options.frames; k++) {
    const silentRange = options.silentFrames?.find(([a, b]) => k >= a && k < b);
    const sendCn = silentRange !== undefined && options.comfortNoise === true && k === silentRange[0];
    if (silentRange && !sendCn) {
      talkspurtStart = true;
      continue;
    }
    const sendMs = (options.startMs ?? 0) + k * periodMs;
    const seqNow = seq;
    seq = (seq + 1) & 0xffff;
    const lost = rand() < (options.lossRate ?? 0);
    const delay = (options.baseDelayMs ?? 30) + (options.jitter ? options.jitter(rand) : 0);
    if (lost) {
      talkspurtStart = sendCn;
      continue;
    }
    const payload = new Uint8Array(sendCn ? 1 : options.payloadBytes ?? 160);
    if (!sendCn) new DataView(payload.buffer).setUint32(0, k);
    out.push({
      index: k,
      sendMs,
      arrivalMs: sendMs + delay,
      ssrc: options.ssrc ?? 0x11223344,
      sequenceNumber: seqNow,
      timestamp: ((options.firstTimestamp ?? 50_000) + k * ticks) >>> 0,
      marker: talkspurtStart,
      payloadType: sendCn ? 13 : options.payloadType ?? 0,
      bytes: payload,
      payloadOffset: 0,
      payloadLength: payload.length,
    });
    talkspurtStart = sendCn;
  }
  return out;
}

export interface RunResult {
  /** One entry per pull. */
  kinds: FrameKind[];
  /** Frame index (from the payload) of each 'audio' pull, -1 for other kinds and CN. */
  played: number[];
  clock: VirtualClock;
}

/**
 * Pushes each packet at its arrival time and pulls one frame every `frameMs` starting at
 * `firstPullMs`, until `endMs`, on a VirtualClock (a push due at the same instant as a pull goes first).
 */
export function runTrace(jb: JitterBuffer, trace: readonly TracePacket[], options: { firstPullMs: number; endMs: number; frameMs?: number; onPull?: (nowMs: number) => void }): RunResult {
  const clock = new VirtualClock();
  const frameMs = options.frameMs ?? 20;
  const sorted = [...trace].sort((a, b) => a.arrivalMs - b.arrivalMs);
  for (const p of sorted) clock.setTimer(p.arrivalMs, () => jb.push(p, clock.now()), 'arrival');
  const kinds: FrameKind[] = [];
  const played: number[] = [];
  const pull = (): void => {
    const f = jb.pull(clock.now());
    kinds.push(f.kind);
    played.push(f.kind === 'audio' && f.payload.length >= 4 ? new DataView(f.payload.buffer, f.payload.byteOffset).getUint32(0) : -1);
    options.onPull?.(clock.now());
  };
  clock.setTimer(options.firstPullMs, () => {
    pull();
    clock.setPeriodic(frameMs, pull, 'pull');
  }, 'first-pull');
  clock.advanceTo(options.endMs);
  return { kinds, played, clock };
}

export function countKind(kinds: readonly FrameKind[], kind: FrameKind): number {
  let n = 0;
  for (const k of kinds) if (k === kind) n++;
  return n;
}

/** True when the played frame indices strictly increase (no reordering, no repeats). */
export function strictlyIncreasing(played: readonly number[]): boolean {
  let last = -1;
  for (const p of played) {
    if (p < 0) continue;
    if (p <= last) return false;
    last = p;
  }
  return true;
}
