// Adaptive jitter buffer, sans-IO and allocation-free after construction (ARCHITECTURE.md: push
// packet / pull frame, after NetEQ). The network side pushes RTP packets with their arrival
// time; the media tick pulls one frame per ptime and gets either a packet to decode, a
// 'conceal' marker (the codec's packet-loss concealment fills the frame) or 'silence'.
//
// Delay settings are the KX-UT670's (4.6.4.3 / 5.7.2 MIN_DELAY_n, NOM_DELAY_n, MAX_DELAY_n,
// ×10 ms): playout starts at the nominal delay and adapts between the minimum and the maximum.
//
// How it adapts. For every packet the buffer knows its relative transit time (arrival minus its
// RTP timestamp in ms). Over a sliding window it tracks the smallest and largest transit; their
// difference is the delay needed for no packet to be late, the target (never below the minimum).
// The playout offset P is how far behind the fastest packet of the window the buffer plays.
// - Growing is reactive: when the frame due has not arrived and nothing later has either, the
//   buffer conceals one frame and waits for it (the delay grows by a frame) instead of declaring
//   it lost; it gives up after a few frames or when the delay would pass the maximum.
// - Shrinking drops one frame when P exceeds the target by more than a frame, at most once per
//   hold-off period, preferably in silence (between talkspurts no audio is lost at all).
// - Talkspurts (a timestamp gap with contiguous sequence numbers: DTX, or after comfort noise)
//   re-anchor playout so that P equals the target, which also absorbs clock drift for free.
// Timestamp jumps, sequence restarts and SSRC changes rebase the incoming numbering onto the
// buffer's own continuous timeline, so playout continues without a glitch.
//
// Packet durations. RFC 3551 §4.2: a receiver SHOULD accept packets of 0–200 ms whatever the
// ptime; the sender may even change it mid-call. Each packet's duration (in timestamp units)
// comes from its payload (`packetTicks`, the codec knows) or, when unknown, is the last known
// one; playout advances by it, so `pull` is called when the packet due starts to play (the
// caller re-frames the decoded audio into its own ticks) and each frame says how long it lasts.
import { BurstGapTracker } from './rtcp-stats.js';

export type FrameKind = 'audio' | 'conceal' | 'silence';

/** The frame `pull` returns: one object owned by the buffer, valid until the next push/pull. */
export class JitterFrame {
  kind: FrameKind = 'silence';
  /**
   * How long the frame lasts, RTP timestamp units: for 'audio' the packet's duration, for
   * 'conceal' the lost packet's (or one `frameMs` while waiting), for 'silence' one `frameMs`.
   */
  durationTicks = 0;
  /** For 'audio': the payload (a view of exactly the payload's length, reused between calls). */
  payload: Uint8Array = new Uint8Array(0);
  payloadType = 0;
  /** RTP fields of the packet as received. */
  sequenceNumber = 0;
  timestamp = 0;
  ssrc = 0;
  marker = false;
}

/** What the push side needs of a packet (RtpView satisfies it). */
export interface JitterPacket {
  readonly ssrc: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly marker: boolean;
  readonly payloadType: number;
  readonly bytes: Uint8Array;
  readonly payloadOffset: number;
  readonly payloadLength: number;
}

/** What `push` did with a packet. */
export type PushResult = 'buffered' | 'duplicate' | 'late' | 'discarded' | 'stale-source' | 'oversize';

