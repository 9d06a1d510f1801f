// A deliberately tiny SIP client for the harness itself: readiness probes (OPTIONS) and the harness's
// own tests (e.g. SHA-256 digest, which SIPp 3.6 cannot do). It is not the project's SIP stack
// (src/sip) and must not grow into one; it sends one request and reads one final response.
import { createHash, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { assertLoopback } from './ports.js';
import type { Endpoint } from './ports.js';

export type SipTransport = 'udp' | 'tcp';

export interface SipResponse {
  status: number;
  reason: string;
  /** Header values by lower-case name, in message order. */
  headers: Map<string, string[]>;
  raw: string;
}

export interface RequestSpec {
  method: string;
  uri: string;
  from: string;
  to: string;
  transport: SipTransport;
  local: Endpoint;
  callId?: string;
  cseq?: number;
  contact?: string;
  headers?: readonly string[];
  body?: string;
}

export function randomToken(bytes = 6): string {
  return randomBytes(bytes).toString('hex');
}

/** A request in wire format (RFC 3261 §7, CRLF line ends). */
export function buildRequest(spec: RequestSpec): string {
  const body = spec.body ?? '';
  const lines = [
    `${spec.method} ${spec.uri} SIP/2.0`,
    `Via: SIP/2.0/${spec.transport.toUpperCase()} ${spec.local.address}:${spec.local.port};branch=z9hG4bK${randomToken()};rport`,
    'Max-Forwards: 70',
    `From: ${spec.from};tag=${randomToken(4)}`,
    `To: ${spec.to}`,
    `Call-ID: ${spec.callId ?? `${randomToken(8)}@${spec.local.address}`}`,
    `CSeq: ${spec.cseq ?? 1} ${spec.method}`,
    ...(spec.contact ? [`Contact: ${spec.contact}`] : []),
    'User-Agent: vphone-peers-probe',
    ...(spec.headers ?? []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ];
  return lines.join('\r\n');
}

/** Parses a response's start line and headers; undefined when `raw` is not a complete response head. */
export function parseResponse(raw: string): SipResponse | undefined {
  const headEnd = raw.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const lines = raw.slice(0, headEnd).split('\r\n');
  const start = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(lines[0] ?? '');
  if (!start) return undefined;
  const headers = new Map<string, string[]>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const list = headers.get(name) ?? [];
    list.push(line.slice(colon + 1).trim());
    headers.set(name, list);
  }
  return { status: Number(start[1]), reason: start[2] ?? '', headers, raw };
}

/**
 * Sends one request and resolves with the first final (>= 200) response, or undefined on timeout.
 * UDP requests are retransmitted every 500 ms (RFC 3261 §17.1.2.2, Timer E, without the doubling).
 */
export async function sendRequest(target: Endpoint, transport: SipTransport, build: (local: Endpoint) => string, timeoutMs = 2000): Promise<SipResponse | undefined> {
  assertLoopback(target.address);
  return transport === 'udp' ? sendUdp(target, build, timeoutMs) : sendTcp(target, build, timeoutMs);
}

function sendUdp(target: Endpoint, build: (local: Endpoint) => string, timeoutMs: number): Promise<SipResponse | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    let retransmit: NodeJS.Timeout | undefined;
    const done = (response: SipResponse | undefined): void => {
      clearTimeout(timer);
      clearInterval(retransmit);
      socket.close();
      resolve(response);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.on('error', () => done(undefined));
    socket.on('message', (data) => {
      const response = parseResponse(data.toString('utf8'));
      if (response && response.status >= 200) done(response);
    });
    // Bind the same loopback address as the target: never the wildcard address.
    socket.bind({ address: target.address, port: 0 }, () => {
      const message = Buffer.from(build({ address: target.address, port: socket.address().port }));
      const send = (): void => socket.send(message, target.port, target.address);
      send();
      retransmit = setInterval(send, 500);
    });
  });
}

function sendTcp(target: Endpoint, build: (local: Endpoint) => string, timeoutMs: number): Promise<SipResponse | undefined> {
  return new Promise((resolve) => {
    let received = '';
    const socket = connect({ host: target.address, port: target.port, localAddress: target.address });
    const done = (response: SipResponse | undefined): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(response);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    socket.on('error', () => done(undefined));
    socket.on('connect', () => socket.write(build({ address: socket.localAddress ?? target.address, port: socket.localPort ?? 0 })));
    socket.on('data', (data) => {
      received += data.toString('utf8');
      // Responses may arrive back to back on a stream; look at each complete head in turn.
      for (;;) {
        const response = parseResponse(received);
        if (!response) return;
        const length = Number(response.headers.get('content-length')?.[0] ?? '0');
        const total = received.indexOf('\r\n\r\n') + 4 + length;
        if (received.length < total) return;
        received = received.slice(total);
        if (response.status >= 200) return done(response);
      }
    });
  });
}

/** OPTIONS to the server itself (no user part): Kamailio's keepalive answer is 200. */
export function sipOptions(target: Endpoint, transport: SipTransport, timeoutMs = 1000): Promise<SipResponse | undefined> {
  const uri = `sip:${target.address}:${target.port}${transport === 'tcp' ? ';transport=tcp' : ''}`;
  return sendRequest(
    target,
    transport,
    (local) => buildRequest({ method: 'OPTIONS', uri, from: `<sip:probe@${local.address}>`, to: `<${uri}>`, transport, local }),
    timeoutMs,
  );
}

// ---- Digest (RFC 2617, RFC 8760 for SHA-256) ----

export type DigestAlgorithm = 'MD5' | 'SHA-256';

/** Parses `Digest realm="x", nonce="y", qop="auth"` into lower-case keys. */
export function parseDigestChallenge(value: string): Map<string, string> {
  const params = new Map<string, string>();
  const body = value.replace(/^\s*Digest\s+/i, '');
  const re = /([A-Za-z-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (let m = re.exec(body); m; m = re.exec(body)) params.set(m[1]!.toLowerCase(), m[2] ?? m[3] ?? '');
  return params;
}

function hash(algorithm: DigestAlgorithm, text: string): string {
  return createHash(algorithm === 'MD5' ? 'md5' : 'sha256').update(text).digest('hex');
}

/** The Authorization (or Proxy-Authorization) header value answering `challenge`. */
export function digestAuthorization(challenge: string, credentials: { username: string; password: string; method: string; uri: string }): string {
  const p = parseDigestChallenge(challenge);
  const algorithm: DigestAlgorithm = (p.get('algorithm') ?? 'MD5').toUpperCase() === 'SHA-256' ? 'SHA-256' : 'MD5';
  const realm = p.get('realm') ?? '';
  const nonce = p.get('nonce') ?? '';
  const qop = (p.get('qop') ?? '').split(',').map((q) => q.trim()).includes('auth') ? 'auth' : undefined;
  const ha1 = hash(algorithm, `${credentials.username}:${realm}:${credentials.password}`);
  const ha2 = hash(algorithm, `${credentials.method}:${credentials.uri}`);
  const cnonce = randomToken(8);
  const nc = '00000001';
  const response = qop ? hash(algorithm, `${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : hash(algorithm, `${ha1}:${nonce}:${ha2}`);
  const parts = [`username="${credentials.username}"`, `realm="${realm}"`, `nonce="${nonce}"`, `uri="${credentials.uri}"`, `response="${response}"`, `algorithm=${algorithm}`];
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`);
  const opaque = p.get('opaque');
  if (opaque !== undefined) parts.push(`opaque="${opaque}"`);
  return `Digest ${parts.join(', ')}`;
}
