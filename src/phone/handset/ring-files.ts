// Ring files of the A12 (9.5 "Upgrade the ringtone, support wav and MP3 format"): uploaded WAV
// files kept in the device's data directory (NVRAM) under `ringtones/`, played by the ringer when
// a ring type names them (9.12 Ring Type, 9.16 Default Ring Type / Alert Info Ring). A file is
// untrusted input: it is checked as a WAV (src/codecs/wav.ts) before it is stored.
// DEVIATION: MP3 files are not decoded (refused with a clear reason), and a WAV must be at 8 or
// 16 kHz (the rates the emulator's resampler converts between).
import { mkdirSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../../core/atomic-file.js';
import { failure, ok, type Result } from '../../core/result.js';
import { decodeWav, readWavFile, type WavAudio, type WavFormat } from '../../codecs/wav.js';

export const RING_DIR = 'ringtones';
/** Largest ring file accepted: two minutes of 16 kHz 16-bit PCM, with room for headers. */
export const MAX_RING_BYTES = 4 * 1024 * 1024;
/** A ring file name as the A12 catalogue accepts it (catalogue-helpers.ts RING_FILE). */
const RING_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,58}\.(?:wav|mp3)$/;

export interface RingFileInfo {
  readonly name: string;
  readonly sampleRate: number;
  readonly channels: number;
  readonly format: WavFormat;
  readonly durationMs: number;
  readonly bytes: number;
}

/** The file name of an upload: `door.wav`, or a bare number N for `N.wav` (ring type N). */
export function ringFileName(name: string): Result<string> {
  const full = /^[0-9]{1,2}$/.test(name) ? `${name}.wav` : name;
  if (!RING_NAME.test(full)) return failure('RINGTONE_BAD_NAME', `ringtone: "${name}" is not a ring file name (letters, digits, _ . -, ending in .wav; or a ring type number)`);
  if (full.toLowerCase().endsWith('.mp3')) return failure('RINGTONE_UNSUPPORTED', 'ringtone: MP3 ring files are not decoded by the emulator; upload a WAV file');
  return ok(full);
}

/** Checks an upload: a WAV the ringer can play (PCM 8/16-bit or G.711, 8 or 16 kHz, not empty). */
export function checkRingFile(name: string, bytes: Uint8Array): Result<RingFileInfo> {
  if (bytes.length > MAX_RING_BYTES) return failure('RINGTONE_TOO_LARGE', `ringtone: ${bytes.length} bytes, at most ${MAX_RING_BYTES}`);
  const decoded = decodeWav(bytes);
  if (!decoded.ok) return failure('RINGTONE_BAD_WAV', `ringtone: not a playable WAV file (${decoded.error.message})`);
  const w = decoded.value.source;
  if (w.sampleRate !== 8000 && w.sampleRate !== 16000) return failure('RINGTONE_BAD_WAV', `ringtone: ${w.sampleRate} Hz; ring files must be 8000 or 16000 Hz`);
  if (w.samples.length === 0) return failure('RINGTONE_BAD_WAV', 'ringtone: the WAV file holds no samples');
  return ok(infoOf(name, w, bytes.length));
}

function infoOf(name: string, w: WavAudio, bytes: number): RingFileInfo {
  return { name, sampleRate: w.sampleRate, channels: w.channels, format: w.format, durationMs: Math.round((w.samples.length * 1000) / w.sampleRate), bytes };
}

/** Stores a checked ring file (atomically, replacing one of the same name). */
export function saveRingFile(dataDir: string, name: string, bytes: Uint8Array): Result<RingFileInfo> {
  const checked = checkRingFile(name, bytes);
  if (!checked.ok) return checked;
  try {
    mkdirSync(join(dataDir, RING_DIR), { recursive: true });
    writeFileAtomicSync(join(dataDir, RING_DIR, name), bytes);
  } catch (e) {
    return failure('RINGTONE_IO', `ringtone: cannot store ${name}: ${(e as Error).message}`);
  }
  return checked;
}

/** The stored ring files, by name. */
export function listRingFiles(dataDir: string): RingFileInfo[] {
  let names: string[];
  try {
    names = readdirSync(join(dataDir, RING_DIR)).filter((n) => RING_NAME.test(n)).sort();
  } catch {
    return [];
  }
  const out: RingFileInfo[] = [];
  for (const n of names) {
    const r = readWavFile(join(dataDir, RING_DIR, n));
    if (!r.ok) continue;
    out.push(infoOf(n, r.value.source, statSync(join(dataDir, RING_DIR, n)).size));
  }
  return out;
}

/** Removes a stored ring file; false when there was none. */
export function deleteRingFile(dataDir: string, name: string): boolean {
  try {
    unlinkSync(join(dataDir, RING_DIR, name));
    cache.delete(join(dataDir, RING_DIR, name));
    return true;
  } catch {
    return false;
  }
}

/** Decoded ring files by path (the oldest dropped beyond CACHE_SIZE). */
const cache = new Map<string, { stamp: string; rate: number; samples: Int16Array }>();
const CACHE_SIZE = 64;

/**
 * The samples of stored ring file `name` at `rate`, or undefined when there is none (or it no
 * longer decodes). Decoded once per file version (size and modification time).
 */
export function ringFileSamples(dataDir: string, name: string, rate: 8000 | 16000): Int16Array | undefined {
  if (!RING_NAME.test(name)) return undefined;
  const path = join(dataDir, RING_DIR, name);
  let stamp: string;
  try {
    const s = statSync(path);
    stamp = `${s.size}:${s.mtimeMs}`;
  } catch {
    cache.delete(path);
    return undefined;
  }
  const hit = cache.get(path);
  if (hit && hit.stamp === stamp && hit.rate === rate) return hit.samples;
  const r = readWavFile(path, rate);
  if (!r.ok || r.value.samples.length === 0) return undefined;
  cache.delete(path);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(path, { stamp, rate, samples: r.value.samples });
  return r.value.samples;
}
