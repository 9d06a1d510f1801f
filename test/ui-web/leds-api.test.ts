// GET /api/v1/leds and the `led` event on /api/v1/events of whole devices (SystemClock, real UDP
// on loopback): a KX-UT670 receiving an unsolicited message-summary NOTIFY with Messages-Waiting:
// yes and a Voice-Message line (SIPp uac_notify_unsolicited.xml; KX-UT670 VOICE_MESSAGE_AVAILABLE
// = Y) lights its Message/Ringer lamp red; an A12 lists its five LEDs; no LED service = 503.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Device } from '../../firmware-sim/device.js';
import { webService } from '../../firmware-sim/services/web-service.js';
import { SystemClock } from '../../src/core/system-clock.js';
import { basicAuth, bootDevice, deviceApi } from '../helpers/device.js';
import { bootWith, type Cleanups } from '../interop/presence-devices.js';
import { messageFlow, SCENARIO_DIR, sippUnavailable, startSipp, waitFor } from '../peers/index.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

type Message = { type: string; [k: string]: unknown };

/** Opens /api/v1/events as the administrator; collects every message until closed by `cleanups`. */
async function eventSocket(device: Device): Promise<Message[]> {
  const admin = device.model.defaultAccounts.find((a) => a.role === 'admin')!;
  const ws = new WebSocket(`ws://${device.ip}:${device.httpPort}/api/v1/events`, { headers: { authorization: basicAuth(admin.id, admin.password) } });
  const messages: Message[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(data.toString()) as Message));
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('error', reject);
  });
  cleanups.push(() => ws.close());
  return messages;
}

describe.skipIf(sippUnavailable() !== undefined)('LEDs through the control API', () => {
  it('KX-UT670: message-summary NOTIFY with Messages-Waiting: yes lights the Message/Ringer lamp red (GET /leds and the led event)', async () => {
    const { device } = await bootWith(cleanups, 'kx-ut670', '127.0.0.145', { PHONE_NUMBER_1: '1001' });
    expect((await deviceApi(device, 'GET', '/leds')).json).toEqual([
      { id: 'message-ringer', label: 'Message/Ringer lamp', colors: ['green', 'red'], color: 'none', pattern: 'off', periodMs: 0, onMs: 0, reason: '', since: expect.any(Number) },
    ]);
    const socket = await eventSocket(device);
    const port = device.telephony()!.lineStatuses()[0]!.local.port;
    // The second NOTIFY is a check-sync that must not restart the unit (reboot=false).
    const pbx = await startSipp({
      scenario: { file: join(SCENARIO_DIR, 'events', 'uac_notify_unsolicited.xml') },
      target: { address: device.ip, port },
      service: '1001',
      keys: { resync_event: 'check-sync;reboot=false' },
      timeoutMs: 15_000,
    });
    cleanups.push(() => pbx.stop());
    const result = await pbx.done;
    expect(result.exitCode, `${messageFlow(result.messages).join(' ')}\n${result.errors}`).toBe(0);

    const ledEvent = await waitFor('led event on the socket', () => socket.find((m) => m.type === 'led' && m.id === 'message-ringer'), 3000);
    expect(ledEvent).toMatchObject({ color: 'red', pattern: 'on', reason: 'messages-waiting', device: device.mac });
    // The lamp changed with the mwi event: right after it on the stream, and since its time.
    const mwi = socket.find((m) => m.type === 'mwi')!;
    expect(mwi).toMatchObject({ line: 1, messagesWaiting: true, newMessages: 4 });
    expect(ledEvent.seq as number).toBeGreaterThan(mwi.seq as number);
    const [lamp] = (await deviceApi(device, 'GET', '/leds')).json;
    expect(lamp).toMatchObject({ id: 'message-ringer', color: 'red', pattern: 'on', reason: 'messages-waiting', since: mwi.t });
  }, 20_000);
});

describe('GET /api/v1/leds', () => {
  it('A12: five LEDs in panel order; the document lists the route; a device without the LED service answers 503', async () => {
    const clock = new SystemClock();
    cleanups.push(() => clock.stop());
    const { device } = await bootWith(cleanups, 'fanvil-a12', '127.0.0.146', {});
    const { status, json } = await deviceApi(device, 'GET', '/leds');
    expect(status).toBe(200);
    expect(json.map((l: { id: string; pattern: string; reason: string }) => `${l.id} ${l.pattern} ${l.reason}`)).toEqual([
      'net on network-normal',
      'sip off ',
      'call off ',
      'door off ',
      'output off relays-not-emulated',
    ]);
    const doc = (await deviceApi(device, 'GET', '/openapi.json')).json;
    expect(doc.paths['/api/v1/leds'].get.responses['200']).toBeDefined();

    const { device: bare } = await bootDevice({ model: 'fanvil-a12', ip: '127.0.0.147', clock, services: [webService] });
    cleanups.push(() => bare.shutdown('test'));
    const refused = await deviceApi(bare, 'GET', '/leds');
    expect(refused).toEqual({ status: 503, json: { error: { code: 'LEDS_NOT_READY', message: 'the LED panel is not running (device booting or stopped)' } } });
  });
});
