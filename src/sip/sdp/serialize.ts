// serializeSdp: a SessionDescription to its text, lines in the RFC 4566 §5 order, each ended by
// CRLF (§5: "the sequence CRLF is used to end a record"). serializeSdp(parseSdp(x)) === x for
// any x written in that order with CRLF line ends and single spaces.
import type { Attribute, Bandwidth, Connection, MediaDescription, SessionDescription } from './sdp.js';

export function formatConnection(c: Connection): string {
  let address = c.address;
  if (c.ttl !== undefined) address += `/${c.ttl}`;
  if (c.addressCount !== undefined) address += `/${c.addressCount}`;
  return `${c.netType} ${c.addressType} ${address}`;
}

function formatBandwidth(b: Bandwidth): string {
  return `${b.type}:${b.value}`;
}

export function formatAttribute(a: Attribute): string {
  return a.value === undefined ? a.name : `${a.name}:${a.value}`;
}

export function formatMediaLine(m: MediaDescription): string {
  const port = m.portCount !== undefined ? `${m.port}/${m.portCount}` : String(m.port);
  return [m.type, port, m.protocol, ...m.formats].join(' ');
}

export function serializeSdp(sd: SessionDescription): string {
  const out: string[] = [];
  const o = sd.origin;
  out.push(`v=${sd.version}`);
  out.push(`o=${o.username} ${o.sessionId} ${o.sessionVersion} ${o.netType} ${o.addressType} ${o.address}`);
  out.push(`s=${sd.sessionName}`);
  if (sd.information !== undefined) out.push(`i=${sd.information}`);
  if (sd.uri !== undefined) out.push(`u=${sd.uri}`);
  for (const e of sd.emails) out.push(`e=${e}`);
  for (const p of sd.phones) out.push(`p=${p}`);
  if (sd.connection) out.push(`c=${formatConnection(sd.connection)}`);
  for (const b of sd.bandwidths) out.push(`b=${formatBandwidth(b)}`);
  for (const t of sd.timings) {
    out.push(`t=${t.start} ${t.stop}`);
    for (const r of t.repeats) out.push(`r=${r}`);
  }
  if (sd.timeZones !== undefined) out.push(`z=${sd.timeZones}`);
  if (sd.key !== undefined) out.push(`k=${sd.key}`);
  for (const a of sd.attributes) out.push(`a=${formatAttribute(a)}`);
  for (const m of sd.media) {
    out.push(`m=${formatMediaLine(m)}`);
    if (m.title !== undefined) out.push(`i=${m.title}`);
    for (const c of m.connections) out.push(`c=${formatConnection(c)}`);
    for (const b of m.bandwidths) out.push(`b=${formatBandwidth(b)}`);
    if (m.key !== undefined) out.push(`k=${m.key}`);
    for (const a of m.attributes) out.push(`a=${formatAttribute(a)}`);
  }
  return out.join('\r\n') + '\r\n';
}
