// The LEDs of the Fanvil A12 (manual 5.2.2 Table 2 "Function key LED status", 6.1 Table 3
// "Panel introduction"):
//  - SIP/NET indicator, network element: normally on = network normal, fast flashing = network
//    abnormal;
//  - SIP/NET indicator, red element: off = successfully registered, fast flashing =
//    registration failed, slow flashing = in call;
//  - Call LED (6.1 #3): "reflect call status";
//  - Door LED (6.1 #4): "audio acquisition";
//  - Output LED (green): on while an output (relay) is triggered.
import type { CallSnapshot } from '../../src/phone/call.js';
import { flash, LED_OFF, steady, type LedInputs, type LedLook, type LedRules } from './leds.js';

// DEVIATION: the manual gives no flash rates; slow = 1 s cycle (0.5 s lit), fast = 250 ms cycle.
export const A12_SLOW_FLASH_MS = 1000;
export const A12_FAST_FLASH_MS = 250;

type Call = Pick<CallSnapshot, 'direction' | 'state' | 'muted'>;

const calls = (inputs: LedInputs): Call[] => [...inputs.calls.values()];

/** 5.2.2: the network element. DEVIATION: its colour is not named; we say green. */
function netLook(inputs: LedInputs): LedLook {
  return inputs.network === 'up' ? steady('green', 'network-normal') : flash('green', 'fast-flash', A12_FAST_FLASH_MS, 'network-abnormal');
}

/**
 * 5.2.2: the red element. "In call" is a call that is connected or held (DEVIATION: the manual
 * does not say whether dialling or ringing counts; those show on the Call LED) and wins over a
 * failed registration (an intercom still takes IP direct calls). A line still trying after a
 * failure keeps flashing until it registers. Off when registered, and also (DEVIATION: not in the
 * table) when no line registers at all, e.g. a P2P-only intercom.
 */
function sipLook(inputs: LedInputs): LedLook {
  if (calls(inputs).some((c) => c.state === 'connected' || c.state === 'held')) return flash('red', 'slow-flash', A12_SLOW_FLASH_MS, 'in-call');
  const outcomes = [...inputs.lines.values()];
  if (outcomes.includes('failed')) return flash('red', 'fast-flash', A12_FAST_FLASH_MS, 'registration-failed');
  return { ...LED_OFF, reason: outcomes.includes('registered') ? 'registered' : '' };
}

/**
 * 6.1 #3 "Reflect call status". DEVIATION: the manual gives no patterns; we show an incoming
 * call ringing as fast flashing, a connected call steady on, an outgoing call being set up and a
 * held call as slow flashing. The most urgent call wins: ringing, connected, calling, held.
 */
function callLook(inputs: LedInputs): LedLook {
  const all = calls(inputs);
  if (all.some((c) => c.state === 'ringing')) return flash('green', 'fast-flash', A12_FAST_FLASH_MS, 'ringing');
  if (all.some((c) => c.state === 'connected')) return steady('green', 'talking');
  if (all.some((c) => c.state === 'calling' || c.state === 'ringback')) return flash('green', 'slow-flash', A12_SLOW_FLASH_MS, 'calling');
  if (all.some((c) => c.state === 'held')) return flash('green', 'slow-flash', A12_SLOW_FLASH_MS, 'held');
  return LED_OFF;
}

/**
 * 6.1 #4 "Audio acquisition": lit while the microphone is picked up, i.e. a connected call that
 * is not muted. DEVIATION: colour not named (green); multicast paging sends are not counted yet.
 */
function doorLook(inputs: LedInputs): LedLook {
  return calls(inputs).some((c) => c.state === 'connected' && !c.muted) ? steady('green', 'audio-acquisition') : LED_OFF;
}

export const a12LedRules: LedRules = {
  leds: [
    { id: 'net', label: 'SIP/NET indicator, network (5.2.2 Table 2)', colors: ['green'] },
    { id: 'sip', label: 'SIP/NET indicator, red (5.2.2 Table 2)', colors: ['red'] },
    { id: 'call', label: 'Call LED (6.1 Table 3, 3)', colors: ['green'] },
    { id: 'door', label: 'Door LED (6.1 Table 3, 4)', colors: ['green'] },
    { id: 'output', label: 'Output LED, green (5.2.2 Table 2)', colors: ['green'] },
  ],
  looks(inputs) {
    return {
      net: netLook(inputs),
      sip: sipLook(inputs),
      call: callLook(inputs),
      door: doorLook(inputs),
      // 5.2.2 Output: on while a relay output is triggered. The emulator has no relay model yet
      // (relays arrive with the hardware issue), so the LED stays off and says why.
      output: { ...LED_OFF, reason: 'relays-not-emulated' },
    };
  },
};
