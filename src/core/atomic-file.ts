// Crash-safe file replacement: write a temp file beside the target, fsync it, rename it over the
// target, fsync the directory. After a crash (even kill -9) the target holds the old or the new
// content, never a mix; a stale temp file is simply ignored and overwritten next time.
import { openSync, writeSync, fsyncSync, closeSync, renameSync, unlinkSync, readFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

export function writeFileAtomicSync(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.tmp`);
  const fd = openSync(tmp, 'w', 0o600);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    try {
      unlinkSync(tmp);
    } catch {
      /* already gone */
    }
    throw error;
  }
  closeSync(fd);
  renameSync(tmp, path);
  fsyncDir(dir);
}

export function readFileIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on directories; the rename itself is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
