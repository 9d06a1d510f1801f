// The message protocol between the main thread and a media worker (media-worker-pool.ts,
// worker-main.ts). Only control crosses threads: a stream is opened, steered and asked for its
// statistics; every RTP/RTCP packet stays inside the worker that owns the stream's sockets.
// Audio crosses only when asked for: frames fed to a 'feed' source (an arbitrary AudioSource
// played from the main thread) and decoded frames of a tapped stream, in 100 ms batches.
import type { IdentityMark } from '../../codecs/identity-mark.js';
import type { OpusSampleRate } from '../../codecs/opus.js';
import type { ToneSpec } from '../../codecs/tone-generator.js';
import type { PortPair } from '../../rtp/port-allocator.js';
import type { NegotiatedSrtp } from '../../rtp/srtp.js';
import type { HeardReport, ReceivedLevel } from '../received-audio.js';
import type { MediaDirection, MediaStreamEvent, MediaStreamOptions, MediaStreamStats, RemoteMedia } from '../media-stream.js';

/** The negotiated codec by name (the worker's own registry: G.711, G.722, G.729 when built). */
export interface WorkerCodec {
  codec: string;
  payloadType: number;
  telephoneEventPayloadType?: number;
  vad?: boolean;
  /** RFC 3389 CN negotiated (NegotiatedAudio.comfortNoisePayloadType). */
  comfortNoisePayloadType?: number;
  /** Opus only: the rate its encoder/decoder run at (A12 9.16 "Opus Sample Rate"; default 16000). */
  opusSampleRate?: OpusSampleRate;
}

/** MediaStreamOptions without the functions and objects that cannot cross a thread. */
export type WorkerStreamSpec = WorkerCodec &
  Pick<MediaStreamOptions, 'localAddress' | 'ptimeMs' | 'remote' | 'direction' | 'cname' | 'rtcp' | 'closeOnHold' | 'symmetric' | 'connectSocket' | 'jitter' | 'dtmf' | 'receiveBufferBytes' | 'silenceSuppression' | 'rtpKeepAliveMs'> & {
    /** Added to everything the stream sends (typed arrays are copied across). */
    identity?: IdentityMark;
    /** Marks to listen for in the received audio: a level/identity monitor runs in the worker. */
    candidates?: IdentityMark[];
    /** SRTP keys of the exchange; the worker makes the transform. */
    srtp?: NegotiatedSrtp;
    /** Include the stream in the worker's periodic reports (stats, level, heard). */
    report?: boolean;
  };

/** What a stream plays, described so the worker can make the source itself. */
export type PlaySpec =
  | { kind: 'silence' }
  | { kind: 'tone'; spec: ToneSpec; sampleRate: number }
  | { kind: 'samples'; samples: Int16Array; sampleRate: number; loop: boolean }
  | { kind: 'wav'; path: string; loop: boolean }
  /** Frames pushed with 'feed' requests (underruns play silence). */
  | { kind: 'feed'; sampleRate: number };

export interface StreamReport {
  id: number;
  stats: MediaStreamStats;
  level?: ReceivedLevel;
  heard?: HeardReport;
}

/** A worker's media tick and load since its last reset. */
export interface WorkerClockStats {
  worker: number;
  streams: number;
  ticks: number;
  skipped: number;
  latenessP50Ms: number;
  latenessP99Ms: number;
  latenessMaxMs: number;
  /** How far each stream's tick started from its own 20 ms cadence (MediaClock.cadencePercentile). */
  cadenceP99Ms: number;
  cadenceMaxMs: number;
  workP50Ms: number;
  workP99Ms: number;
  /** Read rounds of the batched UDP addon since the reset, and the datagrams they handed over (0 with node:dgram). */
  udpRounds: number;
  udpDatagrams: number;
  /** Event loop utilisation of the worker thread since the reset, 0–1 (≈ its share of a core). */
  utilisation: number;
}

export type WorkerRequest =
  | { op: 'open'; id: number; ports: PortPair; spec: WorkerStreamSpec }
  | { op: 'start'; id: number }
  | { op: 'setRemote'; id: number; remote: RemoteMedia }
  | { op: 'setDirection'; id: number; direction: MediaDirection }
  | { op: 'setCodec'; id: number; codec: WorkerCodec }
  | { op: 'setProtection'; id: number; srtp: NegotiatedSrtp | undefined }
  | { op: 'setMuted'; id: number; muted: boolean }
  | { op: 'play'; id: number; play: PlaySpec }
  | { op: 'feed'; id: number; samples: Int16Array }
  | { op: 'tap'; id: number; on: boolean }
  | { op: 'dtmf'; id: number; digits: string; durationMs?: number; gapMs?: number }
  | { op: 'stats'; id: number }
  | { op: 'close'; id: number; reason?: string }
  | { op: 'clock'; reset: boolean }
  /** Crash drill: the worker throws from its event loop (tests of the pool's crash handling). */
  | { op: 'drill' };

export type Envelope = WorkerRequest & { seq: number };

export type WorkerReply = { ev: 'reply'; seq: number } & ({ ok: true; value?: unknown } | { ok: false; code: string; message: string });

export type WorkerMessage =
  | WorkerReply
  | { ev: 'ready'; codecs: string[] }
  | { ev: 'event'; id: number; event: MediaStreamEvent }
  | { ev: 'report'; items: StreamReport[] }
  | { ev: 'audio'; id: number; sampleRate: number; samples: Int16Array };

/** Reply value of 'open'. */
export interface OpenedStream {
  localPort: number;
  sampleRate: number;
  ptimeMs: number;
}

/** Data handed to a new worker. */
export interface WorkerInit {
  index: number;
  /** Media tick, ms (20). */
  periodMs: number;
  /** Where in the wall clock's period this worker ticks, ms: index × period / workers. */
  phaseMs: number;
  /** How often streams with `report` are reported, ms (0 = never). */
  reportIntervalMs: number;
}

/** Decoded audio of a tapped stream is batched this many ms per message. */
export const TAP_BATCH_MS = 100;
