// RIFF/WAVE files: the A12's ring and audio files (9.16, 9.21), prompts to play into calls and
// call recordings. Reads linear PCM (8- or 16-bit), G.711 A-law (format 6) and µ-law (format
// 7), also inside WAVE_FORMAT_EXTENSIBLE, any channel count (mixed down to mono), and converts
// 8 kHz <-> 16 kHz with the half-band resampler. Writes mono 16-bit PCM or G.711.
// A file is untrusted input: every problem is a Result, nothing throws.

import { readFileSync } from 'node:fs';
import { writeFileAtomicSync } from '../core/atomic-file.js';
import type { Result } from '../core/result.js';
import { failure, ok } from '../core/result.js';
import { alawToLinear, linearToAlaw, linearToUlaw, ulawToLinear } from './g711.js';
import { Downsampler16to8, Upsampler8to16 } from './resample.js';

export type WavFormat = 'pcm8' | 'pcm16' | 'alaw' | 'ulaw';

export interface WavAudio {
  readonly sampleRate: number;
  /** Channels in the file (the samples are mixed down to mono). */
  readonly channels: number;
  readonly format: WavFormat;
  /** Mono samples at `sampleRate`. */
  readonly samples: Int16Array;
}

const WAVE_FORMAT_PCM = 1;
const WAVE_FORMAT_ALAW = 6;
const WAVE_FORMAT_MULAW = 7;
const WAVE_FORMAT_EXTENSIBLE = 0xfffe;
const MAX_CHANNELS = 8;

function bad(code: string, message: string): { readonly ok: false; readonly error: { code: string; message: string } } {
  return failure(code, `wav: ${message}`);
}

function tag(b: Uint8Array, at: number): string {
  return String.fromCharCode(b[at]!, b[at + 1]!, b[at + 2]!, b[at + 3]!);
}

interface Fmt {
  format: WavFormat;
  channels: number;
  sampleRate: number;
  blockAlign: number;
}

function parseFmt(view: DataView, at: number, size: number): Result<Fmt> {
  if (size < 16) return bad('WAV_BAD_FMT', `fmt chunk of ${size} bytes (at least 16)`);
  let code = view.getUint16(at, true);
  const channels = view.getUint16(at + 2, true);
  const sampleRate = view.getUint32(at + 4, true);
  const blockAlign = view.getUint16(at + 12, true);
  const bits = view.getUint16(at + 14, true);
  if (code === WAVE_FORMAT_EXTENSIBLE) {
    if (size < 40) return bad('WAV_BAD_FMT', `WAVE_FORMAT_EXTENSIBLE fmt chunk of ${size} bytes (needs 40)`);
    code = view.getUint16(at + 24, true); // first two bytes of the SubFormat GUID
  }
  if (channels < 1 || channels > MAX_CHANNELS) return bad('WAV_UNSUPPORTED', `${channels} channels (1-${MAX_CHANNELS})`);
  if (sampleRate < 1000 || sampleRate > 384000) return bad('WAV_UNSUPPORTED', `sample rate ${sampleRate} Hz`);
  let format: WavFormat;
  if (code === WAVE_FORMAT_PCM && bits === 16) format = 'pcm16';
  else if (code === WAVE_FORMAT_PCM && bits === 8) format = 'pcm8';
  else if (code === WAVE_FORMAT_ALAW && bits === 8) format = 'alaw';
  else if (code === WAVE_FORMAT_MULAW && bits === 8) format = 'ulaw';
  else return bad('WAV_UNSUPPORTED', `format ${code} with ${bits} bits per sample (PCM 8/16-bit, A-law, µ-law only)`);
  const bytesPerSample = format === 'pcm16' ? 2 : 1;
  if (blockAlign !== channels * bytesPerSample) return bad('WAV_BAD_FMT', `block align ${blockAlign}, expected ${channels * bytesPerSample}`);
  return ok({ format, channels, sampleRate, blockAlign });
}

