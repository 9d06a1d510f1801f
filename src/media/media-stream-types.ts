// The public types of a MediaStream (media-stream.ts re-exports them): what it is opened with,
// what it reports and its statistics.
import type { AudioCodec } from '../codecs/codec.js';
import type { AudioSource } from '../codecs/audio-source.js';
import type { IdentityMark } from '../codecs/identity-mark.js';
import type { Clock } from '../core/clock.js';
import type { DatagramOpener } from '../rtp/datagram.js';
import type { JitterBufferStats } from '../rtp/jitter-buffer.js';
import type { PortAllocator, PortPair } from '../rtp/port-allocator.js';
import type { RtpSessionStats } from '../rtp/rtp-session.js';
import type { PacketProtection, SrtpStats } from '../rtp/srtp.js';
import type { TransportAddress } from '../rtp/symmetric-latch.js';
import type { MediaClock } from './media-clock.js';

/** RFC 3264 §5.1 directions, as seen from this end. */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface RemoteMedia {
  /** c= address and m= port of the peer. */
  address: string;
  port: number;
  /** Where RTCP goes: a=rtcp (RFC 3605) or port + 1 (RFC 3550 §11). Ignored with rtcp-mux. */
  rtcpAddress?: string;
  rtcpPort?: number;
}

export interface NegotiatedAudio {
  /** The codec (src/codecs/registry.ts). */
  codec: AudioCodec;
  /** Payload type to send and expect (the peer's number for the codec, RFC 3264 §5.1). */
  payloadType: number;
  /** RFC 4733 telephone-event payload type, when negotiated. */
  telephoneEventPayloadType?: number;
  /** G.729 Annex B (VAD/DTX). */
  vad?: boolean;
  /**
   * RFC 3389 CN negotiated (a=rtpmap:13 CN/8000): its payload type, for what we send. Received
   * CN is understood without it (payload type 13, RFC 3551 §6).
   */
  comfortNoisePayloadType?: number;
}

export interface MediaStreamOptions extends NegotiatedAudio {
  /** Default: the media clock's. */
  clock?: Clock;
  mediaClock: MediaClock;
  /** Where the pair comes from (KX-UT670 RTP_PORT_MIN..RTP_PORT_MAX); released on close. */
  ports: PortAllocator;
  /** The phone's own 127.x address. */
  localAddress: string;
  /** KX-UT670 RTP_PTIME (20, 30, 40 ms); a multiple of the media clock period. Default 20. */
  ptimeMs?: number;
  remote?: RemoteMedia;
  direction?: MediaDirection;
  /** Canonical name for RTCP SDES (user@host). */
  cname: string;
  rtcp?: {
    /** KX-UT670 RTCP_ENABLE_n (default N). */
    enabled: boolean;
    /** KX-UT670 RTCP_INTVL_n, seconds (5–65535, default 5). */
    intervalS?: number;
    /** RFC 5761 rtcp-mux negotiated: RTCP on the RTP port, no second socket. */
    mux?: boolean;
    /** RFC 3611 VoIP metrics in each report. */
    xr?: boolean;
  };
  /**
   * KX-UT670 RTP_CLOSE_ENABLE_n (5.7.2, default y): "close held RTP sockets". Here: while the
   * direction is 'inactive' the RTP/RTCP sockets are closed (the port pair stays reserved for
   * the call and is bound again on resume). With n the sockets stay open and RTCP continues, as
   * RFC 3264 §5.1 asks of an inactive stream.
   */
  closeOnHold?: boolean;
  /** Symmetric RTP latching (default true); see symmetric-latch.ts. */
  symmetric?: boolean;
  /** Connect the socket once media comes from the SDP address (default true). */
  connectSocket?: boolean;
  /** KX-UT670 MIN/NOM/MAX_DELAY_n × 10 ms (defaults 20/20/200 ms). */
  jitter?: { minDelayMs?: number; nominalDelayMs?: number; maxDelayMs?: number; adaptive?: boolean };
  /** The phone's identity mark, added to everything it sends. */
  identity?: IdentityMark;
  /**
   * A12 9.16 "Enable VAD": silence is not sent, RFC 3389 comfort noise instead — only when CN was
   * negotiated (comfortNoisePayloadType) and for 8 kHz-clock codecs without their own DTX
   * (G.711, G.722; G.729 has Annex B, Opus its DTX). Default false.
   */
  silenceSuppression?: boolean;
  /**
   * A12 9.16 "RTP keep alive": while the stream sends no media (the far end holds us: recvonly),
   * an RTP keep-alive (RFC 6263 §4.6) goes out this often, ms, so NAT bindings on the path stay
   * open. Undefined or 0: none.
   */
  rtpKeepAliveMs?: number;
  /** What to play at start (default silence). */
  source?: AudioSource;
  /** Event payload volume and timing of RFC 4733 digits. */
  dtmf?: { durationMs?: number; gapMs?: number; volume?: number };
  /** Emit a 'stats' event this often, ms (default 5000; 0 = only at close). */
  statsIntervalMs?: number;
  random?: () => number;
  /** SRTP/SRTCP (RFC 3711) keyed by the SDP exchange (src/rtp/srtp.ts); plain RTP without. */
  protection?: PacketProtection;
  /** Socket factory (default: the batched UDP addon when built, else node:dgram; tests may pass a MemoryNetwork). */
  opener?: DatagramOpener;
  receiveBufferBytes?: number;
  /** Let the sockets read in coalesced rounds (DatagramOpenOptions.coalesceReads): on the system clock only. */
  coalesceReads?: boolean;
  onEvent?: (event: MediaStreamEvent) => void;
}

export type MediaStreamEvent =
  | { type: 'dtmf'; phase: 'start' | 'end'; digit: string; durationMs?: number }
  | { type: 'latched'; remote: TransportAddress; relatch: boolean }
  | { type: 'remote-bye'; reason?: string }
  | { type: 'stats'; stats: MediaStreamStats }
  | { type: 'error'; message: string };

export interface MediaStreamStats {
  direction: MediaDirection;
  codec: string;
  local: PortPair;
  remote: TransportAddress | undefined;
  /** The RTP socket is connected to the remote (media comes from its SDP address). */
  connected: boolean;
  rtp: RtpSessionStats;
  jitterBuffer: JitterBufferStats;
  /**
   * Audio concealed, percent of what was played out while receiving (lost, late or undecodable
   * packets; the far end's packets may be longer or shorter than our frames).
   */
  concealmentPercent: number;
  /** Audio concealed, in our frames (ptime), fractional. */
  concealedFrames: number;
  /** Payloads the decoder rejected (concealed instead). */
  decodeErrors: number;
  /** Current jitter buffer delay, ms. */
  jitterBufferDelayMs: number;
  audioFramesSent: number;
  /** RFC 3389 CN packets sent (silence suppression) and received. */
  comfortNoiseSent?: number;
  comfortNoiseReceived?: number;
  /** RFC 6263 keep-alives sent while the stream sent no media (A12 RTP keep alive). */
  keepAlivesSent?: number;
  dtmfSent: number;
  dtmfReceived: number;
  /** Datagrams dropped: from a foreign source, malformed, or received while not receiving. */
  foreign: number;
  malformed: number;
  ignored: number;
  /** SRTP counters (authentication failures…) while the stream is protected. */
  srtp?: SrtpStats;
}
