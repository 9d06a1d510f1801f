// The call features a user switches at the phone (KX-UT670 4.7.2.3 / 4.7.2.4; A12 9.12): DND,
// forwards, anonymous calls, block anonymous, call waiting, auto answer, and the rejection list
// (4.7.1.2). They live as overrides on top of the settings (line-features.ts), persist in NVRAM,
// go to the server as feature codes when the A12 line says so (feature-codes.ts), and stay in step
// with a portal server under FWD_DND_SYNCHRO_ENABLE_n (feature-sync.ts).
import type { Clock } from '../../core/clock.js';
import { failure, ok, type Result } from '../../core/result.js';
import type { DeviceSettings } from '../../settings/canonical.js';
import type { CallSnapshot } from '../call.js';
import type { PhoneLine } from '../phone-line.js';
import { featureCodeFor, type PhoneFeature } from './feature-codes.js';
import { FeatureSync, overrideOf, syncedChange, type SyncPush } from './feature-sync.js';
import { effectiveLineFeatures, emptyOverrides, REJECT_LIST_MAX, type FeatureOverrides, type LineFeatureOverrides, type LineFeatures } from './line-features.js';

export interface FeatureChange {
  /** `local`: the phone's switch changed; `code`: the feature code was called to the server. */
  readonly mode: 'local' | 'code';
  readonly code?: string;
  readonly features: LineFeatures;
  readonly call?: CallSnapshot;
  /** FWD_DND_SYNCHRO_ENABLE_n: the change went to the server ('sent') or no subscription is up. */
  readonly sync?: SyncPush;
}

export interface FeatureSwitchesHost {
  readonly clock: Clock;
  settings(): DeviceSettings;
  line(number: number): PhoneLine | undefined;
  /** The switches as last saved, and where to save them (NVRAM). */
  readonly store?: { load(): FeatureOverrides | undefined; save(overrides: FeatureOverrides): void };
  /** A switch of `line` changed: by the user (`local`), a feature code (`code`) or the server (`server`). */
  changed?(line: number, source: 'local' | 'code' | 'server', features: LineFeatures): void;
}

const FORWARD_TARGET = /^[0-9*#+]{1,32}$|^sips?:\S+$|^\S+@\S+$/;

export class FeatureSwitches {
  readonly sync: FeatureSync;
  private readonly state: FeatureOverrides;

  constructor(private readonly host: FeatureSwitchesHost) {
    this.state = host.store?.load() ?? emptyOverrides();
    this.sync = new FeatureSync({
      clock: host.clock,
      settings: () => host.settings(),
      line: (n) => host.line(n),
      apply: (line, change) => {
        this.save(line, overrideOf(change, this.lineFeatures(line)));
        host.changed?.(line, 'server', this.lineFeatures(line));
      },
    });
  }

  lineFeatures(line: number): LineFeatures {
    return effectiveLineFeatures(this.host.settings(), line, this.state);
  }

  overrides(): FeatureOverrides {
    return structuredClone(this.state);
  }

  rejectNumbers(): readonly string[] {
    return this.state.rejectNumbers;
  }

  /**
   * Switches `feature` of `line`. With the A12's "Use Feature Code" and a code configured, the
   * code is dialled to the server instead (a forward-on code followed by the number) and the
   * phone's own switch stays as it was; `dial` places that call.
   */
  async set(line: number, feature: PhoneFeature, on: boolean, args: { number?: string; delayS?: number }, dial: (code: string) => Promise<Result<CallSnapshot>>): Promise<Result<FeatureChange>> {
    const current = this.lineFeatures(line);
    const number = (args.number ?? forwardRule(current, feature)?.number ?? '').trim();
    if (on && feature.startsWith('forward-') && !FORWARD_TARGET.test(number)) {
      // KX-UT670 4.7.2.4: "You cannot leave this field empty" when the forward is on.
      return failure('FEATURE_NO_NUMBER', `feature: ${feature} needs a number to forward to (up to 32 of 0-9 * # +, or a SIP URI)`);
    }
    const code = featureCodeFor(this.host.settings().intercom.lines[line - 1]?.featureCodes, feature, on, number);
    if (code !== undefined) {
      const placed = await dial(code);
      if (!placed.ok) return placed;
      this.host.changed?.(line, 'code', current);
      return ok({ mode: 'code', code, features: current, call: placed.value });
    }
    this.save(line, switchOf(feature, on, number, args.delayS ?? current.forwardNoAnswer.delayS));
    const synced = this.sync.enabled(line) ? syncedChange(feature, on, number) : undefined;
    const sync = synced ? this.sync.push(line, synced) : undefined;
    this.host.changed?.(line, 'local', this.lineFeatures(line));
    return ok({ mode: 'local', features: this.lineFeatures(line), ...(sync ? { sync } : {}) });
  }

  /** KX-UT670 4.7.1.2 Call Rejection Phone Numbers: up to 30 numbers of up to 32 characters. */
  setRejectNumbers(numbers: readonly string[]): Result<string[]> {
    const list = numbers.map((n) => n.trim()).filter((n) => n !== '');
    if (list.length > REJECT_LIST_MAX) return failure('FEATURE_LIST_TOO_LONG', `feature: at most ${REJECT_LIST_MAX} rejection numbers`);
    const bad = list.find((n) => n.length > 32);
    if (bad !== undefined) return failure('FEATURE_BAD_NUMBER', `feature: '${bad}' is longer than 32 characters`);
    this.state.rejectNumbers = list;
    this.host.store?.save(this.state);
    return ok(list);
  }

  private save(line: number, change: LineFeatureOverrides): void {
    this.state.lines[line] = { ...this.state.lines[line], ...change };
    this.host.store?.save(this.state);
  }
}

function switchOf(feature: PhoneFeature, on: boolean, number: string, delayS: number): LineFeatureOverrides {
  switch (feature) {
    case 'dnd':
      return { dnd: on };
    case 'block-anonymous':
      return { blockAnonymous: on };
    case 'anonymous':
      return { anonymous: on };
    case 'call-waiting':
      return { callWaiting: on };
    case 'auto-answer':
      return { autoAnswer: on };
    case 'forward-always':
      return { forwardAlways: { enabled: on, number } };
    case 'forward-busy':
      return { forwardBusy: { enabled: on, number } };
    default:
      return { forwardNoAnswer: { enabled: on, number, delayS } };
  }
}

function forwardRule(f: LineFeatures, feature: PhoneFeature): { number: string } | undefined {
  if (feature === 'forward-always') return f.forwardAlways;
  if (feature === 'forward-busy') return f.forwardBusy;
  if (feature === 'forward-no-answer') return f.forwardNoAnswer;
  return undefined;
}
