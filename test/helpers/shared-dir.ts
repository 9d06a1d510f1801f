// Where the workplace's shared reference material lives (../shared next to the checkout: the
// manuals' catalog tables and the RFC 4475 corpus). A clone elsewhere finds it through
// VPHONE_SHARED, or at /work/shared where the workplace keeps it.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function sharedDir(): string {
  const candidates = [process.env.VPHONE_SHARED, join(repoRoot, '..', 'shared'), '/work/shared'].filter((d): d is string => d !== undefined && d !== '');
  const found = candidates.find((d) => existsSync(join(d, 'catalog')));
  if (!found) throw new Error(`shared reference material not found (tried ${candidates.join(', ')}); set VPHONE_SHARED`);
  return found;
}

export function sharedPath(...parts: string[]): string {
  return join(sharedDir(), ...parts);
}