export interface JitterBufferOptions {
  /** RTP clock rate of the stream (8000 for G.711, G.722, G.729). */
  clockRate: number;
  /**
   * Our frame duration, ms (the local ptime): the unit of holds, silence and the DTX gap test,
   * and the packet duration assumed until one is known.
   */
  frameMs: number;
  /**
   * Duration of a packet's payload in RTP timestamp units (G.711: its length), or 0 when
   * unknown (then the last known duration is assumed). Absent: every packet lasts `frameMs`
   * unless a known one said otherwise.
   */
  packetTicks?: (bytes: Uint8Array, offset: number, length: number, payloadType: number) => number;
  /** KX-UT670 MIN_DELAY_n × 10 ms (10 or 20). */
  minDelayMs: number;
  /** KX-UT670 NOM_DELAY_n × 10 ms (10–70): the initial delay. */
  nominalDelayMs: number;
  /** KX-UT670 MAX_DELAY_n × 10 ms (30–500). */
  maxDelayMs: number;
  /** Largest payload stored (default 1600 bytes: RFC 3551 §4.2's 200 ms of G.711 or G.722). */
  maxPayloadBytes?: number;
  /** Comfort noise payload type (RFC 3389; default 13): after it, missing frames are silence. */
  comfortNoisePayloadType?: number;
  /**
   * Payloads of the audio codec that end a talkspurt with comfort noise, like CN packets (G.729
   * Annex B: a SID frame, RFC 3551 §4.5.6): after one, missing frames are silence (DTX), not loss.
   */
  isComfortNoise?: (bytes: Uint8Array, offset: number, length: number, payloadType: number) => boolean;
  /** false: fixed delay at the nominal value, no shrinking (holds still happen up to the maximum). */
  adaptive?: boolean;
  /** Transit window for the target delay, ms (default 10 s). */
  windowMs?: number;
  /** Minimum time between two delay reductions, ms (default 1 s). */
  shrinkHoldoffMs?: number;
  /** Frames concealed while waiting for a late frame before calling the stream paused (default 3). */
  maxHoldFrames?: number;
  /**
   * An in-order packet whose transit differs from the window's fastest by more than this is a
   * timestamp jump, not jitter (default 1000 ms; keep it above the largest network delay spike).
   */
  timestampJumpMs?: number;
}

export interface JitterBufferStats {
  /** Current playout offset over the fastest packet of the window, ms (the buffer's delay). */
  currentDelayMs: number;
  /** Delay the buffer aims for: the window's transit spread, clamped to [min, max]. */
  targetDelayMs: number;
  /** Frames held right now. */
  bufferedFrames: number;
  /** Mean time a played packet spent in the buffer (arrival to pull), ms. */
  meanResidenceMs: number;
  /** Mean playout offset over the fastest packet, ms, over played packets. */
  meanPlayoutOffsetMs: number;
  /** Largest playout offset seen, ms. */
  maxPlayoutOffsetMs: number;
  pushed: number;
  /** Frames pulled, by kind (a frame lasts one packet, see JitterFrame.durationTicks). */
  pulled: number;
  played: number;
  concealed: number;
  /** Duration concealed, ms (the `concealed` frames together). */
  concealedMs: number;
  silence: number;
  /** Sequence numbers never received by the time they were due. */
  lost: number;
  /** Packets that arrived after their frame was given up (counted, dropped). */
  late: number;
  duplicates: number;
  /** Frames dropped to reduce the delay while talking (between talkspurts nothing is dropped). */
  dropped: number;
  /** Frames concealed while waiting for a late packet that then played (delay grown). */
  inserted: number;
  /** Packets evicted because the buffer was full. */
  overflow: number;
  /** Packets discarded: unconfirmed sequence jumps. */
  discarded: number;
  /** Packets from the SSRC replaced by the current one. */
  staleSource: number;
  oversize: number;
  /** Timeline rebases: SSRC changes, timestamp jumps, sequence restarts. */
  ssrcChanges: number;
  timestampJumps: number;
  sequenceRestarts: number;
}

const BLOCKS = 10;

/** Why the frame due was concealed without advancing: waiting for it, or growing the delay. */
type Hold = 0 | 1 | 2;
const HOLD_NONE = 0;
const HOLD_WAIT = 1;
const HOLD_GROW = 2;

export class JitterBuffer {
  readonly clockRate: number;
  readonly frameMs: number;
  readonly minDelayMs: number;
  readonly nominalDelayMs: number;
  readonly maxDelayMs: number;
  readonly adaptive: boolean;
  /** Loss/discard outcomes in sequence order, for the XR VoIP Metrics block. */
  readonly burst = new BurstGapTracker();

