// What the control API (GET /api/v1/handset, POST /api/v1/handset/record|stop) needs of the
// device's handset: what is heard now, and a recording of it. The device's handset service
// implements it and registers it under its device object, so src/ui-web reaches it from the
// DeviceApi it already has without the device interfaces changing.
import type { Result } from '../../core/result.js';
import type { RecordRequest, StopResult } from '../call-audio.js';
import type { Heard, HookSwitch } from './handset-state.js';

export interface HandsetStatus extends Heard {
  readonly hook: HookSwitch;
  /** While the ringer plays: the ring type of the ringing call (its `ringType`). */
  readonly ringType?: string;
  /** The recording in progress. */
  readonly recording?: {
    readonly file: string | undefined;
    readonly durationMs: number;
    readonly sampleRate: number;
    /** Clock ms of the first sample (once the first frame is in): sample i is at startedAt + i / rate. */
    readonly startedAt?: number;
  };
}

export interface HandsetApi {
  status(): HandsetStatus;
  /** Starts recording what the user hears (409-style failure when one runs). */
  record(request: RecordRequest): Result<void>;
  /** Stops the recording: its file, or the WAV as base64; undefined when none ran. */
  stop(): Result<StopResult['recording'] | undefined>;
}

const handsets = new WeakMap<object, HandsetApi>();

/** The handset service registers (or, with undefined, withdraws) the handset of `device`. */
export function attachHandset(device: object, api: HandsetApi | undefined): void {
  if (api) handsets.set(device, api);
  else handsets.delete(device);
}

export function handsetOf(device: object): HandsetApi | undefined {
  return handsets.get(device);
}
