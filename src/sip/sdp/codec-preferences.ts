// From the settings to the codec list of the SDP: which codecs, in which order, with which
// payload types and fmtp, and the adapter sdpOptionsFromSettings that turns a line's canonical
// settings into the SdpPolicy the offer/answer engine takes.
//
// KX-UT670 5.7.1: CODEC_ENABLEx_n switches codec x on line n, CODEC_PRIORITYx_n orders them
// ("the lower the set value, the higher the priority"), x = 0 G.722, 1 PCMA, 3 G.729A, 4 PCMU.
// Equal priorities (the factory default gives all four priority 1, and the 5.3.1 narrow-band
// example gives PCMA and G.729A both 1; catalog README garbled place 16) are broken by the
// codec number x: G.722, PCMA, G.729A, PCMU — the order of the parameter list, of the Web
// UI's CODEC Preferences rows (4.6.4.6) and of the XML Codec list (2.4.4.2). Codecs outside
// the KX-UT670 list (the A12's opus, iLBC…) follow them in the order the record lists them.
// The factory default offer is therefore `m=audio … RTP/AVP 9 8 18 0 101`.
//
// CODEC_G711_REQ = 1 (the default) "sets PCMU as a codec selection automatically when
// CODEC_ENABLEx_n is set to any codec selection other than PCMU": when PCMU is disabled it is
// still offered and accepted, after every enabled codec; = 0 ("Do not set PCMU") leaves it out,
// which is how 5.3.1's "G.729A Codec Only" example gets an offer of G.729A alone.
import type { CodecPreference, DeviceSettings, LineSettings } from '../../settings/canonical.js';
import type { SdpCodec, SdpPolicy, SrtpMode } from './options.js';
import { G726_PAYLOAD_TYPES } from '../../codecs/g726.js';

/** Static codecs (RFC 3551 §6) and the dynamic ones the A12 lists, by settings key. */
export const KNOWN_CODECS: Readonly<Record<string, SdpCodec>> = {
  PCMU: { name: 'PCMU', encodingName: 'PCMU', clockRate: 8000, payloadType: 0 },
  PCMA: { name: 'PCMA', encodingName: 'PCMA', clockRate: 8000, payloadType: 8 },
  // RFC 3551 §4.5.2: G.722 is written G722/8000.
  G722: { name: 'G722', encodingName: 'G722', clockRate: 8000, payloadType: 9 },
  G729: { name: 'G729', encodingName: 'G729', clockRate: 8000, payloadType: 18 },
  G723: { name: 'G723', encodingName: 'G723', clockRate: 8000, payloadType: 4 },
  // RFC 7587 §7: opus is always opus/48000/2; A12 9.16 "Opus payload type" (96–127).
  OPUS: { name: 'OPUS', encodingName: 'opus', clockRate: 48000, channels: 2, payloadType: 107 },
  // RFC 3952 §5: iLBC mode=20|30; A12 9.16 "ILBC Payload Type" / "ILBC Payload Length".
  ILBC: { name: 'ILBC', encodingName: 'iLBC', clockRate: 8000, payloadType: 97, fmtp: 'mode=20' },
  // RFC 3551 §4.5.4: G726-16/24/32/40 /8000, dynamic payload types (the A12 manual names none).
  'G726-16': { name: 'G726-16', encodingName: 'G726-16', clockRate: 8000, payloadType: G726_PAYLOAD_TYPES[16000] },
  'G726-24': { name: 'G726-24', encodingName: 'G726-24', clockRate: 8000, payloadType: G726_PAYLOAD_TYPES[24000] },
  'G726-32': { name: 'G726-32', encodingName: 'G726-32', clockRate: 8000, payloadType: G726_PAYLOAD_TYPES[32000] },
  'G726-40': { name: 'G726-40', encodingName: 'G726-40', clockRate: 8000, payloadType: G726_PAYLOAD_TYPES[40000] },
};

/** KX-UT670 5.7.1 codec numbers x in order: the tie-break for equal CODEC_PRIORITYx_n. */
export const KX_CODEC_ORDER: readonly string[] = ['G722', 'PCMA', 'G729', 'PCMU'];

function tieRank(name: string, recordIndex: number): number {
  const i = KX_CODEC_ORDER.indexOf(name);
  return i >= 0 ? i : KX_CODEC_ORDER.length + recordIndex;
}

/**
 * The enabled codecs of a line, most preferred first: by priority (lower first), equal
 * priorities by the KX-UT670 codec number (see the header), then PCMU appended when
 * `g711Required` and PCMU is not enabled (CODEC_G711_REQ).
 */
export function orderCodecs(codecs: Readonly<Record<string, CodecPreference>>, g711Required: boolean): string[] {
  const entries = Object.entries(codecs)
    .map(([name, pref], recordIndex) => ({ name, pref, rank: tieRank(name, recordIndex) }))
    .filter((e) => e.pref.enabled);
  entries.sort((a, b) => a.pref.priority - b.pref.priority || a.rank - b.rank);
  const names = entries.map((e) => e.name);
  if (g711Required && !names.includes('PCMU')) names.push('PCMU');
  return names;
}

