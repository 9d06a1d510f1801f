// Click to Answer/Retrieve and Click to Hold on a KX-UT670 (5.6.1 TALK_PACKAGE, HOLD_PACKAGE):
// a server's unsolicited NOTIFY with `Event: talk` answers the ringing call or takes back the
// held one, `Event: hold` holds the call in conversation; the phone advertises the packages in
// Allow-Events, and without them answers 489 Bad Event. The NOTIFYs come from a raw UDP socket
// on loopback (as a BroadWorks server would send them); the call is between two devices.
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { parseMessage, type SipResponse } from '../../src/sip/message/index.js';
import type { Device } from '../../firmware-sim/device.js';
import { sipService } from '../../firmware-sim/services/sip-service.js';
import { webService } from '../../firmware-sim/services/web-service.js';
import { bootDevice } from '../helpers/device.js';
import { until } from '../helpers/until.js';
import { recordingFactory } from '../helpers/recording-media.js';

const devices: Device[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
  for (const s of sockets.splice(0)) s.close();
});

async function boot(ip: string, clock: VirtualClock, settings: Record<string, string> = {}): Promise<Device> {
  const { device } = await bootDevice({ model: 'kx-ut670', ip, clock, settings, services: [webService, sipService({ media: () => recordingFactory([]) })] });
  devices.push(device);
  return device;
}

const port = (d: Device) => d.telephony()!.lineStatuses()[0]!.local.port;

/** A server socket that sends one request to the device's line 1 and returns the final response. */
async function server(): Promise<{ send(d: Device, method: string, event?: string): Promise<SipResponse> }> {
  const s = createSocket('udp4');
  sockets.push(s);
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const me = s.address().port;
  let n = 0;
  return {
    send: (d, method, event) =>
      new Promise((resolve) => {
        n++;
        const branch = `z9hG4bK-rc-${n}`;
        const onMessage = (msg: Buffer) => {
          const m = parseMessage(msg);
          if (!m.ok || m.value.kind !== 'response' || m.value.status < 200 || m.value.topVia?.params.get('branch') !== branch) return;
          s.off('message', onMessage);
          resolve(m.value);
        };
        s.on('message', onMessage);
        const text = [
          `${method} sip:100@${d.ip}:${port(d)} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${me};branch=${branch};rport`,
          'From: <sip:rcc@127.0.0.1>;tag=rcc1',
          `To: <sip:100@${d.ip}>`,
          `Call-ID: rcc-${n}@127.0.0.1`,
          `CSeq: ${n} ${method}`,
          'Max-Forwards: 70',
          `Contact: <sip:rcc@127.0.0.1:${me}>`,
          ...(event ? [`Event: ${event}`, 'Subscription-State: terminated'] : []),
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n');
        s.send(text, port(d), d.ip);
      }),
  };
}

describe('Click to Answer / Click to Hold (TALK_PACKAGE, HOLD_PACKAGE)', () => {
  it('talk answers the ringing call, hold holds it, talk takes it back; Allow-Events lists the packages', async () => {
    const clock = new VirtualClock();
    const callee = await boot('127.0.0.241', clock, { TALK_PACKAGE: 'Y', HOLD_PACKAGE: 'Y', AUTO_ANS_RING_TIM: '0' });
    const caller = await boot('127.0.0.242', clock);
    const rcc = await server();
    const options = await rcc.send(callee, 'OPTIONS');
    expect(options.headers.get('Allow-Events')).toBe('talk, hold');

    // Nothing to act on yet.
    expect((await rcc.send(callee, 'NOTIFY', 'talk')).status).toBe(481);
    expect((await rcc.send(callee, 'NOTIFY', 'hold')).status).toBe(481);

    const placed = await caller.telephony()!.dial(`${callee.ip}:${port(callee)}`);
    expect(placed.ok).toBe(true);
    await until('callee rings', () => callee.telephony()!.listCalls().some((c) => c.state === 'ringing'));
    const call = () => callee.telephony()!.listCalls()[0]!;

    expect((await rcc.send(callee, 'NOTIFY', 'talk')).status).toBe(200);
    await until('answered', () => call().state === 'connected' && caller.telephony()!.listCalls()[0]!.state === 'connected');

    expect((await rcc.send(callee, 'NOTIFY', 'hold')).status).toBe(200);
    await until('held', () => call().state === 'held');

    expect((await rcc.send(callee, 'NOTIFY', 'talk')).status).toBe(200);
    await until('retrieved', () => call().state === 'connected');
  });

  it('without the packages: 489 Bad Event, no Allow-Events, the call keeps ringing', async () => {
    const clock = new VirtualClock();
    const callee = await boot('127.0.0.243', clock, { AUTO_ANS_RING_TIM: '0' });
    const caller = await boot('127.0.0.244', clock);
    const rcc = await server();
    expect((await rcc.send(callee, 'OPTIONS')).headers.has('Allow-Events')).toBe(false);
    const placed = await caller.telephony()!.dial(`${callee.ip}:${port(callee)}`);
    expect(placed.ok).toBe(true);
    await until('callee rings', () => callee.telephony()!.listCalls().some((c) => c.state === 'ringing'));
    const talk = await rcc.send(callee, 'NOTIFY', 'talk');
    expect([talk.status, talk.reason]).toEqual([489, 'Bad Event']);
    expect(callee.telephony()!.listCalls()[0]!.state).toBe('ringing');
  });
});