  private readonly frameTicks: number;
  private readonly packetTicks: JitterBufferOptions['packetTicks'];
  private readonly isComfortNoise: JitterBufferOptions['isComfortNoise'];
  /** Duration of the newest packet pushed / the last packet played, timestamp units. */
  private pushedTicks: number;
  private playedTicks: number;
  private readonly capacity: number;
  readonly maxPayloadBytes: number;
  private readonly cnPayloadType: number;
  private readonly shrinkHoldoffMs: number;
  private readonly maxHoldFrames: number;
  private readonly timestampJumpMs: number;

  // Slots, indexed by internal sequence number modulo capacity.
  private readonly used: Uint8Array;
  private readonly seqInt: Float64Array;
  private readonly tsInt: Float64Array;
  private readonly rawSeq: Uint16Array;
  private readonly rawTs: Uint32Array;
  private readonly ssrcOf: Uint32Array;
  private readonly pt: Uint8Array;
  private readonly markerOf: Uint8Array;
  /** 1: the payload ends a talkspurt with comfort noise (isComfortNoise). */
  private readonly cnOf: Uint8Array;
  private readonly len: Uint16Array;
  /** Packet duration from its payload, timestamp units (0: unknown). */
  private readonly dur: Uint32Array;
  private readonly arrival: Float64Array;
  private readonly data: Uint8Array[];
  private readonly views: Uint8Array[];
  private count = 0;

  // Recently consumed sequence numbers: 1 played/dropped, 2 lost (to tell duplicates from late).
  private readonly historySeq: Float64Array;
  private readonly historyState: Uint8Array;

  // Mapping of incoming numbering onto the internal timeline (rebased on jumps and SSRC changes).
  private started = false;
  private ssrc = 0;
  private previousSsrc = -1;
  private seqRefRaw = 0;
  private seqRefInt = 0;
  private tsRefRaw = 0;
  private tsRefInt = 0;
  private highestSeq = 0;
  private highestTs = 0;
  private highestArrival = 0;
  /** Raw sequence number expected next to confirm a restart (A.1-style), or -1. */
  private restartCandidate = -1;

  // Playout state.
  private anchored = false;
  private talking = false;
  private playSeq = 0;
  private playTs = 0;
  private holding: Hold = HOLD_NONE;
  private holdCount = 0;
  /** Timestamp units concealed while waiting (HOLD_WAIT) for the frame due. */
  private heldTicks = 0;
  private lastWasComfortNoise = false;
  private lastAdjustMs = -Infinity;

  // Transit window: per-block min/max, blocks of one second of packets.
  private readonly blockPackets: number;
  private readonly blockMin = new Float64Array(BLOCKS).fill(Infinity);
  private readonly blockMax = new Float64Array(BLOCKS).fill(-Infinity);
  private block = 0;
  private blockFill = 0;

  private readonly frame = new JitterFrame();
  private readonly counters: JitterBufferStats = {
    currentDelayMs: 0,
    targetDelayMs: 0,
    bufferedFrames: 0,
    meanResidenceMs: 0,
    meanPlayoutOffsetMs: 0,
    maxPlayoutOffsetMs: 0,
    pushed: 0,
    pulled: 0,
    played: 0,
    concealed: 0,
    concealedMs: 0,
    silence: 0,
    lost: 0,
    late: 0,
    duplicates: 0,
    dropped: 0,
    inserted: 0,
    overflow: 0,
    discarded: 0,
    staleSource: 0,
    oversize: 0,
    ssrcChanges: 0,
    timestampJumps: 0,
    sequenceRestarts: 0,
  };
  private residenceSum = 0;
  private offsetSum = 0;

