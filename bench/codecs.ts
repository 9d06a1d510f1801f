// Codec benchmark: our TypeScript G.711, G.722 and G.726, the G.729A addon and Opus (libopus 1.4 in
// wasm) against the reference C libraries (libspandsp, libbcg729, Debian's native libopus) called
// from bench/codecs-ref.c, on the same 10 s of speech-like audio, in the same 20 ms packets, in
// the same run.
//
//   npx tsx bench/codecs.ts [--runs N] [--json]
//
// Speed is "× real time per core": seconds of audio processed per second of time on one core,
// the median of N runs (default 5), by wall clock and by CPU time. "exact" compares a checksum
// of the last pass's output with the C side's (the tests prove bit-exactness in full); for Opus it
// is "n/a": the wasm build is libopus 1.4, Debian's is 1.3.1, and their encoders differ (the
// decoders agree to within rounding, test/codecs/opus.test.ts). Opus runs at 16 kHz, VOIP,
// 20 kbit/s, complexity 5 on both sides, as a wideband A12 call does.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AudioCodec } from '../src/codecs/codec.js';
import { PCMA, PCMU } from '../src/codecs/g711.js';
import { G722 } from '../src/codecs/g722.js';
import { G726_32 } from '../src/codecs/g726.js';
import { loadG729 } from '../src/codecs/g729.js';
import { loadOpus } from '../src/codecs/opus.js';
import { REPO_ROOT, buildC, ensureG729Addon } from '../test/codecs/ref-harness.js';
import { speechLike } from '../test/codecs/signals.js';

const args = process.argv.slice(2);
const runsArg = args.indexOf('--runs');
const RUNS = runsArg >= 0 ? Number(args[runsArg + 1]) : 5;
const JSON_OUT = args.includes('--json');
const SECONDS = 10;

interface Timing {
  wallNs: number;
  cpuNs: number;
}

let fnv = 0;
function hash(bytes: Uint8Array): void {
  let h = fnv;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 16777619) >>> 0;
  fnv = h;
}
const bytesOf = (x: Int16Array): Uint8Array => new Uint8Array(x.buffer, x.byteOffset, x.byteLength);

/** A benchmark case: `run(reps)` processes the 10 s input `reps` times with fresh codec state. */
interface Case {
  name: string;
  op: string;
  input: Uint8Array;
  reps: number;
  /** False when our output cannot equal the C side's (another version of the codec). */
  comparable?: boolean;
  /** Extra arguments of the C op (G.726: rate and packing). */
  args?: readonly string[];
  run(reps: number): void;
}

function g711Case(codec: AudioCodec, op: string, pcm: Int16Array, reps: number): Case {
  return {
    name: `G.711 ${codec === PCMA ? 'A-law' : 'µ-law'} encode+decode`,
    op,
    input: bytesOf(pcm),
    reps,
    run(n) {
      const enc = codec.createEncoder();
      const dec = codec.createDecoder();
      const bytes = new Uint8Array(160);
      const out = new Int16Array(160);
      const outBytes = bytesOf(out);
      for (let r = 0; r < n; r++) {
        const last = r === n - 1;
        for (let i = 0; i + 160 <= pcm.length; i += 160) {
          const k = enc.encode(pcm.subarray(i, i + 160), bytes);
          dec.decode(bytes.subarray(0, k), out);
          if (last) {
            hash(bytes);
            hash(outBytes);
          }
        }
      }
    },
  };
}

function encodeCase(name: string, op: string, codec: AudioCodec, pcm: Int16Array, packet: number, reps: number): Case {
  return {
    name,
    op,
    input: bytesOf(pcm),
    reps,
    run(n) {
      const enc = codec.createEncoder({ vad: false });
      const bytes = new Uint8Array(codec.maxEncodedBytes(packet));
      for (let r = 0; r < n; r++) {
        const last = r === n - 1;
        for (let i = 0; i + packet <= pcm.length; i += packet) {
          const k = enc.encode(pcm.subarray(i, i + packet), bytes);
          if (last) hash(bytes.subarray(0, k));
        }
      }
      enc.close?.();
    },
  };
}

