// Loopback addresses and free ports for the real peers the interop tests start (docs/testing-with-peers.md).
// Everything binds an explicit 127.0.0.0/8 address, never 0.0.0.0 or ::.
// Ports are checked by bind-and-release on both UDP and TCP; the check is racy by nature (another process
// may take the port before the peer binds it), so the peer starters retry on a bind failure, and ports
// are drawn at random below the kernel's ephemeral range (32768-60999) to avoid the ports it hands out
// for outgoing connections. Two vitest workers run at once: random addresses and ports keep them apart,
// and `reservedInThisProcess` keeps one worker from handing out the same port twice.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

export type Protocol = 'udp' | 'tcp';

/** Default range for random ports: below the Linux ephemeral range, above well-known services. */
export const PORT_RANGE = { min: 20000, max: 32000 } as const;

const reservedInThisProcess = new Set<string>();

/** Throws unless `address` is an IPv4 address in 127.0.0.0/8 (the harness never binds anything else). */
export function assertLoopback(address: string): void {
  const parts = address.split('.');
  const valid = parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
  if (!valid || parts[0] !== '127') throw new Error(`peers: ${address} is not an IPv4 loopback address (127.0.0.0/8)`);
}

function randomInt(min: number, max: number): number {
  return min + Math.floor(Math.random() * (max - min + 1));
}

/**
 * A random address 127.0.0.2-127.0.0.250, so that peers started by parallel test files rarely share an
 * address (127.0.0.1 is left to code that binds it by default). The whole of 127/8 reaches `lo` on Linux.
 */
export function loopbackAddress(): string {
  return `127.0.0.${randomInt(2, 250)}`;
}

function canBindUdp(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createSocket({ type: 'udp4', reuseAddr: false });
    socket.once('error', () => {
      socket.close();
      resolve(false);
    });
    socket.bind({ address, port, exclusive: true }, () => socket.close(() => resolve(true)));
  });
}

function canBindTcp(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: address, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** True when `port` can be bound right now on `address` for every protocol in `protocols`. */
export async function isPortFree(address: string, port: number, protocols: readonly Protocol[] = ['udp', 'tcp']): Promise<boolean> {
  assertLoopback(address);
  for (const protocol of protocols) {
    const free = protocol === 'udp' ? await canBindUdp(address, port) : await canBindTcp(address, port);
    if (!free) return false;
  }
  return true;
}

export interface PortOptions {
  /** Protocols the port must be free for; default both UDP and TCP (a SIP listener uses both). */
  protocols?: readonly Protocol[];
  /** Ports to try first, in order (e.g. 5060), before random ones. */
  preferred?: readonly number[];
  /** Random attempts before giving up; default 50. */
  attempts?: number;
  /** Only even first ports (RTP convention, RFC 3550 §11); default false. */
  even?: boolean;
}

/**
 * The first port of `count` consecutive ports that are all free on `address` (e.g. an RTP/RTCP pair,
 * or SIPp's media port and port+2). The ports are remembered in this process and not handed out again.
 */
export async function freePortRange(address: string, count: number, options: PortOptions = {}): Promise<number> {
  assertLoopback(address);
  const protocols = options.protocols ?? ['udp', 'tcp'];
  const attempts = options.attempts ?? 50;
  const candidates: number[] = [...(options.preferred ?? [])];
  for (let i = 0; i < attempts; i++) {
    let port = randomInt(PORT_RANGE.min, PORT_RANGE.max - count);
    if (options.even && port % 2 === 1) port -= 1;
    candidates.push(port);
  }
  for (const first of candidates) {
    let allFree = true;
    for (let port = first; port < first + count && allFree; port++) {
      if (reservedInThisProcess.has(`${address}:${port}`) || !(await isPortFree(address, port, protocols))) allFree = false;
    }
    if (allFree) {
      for (let port = first; port < first + count; port++) reservedInThisProcess.add(`${address}:${port}`);
      return first;
    }
  }
  throw new Error(`peers: no ${count} free consecutive ${protocols.join('+')} port(s) on ${address} after ${candidates.length} attempts`);
}

/** A port free for UDP and TCP (or `options.protocols`) on `address`. */
export function freePort(address: string, options: PortOptions = {}): Promise<number> {
  return freePortRange(address, 1, options);
}

/** An even port P with P and P+1 free for UDP: an RTP/RTCP pair (RFC 3550 §11). */
export function freeRtpPair(address: string): Promise<number> {
  return freePortRange(address, 2, { protocols: ['udp'], even: true });
}

/** Lets a port be handed out again (peers call this on stop). */
export function releasePort(address: string, port: number, count = 1): void {
  for (let p = port; p < port + count; p++) reservedInThisProcess.delete(`${address}:${p}`);
}

export interface Endpoint {
  address: string;
  port: number;
}

/** A fresh loopback address (unless given) and a port free on it for UDP and TCP. */
export async function freeEndpoint(address?: string, options: PortOptions = {}): Promise<Endpoint> {
  const chosen = address ?? loopbackAddress();
  return { address: chosen, port: await freePort(chosen, options) };
}
