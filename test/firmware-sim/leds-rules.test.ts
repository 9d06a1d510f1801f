// The LED model without a device: the A12 rules (5.2.2 Table 2, 6.1 Table 3) and the KX-UT670
// Message/Ringer lamp, fed with the device events a running phone emits; the panel reports only
// changes; a flash's phase follows from `since`.
import { describe, expect, it } from 'vitest';
import type { DeviceEvent } from '../../src/core/device-events.js';
import type { CallSnapshot } from '../../src/phone/call.js';
import type { RegistrationState } from '../../src/phone/phone-line.js';
import { a12LedRules, A12_FAST_FLASH_MS, A12_SLOW_FLASH_MS } from '../../firmware-sim/hardware/led-rules-a12.js';
import { kxUt670LedRules, KX_RINGER_FLASH_MS } from '../../firmware-sim/hardware/led-rules-kx-ut670.js';
import { ledRulesFor } from '../../firmware-sim/hardware/led-rules.js';
import { LedPanel, ledLit, lineOutcome, withNetwork, type LedRules, type LedState } from '../../firmware-sim/hardware/leds.js';

let seq = 0;
const meta = () => ({ seq: ++seq, at: '2026-01-01T00:00:00.000Z', t: 0, device: '00:11:22:33:44:55' });

function lineEvent(line: number, state: RegistrationState): DeviceEvent {
  return { type: 'line', line, enabled: true, aor: `sip:10${line}@pbx`, registration: { state, reason: '' }, local: { address: '127.0.0.1', port: 5060, transport: 'udp' }, ...meta() };
}

function callEvent(id: string, state: CallSnapshot['state'], direction: CallSnapshot['direction'] = 'incoming', muted = false): DeviceEvent {
  return { type: 'call', id, line: 1, direction, state, muted, ...meta() } as unknown as DeviceEvent;
}

function mwiEvent(line: number, messagesWaiting: boolean): DeviceEvent {
  return { type: 'mwi', line, messagesWaiting, newMessages: messagesWaiting ? 1 : 0, oldMessages: 0, subscription: 'off', ...meta() };
}

/** A panel fed with `events` at t = 0, 10, 20, ...; returns the panel and every change. */
function feed(rules: LedRules, events: DeviceEvent[]): { panel: LedPanel; changes: LedState[] } {
  const panel = new LedPanel(rules, 0);
  const changes = panel.update(panel.current(), 0);
  events.forEach((e, i) => changes.push(...panel.onEvent(e, (i + 1) * 10)));
  return { panel, changes };
}

const look = (panel: LedPanel, id: string) => {
  const led = panel.snapshot().find((l) => l.id === id)!;
  return `${led.color} ${led.pattern} ${led.periodMs} ${led.reason}`;
};

describe('Fanvil A12 LEDs (5.2.2 Table 2, 6.1 Table 3)', () => {
  it('powered with the network up: SIP/NET network element on, red element off, Output off (no relay model)', () => {
    const { panel, changes } = feed(a12LedRules, []);
    expect(panel.snapshot().map((l) => l.id)).toEqual(['net', 'sip', 'call', 'door', 'output']);
    expect(look(panel, 'net')).toBe('green on 0 network-normal');
    expect(look(panel, 'sip')).toBe('none off 0 ');
    expect(look(panel, 'output')).toBe('none off 0 relays-not-emulated');
    // The changes from a dark panel: the network LED lighting and the output's reason.
    expect(changes.map((c) => c.id)).toEqual(['net', 'output']);
  });

  it('a failed registration fast-flashes the red element; a retry keeps it; registering turns it off', () => {
    const { panel, changes } = feed(a12LedRules, [lineEvent(1, 'registering'), lineEvent(1, 'failed'), lineEvent(1, 'registering'), lineEvent(1, 'failed')]);
    expect(look(panel, 'sip')).toBe(`red fast-flash ${A12_FAST_FLASH_MS} registration-failed`);
    // Only one change for the red element: the retry did not flicker it.
    expect(changes.filter((c) => c.id === 'sip').map((c) => `${c.pattern}@${c.since}`)).toEqual(['fast-flash@20']);
    panel.onEvent(lineEvent(1, 'registering'), 50);
    const [registered] = panel.onEvent(lineEvent(1, 'registered'), 60);
    expect(registered).toMatchObject({ id: 'sip', pattern: 'off', color: 'none', reason: 'registered', since: 60 });
  });

  it('one of two lines failing is enough to flash; a disabled line does not count', () => {
    const { panel } = feed(a12LedRules, [lineEvent(1, 'registered'), lineEvent(2, 'failed')]);
    expect(look(panel, 'sip')).toBe(`red fast-flash ${A12_FAST_FLASH_MS} registration-failed`);
    panel.onEvent(lineEvent(2, 'disabled'), 100);
    expect(look(panel, 'sip')).toBe('none off 0 registered');
  });

  it('a call: Call LED fast-flashes while ringing; connected: red slow flash (in call), Call steady, Door lit; muted: Door off; ended: back', () => {
    const { panel } = feed(a12LedRules, [lineEvent(1, 'failed'), callEvent('c1', 'ringing')]);
    expect(look(panel, 'call')).toBe(`green fast-flash ${A12_FAST_FLASH_MS} ringing`);
    expect(look(panel, 'sip')).toBe(`red fast-flash ${A12_FAST_FLASH_MS} registration-failed`);
    panel.onEvent(callEvent('c1', 'connected'), 100);
    expect(look(panel, 'sip')).toBe(`red slow-flash ${A12_SLOW_FLASH_MS} in-call`);
    expect(look(panel, 'call')).toBe('green on 0 talking');
    expect(look(panel, 'door')).toBe('green on 0 audio-acquisition');
    expect(panel.onEvent(callEvent('c1', 'connected', 'incoming', true), 200).map((c) => `${c.id} ${c.pattern}`)).toEqual(['door off']);
    panel.onEvent(callEvent('c1', 'held'), 300);
    expect(look(panel, 'call')).toBe(`green slow-flash ${A12_SLOW_FLASH_MS} held`);
    expect(look(panel, 'sip')).toBe(`red slow-flash ${A12_SLOW_FLASH_MS} in-call`);
    panel.onEvent(callEvent('c1', 'ended'), 400);
    expect(look(panel, 'sip')).toBe(`red fast-flash ${A12_FAST_FLASH_MS} registration-failed`);
    expect(look(panel, 'call')).toBe('none off 0 ');
  });

  it('an outgoing call being set up slow-flashes the Call LED and is not yet "in call"', () => {
    const { panel } = feed(a12LedRules, [lineEvent(1, 'registered'), callEvent('o1', 'ringback', 'outgoing')]);
    expect(look(panel, 'call')).toBe(`green slow-flash ${A12_SLOW_FLASH_MS} calling`);
    expect(look(panel, 'sip')).toBe('none off 0 registered');
    expect(look(panel, 'door')).toBe('none off 0 ');
  });

  it('network abnormal fast-flashes the network element; back up, steady on', () => {
    const { panel } = feed(a12LedRules, [lineEvent(1, 'registered')]);
    expect(panel.update(withNetwork(panel.current(), 'down'), 100).map((c) => `${c.id} ${c.color} ${c.pattern} ${c.periodMs} ${c.reason}`)).toEqual([
      `net green fast-flash ${A12_FAST_FLASH_MS} network-abnormal`,
    ]);
    panel.update(withNetwork(panel.current(), 'up'), 200);
    expect(look(panel, 'net')).toBe('green on 0 network-normal');
  });

  it('events that change no input change no LED; power off darkens what was lit', () => {
    const { panel } = feed(a12LedRules, [lineEvent(1, 'failed')]);
    expect(panel.onEvent({ type: 'reboot', reason: 'x', ...meta() }, 5)).toEqual([]);
    expect(panel.onEvent(lineEvent(1, 'failed'), 6)).toEqual([]);
    expect(panel.powerOff(7).map((c) => `${c.id} ${c.pattern}`)).toEqual(['net off', 'sip off']);
    expect(panel.snapshot().every((l) => l.pattern === 'off')).toBe(true);
  });
});

