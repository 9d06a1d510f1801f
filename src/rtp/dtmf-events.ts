// RFC 4733 telephone-events (DTMF digits as RTP payload, "RFC 2833" in the KX-UT670 manual,
// OUTBANDDTMF_n / TELEVENT_PAYLOAD; the A12's "DTMF Type: RFC2833").
//
// RFC 4733 §2.3 payload, network byte order:
//    0                   1                   2                   3
//    0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//   |     event     |E|R| volume    |          duration             |
//   +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Sans-IO: the sender turns "digit for N ms starting now" into the packets to send and when to
// send them; the receiver turns received packets into digit start/end reports. Neither knows
// sockets, sequence numbers or SSRCs: the RTP session (another module) frames and paces them.

import type { Result } from '../core/result.js';
import { failure, ok } from '../core/result.js';

/** RFC 4733 §3.2 (table 1): DTMF events 0-9, * (10), # (11), A-D (12-15), flash (16). */
export const TELEPHONE_EVENT_DIGITS = '0123456789*#ABCD';
export const EVENT_FLASH = 16;
export const TELEPHONE_EVENT_BYTES = 4;
/** RFC 4733 §2.3.5: the 16-bit duration field's maximum. */
export const MAX_EVENT_DURATION = 0xffff;

export interface TelephoneEvent {
  /** 0-255; 0-15 DTMF, 16 flash. */
  readonly event: number;
  /** E bit: this packet ends the event (RFC 4733 §2.3.2). */
  readonly end: boolean;
  /** Power level 0..63 as -dBm0 (RFC 4733 §2.3.4: 0 is loudest; DTMF below -55 dBm0 is not a tone). */
  readonly volume: number;
  /** Duration so far in RTP timestamp units (RFC 4733 §2.3.5). */
  readonly duration: number;
}

/** Event code of a DTMF digit (case-insensitive), 'flash' → 16; undefined otherwise. */
export function digitToEvent(digit: string): number | undefined {
  if (digit.toLowerCase() === 'flash') return EVENT_FLASH;
  if (digit.length !== 1) return undefined;
  const i = TELEPHONE_EVENT_DIGITS.indexOf(digit.toUpperCase());
  return i >= 0 ? i : undefined;
}

/** Digit of an event code: '0'-'9', '*', '#', 'A'-'D', 'flash'; undefined for other events. */
export function eventToDigit(event: number): string | undefined {
  if (event === EVENT_FLASH) return 'flash';
  return event >= 0 && event < 16 ? TELEPHONE_EVENT_DIGITS[event] : undefined;
}

/** Writes the 4-byte payload into `out` at `offset` (RFC 4733 §2.3; R bit 0). Throws on bad fields (a bug). */
export function encodeTelephoneEvent(e: TelephoneEvent, out: Uint8Array = new Uint8Array(TELEPHONE_EVENT_BYTES), offset = 0): Uint8Array {
  if (!Number.isInteger(e.event) || e.event < 0 || e.event > 255) throw new RangeError(`telephone-event: event ${e.event}`);
  if (!Number.isInteger(e.volume) || e.volume < 0 || e.volume > 63) throw new RangeError(`telephone-event: volume ${e.volume}`);
  if (!Number.isInteger(e.duration) || e.duration < 0 || e.duration > MAX_EVENT_DURATION) throw new RangeError(`telephone-event: duration ${e.duration}`);
  if (out.length < offset + TELEPHONE_EVENT_BYTES) throw new RangeError('telephone-event: output too small');
  out[offset] = e.event;
  out[offset + 1] = (e.end ? 0x80 : 0) | e.volume;
  out[offset + 2] = e.duration >>> 8;
  out[offset + 3] = e.duration & 0xff;
  return out;
}

/**
 * Decodes an RTP payload of the telephone-event type. RFC 4733 §2.3: one event is 4 octets;
 * longer payloads (RFC 2198 redundancy is negotiated as its own payload type) are refused.
 * The R bit is ignored on receipt (§2.3.3).
 */
