// The indicator LEDs of an emulated device, as a pure model: what the device knows (line
// registrations, calls, message waiting) goes in as device events, the LEDs' looks come out.
// Each model's rules (led-rules-a12.ts, led-rules-kx-ut670.ts) map that knowledge to its own
// LEDs. A flashing LED is one state (pattern + period + since), not a timer toggling it: the
// `led` device event fires only when a LED's look changes, and `ledLit` tells on/off at any time.
import type { DeviceEvent } from '../../src/core/device-events.js';
import type { CallSnapshot } from '../../src/phone/call.js';
import type { LineStatus } from '../../src/phone/phone-line.js';
import type { MwiStatus } from '../../src/phone/presence/mwi.js';
import type { LedColor, LedPattern, LedState } from '../../src/ui-web/led-routes.js';

export type { LedColor, LedPattern, LedState } from '../../src/ui-web/led-routes.js';

/** How a LED looks, without its identity and timing (what a rule decides). */
export interface LedLook {
  readonly color: LedColor;
  readonly pattern: LedPattern;
  /** Full on+off cycle of a flash, ms; 0 for off and on. */
  readonly periodMs: number;
  /** Lit part of the period, ms; 0 for off and on. */
  readonly onMs: number;
  /** Why it looks so, e.g. 'registration-failed', 'in-call', 'messages-waiting'; '' when off for no reason. */
  readonly reason: string;
}

export const LED_OFF: LedLook = { color: 'none', pattern: 'off', periodMs: 0, onMs: 0, reason: '' };

export function steady(color: LedColor, reason: string): LedLook {
  return { color, pattern: 'on', periodMs: 0, onMs: 0, reason };
}

/** A flash with a 50 % duty cycle. */
export function flash(color: LedColor, pattern: 'slow-flash' | 'fast-flash', periodMs: number, reason: string): LedLook {
  return { color, pattern, periodMs, onMs: periodMs / 2, reason };
}

/** A LED of a model: identity and what it can show. */
export interface LedDefinition {
  readonly id: string;
  /** The manual's name, with its section. */
  readonly label: string;
  readonly colors: readonly LedColor[];
}

/** The outcome a line's registration last reached; a retry or a refresh keeps it (no flicker). */
export type LineOutcome = 'none' | 'registered' | 'failed';

/** What the device knows that LEDs show; rules read only this. */
export interface LedInputs {
  /** The network link. DEVIATION: the emulator has no link model yet, so it stays 'up'. */
  readonly network: 'up' | 'down';
  /** Per line number, the outcome of its registration (lines without registration: 'none'). */
  readonly lines: ReadonlyMap<number, LineOutcome>;
  /** Calls that have not ended, by id. */
  readonly calls: ReadonlyMap<string, Pick<CallSnapshot, 'id' | 'line' | 'direction' | 'state' | 'muted'>>;
  /** Per line number, whether voice messages wait (already read through VOICE_MESSAGE_AVAILABLE). */
  readonly mwi: ReadonlyMap<number, boolean>;
}

export interface LedRules {
  /** The model's LEDs in panel order. */
  readonly leds: readonly LedDefinition[];
  /** The look of every LED (by id) for `inputs`; a missing id is off. */
  looks(inputs: LedInputs): Readonly<Record<string, LedLook>>;
}

export function emptyInputs(): LedInputs {
  return { network: 'up', lines: new Map(), calls: new Map(), mwi: new Map() };
}

/** The outcome after a line reported `state`, given the previous one. */
export function lineOutcome(previous: LineOutcome, state: LineStatus['registration']['state']): LineOutcome {
  switch (state) {
    case 'registered':
      return 'registered';
    case 'failed':
      return 'failed';
    // A refresh or a retry keeps what the LED showed until the answer comes.
    case 'registering':
    case 'unregistering':
      return previous;
    case 'unregistered':
    case 'disabled':
      return 'none';
  }
}

