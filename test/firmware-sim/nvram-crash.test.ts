// Issue "Device runtime" item 6: SIGKILL a real child process while it writes settings in a loop;
// after restart every setting holds its old or its new value, never a torn or lost one.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Nvram } from '../../firmware-sim/nvram.js';
import { LayeredStore, type StoreSnapshot } from '../../src/settings/layered-store.js';
import { kxUt670Catalogue } from '../../firmware-sim/models/kx-ut670/catalogue.js';
import { NVRAM_TEST_NAMES, SETTINGS_FILE } from '../fixtures/nvram-names.js';

const here = dirname(fileURLToPath(import.meta.url));
const writer = join(here, '..', 'fixtures', 'nvram-writer.ts');

/** Runs the writer until it has completed at least `minWrites` writes plus a random extra, then SIGKILLs it. */
function writeAndKill(dir: string, minWrites: number, extraMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let reported = 0;
    let buffer = '';
    let killScheduled = false;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const line of lines) if (line.includes('=')) reported++;
      if (!killScheduled && reported >= minWrites) {
        killScheduled = true;
        // A real timer is right here: the point is to hit the child at an arbitrary moment.
        setTimeout(() => child.kill('SIGKILL'), extraMs);
      }
    });
    // 'close' comes after stdout is drained, so every report the child wrote is counted.
    child.on('close', (_code, signal) => {
      if (signal !== 'SIGKILL') return reject(new Error(`writer exited without being killed: ${stderr}`));
      if (/^[A-Z0-9_]+=\d+$/.test(buffer)) reported++;
      resolve(reported);
    });
  });
}

/** The values the store holds after `writes` completed single-setting writes. */
function expectedAfter(writes: number): Map<string, string> {
  const m = new Map<string, string>();
  const per = NVRAM_TEST_NAMES.length;
  NVRAM_TEST_NAMES.forEach((name, k) => {
    const times = Math.floor(writes / per) + (k < writes % per ? 1 : 0);
    m.set(name, times === 0 ? '' : `v${times}`);
  });
  return m;
}

describe('NVRAM survives kill -9', () => {
  it('after each SIGKILL the store reloads every setting as its old or new value', async () => {
    const rounds = [
      { minWrites: 50, extraMs: 0 },
      { minWrites: 200, extraMs: 7 },
      { minWrites: 400, extraMs: 23 },
      { minWrites: 100, extraMs: 61 },
    ];
    for (const round of rounds) {
      const dir = mkdtempSync(join(tmpdir(), 'vphone-nvram-'));
      const reported = await writeAndKill(dir, round.minWrites, round.extraMs);
      const opened = Nvram.open(dir);
      expect(opened.ok).toBe(true);
      if (!opened.ok) return;
      const snapshot = opened.value.readJson<StoreSnapshot>(SETTINGS_FILE, (v): v is StoreSnapshot => (v as StoreSnapshot)?.version === 1);
      expect(opened.value.problems).toEqual([]);
      expect(snapshot).toBeDefined();
      const store = new LayeredStore(kxUt670Catalogue, snapshot);
      const actual = new Map(NVRAM_TEST_NAMES.map((n) => [n, store.get(n)]));
      // The kill can land after a write reached the disk but before its report reached us: the
      // state must be exactly the one after `reported` or `reported + 1` writes — old or new.
      const candidates = [reported, reported + 1].map(expectedAfter);
      const matches = candidates.some((c) => [...c].every(([n, v]) => actual.get(n) === v));
      expect(matches, `state after kill at ~${reported} writes: ${JSON.stringify(Object.fromEntries(actual))}`).toBe(true);
      expect(reported).toBeGreaterThanOrEqual(round.minWrites);
      // A temp file may remain from the interrupted write; it never replaces the real one.
      expect(readdirSync(dir).filter((f) => !f.startsWith('.'))).toContain(SETTINGS_FILE);
    }
  }, 60_000);
});