export function decodeTelephoneEvent(payload: Uint8Array): Result<TelephoneEvent> {
  if (payload.length !== TELEPHONE_EVENT_BYTES) {
    return failure('RTP_BAD_TELEPHONE_EVENT', `rtp: telephone-event payload of ${payload.length} bytes (expected ${TELEPHONE_EVENT_BYTES})`);
  }
  return ok({
    event: payload[0]!,
    end: (payload[1]! & 0x80) !== 0,
    volume: payload[1]! & 0x3f,
    duration: (payload[2]! << 8) | payload[3]!,
  });
}

// ---------------------------------------------------------------------------------------------
// Sender

export interface TelephoneEventPacket {
  /** When to send it, on the caller's clock (ms). */
  readonly dueMs: number;
  /** RTP marker bit: set on the first packet of an event (RFC 4733 §2.5.1.1). */
  readonly marker: boolean;
  /** RTP timestamp: the event's start, the same for all its packets (§2.5.1.2); a new segment of a long event moves it (§2.5.1.3). */
  readonly timestamp: number;
  /** The 4-byte payload. */
  readonly payload: Uint8Array;
  readonly event: TelephoneEvent;
}

export interface TelephoneEventSenderOptions {
  /** RTP clock rate of the telephone-event payload type (8000 unless the SDP says otherwise). */
  readonly clockRate?: number;
  /** Interval of updates and of the repeated end packet (§2.5.1.2, §2.5.1.4; default 50 ms). */
  readonly intervalMs?: number;
  /** Volume field, -dBm0 (default 10, the level of a -10 dBm0 in-band tone). */
  readonly volume?: number;
  /** Copies of the final packet (§2.5.1.4: "a total of three times"). */
  readonly endPackets?: number;
}

/**
 * The packets of one event of `durationMs` starting at `startMs` with RTP timestamp
 * `timestamp`: the first with the marker bit (duration 0), an update every `intervalMs` with
 * the duration so far, and at the end the final duration with the E bit `endPackets` times,
 * `intervalMs` apart. Events longer than the 16-bit duration field are cut into segments
 * (RFC 4733 §2.5.1.3): the segment's last packet says 0xFFFF without the E bit (sent
 * `endPackets` times too), the next segment continues at timestamp + 0xFFFF, without marker.
 */
export function telephoneEventPackets(event: number, durationMs: number, startMs: number, timestamp: number, options: TelephoneEventSenderOptions = {}): TelephoneEventPacket[] {
  const clockRate = options.clockRate ?? 8000;
  const interval = options.intervalMs ?? 50;
  const volume = options.volume ?? 10;
  const endPackets = options.endPackets ?? 3;
  if (!(interval > 0) || !(durationMs > 0) || !(clockRate > 0) || endPackets < 1) throw new RangeError('telephone-event: bad sender parameters');
  const totalTicks = Math.round((durationMs * clockRate) / 1000);
  const packets: TelephoneEventPacket[] = [];
  const push = (dueMs: number, marker: boolean, ts: number, duration: number, end: boolean): void => {
    const e: TelephoneEvent = { event, end, volume, duration };
    packets.push({ dueMs, marker, timestamp: ts >>> 0, payload: encodeTelephoneEvent(e), event: e });
  };
  let segmentStartTick = 0;
  let marker = true;
  const tickToMs = (tick: number): number => startMs + (tick * 1000) / clockRate;
  for (;;) {
    const segTs = (timestamp + segmentStartTick) >>> 0;
    const segEndTick = Math.min(totalTicks, segmentStartTick + MAX_EVENT_DURATION);
    const last = segEndTick === totalTicks;
    // Updates at the segment's start (first packet) and every interval while it lasts.
    for (let t = segmentStartTick, k = 0; t < segEndTick; k++) {
      push(tickToMs(t), marker, segTs, t - segmentStartTick, false);
      marker = false;
      t = segmentStartTick + Math.round(((k + 1) * interval * clockRate) / 1000);
    }
    for (let r = 0; r < endPackets; r++) push(tickToMs(segEndTick) + r * interval, false, segTs, segEndTick - segmentStartTick, last);
    if (last) break;
    segmentStartTick = segEndTick;
  }
  return packets.sort((a, b) => a.dueMs - b.dueMs);
}

