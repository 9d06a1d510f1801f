// Which sockets media uses: the batched UDP addon when it is built (batch-udp.ts), node:dgram
// otherwise or with VPHONE_UDP=dgram (to compare the two, or to rule the addon out).
import { batchUdpOpener, loadUdpNative } from './batch-udp.js';
import type { DatagramOpener } from './datagram.js';
import { udpOpener } from './udp-socket.js';

export type UdpImplementation = 'batch' | 'dgram';

let chosen: { opener: DatagramOpener; implementation: UdpImplementation } | undefined;

function choose(): { opener: DatagramOpener; implementation: UdpImplementation } {
  if (process.env.VPHONE_UDP !== 'dgram') {
    const udp = loadUdpNative();
    if (udp.ok) return { opener: batchUdpOpener(udp.value), implementation: 'batch' };
  }
  return { opener: udpOpener, implementation: 'dgram' };
}

/** The opener media streams use unless their options name one. */
export function defaultDatagramOpener(): DatagramOpener {
  chosen ??= choose();
  return chosen.opener;
}

/** Which one defaultDatagramOpener() is (benchmarks print it). */
export function defaultUdpImplementation(): UdpImplementation {
  chosen ??= choose();
  return chosen.implementation;
}