  constructor(options: JitterBufferOptions) {
    const { clockRate, frameMs, minDelayMs, nominalDelayMs, maxDelayMs } = options;
    if (!(clockRate > 0 && frameMs > 0)) throw new RangeError('jitter-buffer: clockRate and frameMs must be > 0');
    if (!(minDelayMs >= 0 && minDelayMs <= nominalDelayMs && nominalDelayMs <= maxDelayMs)) {
      throw new RangeError(`jitter-buffer: need min ≤ nominal ≤ max delay, got ${minDelayMs}/${nominalDelayMs}/${maxDelayMs}`);
    }
    this.clockRate = clockRate;
    this.frameMs = frameMs;
    this.minDelayMs = minDelayMs;
    this.nominalDelayMs = nominalDelayMs;
    this.maxDelayMs = maxDelayMs;
    this.adaptive = options.adaptive ?? true;
    this.frameTicks = Math.round((frameMs * clockRate) / 1000);
    this.packetTicks = options.packetTicks;
    this.isComfortNoise = options.isComfortNoise;
    this.pushedTicks = this.frameTicks;
    this.playedTicks = this.frameTicks;
    this.maxPayloadBytes = options.maxPayloadBytes ?? 1600;
    this.cnPayloadType = options.comfortNoisePayloadType ?? 13;
    this.shrinkHoldoffMs = options.shrinkHoldoffMs ?? 1000;
    this.maxHoldFrames = options.maxHoldFrames ?? 3;
    this.timestampJumpMs = options.timestampJumpMs ?? 1000;
    const windowMs = options.windowMs ?? 10_000;
    this.blockPackets = Math.max(1, Math.round(windowMs / BLOCKS / frameMs));
    // Room for the maximum delay in packets as short as 10 ms, plus reordering and bursts.
    this.capacity = Math.ceil(maxDelayMs / Math.min(frameMs, 10)) + 16;
    const n = this.capacity;
    this.used = new Uint8Array(n);
    this.seqInt = new Float64Array(n);
    this.tsInt = new Float64Array(n);
    this.rawSeq = new Uint16Array(n);
    this.rawTs = new Uint32Array(n);
    this.ssrcOf = new Uint32Array(n);
    this.pt = new Uint8Array(n);
    this.markerOf = new Uint8Array(n);
    this.cnOf = new Uint8Array(n);
    this.len = new Uint16Array(n);
    this.dur = new Uint32Array(n);
    this.arrival = new Float64Array(n);
    const store = new Uint8Array(n * this.maxPayloadBytes);
    this.data = [];
    this.views = [];
    for (let i = 0; i < n; i++) {
      const d = store.subarray(i * this.maxPayloadBytes, (i + 1) * this.maxPayloadBytes);
      this.data.push(d);
      this.views.push(d.subarray(0, 0));
    }
    this.historySeq = new Float64Array(128).fill(Number.NaN);
    this.historyState = new Uint8Array(128);
    this.counters.targetDelayMs = nominalDelayMs;
  }

