// Which IP sockets a peer's processes hold, read from /proc (Linux), so tests can prove that every
// peer binds loopback addresses only (never 0.0.0.0 or ::).
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';

export interface SocketInfo {
  protocol: 'udp' | 'tcp' | 'udp6' | 'tcp6';
  /** Local address, e.g. 127.0.0.5 or :: */
  address: string;
  port: number;
  /** TCP state in /proc/net hex (0A = LISTEN); UDP 07. */
  state: string;
  pid: number;
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

/** Pids whose process group is `pgid` (Kamailio forks workers into the group of its main process). */
export function processGroupMembers(pgid: number): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readOr(`/proc/${entry}/stat`, '');
    // Fields after the command name in parentheses: state ppid pgrp ...
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(rest[2]) === pgid) pids.push(Number(entry));
  }
  return pids;
}

function hexToAddress(hex: string, v6: boolean): string {
  if (!v6) return hex.match(/../g)!.reverse().map((b) => parseInt(b, 16)).join('.');
  // IPv6 in /proc/net is four little-endian 32-bit words.
  const words = hex.match(/.{8}/g)!.map((w) => w.match(/../g)!.reverse().join(''));
  const groups = words.join('').match(/.{4}/g)!.map((g) => parseInt(g, 16).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/** IP sockets held by the given processes. */
export function socketsOf(pids: readonly number[]): SocketInfo[] {
  const inodes = new Map<string, number>();
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (m) inodes.set(m[1]!, pid);
      } catch {
        // fd closed meanwhile
      }
    }
  }
  const sockets: SocketInfo[] = [];
  for (const protocol of ['udp', 'tcp', 'udp6', 'tcp6'] as const) {
    const lines = readOr(`/proc/net/${protocol}`, '').split('\n').slice(1);
    for (const line of lines) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10) continue;
      const pid = inodes.get(f[9]!);
      if (pid === undefined) continue;
      const [addrHex, portHex] = f[1]!.split(':') as [string, string];
      sockets.push({ protocol, address: hexToAddress(addrHex, protocol.endsWith('6')), port: parseInt(portHex, 16), state: f[3]!, pid });
    }
  }
  return sockets;
}