/** Parses a WAV file into mono samples at the file's own rate. */
export function parseWav(bytes: Uint8Array): Result<WavAudio> {
  if (bytes.length < 12) return bad('WAV_TRUNCATED', `${bytes.length} bytes is too short for a RIFF header`);
  if (tag(bytes, 0) !== 'RIFF') return bad('WAV_NOT_RIFF', tag(bytes, 0) === 'RIFX' ? 'big-endian RIFX is not supported' : 'no RIFF header');
  if (tag(bytes, 8) !== 'WAVE') return bad('WAV_NOT_WAVE', `RIFF form ${JSON.stringify(tag(bytes, 8))} is not WAVE`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The RIFF size is often wrong in the wild (streamed writers); chunks are walked to the end of
  // the bytes, and only the data chunk's own size must fit.
  let at = 12;
  let fmt: Fmt | undefined;
  while (at + 8 <= bytes.length) {
    const id = tag(bytes, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (body + size > bytes.length) return bad('WAV_TRUNCATED', `fmt chunk of ${size} bytes runs past the end of the file`);
      const f = parseFmt(view, body, size);
      if (!f.ok) return f;
      fmt = f.value;
    } else if (id === 'data') {
      if (fmt === undefined) return bad('WAV_BAD_FMT', 'data chunk before the fmt chunk');
      if (body + size > bytes.length) return bad('WAV_TRUNCATED', `data chunk of ${size} bytes but only ${bytes.length - body} in the file`);
      if (size % fmt.blockAlign !== 0) return bad('WAV_TRUNCATED', `data chunk of ${size} bytes is not a whole number of ${fmt.blockAlign}-byte frames`);
      return ok({ sampleRate: fmt.sampleRate, channels: fmt.channels, format: fmt.format, samples: decodeFrames(view, body, size / fmt.blockAlign, fmt) });
    } else if (body + size > bytes.length) {
      return bad('WAV_TRUNCATED', `${JSON.stringify(id)} chunk of ${size} bytes runs past the end of the file`);
    }
    at = body + size + (size & 1); // chunks are padded to even sizes
  }
  if (at < bytes.length) return bad('WAV_TRUNCATED', `file ends inside a chunk header at byte ${at}`);
  return bad(fmt === undefined ? 'WAV_BAD_FMT' : 'WAV_NO_DATA', fmt === undefined ? 'no fmt chunk' : 'no data chunk');
}

function decodeFrames(view: DataView, at: number, frames: number, fmt: Fmt): Int16Array {
  const out = new Int16Array(frames);
  const ch = fmt.channels;
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < ch; c++) {
      const p = at + i * fmt.blockAlign + c * (fmt.format === 'pcm16' ? 2 : 1);
      switch (fmt.format) {
        case 'pcm16':
          sum += view.getInt16(p, true);
          break;
        case 'pcm8':
          sum += (view.getUint8(p) - 128) << 8;
          break;
        case 'alaw':
          sum += alawToLinear(view.getUint8(p));
          break;
        case 'ulaw':
          sum += ulawToLinear(view.getUint8(p));
          break;
      }
    }
    // Downmix: the average of the channels (no clipping possible).
    out[i] = ch === 1 ? sum : Math.round(sum / ch);
  }
  return out;
}

/** 8 kHz → 16 kHz for a whole signal: the resampler's 31-sample delay is removed. */
export function upsampleWhole(samples: Int16Array): Int16Array {
  const up = new Upsampler8to16();
  const padded = new Int16Array(samples.length + 16);
  padded.set(samples);
  const out = new Int16Array(2 * padded.length);
  up.process(padded, out);
  return out.slice(31, 31 + 2 * samples.length);
}

/** 16 kHz → 8 kHz for a whole signal: the resampler's 15-sample delay is removed. */
export function downsampleWhole(samples: Int16Array): Int16Array {
  const down = new Downsampler16to8();
  const half = Math.ceil(samples.length / 2);
  const padded = new Int16Array(2 * (half + 16));
  padded.set(samples);
  const out = new Int16Array(padded.length / 2);
  down.process(padded, out);
  return out.slice(15, 15 + half);
}

