// Writes UDP datagrams as a pcap file (LINKTYPE_IPV4, 228) so tshark can check them: each record
// is an IPv4 header (with its checksum) + UDP header (checksum 0: "none", RFC 768) + payload,
// time-stamped with the given milliseconds.
import { writeFileSync } from 'node:fs';

export interface PcapDatagram {
  timeMs: number;
  from: { address: string; port: number };
  to: { address: string; port: number };
  bytes: Uint8Array;
}

const LINKTYPE_IPV4 = 228;

function ipBytes(a: string): number[] {
  return a.split('.').map((x) => Number(x));
}

export function pcapBytes(datagrams: readonly PcapDatagram[], epochS = 1_767_225_600): Uint8Array {
  const size = 24 + datagrams.reduce((n, d) => n + 16 + 28 + d.bytes.length, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0xa1b2c3d4, true);
  v.setUint16(4, 2, true);
  v.setUint16(6, 4, true);
  v.setUint32(16, 65535, true);
  v.setUint32(20, LINKTYPE_IPV4, true);
  let o = 24;
  datagrams.forEach((d, id) => {
    const len = 28 + d.bytes.length;
    const us = Math.round(d.timeMs * 1000);
    v.setUint32(o, epochS + Math.floor(us / 1e6), true);
    v.setUint32(o + 4, us % 1e6, true);
    v.setUint32(o + 8, len, true);
    v.setUint32(o + 12, len, true);
    o += 16;
    const ip = o;
    out[ip] = 0x45;
    v.setUint16(ip + 2, len);
    v.setUint16(ip + 4, id & 0xffff);
    out[ip + 8] = 64; // TTL
    out[ip + 9] = 17; // UDP
    out.set(ipBytes(d.from.address), ip + 12);
    out.set(ipBytes(d.to.address), ip + 16);
    let sum = 0;
    for (let i = 0; i < 20; i += 2) sum += v.getUint16(ip + i);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    v.setUint16(ip + 10, ~sum & 0xffff);
    v.setUint16(ip + 20, d.from.port);
    v.setUint16(ip + 22, d.to.port);
    v.setUint16(ip + 24, 8 + d.bytes.length);
    out.set(d.bytes, ip + 28);
    o += len;
  });
  return out;
}

export function writePcap(path: string, datagrams: readonly PcapDatagram[]): void {
  writeFileSync(path, pcapBytes(datagrams));
}