/** The inputs after one device event (events other than line, call and mwi change nothing). */
export function reduceInputs(inputs: LedInputs, event: DeviceEvent): LedInputs {
  switch (event.type) {
    case 'line':
      return withLine(inputs, event);
    case 'call':
      return withCall(inputs, event);
    case 'mwi':
      return withMwi(inputs, event);
    default:
      return inputs;
  }
}

export function withLine(inputs: LedInputs, status: Pick<LineStatus, 'line' | 'registration'>): LedInputs {
  const lines = new Map(inputs.lines);
  lines.set(status.line, lineOutcome(inputs.lines.get(status.line) ?? 'none', status.registration.state));
  return { ...inputs, lines };
}

export function withCall(inputs: LedInputs, call: Pick<CallSnapshot, 'id' | 'line' | 'direction' | 'state' | 'muted'>): LedInputs {
  const calls = new Map(inputs.calls);
  if (call.state === 'ended') calls.delete(call.id);
  else calls.set(call.id, { id: call.id, line: call.line, direction: call.direction, state: call.state, muted: call.muted });
  return { ...inputs, calls };
}

export function withMwi(inputs: LedInputs, status: Pick<MwiStatus, 'line' | 'messagesWaiting'>): LedInputs {
  const mwi = new Map(inputs.mwi);
  mwi.set(status.line, status.messagesWaiting);
  return { ...inputs, mwi };
}

export function withNetwork(inputs: LedInputs, network: 'up' | 'down'): LedInputs {
  return { ...inputs, network };
}

function sameLook(a: LedLook, b: LedLook): boolean {
  return a.color === b.color && a.pattern === b.pattern && a.periodMs === b.periodMs && a.onMs === b.onMs && a.reason === b.reason;
}

/**
 * The LEDs of one device: the rules, the inputs so far and each LED's state. `update` returns
 * only the LEDs whose look changed (what becomes `led` events); a new panel is dark (power off).
 */
export class LedPanel {
  private inputs: LedInputs = emptyInputs();
  private readonly states = new Map<string, LedState>();

  constructor(
    private readonly rules: LedRules,
    now: number,
  ) {
    for (const led of rules.leds) this.states.set(led.id, { id: led.id, label: led.label, colors: led.colors, ...LED_OFF, since: now });
  }

  /** Every LED now, in panel order. */
  snapshot(): LedState[] {
    return [...this.states.values()];
  }

  current(): LedInputs {
    return this.inputs;
  }

  /** Takes new inputs at clock time `now`; returns the LEDs that changed. */
  update(inputs: LedInputs, now: number): LedState[] {
    this.inputs = inputs;
    const looks = this.rules.looks(inputs);
    const changed: LedState[] = [];
    for (const [id, state] of this.states) {
      const look = looks[id] ?? LED_OFF;
      if (sameLook(state, look)) continue;
      const next: LedState = { id, label: state.label, colors: state.colors, ...look, since: now };
      this.states.set(id, next);
      changed.push(next);
    }
    return changed;
  }

  /** Applies one device event; returns the LEDs that changed. */
  onEvent(event: DeviceEvent, now: number): LedState[] {
    const next = reduceInputs(this.inputs, event);
    return next === this.inputs ? [] : this.update(next, now);
  }

  /** Every LED dark (power off); returns the LEDs that changed. */
  powerOff(now: number): LedState[] {
    const changed: LedState[] = [];
    for (const [id, state] of this.states) {
      if (state.pattern === 'off') continue;
      const next: LedState = { id, label: state.label, colors: state.colors, ...LED_OFF, since: now };
      this.states.set(id, next);
      changed.push(next);
    }
    this.inputs = emptyInputs();
    return changed;
  }
}

/** Whether `led` is lit at clock time `t`: a flash starts lit at `since`. */
export function ledLit(led: Pick<LedState, 'pattern' | 'periodMs' | 'onMs' | 'since'>, t: number): boolean {
  if (led.pattern === 'off') return false;
  if (led.pattern === 'on' || led.periodMs <= 0) return true;
  const phase = (((t - led.since) % led.periodMs) + led.periodMs) % led.periodMs;
  return phase < led.onMs;
}