  /** Buffers one RTP packet that arrived at `arrivalMs` (monotonic clock). Copies the payload. */
  push(packet: JitterPacket, arrivalMs: number): PushResult {
    const c = this.counters;
    c.pushed++;
    if (packet.payloadLength > this.maxPayloadBytes) {
      c.oversize++;
      return 'oversize';
    }
    if (!this.started) {
      this.started = true;
      this.ssrc = packet.ssrc;
      this.setRefs(packet, 0, 0);
      this.highestSeq = 0;
      this.highestTs = 0;
      this.highestArrival = arrivalMs;
      this.playSeq = 0;
      this.playTs = 0;
    } else if (packet.ssrc !== this.ssrc) {
      if (packet.ssrc === this.previousSsrc) {
        c.staleSource++;
        return 'stale-source';
      }
      // SSRC change: the new source continues the timeline right after the newest packet.
      this.previousSsrc = this.ssrc;
      this.ssrc = packet.ssrc;
      c.ssrcChanges++;
      this.rebase(packet, arrivalMs);
    }
    let seq = this.seqRefInt + (((packet.sequenceNumber - this.seqRefRaw) << 16) >> 16);
    const dseq = seq - this.highestSeq;
    if (dseq > this.capacity + 100 || dseq < -(this.capacity + 100)) {
      // A sequence jump far outside the buffer: a restart is confirmed by its successor (RFC 3550
      // A.1 does the same with bad_seq); a lone stray packet is discarded.
      if (packet.sequenceNumber === this.restartCandidate) {
        c.sequenceRestarts++;
        this.rebase(packet, arrivalMs);
        seq = this.highestSeq + 1;
      } else {
        this.restartCandidate = (packet.sequenceNumber + 1) & 0xffff;
        c.discarded++;
        return 'discarded';
      }
    }
    this.restartCandidate = -1;
    let ts = this.tsRefInt + ((packet.timestamp - this.tsRefRaw) | 0);
    if (seq > this.highestSeq) {
      // In order: check that the timestamp agrees with the arrival time (a jump otherwise).
      const transit = arrivalMs - (ts * 1000) / this.clockRate;
      const ref = this.windowMinTransit();
      if (Number.isFinite(ref) && Math.abs(transit - ref) > this.timestampJumpMs) {
        c.timestampJumps++;
        const steps = Math.max(seq - this.highestSeq, Math.round((arrivalMs - this.highestArrival) / this.ticksToMs(this.pushedTicks)));
        ts = this.highestTs + steps * this.pushedTicks;
        this.tsRefRaw = packet.timestamp;
        this.tsRefInt = ts;
      }
    }

    // Where does it go?
    if (seq < this.playSeq && (this.anchored || this.highestSeq - seq >= this.capacity)) {
      const r = this.behindPlayout(seq);
      // A late packet's transit is the evidence that the delay is too small.
      if (r === 'late') this.noteTransit(arrivalMs - (ts * 1000) / this.clockRate);
      return r;
    }
    if (seq < this.playSeq) {
      // Reordered before playout started: move the start back.
      this.playSeq = seq;
      this.playTs = ts;
    }
    if (seq >= this.playSeq + this.capacity) this.evictUpTo(seq - this.capacity + 1);
    const i = this.slot(seq);
    if (this.used[i] && this.seqInt[i] === seq) {
      c.duplicates++;
      return 'duplicate';
    }
    this.used[i] = 1;
    this.count++;
    this.seqInt[i] = seq;
    this.tsInt[i] = ts;
    this.rawSeq[i] = packet.sequenceNumber;
    this.rawTs[i] = packet.timestamp;
    this.ssrcOf[i] = packet.ssrc;
    this.pt[i] = packet.payloadType;
    this.markerOf[i] = packet.marker ? 1 : 0;
    this.cnOf[i] = this.isComfortNoise?.(packet.bytes, packet.payloadOffset, packet.payloadLength, packet.payloadType) ? 1 : 0;
    this.arrival[i] = arrivalMs;
    const n = packet.payloadLength;
    this.len[i] = n;
    const d = this.packetTicks ? this.packetTicks(packet.bytes, packet.payloadOffset, n, packet.payloadType) : 0;
    this.dur[i] = d > 0 ? d : 0;
    const dst = this.data[i]!;
    const src = packet.bytes;
    const off = packet.payloadOffset;
    for (let k = 0; k < n; k++) dst[k] = src[off + k]!;
    if (seq > this.highestSeq) {
      if (d > 0) this.pushedTicks = d;
      this.highestSeq = seq;
      this.highestTs = ts;
      this.highestArrival = arrivalMs;
      this.seqRefRaw = packet.sequenceNumber;
      this.seqRefInt = seq;
      this.tsRefRaw = packet.timestamp;
      this.tsRefInt = ts;
    }
    this.noteTransit(arrivalMs - (ts * 1000) / this.clockRate);
    return 'buffered';
  }

  /** The frame to play now (call once per frame period, at `nowMs`). */
  pull(nowMs: number): JitterFrame {
    const c = this.counters;
    c.pulled++;
    if (!this.started) return this.silence();
    if (!this.talking) return this.pullAnchoring(nowMs);
    return this.pullTalking(nowMs);
  }

  /** Statistics (the object is reused: copy what you keep). */
  stats(): Readonly<JitterBufferStats> {
    const c = this.counters;
    c.bufferedFrames = this.count;
    c.targetDelayMs = this.targetDelayMs();
    c.meanResidenceMs = c.played === 0 ? 0 : this.residenceSum / c.played;
    c.meanPlayoutOffsetMs = c.played === 0 ? 0 : this.offsetSum / c.played;
    return c;
  }

  /** Delay the buffer currently aims for, ms. */
  targetDelayMs(): number {
    if (!this.adaptive) return this.nominalDelayMs;
    const min = this.windowMinTransit();
    const max = this.windowMaxTransit();
    const spread = Number.isFinite(min) && Number.isFinite(max) ? max - min : this.nominalDelayMs;
    return Math.min(this.maxDelayMs, Math.max(this.minDelayMs, spread));
  }