function decodeCase(name: string, op: string, codec: AudioCodec, bits: Uint8Array, packet: number, reps: number): Case {
  return {
    name,
    op,
    input: bits,
    reps,
    run(n) {
      const dec = codec.createDecoder();
      const out = new Int16Array(codec.maxDecodedSamples(packet));
      const outBytes = bytesOf(out);
      for (let r = 0; r < n; r++) {
        const last = r === n - 1;
        for (let i = 0; i + packet <= bits.length; i += packet) {
          const k = dec.decode(bits.subarray(i, i + packet), out);
          if (last) hash(outBytes.subarray(0, k * 2));
        }
      }
    },
  };
}

/** Opus packets as one buffer of records: u16le length, then the packet (codecs-ref.c opus-dec). */
function opusRecords(codec: AudioCodec, pcm: Int16Array): Uint8Array {
  const enc = codec.createEncoder();
  const buf = new Uint8Array(codec.maxEncodedBytes(320));
  const parts: Uint8Array[] = [];
  for (let i = 0; i + 320 <= pcm.length; i += 320) {
    const n = enc.encode(pcm.subarray(i, i + 320), buf);
    parts.push(Uint8Array.of(n & 0xff, n >> 8), buf.slice(0, n));
  }
  enc.close?.();
  return Buffer.concat(parts);
}

function opusDecodeCase(codec: AudioCodec, records: Uint8Array, reps: number): Case {
  return {
    name: 'Opus decode (16 kHz, wasm)',
    op: 'opus-dec',
    input: records,
    reps,
    comparable: false,
    run(n) {
      const dec = codec.createDecoder();
      const out = new Int16Array(codec.maxDecodedSamples(0));
      const outBytes = bytesOf(out);
      for (let r = 0; r < n; r++) {
        for (let i = 0; i + 2 <= records.length; ) {
          const len = records[i]! | (records[i + 1]! << 8);
          const k = dec.decode(records.subarray(i + 2, i + 2 + len), out);
          if (r === n - 1 && k > 0) hash(outBytes.subarray(0, k * 2));
          i += 2 + len;
        }
      }
      dec.close?.();
    },
  };
}

function timeTs(c: Case): { timings: Timing[]; checksum: number } {
  c.run(c.reps); // warm-up: let the JIT compile the hot loops
  const timings: Timing[] = [];
  for (let i = 0; i < RUNS; i++) {
    fnv = 2166136261;
    const cpu0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    c.run(c.reps);
    const t1 = process.hrtime.bigint();
    const cpu = process.cpuUsage(cpu0);
    timings.push({ wallNs: Number(t1 - t0), cpuNs: (cpu.user + cpu.system) * 1000 });
  }
  return { timings, checksum: fnv };
}

