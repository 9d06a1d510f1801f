// Child processes and temp directories for the real peers (Kamailio, SIPp, dnsmasq).
// Each peer runs in its own process group (detached), so stop() reaches the workers Kamailio forks;
// a process 'exit' hook SIGKILLs every group still alive when the test worker ends, so no peer
// outlives its test file. Output goes to a log file in the peer's temp directory and to a bounded
// in-memory buffer for logs(). Temp directories are deleted on stop unless logs are kept
// (VPHONE_KEEP_PEER_LOGS=1, or a test failed: see peerGroup() in index.ts).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** True when VPHONE_KEEP_PEER_LOGS asks to keep every peer's temp directory. */
export function keepLogsFromEnv(): boolean {
  const value = process.env.VPHONE_KEEP_PEER_LOGS ?? '';
  return value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/** A fresh directory for one peer instance: /tmp/vphone-peer-<name>-XXXXXX. */
export function peerTempDir(name: string): string {
  return mkdtempSync(join(tmpdir(), `vphone-peer-${name}-`));
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` every `intervalMs` until it returns a value other than undefined, or rejects after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() >= deadline) throw new Error(`peers: timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(intervalMs);
  }
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

const MAX_BUFFERED_LOG = 4 * 1024 * 1024;

/** A running child process whose stdout and stderr are captured. */
export class PeerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logFile: string;
  readonly exited: Promise<ExitStatus>;
  private exitStatus: ExitStatus | undefined;
  private readonly chunks: string[] = [];
  private bufferedBytes = 0;
  private readonly log: WriteStream;
  private readonly listeners = new Set<(text: string) => void>();

  constructor(name: string, command: string, args: readonly string[], options: { cwd: string; logFile: string; env?: NodeJS.ProcessEnv }) {
    this.name = name;
    this.logFile = options.logFile;
    this.log = createWriteStream(options.logFile, { flags: 'a' });
    this.log.write(`# ${command} ${args.map((a) => (/[\s'"]/.test(a) ? JSON.stringify(a) : a)).join(' ')}\n`);
    this.child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onData = (data: Buffer): void => {
      const text = data.toString('utf8');
      this.log.write(text);
      if (this.bufferedBytes < MAX_BUFFERED_LOG) {
        this.chunks.push(text);
        this.bufferedBytes += text.length;
      }
      for (const listener of this.listeners) listener(text);
    };
    this.child.stdout?.on('data', onData);
    this.child.stderr?.on('data', onData);
    this.exited = new Promise<ExitStatus>((resolve) => {
      this.child.once('error', (error) => {
        onData(Buffer.from(`\n# spawn error: ${error.message}\n`));
        this.exitStatus = { code: -1, signal: null };
        live.delete(this);
        resolve(this.exitStatus);
      });
      this.child.once('close', (code, signal) => {
        this.exitStatus = { code, signal };
        live.delete(this);
        this.log.end();
        resolve(this.exitStatus);
      });
    });
    live.add(this);
    installExitHook();
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Exit status once the process has ended, else undefined. */
  get status(): ExitStatus | undefined {
    return this.exitStatus;
  }

  /** Everything the process printed so far (first 4 MB). */
  output(): string {
    return this.chunks.join('');
  }

  /** Resolves with the output once `pattern` appears in it; rejects if the process exits first or on timeout. */
  async waitForOutput(pattern: RegExp, timeoutMs: number): Promise<string> {
    if (pattern.test(this.output())) return this.output();
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => finish(new Error(`peers: ${this.name} did not print ${pattern} within ${timeoutMs} ms; log: ${this.logFile}`)), timeoutMs);
      const listener = (): void => {
        if (pattern.test(this.output())) finish(undefined);
      };
      const finish = (error: Error | undefined): void => {
        clearTimeout(timer);
        this.listeners.delete(listener);
        if (error) reject(error);
        else resolve(this.output());
      };
      this.listeners.add(listener);
      void this.exited.then((s) => finish(new Error(`peers: ${this.name} exited (code ${s.code}, signal ${s.signal}) before printing ${pattern}; log: ${this.logFile}`)));
    });
  }

  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves when the process has exited. */
  async stop(graceMs = 2000): Promise<ExitStatus> {
    if (this.exitStatus) return this.exitStatus;
    signalGroup(this, 'SIGTERM');
    const timer = setTimeout(() => signalGroup(this, 'SIGKILL'), graceMs);
    const status = await this.exited;
    clearTimeout(timer);
    // Workers that outlived the group leader (none expected) go too.
    signalGroup(this, 'SIGKILL');
    return status;
  }
}

function signalGroup(peer: PeerProcess, signal: NodeJS.Signals): void {
  const pid = peer.pid;
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

const live = new Set<PeerProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const peer of live) signalGroup(peer, 'SIGKILL');
  });
}

/** Peers still running in this process (for tests of the harness itself). */
export function livePeerCount(): number {
  return live.size;
}

export interface RunResult extends ExitStatus {
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs a short command to completion (kamcmd, ip, unshare); never throws for a non-zero exit. */
export function runCommand(command: string, args: readonly string[], options: { cwd?: string; input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const errOut: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }, options.timeoutMs ?? 10_000);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => errOut.push(d));
    child.once('error', (error) => {
      clearTimeout(timer);
      resolve({ code: -1, signal: null, stdout: '', stderr: error.message, timedOut });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errOut).toString('utf8'), timedOut });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}
