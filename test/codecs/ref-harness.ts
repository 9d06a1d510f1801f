// Builds and runs the C reference harnesses of test/codecs/ref/ (libspandsp, libbcg729) for the
// codec tests and the benchmark. Binaries go to build/ref/ (gitignored) and are rebuilt when the
// source is newer; a build is written to a temporary name and renamed, so parallel test files
// never see half a binary.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const REF_DIR = join(REPO_ROOT, 'test/codecs/ref');
const BUILD_DIR = join(REPO_ROOT, 'build/ref');

/** Compiles `source` (absolute) with gcc -O2 unless an up-to-date binary exists; returns its path. */
export function buildC(source: string, name: string, libs: readonly string[]): string {
  mkdirSync(BUILD_DIR, { recursive: true });
  const bin = join(BUILD_DIR, name);
  if (existsSync(bin) && statSync(bin).mtimeMs >= statSync(source).mtimeMs) return bin;
  const tmp = `${bin}.${process.pid}.tmp`;
  execFileSync('gcc', ['-O2', '-Wall', '-Wextra', '-o', tmp, source, ...libs], { stdio: ['ignore', 'inherit', 'inherit'] });
  renameSync(tmp, bin);
  return bin;
}

export function spandspRef(): string {
  return buildC(join(REF_DIR, 'spandsp-ref.c'), 'spandsp-ref', ['-lspandsp']);
}

export function bcg729Ref(): string {
  return buildC(join(REF_DIR, 'bcg729-ref.c'), 'bcg729-ref', ['-lbcg729']);
}

export const G729_ADDON_DIR = join(REPO_ROOT, 'native/g729');
export const G729_ADDON = join(G729_ADDON_DIR, 'build/Release/g729.node');

/**
 * The G.729 addon, built with node-gyp (npm's bundled copy, Node headers from this Node's
 * prefix, e.g. /usr/include/node) when missing or older than its sources. Throws with the
 * build output if it cannot be built: on this project's machines it must build.
 */
export function ensureG729Addon(): string {
  const sources = ['g729.c', 'binding.gyp'].map((f) => statSync(join(G729_ADDON_DIR, f)).mtimeMs);
  if (existsSync(G729_ADDON) && statSync(G729_ADDON).mtimeMs >= Math.max(...sources)) return G729_ADDON;
  const npmRoot = execFileSync('npm', ['root', '-g'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const nodeGyp = join(npmRoot, 'npm/node_modules/node-gyp/bin/node-gyp.js');
  const nodeDir = dirname(dirname(process.execPath));
  const r = spawnSync(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${nodeDir}`], { cwd: G729_ADDON_DIR, encoding: 'utf8' });
  if (r.status !== 0 || !existsSync(G729_ADDON)) {
    throw new Error(`G.729 addon build failed (node ${nodeGyp} rebuild --nodedir=${nodeDir} in native/g729):\n${r.stdout}\n${r.stderr}`);
  }
  return G729_ADDON;
}

/** Runs a harness with `input` on stdin; returns stdout, throws on a non-zero exit. */
export function runRef(bin: string, args: readonly string[], input: Uint8Array = new Uint8Array(0)): Buffer {
  const r = spawnSync(bin, args, { input, maxBuffer: 1 << 30 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')}: exit ${r.status}: ${r.stderr.toString()}`);
  return r.stdout;
}

/** Views little-endian int16 bytes (as the harnesses write them on x86) as samples. */
export function asInt16(bytes: Buffer): Int16Array {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return new Int16Array(copy.buffer, 0, bytes.length >> 1);
}

export function asBytes(samples: Int16Array): Uint8Array {
  return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
}
