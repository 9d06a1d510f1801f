// The audio endpoints of one call as the control API sees them (ARCHITECTURE.md
// `POST /api/v1/audio/{play|record|stop}`): play a WAV file, a tone or silence into the call,
// record what it receives to a WAV file or hand the recording back, and report what plays, what
// records and what is heard. Requests are untrusted: every problem is a Result with a reason,
// and files are read and written only inside the device's data directory and the media directory.
import { realpathSync, statSync, mkdirSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { SamplesSource, SilenceSource, ToneSource, type AudioSource } from '../codecs/audio-source.js';
import { WavRecorder } from '../codecs/audio-sink.js';
import { TONE_NOMINAL_DBM0, toneFromTimings } from '../codecs/tone-generator.js';
import { decodeWav, readWavFile, writeWavFile } from '../codecs/wav.js';
import { failure, ok, type Result } from '../core/result.js';
import type { CallMedia, ReceivedAudio } from './call-media.js';

export interface AudioFiles {
  /** The device's data directory: WAV files may be read from it; recordings go to its `recordings/`. */
  readonly dataDir: string;
  /** A directory of WAV files to play (prompts, speech samples). */
  readonly mediaDir?: string;
}

/** A WAV file larger than this is refused (about 10 minutes of 16 kHz PCM). */
const MAX_WAV_BYTES = 20 * 1024 * 1024;
const MAX_RECORD_S = 3600;
const DEFAULT_RECORD_S = 300;
const RECORDINGS = 'recordings';

export interface PlayRequest {
  readonly kind: 'wav' | 'tone' | 'silence';
  /** What GET shows: the file name, `base64`, the tone's frequencies. */
  readonly label: string;
  readonly loop: boolean;
  /** Makes the source (each play starts from the beginning). */
  make(): AudioSource;
}

export interface RecordRequest {
  /** A plain file name in the data directory's `recordings/`; absent = returned by stop. */
  readonly file: string | undefined;
  readonly maxSeconds: number;
}

export type StopWhat = 'play' | 'record' | 'all';

const bad = (message: string) => failure('AUDIO_BAD_REQUEST', `audio: ${message}`);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `path` resolved (symlinks followed) inside one of `roots`, or a failure: `..`, absolute paths
 * elsewhere and links pointing out are all refused the same way.
 */
export function confinedPath(path: string, roots: readonly string[]): Result<string> {
  if (path === '' || path.includes('\0')) return bad('empty or invalid path');
  for (const root of roots) {
    let realRoot: string;
    try {
      realRoot = realpathSync(root);
    } catch {
      continue;
    }
    const candidate = isAbsolute(path) ? path : resolve(realRoot, path);
    let real: string;
    try {
      real = realpathSync(candidate);
    } catch {
      continue;
    }
    if (real === realRoot || real.startsWith(realRoot + sep)) return ok(real);
  }
  return bad(`${JSON.stringify(path)} is not a file in the data or media directory`);
}

function wavPlay(wav: unknown, loop: boolean, files: AudioFiles): Result<PlayRequest> {
  let spec: { path?: unknown; base64?: unknown };
  if (typeof wav === 'string') spec = wav.startsWith('UklGR') ? { base64: wav } : { path: wav };
  else if (isObject(wav)) spec = wav;
  else return bad('"wav" must be a path or {"path"} or {"base64"}');
  let decoded: ReturnType<typeof decodeWav>;
  let label: string;
  if (typeof spec.base64 === 'string') {
    const bytes = Buffer.from(spec.base64, 'base64');
    if (bytes.length < 44) return bad('"wav" base64 is not a WAV file');
    decoded = decodeWav(bytes);
    label = 'base64';
  } else if (typeof spec.path === 'string') {
    const roots = [files.dataDir, ...(files.mediaDir ? [files.mediaDir] : [])];
    const where = confinedPath(spec.path, roots);
    if (!where.ok) return where;
    const st = statSync(where.value, { throwIfNoEntry: false });
    if (!st?.isFile()) return bad(`${JSON.stringify(spec.path)} is not a file`);
    if (st.size > MAX_WAV_BYTES) return bad(`${JSON.stringify(spec.path)} is larger than ${MAX_WAV_BYTES} bytes`);
    decoded = readWavFile(where.value);
    label = spec.path;
  } else return bad('"wav" needs "path" or "base64"');
  if (!decoded.ok) return bad(`not a playable WAV: ${decoded.error.message}`);
  const { samples, sampleRate } = decoded.value;
  if (sampleRate !== 8000 && sampleRate !== 16000) return bad(`the WAV is at ${sampleRate} Hz; 8000 or 16000 Hz files only`);
  return ok({ kind: 'wav', label, loop, make: () => new SamplesSource(samples, sampleRate, loop) });
}

function tonePlay(tone: unknown, loop: boolean): Result<PlayRequest> {
  const t = typeof tone === 'number' || Array.isArray(tone) ? { frequencies: tone } : tone;
  if (!isObject(t)) return bad('"tone" must be a frequency, a list of them or {"frequencies", "levelDbm0"?, "onMs"?, "offMs"?}');
  const freqs = typeof t.frequencies === 'number' ? [t.frequencies] : t.frequencies;
  if (!Array.isArray(freqs) || freqs.length < 1 || freqs.length > 4 || !freqs.every((f) => typeof f === 'number' && f >= 20 && f <= 7900)) {
    return bad('"tone.frequencies": 1 to 4 frequencies of 20-7900 Hz');
  }
  const level = t.levelDbm0 ?? TONE_NOMINAL_DBM0;
  if (typeof level !== 'number' || !(level >= -60 && level <= 0)) return bad('"tone.levelDbm0" must be -60..0');
  const onMs = t.onMs ?? 0;
  const offMs = t.offMs ?? 0;
  if (!Number.isInteger(onMs) || !Number.isInteger(offMs) || (onMs as number) < 0 || (offMs as number) < 0 || (onMs as number) > 60000 || (offMs as number) > 60000) {
    return bad('"tone.onMs"/"offMs" must be whole milliseconds 0-60000');
  }
  // A steady tone (onMs 0), or a cadence repeated while loop is on (else played once).
  const timing = onMs === 0 ? [0] : offMs === 0 ? [onMs as number] : [onMs as number, offMs as number];
  const spec = toneFromTimings(freqs as number[], level - TONE_NOMINAL_DBM0, timing, 'on-first');
  if (!spec.ok) return bad(spec.error.message);
  const once = { ...spec.value, segments: spec.value.segments.map((s) => ({ ...s, once: !loop && onMs !== 0 })) };
  return ok({ kind: 'tone', label: `${(freqs as number[]).join('+')} Hz`, loop, make: () => new ToneSource(once, 8000) });
}

/** A play body: exactly one of `wav`, `tone`, `silence`, with optional `loop`. */
export function parsePlayRequest(body: Record<string, unknown>, files: AudioFiles): Result<PlayRequest> {
  const given = ['wav', 'tone', 'silence'].filter((k) => body[k] !== undefined && body[k] !== false);
  if (given.length !== 1) return bad('give exactly one of "wav", "tone", "silence"');
  if (body.loop !== undefined && typeof body.loop !== 'boolean') return bad('"loop" must be true or false');
  const loop = body.loop === true;
  if (given[0] === 'wav') return wavPlay(body.wav, loop, files);
  if (given[0] === 'tone') return tonePlay(body.tone, loop);
  if (body.silence !== true) return bad('"silence" must be true');
  return ok({ kind: 'silence', label: 'silence', loop: false, make: () => new SilenceSource(8000) });
}

/** A record body: optional `file` (a plain `.wav` name) and `maxSeconds`. */
export function parseRecordRequest(body: Record<string, unknown>): Result<RecordRequest> {
  const file = body.file;
  if (file !== undefined && (typeof file !== 'string' || !/^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}\.wav$/.test(file))) {
    return bad('"file" must be a plain name ending in .wav (letters, digits, _ - .), written to the recordings directory');
  }
  const max = body.maxSeconds ?? DEFAULT_RECORD_S;
  if (typeof max !== 'number' || !(max > 0 && max <= MAX_RECORD_S)) return bad(`"maxSeconds" must be 0-${MAX_RECORD_S}`);
  return ok({ file, maxSeconds: max });
}