  /** Forgets everything (new call, or media stopped and restarted); counters are kept. */
  reset(): void {
    this.used.fill(0);
    this.count = 0;
    this.started = false;
    this.anchored = false;
    this.talking = false;
    this.holding = HOLD_NONE;
    this.holdCount = 0;
    this.heldTicks = 0;
    this.pushedTicks = this.frameTicks;
    this.playedTicks = this.frameTicks;
    this.previousSsrc = -1;
    this.restartCandidate = -1;
    this.historySeq.fill(Number.NaN);
    this.blockMin.fill(Infinity);
    this.blockMax.fill(-Infinity);
    this.blockFill = 0;
  }

  // ---- playout ---------------------------------------------------------------------------

  /** Not in a talkspurt: wait until the next packet is due, then start a talkspurt with it. */
  private pullAnchoring(nowMs: number): JitterFrame {
    if (this.count === 0) return this.silence();
    let s = this.playSeq;
    const end = this.playSeq + this.capacity;
    while (s < end && !this.isPresent(s)) s++;
    if (s === end) return this.silence();
    const i = this.slot(s);
    // Due when its playout offset reaches the target (the first talkspurt: at arrival + the
    // nominal delay), and never before it arrived. The pull nearest to the due time starts it.
    const due = this.anchored
      ? Math.max(this.arrival[i]!, (this.tsInt[i]! * 1000) / this.clockRate + this.windowMinTransit() + this.targetDelayMs())
      : this.arrival[i]! + this.nominalDelayMs;
    // After a DTX pause, a first packet shorter than our frame (a G.729 B talkspurt starting
    // mid-packet) is not started early: the caller needs its successor within the same frame.
    const early = this.anchored && this.dur[i]! > 0 && this.dur[i]! < this.frameTicks ? 0 : this.frameMs / 2;
    if (nowMs + early < due) return this.silence();
    for (let k = this.playSeq; k < s; k++) this.markLost(k);
    if (!this.anchored) this.lastAdjustMs = nowMs; // no shrinking on the first second's statistics
    this.anchored = true;
    this.talking = true;
    this.playSeq = s;
    this.playTs = this.tsInt[i]!;
    return this.play(i, nowMs);
  }

  private pullTalking(nowMs: number): JitterFrame {
    const i = this.slot(this.playSeq);
    if (this.isPresent(this.playSeq)) {
      const ts = this.tsInt[i]!;
      if (ts - this.playTs >= this.frameTicks) {
        // A timestamp gap with a contiguous sequence: the sender paused (DTX). Silence until the
        // next talkspurt is due; its start is placed at arrival + target.
        this.talking = false;
        this.holding = HOLD_NONE;
        return this.pullAnchoring(nowMs);
      }
      const d = this.durationOf(i);
      if (this.shouldShrink(nowMs, d) && this.isPresent(this.playSeq + 1) && this.tsInt[this.slot(this.playSeq + 1)]! - ts < d + this.frameTicks) {
        // Drop this frame: the delay falls by its duration.
        this.consume(i, 1);
        this.counters.dropped++;
        this.burst.packetDiscarded();
        this.lastAdjustMs = nowMs;
        this.playSeq++;
        this.playTs = ts + d;
        return this.play(this.slot(this.playSeq), nowMs);
      }
      if (this.holding === HOLD_WAIT) this.counters.inserted++; // it came: the delay grew a frame
      return this.play(i, nowMs);
    }
    const offset = this.playoutOffsetMs(nowMs);
    if (this.count > 0) {
      // Missing, but later packets are here.
      if (this.holding === HOLD_WAIT) {
        // We waited for it (concealed) and a later one came first: it is lost. The concealed
        // frames stood for it: conceal what they did not cover of it, else play the next now.
        const rest = this.playedTicks - this.heldTicks;
        this.holding = HOLD_NONE;
        this.heldTicks = 0;
        this.markLost(this.playSeq);
        this.playSeq++;
        this.playTs += this.playedTicks;
        return rest > 0 ? this.conceal(rest) : this.pullTalking(nowMs);
      }
      if (this.adaptive && this.holding === HOLD_NONE && offset < this.targetDelayMs() && offset + this.frameMs <= this.maxDelayMs) {
        // Below target (packets have been arriving later than this delay allows): insert one
        // concealed frame here, where a frame is missing anyway; the delay grows by a frame.
        this.holding = HOLD_GROW;
        this.counters.inserted++;
        this.lastAdjustMs = nowMs;
        return this.conceal(this.frameTicks);
      }
      // Lost (or later than the delay allows): conceal it, assumed as long as the last one.
      this.holding = HOLD_NONE;
      this.markLost(this.playSeq);
      this.playSeq++;
      this.playTs += this.playedTicks;
      return this.conceal(this.playedTicks);
    }
    // Nothing buffered: underrun.
    if (this.lastWasComfortNoise) {
      this.talking = false;
      return this.silence();
    }
    if (this.holdCount < this.maxHoldFrames && offset + this.frameMs <= this.maxDelayMs) {
      if (this.adaptive && offset < this.targetDelayMs()) {
        // Below target: this concealed frame is an insertion, the delay grows by a frame.
        this.holding = HOLD_GROW;
        this.holdCount++;
        this.counters.inserted++;
        this.lastAdjustMs = nowMs;
        return this.conceal(this.frameTicks);
      }
      // Wait for the frame: conceal now, play it at a later pull (the delay grows) or, if a later
      // packet comes first, count it lost.
      this.holding = HOLD_WAIT;
      this.holdCount++;
      this.heldTicks += this.frameTicks;
      this.lastAdjustMs = nowMs;
      return this.conceal(this.frameTicks);
    }
    // The stream paused (DTX without comfort noise, on hold, a long outage): silence, and
    // re-anchor on the next packet.
    this.talking = false;
    this.holding = HOLD_NONE;
    this.holdCount = 0;
    this.heldTicks = 0;
    return this.silence();
  }

