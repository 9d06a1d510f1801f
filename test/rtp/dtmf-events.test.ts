import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReceivedTelephoneEvent, TelephoneEventPacket, TelephoneEventReport } from '../../src/rtp/dtmf-events.js';
import {
  EVENT_FLASH,
  MAX_EVENT_DURATION,
  TelephoneEventReceiver,
  TelephoneEventSender,
  decodeTelephoneEvent,
  digitToEvent,
  encodeTelephoneEvent,
  eventToDigit,
  telephoneEventPackets,
} from '../../src/rtp/dtmf-events.js';

function received(p: TelephoneEventPacket, arrivalMs = p.dueMs): ReceivedTelephoneEvent {
  return { timestamp: p.timestamp, marker: p.marker, payload: p.payload, arrivalMs };
}

function feed(rx: TelephoneEventReceiver, packets: readonly TelephoneEventPacket[]): TelephoneEventReport[] {
  const out: TelephoneEventReport[] = [];
  for (const p of packets) {
    const r = rx.receive(received(p));
    if (!r.ok) throw new Error(r.error.message);
    out.push(...r.value);
  }
  return out;
}

describe('RFC 4733 telephone-event payload', () => {
  it('golden bytes (§2.3 layout: event, E|R|volume, 16-bit duration)', () => {
    // Digit 5, end of event, volume -10 dBm0, 1600 timestamp units (200 ms at 8 kHz).
    expect([...encodeTelephoneEvent({ event: 5, end: true, volume: 10, duration: 1600 })]).toEqual([0x05, 0x8a, 0x06, 0x40]);
    // '#' (11) in progress, volume 63, duration 0xffff.
    expect([...encodeTelephoneEvent({ event: 11, end: false, volume: 63, duration: 0xffff })]).toEqual([0x0b, 0x3f, 0xff, 0xff]);
    expect(decodeTelephoneEvent(Uint8Array.of(0x05, 0x8a, 0x06, 0x40))).toEqual({ ok: true, value: { event: 5, end: true, volume: 10, duration: 1600 } });
    // §2.3.3: the R bit is ignored by receivers.
    expect(decodeTelephoneEvent(Uint8Array.of(0x01, 0x4a, 0x00, 0xa0))).toEqual({ ok: true, value: { event: 1, end: false, volume: 10, duration: 160 } });
    const out = new Uint8Array(8);
    encodeTelephoneEvent({ event: 16, end: false, volume: 0, duration: 1 }, out, 4);
    expect([...out]).toEqual([0, 0, 0, 0, 0x10, 0x00, 0x00, 0x01]);
  });

  it('round-trips every field and refuses other payload lengths', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.boolean(), fc.integer({ min: 0, max: 63 }), fc.integer({ min: 0, max: 0xffff }), (event, end, volume, duration) => {
        const e = { event, end, volume, duration };
        expect(decodeTelephoneEvent(encodeTelephoneEvent(e))).toEqual({ ok: true, value: e });
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 16 }), (bytes) => {
        const r = decodeTelephoneEvent(bytes);
        expect(r.ok).toBe(bytes.length === 4);
        if (!r.ok) expect(r.error.code).toBe('RTP_BAD_TELEPHONE_EVENT');
      }),
    );
    expect(() => encodeTelephoneEvent({ event: 256, end: false, volume: 0, duration: 0 })).toThrow(RangeError);
    expect(() => encodeTelephoneEvent({ event: 1, end: false, volume: 64, duration: 0 })).toThrow(RangeError);
    expect(() => encodeTelephoneEvent({ event: 1, end: false, volume: 0, duration: 0x10000 })).toThrow(RangeError);
  });

  it('maps digits to events (§3.2 table 1)', () => {
    expect([...'0123456789*#ABCD'].map(digitToEvent)).toEqual([...Array(16).keys()]);
    expect(digitToEvent('a')).toBe(12);
    expect(digitToEvent('flash')).toBe(EVENT_FLASH);
    expect(digitToEvent('E')).toBeUndefined();
    expect(digitToEvent('12')).toBeUndefined();
    expect(eventToDigit(10)).toBe('*');
    expect(eventToDigit(16)).toBe('flash');
    expect(eventToDigit(40)).toBeUndefined();
  });
});

