// Run a command in a fresh network namespace that has nothing but loopback (`unshare --net`, then
// `ip link set lo up`). RFC 4475 torture messages and other fixtures name example.com, 192.0.2.x
// and real-looking hosts; a phone fed them inside the namespace has no route to anywhere, so no
// packet can leave the machine whatever the message says. The file system is shared, so the
// command can be `node`, `tsx` or a vitest child working on the checkout.
import { existsSync } from 'node:fs';
import { runCommand } from './process.js';
import type { RunResult } from './process.js';

export const UNSHARE_BINARY = '/usr/bin/unshare';
const IP_BINARIES = ['/usr/sbin/ip', '/sbin/ip', '/usr/bin/ip', '/bin/ip'];

export interface NetnsRunOptions {
  command: string;
  args?: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Written to the command's stdin. */
  input?: string;
  /** Default 30 s; the whole namespace's process group is killed when it expires. */
  timeoutMs?: number;
}

function ipBinary(): string | undefined {
  return IP_BINARIES.find((p) => existsSync(p));
}

/** unshare arguments: root creates the namespace directly; others need a user namespace (-r). */
function unshareArgs(): string[] {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  return root ? ['--net'] : ['--net', '--map-root-user'];
}

let probed: string | undefined | null = null;

/** Why a network namespace cannot be created here (util-linux unshare, iproute2, privileges), or undefined. */
export async function netnsUnavailable(): Promise<string | undefined> {
  if (probed !== null) return probed;
  if (!existsSync(UNSHARE_BINARY)) probed = `${UNSHARE_BINARY} is missing (Debian package util-linux)`;
  else if (!ipBinary()) probed = 'the ip command is missing (Debian package iproute2)';
  else {
    const result = await runCommand(UNSHARE_BINARY, [...unshareArgs(), '--', ipBinary()!, 'link', 'set', 'lo', 'up'], { timeoutMs: 5000 });
    probed = result.code === 0 ? undefined : `unshare --net failed (${result.code}): ${result.stderr.trim()} (needs root, or unprivileged user namespaces)`;
  }
  return probed;
}

/**
 * Runs `command args` inside a new network namespace with only `lo` (up), to completion, and
 * returns its exit status and output. Never throws for a non-zero exit.
 */
export async function runInNetns(options: NetnsRunOptions): Promise<RunResult> {
  const unavailable = await netnsUnavailable();
  if (unavailable) throw new Error(`netns: cannot run: ${unavailable}`);
  // sh brings lo up, then replaces itself with the command ("$0" "$@" keep the arguments intact).
  const script = `${ipBinary()!} link set lo up && exec "$0" "$@"`;
  return runCommand(UNSHARE_BINARY, [...unshareArgs(), '--', '/bin/sh', '-c', script, options.command, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: options.env,
    input: options.input,
    timeoutMs: options.timeoutMs ?? 30_000,
  });
}

/** Runs a Node.js script (a .ts file goes through tsx) inside the namespace. */
export function runNodeInNetns(script: string, args: readonly string[] = [], options: Omit<NetnsRunOptions, 'command' | 'args'> = {}): Promise<RunResult> {
  const loader = script.endsWith('.ts') || script.endsWith('.mts') ? ['--import', 'tsx'] : [];
  return runInNetns({ ...options, command: process.execPath, args: [...loader, script, ...args] });
}

/** Runs JavaScript source (an ES module) with `node --input-type=module -e` inside the namespace. */
export function runNodeCodeInNetns(source: string, options: Omit<NetnsRunOptions, 'command' | 'args'> = {}): Promise<RunResult> {
  return runInNetns({ ...options, command: process.execPath, args: ['--input-type=module', '-e', source] });
}
