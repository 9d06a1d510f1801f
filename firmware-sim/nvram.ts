// NVRAM: one data directory per device. Every write replaces a whole file atomically
// (src/core/atomic-file.ts), so after a crash or kill -9 each file holds its old or its new
// content. A file that does not parse (hand-edited, disk fault) is set aside, never trusted.
import { mkdirSync, renameSync, rmSync, accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomicSync, readFileIfExists } from '../src/core/atomic-file.js';
import { ok, failure, type Result } from '../src/core/result.js';

export interface NvramProblem {
  readonly file: string;
  readonly message: string;
}

export class Nvram {
  readonly problems: NvramProblem[] = [];

  private constructor(readonly dir: string) {}

  /** Opens (creating if needed) a data directory and checks it is writable. */
  static open(dir: string): Result<Nvram> {
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK | constants.R_OK);
      const nvram = new Nvram(dir);
      nvram.writeText('.probe', 'ok\n');
      return ok(nvram);
    } catch (error) {
      return failure('NVRAM_UNWRITABLE', `data directory ${dir} is not writable: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  }

  path(file: string): string {
    return join(this.dir, file);
  }

  readJson<T>(file: string, isValid: (value: unknown) => value is T): T | undefined {
    const text = readFileIfExists(this.path(file));
    if (text === undefined) return undefined;
    try {
      const value: unknown = JSON.parse(text);
      if (isValid(value)) return value;
      this.quarantine(file, 'unexpected content');
    } catch (error) {
      this.quarantine(file, (error as Error).message);
    }
    return undefined;
  }

  writeJson(file: string, value: unknown): void {
    this.writeText(file, `${JSON.stringify(value, null, 1)}\n`);
  }

  writeText(file: string, text: string): void {
    writeFileAtomicSync(this.path(file), text);
  }

  /** Deletes files or directories of the data directory (factory reset); missing ones are fine. */
  remove(names: readonly string[]): void {
    for (const name of names) rmSync(this.path(name), { recursive: true, force: true });
  }

  private quarantine(file: string, why: string): void {
    const aside = `${file}.bad`;
    try {
      renameSync(this.path(file), this.path(aside));
    } catch {
      /* leave it; it is ignored either way */
    }
    this.problems.push({ file, message: `${file} could not be read (${why}); moved to ${aside}, factory values used` });
  }
}