function timeC(bin: string, dir: string, c: Case): { timings: Timing[]; checksum: number } {
  const file = join(dir, `${c.op}.raw`);
  writeFileSync(file, c.input);
  const out = execFileSync(bin, [c.op, file, String(c.reps), String(RUNS), ...(c.args ?? [])], { encoding: 'utf8' });
  const timings: Timing[] = [];
  let checksum = -1;
  for (const line of out.trim().split('\n')) {
    const f = line.split(' ');
    if (f[0] === 'run') timings.push({ wallNs: Number(f[2]), cpuNs: Number(f[3]) });
    if (f[0] === 'checksum') checksum = parseInt(f[1]!, 16);
  }
  return { timings, checksum };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** × real time: audio seconds per second of (wall or CPU) time, median over runs. */
function realTime(c: Case, timings: Timing[], key: keyof Timing): number {
  return median(timings.map((t) => (SECONDS * c.reps) / (t[key] / 1e9)));
}

function main(): void {
  const bin = buildC(join(REPO_ROOT, 'bench/codecs-ref.c'), 'codecs-bench', ['-lspandsp', '-lbcg729', '-lopus']);
  ensureG729Addon();
  const g729 = loadG729();
  if (!g729.ok) throw new Error(g729.error.message);
  const G729 = g729.value;
  const opus = loadOpus({ sampleRate: 16000, bitrate: 20000, complexity: 5 });
  if (!opus.ok) throw new Error(opus.error.message);
  const OPUS = opus.value;

  const pcm8 = speechLike(8000, SECONDS, 101);
  const pcm16 = speechLike(16000, SECONDS, 101);
  const g722Bits = new Uint8Array(pcm16.length / 2);
  G722.encode(pcm16, g722Bits);
  const g726Bits = new Uint8Array(pcm8.length / 2);
  G726_32.encode(pcm8, g726Bits);
  const g729Bits = new Uint8Array(pcm8.length / 8);
  G729.createEncoder({ vad: false }).encode(pcm8, g729Bits);

  const cases: Case[] = [
    g711Case(PCMA, 'pcma-encdec', pcm8, 100),
    g711Case(PCMU, 'pcmu-encdec', pcm8, 100),
    encodeCase('G.722 encode (64 kbit/s)', 'g722-enc', G722, pcm16, 320, 10),
    decodeCase('G.722 decode (64 kbit/s)', 'g722-dec', G722, g722Bits, 160, 10),
    { ...encodeCase('G.726-32 encode', 'g726-enc', G726_32, pcm8, 160, 10), args: ['32000', 'right'] },
    { ...decodeCase('G.726-32 decode', 'g726-dec', G726_32, g726Bits, 80, 10), args: ['32000', 'right'] },
    encodeCase('G.729A encode (addon)', 'g729-enc', G729, pcm8, 160, 3),
    decodeCase('G.729A decode (addon)', 'g729-dec', G729, g729Bits, 20, 10),
    { ...encodeCase('Opus encode (16 kHz, wasm)', 'opus-enc', OPUS, pcm16, 320, 1), comparable: false },
    opusDecodeCase(OPUS, opusRecords(OPUS, pcm16), 3),
  ];

  const dir = mkdtempSync(join(tmpdir(), 'codecs-bench-'));
  const rows = [];
  try {
    for (const c of cases) {
      const ref = timeC(bin, dir, c);
      const ours = timeTs(c);
      const row = {
        codec: c.name,
        oursWall: realTime(c, ours.timings, 'wallNs'),
        cWall: realTime(c, ref.timings, 'wallNs'),
        oursCpu: realTime(c, ours.timings, 'cpuNs'),
        cCpu: realTime(c, ref.timings, 'cpuNs'),
        exact: c.comparable === false ? undefined : ours.checksum === ref.checksum,
      };
      rows.push({ ...row, ratioWall: row.oursWall / row.cWall, ratioCpu: row.oursCpu / row.cCpu });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  if (JSON_OUT) {
    console.log(JSON.stringify({ runs: RUNS, audioSeconds: SECONDS, rows }, null, 2));
    return;
  }
  const x = (v: number): string => `${Math.round(v).toLocaleString('en-US')}×`;
  console.log(`codecs: × real time per core, median of ${RUNS} runs, ${SECONDS} s of speech-like audio in 20 ms packets`);
  console.log(
    ['codec'.padEnd(30), 'ours (wall)', 'C (wall)', 'ours/C', 'ours (cpu)', 'C (cpu)', 'ours/C', 'exact']
      .map((h, i) => (i === 0 ? h : h.padStart(12)))
      .join(''),
  );
  for (const r of rows) {
    console.log(
      [
        r.codec.padEnd(30),
        x(r.oursWall).padStart(12),
        x(r.cWall).padStart(12),
        r.ratioWall.toFixed(2).padStart(12),
        x(r.oursCpu).padStart(12),
        x(r.cCpu).padStart(12),
        r.ratioCpu.toFixed(2).padStart(12),
        (r.exact === undefined ? 'n/a' : r.exact ? 'yes' : 'NO').padStart(12),
      ].join(''),
    );
  }
}

main();
