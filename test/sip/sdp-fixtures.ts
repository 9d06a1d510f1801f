// Golden session descriptions as real peers write them, shared by the SDP tests. Each is written
// the way the named stack emits it (line order, rtpmap habits, attributes), CRLF-terminated.

const crlf = (lines: string[]): string => lines.join('\r\n') + '\r\n';

/** SIPp's built-in uac scenario (`sipp -sn uac`): PCMU only, no a=ptime, no direction. */
export const SIPP_UAC = crlf([
  'v=0',
  'o=user1 53655765 2353687637 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 6000 RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
]);

/** baresip 3.x: opus first, G.722, G.711, telephone-event, rtcp-mux, a tool line. */
export const BARESIP = crlf([
  'v=0',
  'o=- 1943410457 3408766427 IN IP4 192.0.2.10',
  's=-',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'a=tool:baresip 3.10.1',
  'm=audio 10040 RTP/AVP 96 9 0 8 101',
  'b=AS:128',
  'a=rtpmap:96 opus/48000/2',
  'a=fmtp:96 stereo=1;sprop-stereo=1',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=rtcp-mux',
  'a=label:1',
  'a=ptime:20',
  'a=sendrecv',
]);

/**
 * Asterisk (chan_pjsip) with many codecs; static payload types without a=rtpmap (3 GSM, 18
 * G729, as older endpoints and some gateways write them), a dynamic one with no rtpmap at all
 * (122) which must be ignored, a maxptime, and telephone-event at 8000 and 16000.
 */
export const ASTERISK = crlf([
  'v=0',
  'o=- 1703520512 1703520514 IN IP4 198.51.100.7',
  's=Asterisk',
  'c=IN IP4 198.51.100.7',
  't=0 0',
  'm=audio 12468 RTP/AVP 107 3 18 9 8 0 122 110 101',
  'a=rtpmap:107 opus/48000/2',
  'a=fmtp:107 useinbandfec=1',
  'a=fmtp:18 annexb=no',
  'a=rtpmap:9 G722/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:110 telephone-event/16000',
  'a=fmtp:110 0-16',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-16',
  'a=ptime:20',
  'a=maxptime:150',
  'a=sendrecv',
]);

/** A gateway on IPv6 with media-level c= and an RFC 3605 a=rtcp carrying an address. */
export const IPV6 = crlf([
  'v=0',
  'o=gw 2890844526 2890844527 IN IP6 2001:db8::1',
  's=-',
  't=0 0',
  'm=audio 49170 RTP/AVP 8 101',
  'c=IN IP6 2001:db8::1',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=rtcp:49171 IN IP6 2001:db8::2',
  'a=ptime:30',
]);

/** RFC 4566 §5 example: multicast c= with TTL, session-level recvonly, audio and video. */
export const RFC4566_EXAMPLE = crlf([
  'v=0',
  'o=jdoe 2890844526 2890842807 IN IP4 10.47.16.5',
  's=SDP Seminar',
  'i=A Seminar on the session description protocol',
  'u=http://www.example.com/seminars/sdp.pdf',
  'e=j.doe@example.com (Jane Doe)',
  'c=IN IP4 224.2.17.12/127',
  't=2873397496 2873404696',
  'a=recvonly',
  'm=audio 49170 RTP/AVP 0',
  'm=video 51372 RTP/AVP 99',
  'a=rtpmap:99 h263-1998/90000',
]);

/** RFC 4568 §8.1-style SDES offer (RTP/SAVP, two suites, lifetime and MKI). */
export const SRTP_OFFER = crlf([
  'v=0',
  'o=sam 2890844526 2890842807 IN IP4 192.0.2.5',
  's=SRTP Discussion',
  'c=IN IP4 192.0.2.12',
  't=0 0',
  'm=audio 49170 RTP/SAVP 0 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz|2^20|1:4 FEC_ORDER=FEC_SRTP',
  'a=crypto:2 AES_CM_128_HMAC_SHA1_32 inline:NzB4d1BINUAvLEw6UzF3WSJ+PSdFcGdUJShpX1Zj|2^20|1:32',
]);

/** A T.38 re-INVITE from a fax gateway: m=image udptl. */
export const T38_REOFFER = crlf([
  'v=0',
  'o=- 1703520512 1703520515 IN IP4 198.51.100.7',
  's=-',
  'c=IN IP4 198.51.100.7',
  't=0 0',
  'm=image 4000 udptl t38',
  'a=T38FaxVersion:0',
  'a=T38MaxBitRate:14400',
  'a=T38FaxRateManagement:transferredTCF',
]);

/** A video phone: audio plus video, G.711 only. */
export const AUDIO_VIDEO = crlf([
  'v=0',
  'o=- 4 2 IN IP4 203.0.113.9',
  's=-',
  'c=IN IP4 203.0.113.9',
  't=0 0',
  'm=video 9078 RTP/AVP 99',
  'a=rtpmap:99 H264/90000',
  'a=fmtp:99 profile-level-id=42801F',
  'm=audio 9076 RTP/AVP 0 8 101',
  'a=rtpmap:101 telephone-event/8000',
  'a=sendrecv',
]);
