// The media engine of a device: its RTP port range (KX-UT670 5.7.2 RTP_PORT_MIN/MAX), the codec
// registry (G.729A when the optional addon is built; Opus at the A12's 9.16 "Opus Sample Rate",
// read when the SIP service starts), and the media tick shared by every device
// on the same clock — a fleet of phones in one process runs one 20 ms tick (ARCHITECTURE.md).
// Every device adds its identity mark to what it sends, and listens for the marks of every
// device of the process (the candidates of its calls' detectors).
import type { Clock } from '../../src/core/clock.js';
import { createCodecRegistry } from '../../src/codecs/registry.js';
import type { CodecRegistry } from '../../src/codecs/codec.js';
import { loadOpus, opusSampleRateFor, type OpusSampleRate } from '../../src/codecs/opus.js';
import { identityMarkFromMac, type IdentityMark } from '../../src/codecs/identity-mark.js';
import { MediaClock } from '../../src/media/media-clock.js';
import { PortAllocator } from '../../src/rtp/port-allocator.js';
import { rtpCallMediaFactory } from '../../src/phone/rtp-call-media.js';
import { workerCallMediaFactory } from '../../src/phone/worker-call-media.js';
import { MediaWorkerPool } from '../../src/media/workers/media-worker-pool.js';
import { SystemClock } from '../../src/core/system-clock.js';
import { ok, type Result } from '../../src/core/result.js';
import type { CallMediaFactory } from '../../src/phone/call-media.js';
import type { Device } from '../device.js';

const mediaClocks = new WeakMap<Clock, MediaClock>();
/** One registry per Opus rate: the codecs are shared by every device of the process. */
const registries = new Map<OpusSampleRate, CodecRegistry>();
/** The identity marks of the devices of this process, by MAC. */
const knownMarks = new Map<string, IdentityMark>();

/** One media tick per clock: every device of a process (or a fleet) shares it. */
export function sharedMediaClock(clock: Clock): MediaClock {
  let mc = mediaClocks.get(clock);
  if (!mc) mediaClocks.set(clock, (mc = new MediaClock(clock, 20)));
  return mc;
}

export function sharedCodecs(opusRate: OpusSampleRate = 16000): CodecRegistry {
  let r = registries.get(opusRate);
  if (!r) {
    const opus = loadOpus({ sampleRate: opusRate });
    registries.set(opusRate, (r = createCodecRegistry({ opus: opus.ok ? opus.value : null })));
  }
  return r;
}

/** A12 9.16 "Opus Sample Rate" (OPUS-NB 8 kHz by default, OPUS-WB 16 kHz); 16 kHz elsewhere. */
function opusRateOf(device: Device): OpusSampleRate {
  return device.model.id === 'fanvil-a12' ? opusSampleRateFor(device.settings.intercom.media.opusWideband) : 16000;
}

/** Codec keys the SDP layer may offer on this machine (G.729 only with its addon). */
export function availableCodecNames(): string[] {
  return sharedCodecs()
    .available()
    .map((c) => c.name.toUpperCase());
}

let workers: MediaWorkerPool | undefined;

/**
 * `--media-workers N`: the media of every device in this process runs in N worker threads (one
 * media tick each) instead of on the main thread — for fleets with more calls than one core
 * carries (docs/architecture.md, media workers).
 */
export async function startMediaWorkers(count: number): Promise<Result<void>> {
  if (workers) return ok(undefined);
  const started = await MediaWorkerPool.start({ workers: count, clock: new SystemClock() });
  if (!started.ok) return started;
  workers = started.value;
  return ok(undefined);
}

export async function stopMediaWorkers(): Promise<void> {
  const pool = workers;
  workers = undefined;
  await pool?.close();
}

export function deviceMedia(device: Device): CallMediaFactory {
  const rtp = device.settings.rtp;
  const mark = identityMarkFromMac(device.mac);
  if (mark.ok) knownMarks.set(device.mac, mark.value);
  const common = {
    clock: device.clock,
    ports: new PortAllocator(rtp.portMin, rtp.portMax),
    codecs: sharedCodecs(opusRateOf(device)),
    cname: `${device.mac.toLowerCase()}@${device.ip}`,
    ...(mark.ok ? { identity: mark.value } : {}),
    candidates: () => [...knownMarks.values()],
    line: (n: number) => {
      const s = device.settings.lines[n - 1]!;
      return {
        rtcp: { enabled: s.rtcp.enabled, intervalS: s.rtcp.intervalS },
        jitter: { minDelayMs: s.jitterBuffer.minMs, nominalDelayMs: s.jitterBuffer.nominalMs, maxDelayMs: s.jitterBuffer.maxMs },
        closeOnHold: s.rtpCloseOnNoAnswer,
        dtmf: { durationMs: device.settings.rtp.dtmfSignalMs, gapMs: device.settings.rtp.dtmfInterDigitMs },
        // A12 9.16 "Enable VAD" (the KX-UT670 has no VAD setting: it never sends CN).
        silenceSuppression: device.model.id === 'fanvil-a12' && device.settings.intercom.media.vad,
        // A12 9.16 "RTP keep alive": a packet every 30 s while no media flows (the manual's figure).
        ...(device.model.id === 'fanvil-a12' && device.settings.intercom.media.rtpKeepAlive ? { rtpKeepAliveMs: 30_000 } : {}),
      };
    },
    onEvent: (callId: string, event: { type: string; message?: string }) => {
      if (event.type === 'error') device.logger.warn({ call: callId }, event.message ?? 'media error');
    },
  };
  if (workers) return workerCallMediaFactory({ ...common, pool: workers, opusSampleRate: opusRateOf(device) });
  // Reads may gather for a millisecond or two on real time only: a test stepping a virtual clock
  // expects what was sent to be read within a few loop turns.
  return rtpCallMediaFactory({ ...common, mediaClock: sharedMediaClock(device.clock), coalesceReads: device.clock instanceof SystemClock });
}
