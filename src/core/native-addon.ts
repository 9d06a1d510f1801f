// Loading an optional node-gyp addon of native/<name> (G.729 over libbcg729, batched UDP):
// looked for in native/<name>/build/Release/<name>.node above the calling module, so it is
// found from src/ in a checkout and from dist/src/ after `tsc -p tsconfig.build.json`.
// A missing or broken addon is a Result, never a throw: every addon is optional.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { failure, ok, type Result } from './result.js';

/** Paths tried for native/<name>/build/Release/<name>.node, from `fromUrl`'s directory upwards. */
export function addonCandidates(name: string, fromUrl: string): string[] {
  const rel = join('native', name, 'build', 'Release', `${name}.node`);
  const out: string[] = [];
  let dir = dirname(fileURLToPath(fromUrl));
  for (let i = 0; i < 5; i++) {
    out.push(join(dir, rel));
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return out;
}

export interface AddonLoad {
  /** Error code prefix: `${code}_MISSING`, `${code}_LOAD`. */
  code: string;
  /** What it is, for messages ("G.729 addon"). */
  what: string;
  /** The candidate paths (addonCandidates), or one explicit path. */
  candidates: string[];
  /** Whether the loaded module is the expected addon. */
  looksRight(module: unknown): boolean;
}

/** Loads the first candidate that exists. */
export function loadAddon<T>(o: AddonLoad): Result<T> {
  const found = o.candidates.find((p) => existsSync(p));
  if (found === undefined) return failure(`${o.code}_MISSING`, `${o.what} not built (looked for ${o.candidates[0]}; run make deps)`);
  try {
    const module = createRequire(import.meta.url)(found) as unknown;
    if (!o.looksRight(module)) return failure(`${o.code}_LOAD`, `${found} is not the ${o.what}`);
    return ok(module as T);
  } catch (e) {
    return failure(`${o.code}_LOAD`, `cannot load ${found}: ${(e as Error).message}`);
  }
}