describe('telephone-event sender', () => {
  it('sends what a good phone sends: marker first, updates every 50 ms, three end packets, one timestamp', () => {
    const packets = telephoneEventPackets(5, 200, 1000, 12345);
    expect(packets.map((p) => [p.dueMs, p.marker, p.timestamp, p.event.duration, p.event.end])).toEqual([
      [1000, true, 12345, 0, false],
      [1050, false, 12345, 400, false],
      [1100, false, 12345, 800, false],
      [1150, false, 12345, 1200, false],
      [1200, false, 12345, 1600, true],
      [1250, false, 12345, 1600, true],
      [1300, false, 12345, 1600, true],
    ]);
    expect([...packets[4]!.payload]).toEqual([0x05, 0x8a, 0x06, 0x40]);
    // 16 kHz clock, 20 ms interval, 90 ms event.
    const wide = telephoneEventPackets(11, 90, 0, 0xfffffff0, { clockRate: 16000, intervalMs: 20, volume: 6, endPackets: 2 });
    expect(wide.map((p) => [p.dueMs, p.event.duration, p.event.end])).toEqual([
      [0, 0, false],
      [20, 320, false],
      [40, 640, false],
      [60, 960, false],
      [80, 1280, false],
      [90, 1440, true],
      [110, 1440, true],
    ]);
    expect(wide.every((p) => p.timestamp === 0xfffffff0 && p.event.volume === 6)).toBe(true);
  });

  it('cuts events longer than the duration field into segments (§2.5.1.3)', () => {
    const packets = telephoneEventPackets(1, 10000, 0, 1000); // 80,000 units at 8 kHz
    const first = packets.filter((p) => p.timestamp === 1000);
    const second = packets.filter((p) => p.timestamp === 1000 + MAX_EVENT_DURATION);
    expect(first.length + second.length).toBe(packets.length);
    expect(first[0]!.marker).toBe(true);
    expect(first.filter((p) => p.event.duration === MAX_EVENT_DURATION).map((p) => p.event.end)).toEqual([false, false, false]);
    expect(second.every((p) => !p.marker)).toBe(true);
    expect(second.filter((p) => p.event.end).map((p) => p.event.duration)).toEqual([80000 - MAX_EVENT_DURATION, 80000 - MAX_EVENT_DURATION, 80000 - MAX_EVENT_DURATION]);
    expect(packets.every((p, i) => i === 0 || p.dueMs >= packets[i - 1]!.dueMs)).toBe(true);
  });

  it('schedules digits in real time against the RTP clock and the previous digit', () => {
    // The session's RTP clock: timestamp 5000 at t = 0 ms, 8 units per ms.
    const tx = new TelephoneEventSender((ms) => 5000 + ms * 8);
    expect(tx.send('1', 100, 20)).toEqual({ ok: true, value: 20 });
    expect(tx.send('2', 100, 20, 100)).toEqual({ ok: true, value: 220 }); // after 1 ends (120) + 100 ms gap
    expect(tx.send('x', 100, 0)).toMatchObject({ ok: false, error: { code: 'RTP_BAD_DIGIT' } });
    expect(tx.send('3', 0, 0)).toMatchObject({ ok: false, error: { code: 'RTP_BAD_DURATION' } });
    expect(tx.nextDueMs()).toBe(20);
    expect(tx.poll(19)).toEqual([]);
    const early = tx.poll(70);
    expect(early.map((p) => [p.dueMs, p.marker, p.timestamp])).toEqual([
      [20, true, 5160],
      [70, false, 5160],
    ]);
    const rest = tx.poll(10000);
    expect(rest.filter((p) => p.marker).map((p) => p.timestamp)).toEqual([5000 + 220 * 8]);
    expect(rest.filter((p) => p.event.end)).toHaveLength(6);
    expect(tx.idle).toBe(true);
    expect(tx.nextDueMs()).toBeUndefined();
    tx.send('4', 100, 0);
    tx.cancel();
    expect(tx.idle).toBe(true);
  });
});

