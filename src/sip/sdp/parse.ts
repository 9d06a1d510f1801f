// parseSdp: the bytes of an application/sdp body to a SessionDescription, or an SdpFailure that
// names the line (`sdp: line 4: m= line has a non-numeric port "abc"`). Never throws.
//
// RFC 4566 §5: `<type>=<value>` lines, CRLF (LF accepted, §5: "parsers SHOULD be tolerant"),
// session section v o s [i] [u] e* p* [c] b* (t r*)* [z] [k] a*, then media sections
// m [i] c* b* [k] a*. What is checked, and how strictly:
//  - v=0 first, then o= (six fields, numeric session id and version), s= present: every SIP
//    SDP has them, and RFC 4566 §5 makes them required.
//  - The other session-level lines may come in any order (they are serialized in the §5 order):
//    real stacks are not all tidy about it, and the order carries no meaning.
//    DEVIATION: a missing t= is accepted (timings empty) for the same reason.
//  - An unknown type letter fails the whole description (§5: "a parser MUST completely ignore
//    any session description that contains a type letter that it does not understand").
//  - c=, b=, m=, t= are parsed; a media stream with a non-zero port needs a c= at media or
//    session level (§5.7). IPv4 literals must be valid dotted quads; FQDNs are accepted.
//  - RTP profiles (`RTP/AVP`, `RTP/SAVP`, `RTP/AVPF`, `UDP/TLS/RTP/SAVPF`…) need numeric
//    payload types 0–127 (RFC 3551 §3).
//  - a= values are kept raw; the typed readings live in attributes.ts and an attribute that
//    does not parse there is ignored like an unknown one (§5.13), never an error.
import { sdpFailure, type Attribute, type Bandwidth, type Connection, type MediaDescription, type SdpFailure, type SessionDescription, type Timing } from './sdp.js';

/** Largest body accepted: a UDP datagram cannot carry more. */
export const MAX_SDP_BYTES = 65_535;
/** More media sections than any phone call carries; bounds the work done on hostile input. */
export const MAX_SDP_MEDIA = 64;

type Failed = { readonly ok: false; readonly error: SdpFailure };
type Parsed = { readonly ok: true; readonly value: SessionDescription } | Failed;

const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+$/;
const DIGITS = /^[0-9]+$/;
const PROTO = /^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+(\/[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+)*$/;
const TYPED_TIME = /^-?[0-9]+[dhms]?$/;
const IP4_LIKE = /^[0-9.]+$/;

/** Parses one SDP body. Never throws: any input gives a description or an SdpFailure. */
export function parseSdp(input: string | Uint8Array): Parsed {
  try {
    return parseUnchecked(typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input), input.length);
  } catch (e) {
    // Defence in depth for untrusted input; the fuzz tests assert this path is never taken.
    return sdpFailure('SDP_BAD_LINE', `internal parser error: ${(e as Error).message}`);
  }
}

