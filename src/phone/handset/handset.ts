// The handset of one phone: the state machine (handset-state.ts) fed with the device's call and
// MWI events and the hook switch, and, while a recording runs, the mixer rendering what the user
// hears on the shared media tick into a WAV recorder. Idle phones cost nothing per tick: the
// tick is subscribed only while recording.
import { WavRecorder } from '../../codecs/audio-sink.js';
import { frameSamples } from '../../codecs/audio-source.js';
import type { ToneSpec } from '../../codecs/tone-generator.js';
import type { Clock } from '../../core/clock.js';
import { failure, ok, type Result } from '../../core/result.js';
import type { MediaClock, MediaClockSubscription } from '../../media/media-clock.js';
import type { DeviceSettings } from '../../settings/canonical.js';
import { saveRecording, type AudioFiles, type RecordRequest, type StopResult } from '../call-audio.js';
import type { CallSnapshot } from '../call.js';
import type { CallMedia } from '../call-media.js';
import type { TelephonyApi } from '../telephony-api.js';
import type { HandsetApi, HandsetStatus } from './handset-api.js';
import { HandsetMixer } from './handset-mixer.js';
import { HandsetState, HANDSET_TONES, type HandsetTone, type HookSwitch } from './handset-state.js';
import { handsetConfig, handsetToneSpec, ringerSource, type ToneDialect } from './handset-tones.js';

export interface HandsetOptions {
  readonly clock: Clock;
  readonly mediaClock: MediaClock;
  settings(): DeviceSettings;
  readonly dialect: ToneDialect;
  /** Call control while it runs: each call's media, and the hook switch when it has one. */
  telephony(): TelephonyApi | undefined;
  files(): AudioFiles;
  /** Rate of what the user hears (default 16 kHz: wideband calls keep their band). */
  readonly sampleRate?: 8000 | 16000;
}

/** Frames rendered at most in one tick after a stall (the recording keeps real time). */
const MAX_CATCH_UP = 10;

export class Handset implements HandsetApi {
  readonly state: HandsetState;
  private tones = new Map<HandsetTone, ToneSpec | undefined>();
  /** The ring type of each ringing call (its snapshot's `ringType`). */
  private readonly rings = new Map<string, string>();
  private recording: { rec: WavRecorder; file: string | undefined; mixer: HandsetMixer; tick: MediaClockSubscription; frame: Int16Array; lastTick: number | undefined; startedAt: number | undefined } | undefined;
  private readonly rate: 8000 | 16000;

  constructor(private readonly o: HandsetOptions) {
    this.rate = o.sampleRate ?? 16000;
    this.state = new HandsetState(handsetConfig(o.settings(), o.dialect), o.clock.now());
    this.loadTones();
    // The hook switch as it is now; from here on the `hook` device event moves it (onHook).
    const hook = (o.telephony() as { hookState?: () => HookSwitch } | undefined)?.hookState?.();
    if (hook !== undefined) this.onHook(hook);
    for (const call of o.telephony()?.listCalls() ?? []) this.onCall(call);
  }

  /** The hook switch moved (device event `hook`). */
  onHook(state: HookSwitch): void {
    this.state.handle({ type: 'hook', state }, this.o.clock.now());
  }

  /** A dial-pad key (device event `keypad`): the dial tone stops, or the side-tone plays in a call. */
  onKeypad(key: string, call?: string): void {
    this.state.handle({ type: 'keypad', key, ...(call !== undefined ? { call } : {}) }, this.o.clock.now());
  }

  /** A dial that made no call (device event `dial-failed`): the failure tone off hook. */
  onDialFailed(tone?: 'busy' | 'reorder'): void {
    this.state.handle({ type: 'dial-failed', ...(tone ? { tone } : {}) }, this.o.clock.now());
  }

  onCall(snapshot: CallSnapshot): void {
    if (snapshot.state === 'ringing' && snapshot.ringType !== undefined) this.rings.set(snapshot.id, snapshot.ringType);
    else this.rings.delete(snapshot.id);
    this.sync();
    this.state.handle({ type: 'call', call: snapshot }, this.o.clock.now());
  }

