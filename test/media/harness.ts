// Phones for media tests: a MediaStream each, with speech to send, its identity mark, and sinks
// (recorder, identity detector over every phone's mark) on what it hears. Runs on a VirtualClock
// over a MemoryNetwork or over real loopback UDP sockets.
import { WavRecorder } from '../../src/codecs/audio-sink.js';
import { SamplesSource } from '../../src/codecs/audio-source.js';
import type { AudioCodec } from '../../src/codecs/codec.js';
import { IdentityDetector, identityMarkFromSeed, type IdentityMark } from '../../src/codecs/identity-mark.js';
import { VirtualClock } from '../../src/core/clock.js';
import { MediaClock } from '../../src/media/media-clock.js';
import { MediaStream, type MediaStreamEvent, type MediaStreamOptions } from '../../src/media/media-stream.js';
import type { DatagramOpener } from '../../src/rtp/datagram.js';
import { PortAllocator } from '../../src/rtp/port-allocator.js';
import { seededRandom } from '../rtp/impairment.js';
import { speechLike } from '../codecs/signals.js';

export interface Phone {
  name: string;
  address: string;
  mark: IdentityMark;
  stream: MediaStream;
  recorder: WavRecorder;
  detector: IdentityDetector;
  events: MediaStreamEvent[];
  ports: PortAllocator;
}

export interface Lab {
  clock: VirtualClock;
  mediaClock: MediaClock;
  opener: DatagramOpener | undefined;
  marks: IdentityMark[];
  phones: Phone[];
}

export function lab(names: readonly string[], opener?: (clock: VirtualClock) => DatagramOpener): Lab {
  const clock = new VirtualClock();
  return { clock, mediaClock: new MediaClock(clock), opener: opener?.(clock), marks: names.map((n) => identityMarkFromSeed(n)), phones: [] };
}

let seed = 1;

/** Opens a phone's stream (not started) at `address`, ports from `portMin`. */
export async function addPhone(l: Lab, name: string, address: string, codec: AudioCodec, portMin: number, extra: Partial<MediaStreamOptions> = {}): Promise<Phone> {
  const mark = l.marks.find((m) => m.id === name) ?? identityMarkFromSeed(name);
  const events: MediaStreamEvent[] = [];
  const ports = new PortAllocator(portMin, portMin + 8);
  const speech = speechLike(codec.sampleRate, 2, seed++, 16000);
  const opened = await MediaStream.open({
    clock: l.clock,
    mediaClock: l.mediaClock,
    ports,
    localAddress: address,
    codec,
    payloadType: codec.payloadType,
    telephoneEventPayloadType: 101,
    cname: `${name}@${address}`,
    identity: mark,
    source: new SamplesSource(speech, codec.sampleRate, true),
    random: seededRandom(seed++),
    ...(l.opener ? { opener: l.opener } : {}),
    onEvent: (e) => events.push(e),
    ...extra,
  });
  if (!opened.ok) throw new Error(opened.error.message);
  const stream = opened.value;
  const recorder = new WavRecorder(codec.sampleRate);
  const detector = new IdentityDetector(codec.sampleRate, l.marks, { windowMs: 2000 });
  stream.addSink(recorder);
  stream.addSink(detector);
  const phone = { name, address, mark, stream, recorder, detector, events, ports };
  l.phones.push(phone);
  return phone;
}

/** Points a at b and b at a (the SDP exchange) and starts both. */
export function connect(a: Phone, b: Phone): void {
  a.stream.setRemote({ address: b.address, port: b.stream.localPort });
  b.stream.setRemote({ address: a.address, port: a.stream.localPort });
  a.stream.start();
  b.stream.start();
}

/** Virtual time in 20 ms steps; with real sockets, lets the event loop deliver datagrams between steps. */
export async function runFor(l: Lab, ms: number, realSockets = false): Promise<void> {
  for (let t = 0; t < ms; t += 20) {
    l.clock.advance(20);
    if (realSockets) await settle();
  }
}

/** A few event-loop turns: enough for loopback datagrams sent now to be received. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise<void>((r) => setImmediate(r));
}

export function closeAll(l: Lab): void {
  for (const p of l.phones) p.stream.close();
}

/** Digits of the completed RFC 4733 events a phone received. */
export function dtmfDigits(p: Phone): string {
  return p.events.flatMap((e) => (e.type === 'dtmf' && e.phase === 'end' ? [e.digit] : [])).join('');
}