/** A value quoted for an error message, cut to a readable length. */
function show(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

function bad(line: number, message: string): Failed {
  return sdpFailure('SDP_BAD_LINE', message, { line });
}

interface MutableMedia {
  type: string;
  port: number;
  portCount?: number;
  protocol: string;
  formats: string[];
  title?: string;
  connections: Connection[];
  bandwidths: Bandwidth[];
  key?: string;
  attributes: Attribute[];
  line: number;
}

function parseUnchecked(text: string, size: number): Parsed {
  if (size > MAX_SDP_BYTES) return sdpFailure('SDP_TOO_LARGE', `body of ${size} bytes exceeds ${MAX_SDP_BYTES}`);
  const rawLines = text.split('\n');
  let version: number | undefined;
  let origin: SessionDescription['origin'] | undefined;
  let sessionName: string | undefined;
  let information: string | undefined;
  let uri: string | undefined;
  const emails: string[] = [];
  const phones: string[] = [];
  let connection: Connection | undefined;
  const bandwidths: Bandwidth[] = [];
  const timings: Timing[] = [];
  let timeZones: string | undefined;
  let key: string | undefined;
  const attributes: Attribute[] = [];
  const media: MutableMedia[] = [];
  let seenAny = false;

  for (let i = 0; i < rawLines.length; i++) {
    const n = i + 1;
    let line = rawLines[i]!;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line === '') continue; // blank lines (a trailing CRLF, doubled line ends) carry nothing
    if (line.length < 2 || line[1] !== '=' || line[0]! < 'a' || line[0]! > 'z') {
      return bad(n, `expected "<type>=<value>", got ${show(line)}`);
    }
    if (/[\0\r]/.test(line)) return bad(n, 'line contains a NUL or bare CR character');
    const type = line[0]!;
    const value = line.slice(2);

    if (!seenAny) {
      seenAny = true;
      if (type !== 'v') return bad(n, `the first line must be v=0, got ${show(line)}`);
    }
    const m = media[media.length - 1];

    switch (type) {
      case 'v':
        if (version !== undefined) return bad(n, 'duplicate v= line');
        if (value !== '0') return bad(n, `unsupported protocol version v=${value} (only v=0 exists)`);
        version = 0;
        break;
      case 'o': {
        if (m) return bad(n, 'o= line inside a media description');
        if (origin) return bad(n, 'duplicate o= line');
        const f = value.split(' ');
        if (f.length !== 6 || f.some((x) => x === '')) return bad(n, `o= line needs 6 fields "<username> <sess-id> <sess-version> <nettype> <addrtype> <address>", got ${show(value)}`);
        const [username, sessionId, sessionVersion, netType, addressType, address] = f as [string, string, string, string, string, string];
        if (!DIGITS.test(sessionId)) return bad(n, `o= line has a non-numeric session id ${show(sessionId)}`);
        if (!DIGITS.test(sessionVersion)) return bad(n, `o= line has a non-numeric session version ${show(sessionVersion)}`);
        if (!TOKEN.test(netType) || !TOKEN.test(addressType)) return bad(n, `o= line has a bad network or address type ${show(`${netType} ${addressType}`)}`);
        origin = { username, sessionId, sessionVersion, netType, addressType, address };
        break;
      }
      case 's':
        if (m) return bad(n, 's= line inside a media description');
        if (sessionName !== undefined) return bad(n, 'duplicate s= line');
        sessionName = value;
        break;
      case 'i':
        if (m) {
          if (m.title !== undefined) return bad(n, 'duplicate i= line in a media description');
          m.title = value;
        } else {
          if (information !== undefined) return bad(n, 'duplicate i= line');
          information = value;
        }
        break;
      case 'u':
        if (m) return bad(n, 'u= line inside a media description');
        if (uri !== undefined) return bad(n, 'duplicate u= line');
        uri = value;
        break;
      case 'e':
        if (m) return bad(n, 'e= line inside a media description');
        emails.push(value);
        break;
      case 'p':
        if (m) return bad(n, 'p= line inside a media description');
        phones.push(value);
        break;
      case 'c': {
        const c = parseConnection(value, n);
        if (!c.ok) return c;
        if (m) m.connections.push(c.value);
        else {
          if (connection) return bad(n, 'duplicate session-level c= line');
          connection = c.value;
        }
        break;
      }
      case 'b': {
        const b = parseBandwidth(value, n);
        if (!b.ok) return b;
        (m ? m.bandwidths : bandwidths).push(b.value);
        break;
      }
      case 't': {
        if (m) return bad(n, 't= line inside a media description');
        const f = value.split(' ');
        if (f.length !== 2 || !DIGITS.test(f[0]!) || !DIGITS.test(f[1]!)) return bad(n, `t= line needs "<start-time> <stop-time>" in decimal, got ${show(value)}`);
        timings.push({ start: f[0]!, stop: f[1]!, repeats: [] });
        break;
      }
      case 'r': {
        if (m) return bad(n, 'r= line inside a media description');
        const last = timings[timings.length - 1];
        if (!last) return bad(n, 'r= line without a preceding t= line');
        const f = value.split(' ');
        if (f.length < 3 || !f.every((x) => TYPED_TIME.test(x))) return bad(n, `r= line needs "<interval> <duration> <offsets>...", got ${show(value)}`);
        (last.repeats as string[]).push(value);
        break;
      }
      case 'z': {
        if (m) return bad(n, 'z= line inside a media description');
        if (timeZones !== undefined) return bad(n, 'duplicate z= line');
        const f = value.split(' ');
        if (f.length % 2 !== 0 || !f.every((x) => TYPED_TIME.test(x))) return bad(n, `z= line needs "<adjustment-time> <offset>" pairs, got ${show(value)}`);
        timeZones = value;
        break;
      }
      case 'k':
        if (m) {
          if (m.key !== undefined) return bad(n, 'duplicate k= line in a media description');
          m.key = value;
        } else {
          if (key !== undefined) return bad(n, 'duplicate k= line');
          key = value;
        }
        break;
      case 'a': {
        const colon = value.indexOf(':');
        const name = colon < 0 ? value : value.slice(0, colon);
        if (!TOKEN.test(name)) return bad(n, `a= line has a bad attribute name ${show(name)}`);
        const attribute: Attribute = colon < 0 ? { name } : { name, value: value.slice(colon + 1) };
        (m ? m.attributes : attributes).push(attribute);
        break;
      }
      case 'm': {
        if (media.length >= MAX_SDP_MEDIA) return sdpFailure('SDP_TOO_LARGE', `more than ${MAX_SDP_MEDIA} media descriptions`, { line: n });
        const parsed = parseMediaLine(value, n);
        if (!parsed.ok) return parsed;
        media.push(parsed.value);
        break;
      }
      default:
        // RFC 4566 §5: unknown type letters make the whole description unusable.
        return bad(n, `unknown line type "${type}="`);
    }
  }

  if (!seenAny) return sdpFailure('SDP_EMPTY', 'empty session description');
  if (!origin) return sdpFailure('SDP_MISSING_LINE', 'missing o= line');
  if (sessionName === undefined) return sdpFailure('SDP_MISSING_LINE', 'missing s= line');
  for (const md of media) {
    if (md.port !== 0 && !connection && md.connections.length === 0) {
      return sdpFailure('SDP_MISSING_LINE', `m=${md.type} stream has no c= line at media or session level`, { line: md.line });
    }
  }

  const description: SessionDescription = {
    version: version ?? 0,
    origin,
    sessionName,
    ...(information !== undefined ? { information } : {}),
    ...(uri !== undefined ? { uri } : {}),
    emails,
    phones,
    ...(connection ? { connection } : {}),
    bandwidths,
    timings,
    ...(timeZones !== undefined ? { timeZones } : {}),
    ...(key !== undefined ? { key } : {}),
    attributes,
    media: media.map(({ line: _line, ...rest }): MediaDescription => rest),
  };
  return { ok: true, value: description };
}