describe('KX-UT670 Message/Ringer lamp', () => {
  it('MWI on any line lights it red; off again when no line has messages', () => {
    const { panel, changes } = feed(kxUt670LedRules, [mwiEvent(3, true), mwiEvent(1, true), mwiEvent(3, false)]);
    expect(look(panel, 'message-ringer')).toBe('red on 0 messages-waiting');
    expect(changes.map((c) => `${c.pattern}@${c.since}`)).toEqual(['on@10']);
    panel.onEvent(mwiEvent(1, false), 100);
    expect(look(panel, 'message-ringer')).toBe('none off 0 ');
  });

  it('an incoming call ringing flashes it green over a waiting message; answering returns to red', () => {
    const { panel } = feed(kxUt670LedRules, [mwiEvent(1, true), callEvent('c1', 'ringing')]);
    expect(look(panel, 'message-ringer')).toBe(`green fast-flash ${KX_RINGER_FLASH_MS} ringing`);
    panel.onEvent(callEvent('c1', 'connected'), 100);
    expect(look(panel, 'message-ringer')).toBe('red on 0 messages-waiting');
    // Our own outgoing call does not flash the ringer.
    panel.onEvent(callEvent('o1', 'ringback', 'outgoing'), 200);
    expect(look(panel, 'message-ringer')).toBe('red on 0 messages-waiting');
  });

  it('registration state alone lights nothing', () => {
    const { panel } = feed(kxUt670LedRules, [lineEvent(1, 'failed')]);
    expect(panel.snapshot()).toMatchObject([{ id: 'message-ringer', pattern: 'off' }]);
  });
});

describe('LED timing and helpers', () => {
  it('a flash is lit for onMs from since, every periodMs; steady on is always lit; off never', () => {
    const led = { pattern: 'fast-flash' as const, periodMs: 250, onMs: 125, since: 1000 };
    expect([1000, 1124, 1125, 1249, 1250, 1374, 1375].map((t) => ledLit(led, t))).toEqual([true, true, false, false, true, true, false]);
    expect(ledLit({ pattern: 'on', periodMs: 0, onMs: 0, since: 0 }, 123)).toBe(true);
    expect(ledLit({ pattern: 'off', periodMs: 0, onMs: 0, since: 0 }, 123)).toBe(false);
  });

  it('line outcomes: refresh and retry keep, unregistered and disabled clear', () => {
    expect(lineOutcome('registered', 'registering')).toBe('registered');
    expect(lineOutcome('failed', 'registering')).toBe('failed');
    expect(lineOutcome('failed', 'unregistered')).toBe('none');
    expect(lineOutcome('none', 'disabled')).toBe('none');
  });

  it('rules by model id', () => {
    expect(ledRulesFor('fanvil-a12')).toBe(a12LedRules);
    expect(ledRulesFor('kx-ut670')).toBe(kxUt670LedRules);
    expect(ledRulesFor('nope')).toBeUndefined();
  });
});