export function parseStopWhat(value: unknown): Result<StopWhat> {
  if (value === undefined) return ok('all');
  if (value === 'play' || value === 'record' || value === 'all') return ok(value);
  return bad('"what" must be "play", "record" or "all"');
}

export interface AudioStatus {
  readonly playing: { readonly kind: string; readonly label: string; readonly loop: boolean; readonly ended: boolean } | undefined;
  readonly recording: { readonly file: string | undefined; readonly durationMs: number } | undefined;
  readonly received: ReceivedAudio;
}

export interface StopResult {
  readonly stopped: { readonly play: boolean; readonly record: boolean };
  /** The recording: its path in the data directory, or the WAV itself (base64) when no file was named. */
  readonly recording?: { readonly durationMs: number; readonly file?: string; readonly wav?: string };
}

/**
 * A finished recording: written as `file` under the data directory's `recordings/`, or handed
 * back as a base64 WAV when no file was named (the handset recorder uses it too).
 */
export function saveRecording(rec: WavRecorder, file: string | undefined, files: AudioFiles): Result<NonNullable<StopResult['recording']>> {
  const durationMs = rec.durationMs;
  if (file === undefined) return ok({ durationMs, wav: Buffer.from(rec.toWav()).toString('base64') });
  const dir = join(files.dataDir, RECORDINGS);
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    return failure('AUDIO_WRITE', `audio: cannot create ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const path = join(dir, file);
  const written = writeWavFile(path, rec.samples(), rec.sampleRate);
  if (!written.ok) return written;
  return ok({ durationMs, file: path });
}

/** The user-facing audio of one call; kept per CallMedia (see `callAudio`). */
export class CallAudio {
  private play: PlayRequest | undefined;
  private recorder: { rec: WavRecorder; file: string | undefined; remove: () => void } | undefined;

  constructor(
    private readonly media: CallMedia,
    private readonly files: AudioFiles,
  ) {}

  start(request: PlayRequest): void {
    this.play = request.kind === 'silence' ? undefined : request;
    this.media.play(request.kind === 'silence' ? undefined : request.make());
  }

  record(request: RecordRequest): Result<void> {
    if (this.recorder) return failure('AUDIO_BUSY', 'audio: the call is already being recorded; stop it first');
    const rec = new WavRecorder(this.media.sampleRate === 16000 ? 16000 : 8000, request.maxSeconds);
    this.recorder = { rec, file: request.file, remove: this.media.addSink(rec) };
    return ok(undefined);
  }

  stop(what: StopWhat): Result<StopResult> {
    let play = false;
    if ((what === 'play' || what === 'all') && this.media.playing) {
      this.media.play(undefined);
      this.play = undefined;
      play = true;
    }
    const r = this.recorder;
    if (!r || what === 'play') return ok({ stopped: { play, record: false } });
    r.remove();
    this.recorder = undefined;
    const saved = saveRecording(r.rec, r.file, this.files);
    return saved.ok ? ok({ stopped: { play, record: true }, recording: saved.value }) : saved;
  }

  status(): AudioStatus {
    const p = this.play;
    const source = this.media.playing;
    return {
      playing: p && source ? { kind: p.kind, label: p.label, loop: p.loop, ended: source.ended } : undefined,
      recording: this.recorder ? { file: this.recorder.file, durationMs: this.recorder.rec.durationMs } : undefined,
      received: this.media.received(),
    };
  }
}

const audios = new WeakMap<CallMedia, CallAudio>();

/** The CallAudio of a call's media, made on first use. */
export function callAudio(media: CallMedia, files: AudioFiles): CallAudio {
  let a = audios.get(media);
  if (!a) audios.set(media, (a = new CallAudio(media, files)));
  return a;
}
