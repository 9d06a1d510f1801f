// What a stream's sender and receiver read on every packet (MediaSender's SenderParts,
// MediaReceiver's ReceiverParts), as one class. Built the same way for every stream, the object
// keeps one hidden class, so those per-packet reads stay monomorphic; the object literals spread
// per stream that this replaces gave streams different shapes, and V8's IC log of
// bench/media-fleet.ts showed those reads megamorphic, with ~10 % of the media CPU spent in
// property lookups.
import type { Clock } from '../core/clock.js';
import type { JitterBuffer } from '../rtp/jitter-buffer.js';
import type { RtpSession } from '../rtp/rtp-session.js';
import type { PacketProtection } from '../rtp/srtp.js';
import type { SymmetricLatch } from '../rtp/symmetric-latch.js';
import type { MediaSockets } from './media-sockets.js';
import type { ReceiverParts } from './media-receiver.js';
import type { SenderParts } from './media-sender.js';
import type { MediaStreamEvent } from './media-stream-types.js';

/** The stream state its parts report (MediaStream keeps it). */
export interface StreamStateAccess {
  protection(): PacketProtection | undefined;
  receives(): boolean;
  closed(): boolean;
  emit(e: MediaStreamEvent): void;
}

export class StreamParts implements SenderParts, ReceiverParts {
  readonly protection: () => PacketProtection | undefined;
  readonly receives: () => boolean;
  readonly closed: () => boolean;
  readonly emit: (e: MediaStreamEvent) => void;

  constructor(
    readonly clock: Clock,
    readonly session: RtpSession,
    readonly jitterBuffer: JitterBuffer,
    readonly latch: SymmetricLatch,
    readonly sockets: MediaSockets,
    /** RTP timestamp ticks per frame. */
    readonly frameTicks: number,
    readonly ptimeMs: number,
    state: StreamStateAccess,
  ) {
    this.protection = state.protection;
    this.receives = state.receives;
    this.closed = state.closed;
    this.emit = state.emit;
  }
}
