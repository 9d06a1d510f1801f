// RTP port pairs from the KX-UT670 RTP_PORT_MIN..RTP_PORT_MAX range: even RTP ports, RTCP on the
// next odd one, round-robin reuse, exhaustion as a Result.
import { describe, expect, it } from 'vitest';
import { PortAllocator } from '../../src/rtp/port-allocator.js';

describe('PortAllocator', () => {
  it('hands out even RTP ports with RTCP = RTP + 1 (RFC 3550 §11), in order', () => {
    const a = new PortAllocator(16000, 16006);
    expect(a.size).toBe(4);
    const got = [1, 2, 3, 4].map(() => a.allocate());
    expect(got.map((r) => (r.ok ? r.value : r.error.code))).toEqual([
      { rtp: 16000, rtcp: 16001 },
      { rtp: 16002, rtcp: 16003 },
      { rtp: 16004, rtcp: 16005 },
      { rtp: 16006, rtcp: 16007 },
    ]);
    expect(a.allocated).toBe(4);
  });

  it('fails with RTP_NO_PORT when every pair is in use, and recovers after a release', () => {
    const a = new PortAllocator(20000, 20002);
    expect(a.allocate().ok).toBe(true);
    expect(a.allocate().ok).toBe(true);
    const r = a.allocate();
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('RTP_NO_PORT');
    a.release(20000);
    const again = a.allocate();
    expect(again.ok && again.value.rtp).toBe(20000);
  });

  it('reuses a released port last (round-robin), so late packets of the old call find no new one', () => {
    const a = new PortAllocator(16000, 16006);
    const first = a.allocate();
    expect(first.ok && first.value.rtp).toBe(16000);
    a.release(16000);
    const order = [1, 2, 3, 4].map(() => {
      const r = a.allocate();
      return r.ok ? r.value.rtp : -1;
    });
    expect(order).toEqual([16002, 16004, 16006, 16000]);
    expect(a.isAllocated(16004)).toBe(true);
    a.release(16004);
    a.release(16004); // releasing a free port is a no-op
    expect(a.isAllocated(16004)).toBe(false);
    expect(a.allocated).toBe(3);
  });

  it('rejects ranges that are not two even numbers with min <= max', () => {
    expect(() => new PortAllocator(16001, 20000)).toThrow(RangeError);
    expect(() => new PortAllocator(16000, 20001)).toThrow(RangeError);
    expect(() => new PortAllocator(20000, 16000)).toThrow(RangeError);
    expect(() => new PortAllocator(0, 100)).toThrow(RangeError);
    expect(() => new PortAllocator(1024, 65536)).toThrow(RangeError);
    expect(new PortAllocator(1024, 1024).size).toBe(1);
  });
});
