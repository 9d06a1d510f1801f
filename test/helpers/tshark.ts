// tshark for the tests: run it on a capture file, read `-z rtp,streams`, and capture live on lo
// (undefined when this user may not capture).
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function tshark(args: string[]): Promise<string> {
  return (await run('tshark', args, { encoding: 'utf8', maxBuffer: 64 << 20 })).stdout;
}

export interface StreamRow {
  src: string;
  dst: string;
  ssrc: number;
  packets: number;
  lost: number;
  minJitter: number;
  meanJitter: number;
  maxJitter: number;
}

/** Rows of `tshark -q -z rtp,streams`. */
export function parseStreams(text: string): StreamRow[] {
  const rows: StreamRow[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*[\d.]+\s+[\d.]+\s+(\S+)\s+(\d+)\s+(\S+)\s+(\d+)\s+0x([0-9A-Fa-f]+)\s+.*?\s(\d+)\s+(-?\d+)\s+\([^)]*\)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)/.exec(line);
    if (!m) continue;
    rows.push({ src: `${m[1]}:${m[2]}`, dst: `${m[3]}:${m[4]}`, ssrc: parseInt(m[5]!, 16), packets: Number(m[6]), lost: Number(m[7]), minJitter: Number(m[11]), meanJitter: Number(m[12]), maxJitter: Number(m[13]) });
  }
  return rows;
}

export interface LiveCapture {
  /** Stops the capture (SIGINT) and resolves once the file is complete. */
  stop(): Promise<void>;
}

/** `tshark -i lo -f filter -w file`, resolved once capturing; undefined when it cannot capture. */
export async function captureLoopback(filter: string, file: string): Promise<LiveCapture | undefined> {
  const cap = spawn('tshark', ['-i', 'lo', '-f', filter, '-w', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  const started = await new Promise<boolean>((resolve) => {
    let err = '';
    const timer = setTimeout(() => resolve(false), 10_000);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      resolve(ok);
    };
    cap.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      if (/Capturing on/.test(err)) done(true);
    });
    cap.on('exit', () => done(false));
    cap.on('error', () => done(false));
  });
  if (!started) {
    cap.kill();
    return undefined;
  }
  return {
    stop: async () => {
      if (cap.exitCode !== null) return;
      const exited = new Promise((r) => cap.on('exit', r));
      cap.kill('SIGINT');
      await exited;
    },
  };
}