  onMwi(line: number, waiting: boolean): void {
    this.state.handle({ type: 'mwi', line, waiting }, this.o.clock.now());
  }

  /** The settings changed: tones and rules are read again. */
  settingsChanged(): void {
    this.state.handle({ type: 'config', config: handsetConfig(this.o.settings(), this.o.dialect) }, this.o.clock.now());
    this.loadTones();
  }

  status(): HandsetStatus {
    this.sync();
    const r = this.recording;
    const heard = this.state.heard(this.o.clock.now());
    const ringType = heard.tone === 'ring' && heard.call !== undefined ? this.rings.get(heard.call) : undefined;
    return {
      ...heard,
      ...(ringType !== undefined ? { ringType } : {}),
      hook: this.state.hookState,
      ...(r ? { recording: { file: r.file, durationMs: r.rec.durationMs, sampleRate: r.rec.sampleRate, ...(r.startedAt !== undefined ? { startedAt: r.startedAt } : {}) } } : {}),
    };
  }

  record(request: RecordRequest): Result<void> {
    if (this.recording) return failure('AUDIO_BUSY', 'handset: already recording; stop it first');
    const mixer = new HandsetMixer({
      sampleRate: this.rate,
      tone: (t, key) => this.toneSpec(t, key),
      media: (id) => this.mediaOf(id),
      ring: (id) => ringerSource(this.o.dialect, id !== undefined ? this.rings.get(id) : undefined, this.o.files().dataDir, this.rate),
    });
    const rec = new WavRecorder(this.rate, request.maxSeconds);
    const frame = new Int16Array(frameSamples(this.rate, this.o.mediaClock.periodMs));
    const r: NonNullable<Handset['recording']> = { rec, file: request.file, mixer, frame, lastTick: undefined, startedAt: undefined, tick: { cancel: () => {} } };
    r.tick = this.o.mediaClock.subscribe((now, tick) => {
      const frames = r.lastTick === undefined ? 1 : Math.min(MAX_CATCH_UP, Math.max(0, tick - r.lastTick));
      r.lastTick = tick;
      r.startedAt ??= now;
      this.sync();
      // After a late tick the frames due since the last one are rendered, each at its own time.
      const period = this.o.mediaClock.periodMs;
      for (let k = 0; k < frames; k++) {
        const at = now - (frames - 1 - k) * period;
        mixer.render(this.state.heard(at), frame, at);
        rec.write(frame);
      }
    });
    this.recording = r;
    return ok(undefined);
  }

  stop(): Result<StopResult['recording'] | undefined> {
    const r = this.recording;
    if (!r) return ok(undefined);
    this.recording = undefined;
    r.tick.cancel();
    r.mixer.close();
    return saveRecording(r.rec, r.file, this.o.files());
  }

  close(): void {
    const r = this.recording;
    this.recording = undefined;
    r?.tick.cancel();
    r?.mixer.close();
  }

  /** Reads what has no event: whether ringing calls have early media. */
  private sync(): void {
    const now = this.o.clock.now();
    for (const id of this.state.ringbackCalls()) {
      // RFC 3960 §3: an answer in a reliable or unreliable 18x starts the stream: early media.
      this.state.handle({ type: 'early-media', call: id, flowing: this.mediaOf(id)?.sampleRate !== undefined }, now);
    }
  }

  private mediaOf(id: string): CallMedia | undefined {
    const call = this.o.telephony()?.call?.(id);
    return call?.active ? call.media : undefined;
  }

  private toneSpec(tone: HandsetTone, key: string | undefined): ToneSpec | undefined {
    if (tone !== 'sideTone') return this.tones.get(tone);
    const spec = handsetToneSpec(this.o.settings(), this.o.dialect, tone, key);
    return spec.ok ? spec.value : undefined;
  }

  private loadTones(): void {
    const settings = this.o.settings();
    this.tones = new Map(HANDSET_TONES.map((t) => {
      const spec = handsetToneSpec(settings, this.o.dialect, t);
      return [t, spec.ok ? spec.value : undefined];
    }));
  }
}