  private shouldShrink(nowMs: number, ticks: number): boolean {
    const offset = this.playoutOffsetMs(nowMs);
    if (offset > this.maxDelayMs) return true;
    if (!this.adaptive) return false;
    if (nowMs - this.lastAdjustMs < this.shrinkHoldoffMs) return false;
    return offset - this.ticksToMs(ticks) >= this.targetDelayMs();
  }

  /** Slot `i`'s duration: from its payload, else the last known one. */
  private durationOf(i: number): number {
    const d = this.dur[i]!;
    return d > 0 ? d : this.playedTicks;
  }

  private ticksToMs(ticks: number): number {
    return (ticks * 1000) / this.clockRate;
  }

  private play(i: number, nowMs: number): JitterFrame {
    const c = this.counters;
    const f = this.frame;
    f.kind = 'audio';
    const d = this.durationOf(i);
    f.durationTicks = d;
    this.playedTicks = d;
    const n = this.len[i]!;
    let view = this.views[i]!;
    if (view.length !== n) this.views[i] = view = this.data[i]!.subarray(0, n);
    f.payload = view;
    f.payloadType = this.pt[i]!;
    f.sequenceNumber = this.rawSeq[i]!;
    f.timestamp = this.rawTs[i]!;
    f.ssrc = this.ssrcOf[i]!;
    f.marker = this.markerOf[i] === 1;
    c.played++;
    const residence = nowMs - this.arrival[i]!;
    this.residenceSum += residence;
    const offset = this.playoutOffsetMs(nowMs);
    this.offsetSum += offset;
    c.currentDelayMs = offset;
    if (offset > c.maxPlayoutOffsetMs) c.maxPlayoutOffsetMs = offset;
    this.lastWasComfortNoise = this.pt[i] === this.cnPayloadType || this.cnOf[i] === 1;
    this.consume(i, 1);
    this.burst.received();
    this.holding = HOLD_NONE;
    this.holdCount = 0;
    this.heldTicks = 0;
    this.playSeq++;
    this.playTs = this.tsInt[i]! + d;
    if (this.lastWasComfortNoise) this.talking = false;
    return f;
  }

  private conceal(ticks: number): JitterFrame {
    this.counters.concealed++;
    this.counters.concealedMs += this.ticksToMs(ticks);
    this.frame.kind = 'conceal';
    this.frame.durationTicks = ticks;
    return this.frame;
  }