/**
 * Reads a WAV file into mono samples at `targetRate` (8000 or 16000). The file must be at
 * 8 or 16 kHz (the rates the resampler converts between); without a target the file's rate is kept.
 */
export function decodeWav(bytes: Uint8Array, targetRate?: 8000 | 16000): Result<{ sampleRate: number; samples: Int16Array; source: WavAudio }> {
  const parsed = parseWav(bytes);
  if (!parsed.ok) return parsed;
  const w = parsed.value;
  const rate = targetRate ?? w.sampleRate;
  if (w.sampleRate === rate) return ok({ sampleRate: rate, samples: w.samples, source: w });
  if (w.sampleRate === 8000 && rate === 16000) return ok({ sampleRate: rate, samples: upsampleWhole(w.samples), source: w });
  if (w.sampleRate === 16000 && rate === 8000) return ok({ sampleRate: rate, samples: downsampleWhole(w.samples), source: w });
  return bad('WAV_UNSUPPORTED_RATE', `cannot convert ${w.sampleRate} Hz to ${rate} Hz (8000 and 16000 Hz files only)`);
}

/** A mono WAV file of `samples` at `sampleRate` in `format` (16-bit PCM by default). */
export function encodeWav(samples: Int16Array, sampleRate: number, format: WavFormat = 'pcm16'): Uint8Array {
  if (!Number.isInteger(sampleRate) || sampleRate < 1000) throw new RangeError(`wav: sample rate ${sampleRate}`);
  const bytesPerSample = format === 'pcm16' ? 2 : 1;
  const dataBytes = samples.length * bytesPerSample;
  const pad = dataBytes & 1;
  const fmtSize = format === 'pcm16' || format === 'pcm8' ? 16 : 18; // non-PCM formats carry cbSize
  const total = 12 + 8 + fmtSize + 8 + dataBytes + pad;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  const put = (at: number, s: string): void => {
    for (let i = 0; i < 4; i++) out[at + i] = s.charCodeAt(i);
  };
  put(0, 'RIFF');
  view.setUint32(4, total - 8, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  view.setUint32(16, fmtSize, true);
  const code = format === 'alaw' ? WAVE_FORMAT_ALAW : format === 'ulaw' ? WAVE_FORMAT_MULAW : WAVE_FORMAT_PCM;
  view.setUint16(20, code, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * bytesPerSample, true);
  view.setUint16(32, bytesPerSample, true);
  view.setUint16(34, bytesPerSample * 8, true);
  if (fmtSize === 18) view.setUint16(36, 0, true);
  const dataAt = 20 + fmtSize;
  put(dataAt, 'data');
  view.setUint32(dataAt + 4, dataBytes, true);
  const body = dataAt + 8;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i]!;
    switch (format) {
      case 'pcm16':
        view.setInt16(body + 2 * i, s, true);
        break;
      case 'pcm8':
        out[body + i] = Math.max(0, Math.min(255, Math.round(s / 256) + 128));
        break;
      case 'alaw':
        out[body + i] = linearToAlaw(s);
        break;
      case 'ulaw':
        out[body + i] = linearToUlaw(s);
        break;
    }
  }
  return out;
}

/** Reads and decodes a WAV file; I/O errors become WAV_IO. */
export function readWavFile(path: string, targetRate?: 8000 | 16000): Result<{ sampleRate: number; samples: Int16Array; source: WavAudio }> {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    return bad('WAV_IO', `cannot read ${path}: ${(e as Error).message}`);
  }
  return decodeWav(bytes, targetRate);
}

/** Writes a mono WAV file atomically (src/core/atomic-file.ts); I/O errors become WAV_IO. */
export function writeWavFile(path: string, samples: Int16Array, sampleRate: number, format: WavFormat = 'pcm16'): Result<void> {
  try {
    writeFileAtomicSync(path, encodeWav(samples, sampleRate, format));
    return ok(undefined);
  } catch (e) {
    return bad('WAV_IO', `cannot write ${path}: ${(e as Error).message}`);
  }
}