function parseConnection(value: string, n: number): { ok: true; value: Connection } | Failed {
  const f = value.split(' ');
  if (f.length !== 3 || f.some((x) => x === '')) return bad(n, `c= line needs "<nettype> <addrtype> <address>", got ${show(value)}`);
  const [netType, addressType, full] = f as [string, string, string];
  if (!TOKEN.test(netType) || !TOKEN.test(addressType)) return bad(n, `c= line has a bad network or address type ${show(`${netType} ${addressType}`)}`);
  const parts = full.split('/');
  const address = parts[0]!;
  if (address === '') return bad(n, `c= line has an empty address ${show(full)}`);
  let ttl: number | undefined;
  let addressCount: number | undefined;
  if (addressType === 'IP4') {
    if (IP4_LIKE.test(address) && !isIPv4(address)) return bad(n, `c= line has a bad IPv4 address ${show(address)}`);
    if (parts.length > 3) return bad(n, `c= line has too many "/" parts in ${show(full)}`);
    if (parts.length >= 2) {
      if (!DIGITS.test(parts[1]!) || Number(parts[1]) > 255) return bad(n, `c= line has a bad multicast TTL ${show(parts[1]!)}`);
      ttl = Number(parts[1]);
    }
    if (parts.length === 3) {
      if (!DIGITS.test(parts[2]!) || Number(parts[2]) < 1 || parts[2]!.length > 5) return bad(n, `c= line has a bad address count ${show(parts[2]!)}`);
      addressCount = Number(parts[2]);
    }
  } else if (addressType === 'IP6') {
    if (address.includes(':') && !/^[0-9A-Fa-f:.]+$/.test(address)) return bad(n, `c= line has a bad IPv6 address ${show(address)}`);
    if (parts.length > 2) return bad(n, `c= line has too many "/" parts in ${show(full)}`);
    if (parts.length === 2) {
      if (!DIGITS.test(parts[1]!) || Number(parts[1]) < 1 || parts[1]!.length > 5) return bad(n, `c= line has a bad address count ${show(parts[1]!)}`);
      addressCount = Number(parts[1]);
    }
  } else if (parts.length > 1) {
    // Unknown address types keep the address whole.
    return { ok: true, value: { netType, addressType, address: full } };
  }
  return {
    ok: true,
    value: { netType, addressType, address, ...(ttl !== undefined ? { ttl } : {}), ...(addressCount !== undefined ? { addressCount } : {}) },
  };
}