  private silence(): JitterFrame {
    this.counters.silence++;
    this.frame.kind = 'silence';
    this.frame.durationTicks = this.frameTicks;
    return this.frame;
  }

  /** How far behind the fastest packet of the window the frame due now plays, ms. */
  private playoutOffsetMs(nowMs: number): number {
    const min = this.windowMinTransit();
    return Number.isFinite(min) ? nowMs - (this.playTs * 1000) / this.clockRate - min : 0;
  }

  // ---- slots and history -----------------------------------------------------------------

  private slot(seq: number): number {
    const m = seq % this.capacity;
    return m < 0 ? m + this.capacity : m;
  }

  private isPresent(seq: number): boolean {
    const i = this.slot(seq);
    return this.used[i] === 1 && this.seqInt[i] === seq;
  }

  /** Removes slot `i` and remembers its sequence number as consumed (1) or lost (2). */
  private consume(i: number, state: 1 | 2): void {
    this.used[i] = 0;
    this.count--;
    this.remember(this.seqInt[i]!, state);
  }

  private markLost(seq: number): void {
    this.counters.lost++;
    this.burst.packetLost();
    this.remember(seq, 2);
  }

  private remember(seq: number, state: 1 | 2): void {
    const h = seq & 127;
    this.historySeq[h] = seq;
    this.historyState[h] = state;
  }

  private behindPlayout(seq: number): PushResult {
    const h = seq & 127;
    if (this.historySeq[h] === seq && this.historyState[h] === 1) {
      this.counters.duplicates++;
      return 'duplicate';
    }
    if (this.historySeq[h] === seq && this.historyState[h] === 2) {
      this.historyState[h] = 1; // a second copy is a duplicate
      this.counters.lost--;
      this.burst.reclassifyLostAsDiscarded();
    }
    this.counters.late++;
    return 'late';
  }

  /** Makes room: everything before `newPlaySeq` is given up (played-out or lost). */
  private evictUpTo(newPlaySeq: number): void {
    for (let s = this.playSeq; s < newPlaySeq; s++) {
      if (this.isPresent(s)) {
        this.consume(this.slot(s), 1);
        this.counters.overflow++;
        this.burst.packetDiscarded();
      } else if (this.anchored) {
        this.markLost(s);
      }
    }
    this.playSeq = newPlaySeq;
    this.talking = false;
    this.holding = HOLD_NONE;
    this.holdCount = 0;
    this.heldTicks = 0;
  }

  // ---- timeline mapping --------------------------------------------------------------------

  private setRefs(packet: JitterPacket, seq: number, ts: number): void {
    this.seqRefRaw = packet.sequenceNumber;
    this.seqRefInt = seq;
    this.tsRefRaw = packet.timestamp;
    this.tsRefInt = ts;
  }

  /** Maps `packet` to the slot right after the newest packet, spaced by the time elapsed. */
  private rebase(packet: JitterPacket, arrivalMs: number): void {
    const steps = Math.max(1, Math.round((arrivalMs - this.highestArrival) / this.ticksToMs(this.pushedTicks)));
    this.setRefs(packet, this.highestSeq + 1, this.highestTs + steps * this.pushedTicks);
  }

  // ---- transit window ------------------------------------------------------------------------

  private noteTransit(transit: number): void {
    if (this.blockFill >= this.blockPackets) {
      this.block = (this.block + 1) % BLOCKS;
      this.blockMin[this.block] = Infinity;
      this.blockMax[this.block] = -Infinity;
      this.blockFill = 0;
    }
    this.blockFill++;
    if (transit < this.blockMin[this.block]!) this.blockMin[this.block] = transit;
    if (transit > this.blockMax[this.block]!) this.blockMax[this.block] = transit;
  }

  private windowMinTransit(): number {
    let m = Infinity;
    for (let b = 0; b < BLOCKS; b++) if (this.blockMin[b]! < m) m = this.blockMin[b]!;
    return m;
  }

  private windowMaxTransit(): number {
    let m = -Infinity;
    for (let b = 0; b < BLOCKS; b++) if (this.blockMax[b]! > m) m = this.blockMax[b]!;
    return m;
  }
}