/** Extras the canonical LineSettings have no field for (the A12's 9.12 / 9.16 media options). */
export interface SdpSettingsExtras {
  /**
   * Codec keys the media engine can encode and decode (src/codecs registry names). Enabled
   * codecs outside this list are neither offered nor accepted. Default: PCMU, PCMA, G722, G729.
   */
  readonly available?: readonly string[];
  /** Dynamic payload types by codec key (A12 9.16 Opus / iLBC payload type). */
  readonly payloadTypes?: Readonly<Record<string, number>>;
  /** iLBC frame length, 20 or 30 ms (A12 9.16 "ILBC Payload Length"). */
  readonly ilbcModeMs?: number;
  /** Overrides rtp.g711Required (the A12 has no CODEC_G711_REQ: pass false). */
  readonly g711Required?: boolean;
  /** Overrides line.rfc2543Hold (the A12 has no such setting: pass false). */
  readonly rfc2543Hold?: boolean;
  /** Overrides line.outbandDtmf: offer telephone-event (A12 DTMF Type AUTO/RFC2833 → true). */
  readonly telephoneEvent?: boolean;
  /** A12 9.12 "Enable Use Inactive Hold". */
  readonly inactiveHold?: boolean;
  /** A12 9.12 "Response Single Codec". */
  readonly singleCodecAnswer?: boolean;
  /** A12 9.12 "RTP Encryption(SRTP)". */
  readonly srtp?: SrtpMode;
  readonly answerOrder?: 'local' | 'offer';
  readonly sessionName?: string;
}

const DEFAULT_AVAILABLE: readonly string[] = ['PCMU', 'PCMA', 'G722', 'G729'];

/**
 * The SdpPolicy of one line from the canonical settings (src/settings/canonical.ts):
 *  - codecs: line.codecs ordered by orderCodecs, CODEC_G711_REQ from rtp.g711Required, G.729
 *    with `annexb=no` when rtp.g729AnnexBNo (KX-UT670 5.7.1 CODEC_G729_PARAM);
 *  - telephone-event with rtp.telephoneEventPayloadType and events 0-15 when line.outbandDtmf
 *    (5.7.3 OUTBANDDTMF_n / TELEVENT_PAYLOAD);
 *  - ptime rtp.ptimeMs (5.7.2 RTP_PTIME), o= username line.sdpUserId (5.8.2 SDP_USER_ID_n),
 *    hold with c=0.0.0.0 when line.rfc2543Hold (5.7.3 RFC2543_HOLD_ENABLE_n), a=rtcp written
 *    and honoured when line.rtcp.useSdpPort (5.7.2 RTCP_SEND_BY_SDP_n).
 * Answers list codecs in the phone's own priority order (answerOrder `local`): the KX-UT670
 * describes CODEC_PRIORITYx_n as the "usage priority" of a codec (4.6.4.6), and its 5.3.1
 * examples exist to make the phone use G.729A where bandwidth is short, which only holds if
 * the priority also decides the codec of incoming calls.
 */
export function sdpOptionsFromSettings(line: LineSettings, rtp: DeviceSettings['rtp'], extras: SdpSettingsExtras = {}): SdpPolicy {
  const available = extras.available ?? DEFAULT_AVAILABLE;
  const names = orderCodecs(line.codecs, extras.g711Required ?? rtp.g711Required);
  const codecs: SdpCodec[] = [];
  for (const name of names) {
    const known = KNOWN_CODECS[name];
    if (!known || !available.includes(name)) continue;
    let codec: SdpCodec = known;
    const pt = extras.payloadTypes?.[name];
    if (pt !== undefined) codec = { ...codec, payloadType: pt };
    if (name === 'G729' && rtp.g729AnnexBNo) codec = { ...codec, fmtp: 'annexb=no' };
    if (name === 'ILBC' && extras.ilbcModeMs !== undefined) codec = { ...codec, fmtp: `mode=${extras.ilbcModeMs}` };
    codecs.push(codec);
  }
  const telephoneEvent = extras.telephoneEvent ?? line.outbandDtmf;
  return {
    codecs,
    ...(telephoneEvent ? { telephoneEvent: { payloadType: rtp.telephoneEventPayloadType, events: '0-15' } } : {}),
    ptimeMs: rtp.ptimeMs,
    username: line.sdpUserId,
    sessionName: extras.sessionName ?? '-',
    rtcpAttribute: line.rtcp.useSdpPort,
    useRemoteRtcpAttribute: line.rtcp.useSdpPort,
    rfc2543Hold: extras.rfc2543Hold ?? line.rfc2543Hold,
    inactiveHold: extras.inactiveHold ?? false,
    singleCodecAnswer: extras.singleCodecAnswer ?? false,
    answerOrder: extras.answerOrder ?? 'local',
    srtp: extras.srtp ?? 'off',
  };
}