/**
 * Plays digits as telephone-events in real time: `send` schedules one digit, `poll(nowMs)`
 * returns the packets due. The RTP timestamp of an event is the media timestamp at its start,
 * read from `timestampAt(ms)` (the session's RTP clock), so events line up with the audio.
 */
export class TelephoneEventSender {
  private queue: TelephoneEventPacket[] = [];
  /** When the last scheduled event (with its end packets) stops occupying the line. */
  private busyUntilMs = -Infinity;

  constructor(
    private readonly timestampAt: (ms: number) => number,
    private readonly options: TelephoneEventSenderOptions = {},
  ) {}

  /**
   * Schedules `digit` (0-9 * # A-D, or 'flash') for `durationMs` starting at `startMs`, or when
   * the previous event has ended plus `gapMs`, whichever is later.
   * @returns the start time used, or a failure for an unknown digit.
   */
  send(digit: string, durationMs: number, startMs: number, gapMs = 0): Result<number> {
    const event = digitToEvent(digit);
    if (event === undefined) return failure('RTP_BAD_DIGIT', `rtp: ${JSON.stringify(digit)} is not a DTMF digit`);
    if (!(durationMs > 0)) return failure('RTP_BAD_DURATION', `rtp: DTMF duration ${durationMs} ms`);
    const start = Math.max(startMs, this.busyUntilMs + gapMs);
    const packets = telephoneEventPackets(event, durationMs, start, this.timestampAt(start), this.options);
    this.queue.push(...packets);
    this.queue.sort((a, b) => a.dueMs - b.dueMs);
    this.busyUntilMs = start + durationMs;
    return ok(start);
  }

  /** Packets due at or before `nowMs`, in send order. */
  poll(nowMs: number): TelephoneEventPacket[] {
    let n = 0;
    while (n < this.queue.length && this.queue[n]!.dueMs <= nowMs) n++;
    return n === 0 ? [] : this.queue.splice(0, n);
  }

  /** When the next packet is due, for the caller's timer; undefined when idle. */
  nextDueMs(): number | undefined {
    return this.queue[0]?.dueMs;
  }

  get idle(): boolean {
    return this.queue.length === 0;
  }

  /** Drops everything not yet sent. */
  cancel(): void {
    this.queue = [];
    this.busyUntilMs = -Infinity;
  }
}

// ---------------------------------------------------------------------------------------------
// Receiver

export type TelephoneEventReport =
  | { readonly type: 'start'; readonly digit: string; readonly event: number; readonly timestamp: number; readonly volume: number }
  | {
      readonly type: 'end';
      readonly digit: string;
      readonly event: number;
      readonly timestamp: number;
      /** Total duration in timestamp units (summed over segments). */
      readonly duration: number;
      readonly durationMs: number;
      /** How the end was learnt: the E bit, a following event, or silence for `timeoutMs`. */
      readonly reason: 'end-bit' | 'new-event' | 'timeout';
    };

export interface ReceivedTelephoneEvent {
  readonly timestamp: number;
  readonly marker: boolean;
  readonly payload: Uint8Array;
  /** Arrival time on the caller's clock (ms), for the timeout. */
  readonly arrivalMs: number;
}

export interface TelephoneEventReceiverOptions {
  readonly clockRate?: number;
  /** An event whose packets stop arriving without an end is ended after this long (default 500 ms). */
  readonly timeoutMs?: number;
}

