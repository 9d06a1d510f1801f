// Runs inside a loopback-only network namespace (test/peers/netns.ts, driven by
// rfc4475-device.test.ts): boots a KX-UT670 on 127.0.0.1, sends it every RFC 4475 torture message
// (/work/shared/testdata/rfc4475, byte for byte) on its line-1 UDP port, one at a time, and
// prints one JSON object: every datagram the phone sent back for each message, read leniently.
// Some messages share a top Via branch (novelsc and unkscm both use z9hG4bKkdjuw39234 from
// host9.example.com): on one line the second would rightly match the first's server transaction
// (RFC 3261 §17.2.3) and get its response again, so such a message goes to another line's port.
// The messages' Via headers name outside hosts without rport; a server answers to the packet's
// source address at the Via's port (RFC 3261 §18.2.2), so the runner listens on those ports of
// 127.0.0.1 (5060, and the others the Vias name) — possible only in a namespace of its own.
import { createSocket, type Socket } from 'node:dgram';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SystemClock } from '../../src/core/system-clock.js';
import { sipService } from '../../firmware-sim/services/sip-service.js';
import { bootDevice } from '../helpers/device.js';
import { recordingFactory } from '../helpers/recording-media.js';
import { sharedPath } from '../helpers/shared-dir.js';

export const RFC4475_DIR = sharedPath('testdata', 'rfc4475');

export interface RunnerReply {
  /** Status code, or 0 when the datagram is not a SIP response. */
  readonly status: number;
  readonly reason: string;
  readonly callId: string | undefined;
  /** The port of ours it arrived on. */
  readonly port: number;
}

export interface RunnerOutput {
  readonly replies: Record<string, RunnerReply[]>;
  /** Status of an OPTIONS sent after all the torture messages (200 when the phone is fine). */
  readonly finalOptions: number | undefined;
}

/** Call-ID of a raw message, read leniently (full or compact name, any spacing). */
export function rawCallId(text: string): string | undefined {
  return /^(?:Call-ID|i)[ \t]*:[ \t]*([^\r\n]*?)[ \t]*\r?$/im.exec(text)?.[1];
}

function readReply(bytes: Buffer, port: number): RunnerReply {
  const text = bytes.toString('utf8');
  const m = /^SIP\/2\.0 (\d{3}) ([^\r\n]*)\r\n/.exec(text);
  return { status: m ? Number(m[1]) : 0, reason: m ? m[2]! : text.slice(0, 40), callId: rawCallId(text), port };
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const names = readdirSync(RFC4475_DIR)
    .filter((f) => f.endsWith('.dat'))
    .map((f) => f.slice(0, -4))
    .sort();
  const messages = new Map(names.map((n) => [n, readFileSync(join(RFC4475_DIR, `${n}.dat`))]));
  // Every port a Via names, plus the defaults for UDP/TCP (5060) and TLS (5061).
  const ports = new Set([5060, 5061]);
  for (const bytes of messages.values()) {
    for (const m of bytes.toString('latin1').matchAll(/^(?:Via|v)[ \t]*:[^\r\n]*?:[ \t]*(\d{2,5})\b/gim)) ports.add(Number(m[1]));
  }

  const clock = new SystemClock();
  const { device } = await bootDevice({ model: 'kx-ut670', ip: '127.0.0.1', clock, services: [sipService({ media: () => recordingFactory([]) })] });
  const linePorts = device.telephony()!.lineStatuses().map((l) => l.local.port);
  const target = linePorts[0]!;
  /** Per line, the top Via values (transaction keys, leniently) it has seen. */
  const seen = linePorts.map(() => new Set<string>());
  const lineFor = (bytes: Buffer): number => {
    const via = /^(?:Via|v)[ \t]*:([^\r\n]*)/im.exec(bytes.toString('latin1'))?.[1]?.replace(/\s+/g, '').toLowerCase() ?? '';
    const i = seen.findIndex((keys) => !keys.has(via));
    seen[i]!.add(via);
    return linePorts[i]!;
  };
  let inbox: RunnerReply[] = [];
  let lastArrival = 0;
  const sockets: Socket[] = [];
  for (const port of ports) {
    if (linePorts.includes(port)) continue;
    const s = createSocket('udp4');
    s.on('message', (bytes) => {
      inbox.push(readReply(bytes, port));
      lastArrival = performance.now();
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.bind({ address: '127.0.0.1', port }, () => resolve());
    });
    sockets.push(s);
  }
  const sender = sockets.find((s) => s.address().port === 5060)!;
  const send = (bytes: Buffer, to = target): Promise<void> => new Promise((resolve) => sender.send(bytes, to, '127.0.0.1', () => resolve()));

  const replies: Record<string, RunnerReply[]> = {};
  for (const [name, bytes] of messages) {
    inbox = [];
    const sentAt = performance.now();
    lastArrival = sentAt;
    await send(bytes, lineFor(bytes));
    // Collect until 150 ms pass without a datagram (at most 1 s).
    while (performance.now() - lastArrival < 150 && performance.now() - sentAt < 1000) await delay(10);
    replies[name] = inbox;
  }

  inbox = [];
  const options = [
    'OPTIONS sip:line1@127.0.0.1 SIP/2.0',
    'Via: SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-final;rport',
    'Max-Forwards: 70',
    'From: <sip:runner@127.0.0.1>;tag=final',
    'To: <sip:line1@127.0.0.1>',
    'Call-ID: final-options@runner',
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  await send(Buffer.from(options));
  const start = performance.now();
  while (!inbox.some((r) => r.callId === 'final-options@runner') && performance.now() - start < 2000) await delay(10);
  const finalOptions = inbox.find((r) => r.callId === 'final-options@runner')?.status;

  for (const s of sockets) s.close();
  await device.shutdown('test');
  clock.stop();
  const out: RunnerOutput = { replies, finalOptions };
  process.stdout.write(JSON.stringify(out) + '\n');
}

if (process.argv[1]?.endsWith('rfc4475-device-runner.ts')) await main();
