// What the offer/answer engine needs to know, as plain data: the line's media policy (from the
// settings, see codec-preferences.ts sdpOptionsFromSettings) and the call's own RTP endpoint.
// Nothing here refers to a model's settings, so the engine serves any device.

/** A codec the phone can offer and accept. */
export interface SdpCodec {
  /** The key of the codec in the settings (`G722`, `PCMA`, `G729`, `PCMU`, `OPUS`…). */
  readonly name: string;
  /** a=rtpmap encoding name (RFC 3551 §4.5 / IANA): `PCMU`, `G722`, `opus`, `iLBC`. */
  readonly encodingName: string;
  /** RTP clock rate (G.722: 8000, RFC 3551 §4.5.2). */
  readonly clockRate: number;
  /** Audio channels in the rtpmap (opus: 2); 1 when absent. */
  readonly channels?: number;
  /** Payload type of our offers: the static one (RFC 3551 §6) or the configured dynamic one. */
  readonly payloadType: number;
  /** a=fmtp parameters of our offers and answers (`annexb=no`, `mode=20`). */
  readonly fmtp?: string;
}

export type SrtpMode =
  /** Plain RTP; offers carrying RTP/SAVP are rejected. */
  | 'off'
  /**
   * Offer RTP/AVP with a=crypto (best-effort SRTP, the A12's "Optional"), accept RTP/SAVP and
   * plain RTP/AVP offers alike. DEVIATION: RFC 4568 defines a=crypto for RTP/SAVP only; the
   * best-effort form is what desk phones with an "optional" SRTP setting send.
   */
  | 'optional'
  /** Offer RTP/SAVP; accept only offers with a usable a=crypto (the A12's "Compulsory"). */
  | 'compulsory';

/** The media policy of a line: everything the settings decide. */
export interface SdpPolicy {
  /** Codecs in preference order, most preferred first (codec-preferences.ts orderCodecs). */
  readonly codecs: readonly SdpCodec[];
  /**
   * RFC 4733 telephone-event: offered with this payload type and event list
   * (KX-UT670 5.7.3 TELEVENT_PAYLOAD, `0-15`); absent = DTMF in band or by SIP INFO only.
   */
  readonly telephoneEvent?: { readonly payloadType: number; readonly events: string };
  /** Packetisation (KX-UT670 5.7.2 RTP_PTIME: 20, 30 or 40; 30 is not used with G.722). */
  readonly ptimeMs: number;
  /** `o=` username (KX-UT670 5.8.2 SDP_USER_ID_n); '' → `-` (RFC 4566 §5.2). */
  readonly username: string;
  /** `s=`; RFC 4566 §5.3 suggests `-` when the session has no name. */
  readonly sessionName: string;
  /** Write `a=rtcp:<port>` (RFC 3605) in our descriptions. */
  readonly rtcpAttribute: boolean;
  /**
   * Send RTCP to the port of the peer's a=rtcp (KX-UT670 5.7.2 RTCP_SEND_BY_SDP_n = 1); when
   * false, RTCP goes to the RTP port + 1 (RFC 3550 §11) whatever the peer's a=rtcp says.
   */
  readonly useRemoteRtcpAttribute: boolean;
  /** Hold with `c=0.0.0.0` besides the direction attribute (KX-UT670 5.7.3 RFC2543_HOLD_ENABLE_n). */
  readonly rfc2543Hold: boolean;
  /** Hold with a=inactive instead of a=sendonly (A12 9.12 "Enable Use Inactive Hold"). */
  readonly inactiveHold: boolean;
  /** Answer with one codec (plus telephone-event) only (A12 9.12 "Response Single Codec"). */
  readonly singleCodecAnswer: boolean;
  /**
   * Order of the codecs in our answers (the first is the one we send): `local` = our
   * preference order, `offer` = the offerer's order (RFC 3264 §6.1's recommendation).
   */
  readonly answerOrder: 'local' | 'offer';
  /** SRTP use (A12 9.12 "RTP Encryption(SRTP)"). */
  readonly srtp: SrtpMode;
  /**
   * Offer RFC 3389 CN/8000 and answer it when offered: the line suppresses silence (A12 9.16
   * "Enable VAD"). Absent = false (the KX-UT670 has no VAD setting).
   */
  readonly comfortNoise?: boolean;
}

/** One SDES key for a crypto suite, made by the SRTP layer (RFC 4568 §6.1 inline key). */
export interface SrtpKey {
  /** `AES_CM_128_HMAC_SHA1_80`, `AES_CM_128_HMAC_SHA1_32`… in preference order. */
  readonly suite: string;
  /** base64 of master key || master salt (30 bytes for the AES_CM_128 suites). */
  readonly keySalt: string;
}

/** The call's own media endpoint. */
export interface SdpEndpoint {
  /** Our address for c= and o= (IPv4 or IPv6 literal). */
  readonly address: string;
  /** Our RTP port for m=audio. */
  readonly port: number;
  /** Our RTCP port for a=rtcp; default port + 1 (RFC 3550 §11). */
  readonly rtcpPort?: number;
  /** SDES keys per suite, needed when `srtp` is not `off`. */
  readonly srtpKeys?: readonly SrtpKey[];
}

export type SdpOptions = SdpPolicy & SdpEndpoint;