function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^[0-9]{1,3}$/.test(p) && Number(p) <= 255);
}

function parseBandwidth(value: string, n: number): { ok: true; value: Bandwidth } | Failed {
  const colon = value.indexOf(':');
  const type = colon < 0 ? '' : value.slice(0, colon);
  const amount = colon < 0 ? '' : value.slice(colon + 1);
  if (!TOKEN.test(type) || !DIGITS.test(amount) || amount.length > 15) return bad(n, `b= line needs "<bwtype>:<bandwidth>", got ${show(value)}`);
  return { ok: true, value: { type, value: Number(amount) } };
}

function parseMediaLine(value: string, n: number): { ok: true; value: MutableMedia } | Failed {
  const f = value.split(' ');
  if (f.length < 3 || f.slice(0, 3).some((x) => x === '')) return bad(n, `m= line needs "<media> <port> <proto> <fmt>...", got ${show(value)}`);
  const [type, portText, protocol] = f as [string, string, string];
  if (!TOKEN.test(type)) return bad(n, `m= line has a bad media type ${show(type)}`);
  const slash = portText.indexOf('/');
  const portPart = slash < 0 ? portText : portText.slice(0, slash);
  if (!DIGITS.test(portPart)) return bad(n, `m= line has a non-numeric port ${show(portPart)}`);
  const port = Number(portPart);
  if (portPart.length > 5 || port > 65535) return bad(n, `m= line has a port out of range ${show(portPart)}`);
  let portCount: number | undefined;
  if (slash >= 0) {
    const countText = portText.slice(slash + 1);
    if (!DIGITS.test(countText) || countText.length > 5 || Number(countText) < 1) return bad(n, `m= line has a bad port count ${show(countText)}`);
    portCount = Number(countText);
  }
  if (!PROTO.test(protocol)) return bad(n, `m= line has a bad transport protocol ${show(protocol)}`);
  const formats = f.slice(3);
  if (formats.some((x) => x === '')) return bad(n, `m= line has an empty format (doubled or trailing space) in ${show(value)}`);
  if (formats.length === 0 && port !== 0) return bad(n, 'm= line lists no media formats');
  const isRtp = /(^|\/)RTP\//i.test(protocol);
  for (const fmt of formats) {
    if (isRtp) {
      if (!DIGITS.test(fmt) || fmt.length > 3 || Number(fmt) > 127) return bad(n, `m= line has a bad RTP payload type ${show(fmt)} (RFC 3551: 0-127)`);
    } else if (!TOKEN.test(fmt)) {
      return bad(n, `m= line has a bad format ${show(fmt)}`);
    }
  }
  return {
    ok: true,
    value: {
      type,
      port,
      ...(portCount !== undefined ? { portCount } : {}),
      protocol,
      formats,
      connections: [],
      bandwidths: [],
      attributes: [],
      line: n,
    },
  };
}