describe('telephone-event receiver', () => {
  it('reports each digit once although its end arrives three times', () => {
    const rx = new TelephoneEventReceiver();
    const reports = feed(rx, [...telephoneEventPackets(5, 200, 0, 1000), ...telephoneEventPackets(9, 100, 400, 1000 + 3200)]);
    expect(reports).toEqual([
      { type: 'start', digit: '5', event: 5, timestamp: 1000, volume: 10 },
      { type: 'end', digit: '5', event: 5, timestamp: 1000, duration: 1600, durationMs: 200, reason: 'end-bit' },
      { type: 'start', digit: '9', event: 9, timestamp: 4200, volume: 10 },
      { type: 'end', digit: '9', event: 9, timestamp: 4200, duration: 800, durationMs: 100, reason: 'end-bit' },
    ]);
    expect(rx.active).toBeUndefined();
  });

  it('survives the loss of the marker packet, of all end packets, or of all but one end packet', () => {
    const a = telephoneEventPackets(1, 200, 0, 0);
    const b = telephoneEventPackets(2, 200, 400, 3200);
    const rx = new TelephoneEventReceiver();
    // No marker packet of 1, no end packets of 1: started by an update, ended by 2's start.
    const r1 = feed(rx, [...a.slice(1, 4), ...b]);
    expect(r1.map((r) => `${r.type}${r.digit}${r.type === 'end' ? `:${r.reason}` : ''}`)).toEqual(['start1', 'end1:new-event', 'start2', 'end2:end-bit']);
    expect(r1[1]).toMatchObject({ duration: 1200 }); // the last update seen
    // Only one end packet of the event arrives: start and end at once, full duration.
    const rx2 = new TelephoneEventReceiver();
    expect(feed(rx2, [a[6]!])).toEqual([
      { type: 'start', digit: '1', event: 1, timestamp: 0, volume: 10 },
      { type: 'end', digit: '1', event: 1, timestamp: 0, duration: 1600, durationMs: 200, reason: 'end-bit' },
    ]);
    // Updates then silence: ended by the timeout.
    const rx3 = new TelephoneEventReceiver({ timeoutMs: 300 });
    feed(rx3, a.slice(0, 3));
    expect(rx3.active).toBe('1');
    expect(rx3.poll(300)).toEqual([]);
    expect(rx3.poll(400)).toMatchObject([{ type: 'end', digit: '1', reason: 'timeout', duration: 800 }]);
    expect(rx3.poll(1000)).toEqual([]);
  });

  it('ignores late and stale packets and bad payloads', () => {
    const a = telephoneEventPackets(3, 200, 0, 0);
    const b = telephoneEventPackets(4, 200, 400, 3200);
    const rx = new TelephoneEventReceiver();
    const reports = feed(rx, [...a.slice(0, 5), ...b.slice(0, 2), a[2]!, a[5]!, ...b.slice(2)]);
    expect(reports.map((r) => r.type + r.digit)).toEqual(['start3', 'end3', 'start4', 'end4']);
    expect(rx.receive({ timestamp: 9999, marker: true, payload: Uint8Array.of(1, 2, 3), arrivalMs: 0 })).toMatchObject({ ok: false, error: { code: 'RTP_BAD_TELEPHONE_EVENT' } });
  });

  it('joins the segments of a long event and handles timestamp wrap-around', () => {
    const rx = new TelephoneEventReceiver();
    const reports = feed(rx, telephoneEventPackets(0, 10000, 0, 0xffff0000));
    expect(reports).toEqual([
      { type: 'start', digit: '0', event: 0, timestamp: 0xffff0000, volume: 10 },
      { type: 'end', digit: '0', event: 0, timestamp: 0xffff0000, duration: 80000, durationMs: 10000, reason: 'end-bit' },
    ]);
    // The next event's timestamp has wrapped past zero: still "later".
    const next = feed(rx, telephoneEventPackets(7, 100, 11000, (0xffff0000 + 88000) >>> 0));
    expect(next.map((r) => r.type + r.digit)).toEqual(['start7', 'end7']);
  });

  it('sender → lossy network → receiver: every digit once, in order, for any loss that leaves a packet of each', () => {
    const digits = '0123456789*#ABCD';
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 200, maxLength: 200 }), fc.integer({ min: 0, max: 0xffffffff }), (keep, ts0) => {
        const tx = new TelephoneEventSender((ms) => (ts0 + ms * 8) >>> 0);
        for (const d of digits) tx.send(d, 120, 0, 80);
        const all = tx.poll(Infinity);
        const byTs = new Map<number, TelephoneEventPacket[]>();
        for (const p of all) byTs.set(p.timestamp, [...(byTs.get(p.timestamp) ?? []), p]);
        // Keep the packets `keep` says, but at least one of every event.
        const kept = all.filter((p, i) => keep[i % keep.length] || byTs.get(p.timestamp)![0] === p);
        const rx = new TelephoneEventReceiver();
        const reports = feed(rx, kept);
        reports.push(...rx.poll(Infinity));
        expect(reports.filter((r) => r.type === 'start').map((r) => r.digit).join('')).toBe(digits);
        expect(reports.filter((r) => r.type === 'end').map((r) => r.digit).join('')).toBe(digits);
        // Starts and ends alternate.
        expect(reports.map((r) => r.type)).toEqual(digits.split('').flatMap(() => ['start', 'end']));
      }),
      { numRuns: 200 },
    );
  });
});