/** RFC 3550 §A.1-style serial comparison of 32-bit timestamps: a is after b. */
function tsAfter(a: number, b: number): boolean {
  const d = (a - b) >>> 0;
  return d !== 0 && d < 0x80000000;
}

/**
 * Turns telephone-event packets into digit start and end reports, once each, although every
 * event arrives as many packets and its end three times (RFC 4733 §2.5.2). Works with any of
 * those packets lost: an event is started by whichever of its packets arrives first (marker or
 * not), ended by its first E-bit packet, by the start of a later event, or by `poll` after
 * `timeoutMs` of silence; the repeated end packets and late packets of finished events are
 * ignored. Segments of a long event (§2.5.1.3) extend it instead of starting a new one.
 */
export class TelephoneEventReceiver {
  private readonly clockRate: number;
  private readonly timeoutMs: number;
  private current: { event: number; timestamp: number; segmentTs: number; base: number; duration: number; lastMs: number } | undefined;
  /** Timestamp of the newest finished event: its packets and older ones are stale. */
  private finishedTs: number | undefined;

  constructor(options: TelephoneEventReceiverOptions = {}) {
    this.clockRate = options.clockRate ?? 8000;
    this.timeoutMs = options.timeoutMs ?? 500;
  }

  /** The digit being received now, if any. */
  get active(): string | undefined {
    return this.current ? eventToDigit(this.current.event) ?? String(this.current.event) : undefined;
  }

  receive(packet: ReceivedTelephoneEvent): Result<TelephoneEventReport[]> {
    const decoded = decodeTelephoneEvent(packet.payload);
    if (!decoded.ok) return decoded;
    const e = decoded.value;
    const ts = packet.timestamp >>> 0;
    const reports: TelephoneEventReport[] = [];
    const cur = this.current;
    if (cur) {
      if (ts === cur.segmentTs && e.event === cur.event) {
        cur.duration = Math.max(cur.duration, e.duration);
        cur.lastMs = packet.arrivalMs;
        if (e.end) reports.push(this.finish('end-bit'));
        return ok(reports);
      }
      // §2.5.1.3: the next segment of a long event starts 0xFFFF after the previous one.
      if (e.event === cur.event && !packet.marker && ts === ((cur.segmentTs + MAX_EVENT_DURATION) >>> 0)) {
        cur.base += MAX_EVENT_DURATION;
        cur.segmentTs = ts;
        cur.duration = e.duration;
        cur.lastMs = packet.arrivalMs;
        if (e.end) reports.push(this.finish('end-bit'));
        return ok(reports);
      }
      if (!tsAfter(ts, cur.segmentTs)) return ok(reports); // a late packet of something older
      reports.push(this.finish('new-event'));
    }
    if (this.finishedTs !== undefined && !tsAfter(ts, this.finishedTs)) return ok(reports); // repeated end packets, stale updates
    this.current = { event: e.event, timestamp: ts, segmentTs: ts, base: 0, duration: e.duration, lastMs: packet.arrivalMs };
    reports.push({ type: 'start', digit: eventToDigit(e.event) ?? String(e.event), event: e.event, timestamp: ts, volume: e.volume });
    if (e.end) reports.push(this.finish('end-bit'));
    return ok(reports);
  }

  /** Ends an event whose packets stopped arriving `timeoutMs` ago. */
  poll(nowMs: number): TelephoneEventReport[] {
    if (this.current && nowMs - this.current.lastMs >= this.timeoutMs) return [this.finish('timeout')];
    return [];
  }

  private finish(reason: 'end-bit' | 'new-event' | 'timeout'): TelephoneEventReport {
    const cur = this.current!;
    this.current = undefined;
    this.finishedTs = cur.segmentTs;
    const duration = cur.base + cur.duration;
    return {
      type: 'end',
      digit: eventToDigit(cur.event) ?? String(cur.event),
      event: cur.event,
      timestamp: cur.timestamp,
      duration,
      durationMs: (duration * 1000) / this.clockRate,
      reason,
    };
  }
}
