// What the call layer needs from the media engine, as an interface: firmware-sim plugs the RTP
// MediaStream in (src/rtp), tests may plug anything that keeps the contract. The call layer
// decides *what* flows (negotiated codec, direction, remote address); the media port moves it.
import type { AudioSink } from '../codecs/audio-sink.js';
import type { AudioSource } from '../codecs/audio-source.js';
import type { HeardReport, ReceivedLevel } from '../media/received-audio.js';
import type { NegotiatedMedia } from '../sip/sdp/index.js';

export type { HeardReport, ReceivedLevel } from '../media/received-audio.js';

/** What the call hears (GET /api/v1/audio): level, and whose identity mark when marks are known. */
export interface ReceivedAudio extends ReceivedLevel {
  readonly heard: HeardReport | undefined;
}

export interface CallMediaStats {
  readonly codec: string | undefined;
  readonly packetsSent: number;
  readonly packetsReceived: number;
  readonly packetsLost: number;
  readonly jitterMs: number;
  readonly [extra: string]: unknown;
}

/** One call's audio stream, opened before the first offer or answer so its port is known. */
export interface CallMedia {
  /** Our RTP port for the SDP m= line. */
  readonly port: number;
  /** Our RTCP port (a=rtcp), usually port + 1. */
  readonly rtcpPort: number;
  /** A completed offer/answer exchange: start, or change codec/remote/direction (re-INVITE, hold). */
  apply(media: NegotiatedMedia): void;
  /** RFC 4733 or in-band DTMF, as negotiated. */
  sendDtmf(digits: string): void;
  /** Local mute: send silence (the peer still gets RTP). */
  setMuted(muted: boolean): void;
  /**
   * Plays `source` (8 or 16 kHz; adapted to the codec's rate) instead of silence, from now on
   * and across codec changes; undefined goes back to silence.
   */
  play(source: AudioSource | undefined): void;
  /** What `play` was given last (undefined: silence). */
  readonly playing: AudioSource | undefined;
  /** Adds a sink (8 or 16 kHz) for the decoded received audio; returns its remover. */
  addSink(sink: AudioSink): () => void;
  /** Sample rate of the running codec; undefined before media is negotiated. */
  readonly sampleRate: number | undefined;
  /** Level of the last second received and, when identity marks are known, whose mark it carries. */
  received(): ReceivedAudio;
  /** RFC 4733 digits received (each once, at its end); returns the remover. */
  onDigit?(listener: DigitListener): () => void;
  stats(): CallMediaStats;
  close(): Promise<void>;
}

export interface CallMediaFactory {
  /** Reserves a stream on `address` (the line's local address) in the device's RTP port range. */
  open(address: string, callId: string, line: number): Promise<CallMedia>;
}

export type DigitListener = (digit: string, durationMs: number | undefined) => void;

/** The listeners of received digits that a CallMedia implementation keeps. */
export class DigitListeners {
  private readonly listeners = new Set<DigitListener>();

  add(listener: DigitListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(digit: string, durationMs: number | undefined): void {
    for (const l of this.listeners) l(digit, durationMs);
  }
}
