// multipart/related bodies (RFC 2387 over RFC 2046 §5.1.1), as RFC 4662 §5 list NOTIFYs carry
// them: the `boundary` parameter splits the body into parts, each with its own MIME headers
// (Content-Type, Content-ID, Content-Transfer-Encoding) and bytes; the `start` parameter names
// the root part (default: the first one), `type` its content type. Bytes are kept as they are:
// only binary/7bit/8bit and base64 transfer encodings are understood.
import { failure, ok, type Result } from '../../core/result.js';
import { parseMediaType, type MediaType } from '../message/index.js';

export const MULTIPART_RELATED = 'multipart/related';

export interface BodyPart {
  /** MIME headers, names lower-cased. */
  readonly headers: ReadonlyMap<string, string>;
  readonly contentType: MediaType | undefined;
  /** Content-ID without the angle brackets (what an RLMI `cid` attribute names, RFC 2392). */
  readonly contentId: string | undefined;
  readonly body: Buffer;
}

export interface Multipart {
  readonly type: MediaType;
  readonly parts: readonly BodyPart[];
  /** The part the `start` parameter names, else the first (RFC 2387 §3.2). */
  readonly root: BodyPart;
}

function bad(message: string): Result<never> {
  return failure('SIP_BAD_MULTIPART', `multipart: ${message}`);
}

/** `<id>` → `id` (Content-ID and the start parameter, RFC 2392). */
export function bareContentId(v: string | undefined): string | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  return t.startsWith('<') && t.endsWith('>') ? t.slice(1, -1).trim() : t;
}

/** Offsets of each delimiter line `--boundary` that starts a line (RFC 2046 §5.1.1). */
function delimiters(body: Buffer, boundary: string): number[] {
  const dash = Buffer.from(`--${boundary}`, 'latin1');
  const out: number[] = [];
  for (let i = body.indexOf(dash); i >= 0; i = body.indexOf(dash, i + dash.length)) {
    if (i === 0 || body[i - 1] === 0x0a) out.push(i);
  }
  return out;
}

/** The bytes before the line break that precedes a delimiter (CRLF or a bare LF). */
function trimBreak(body: Buffer, end: number): number {
  if (end > 0 && body[end - 1] === 0x0a) end--;
  if (end > 0 && body[end - 1] === 0x0d) end--;
  return end;
}

function parsePart(raw: Buffer, index: number): Result<BodyPart> {
  let split = raw.indexOf('\r\n\r\n');
  let gap = 4;
  const lf = raw.indexOf('\n\n');
  if (split < 0 || (lf >= 0 && lf < split)) [split, gap] = [lf, 2];
  // A part with no headers starts with its empty line (RFC 2046 §5.1.1: defaults apply).
  if (raw[0] === 0x0d && raw[1] === 0x0a) [split, gap] = [0, 2];
  else if (raw[0] === 0x0a) [split, gap] = [0, 1];
  if (split < 0) return bad(`part ${index + 1} has no empty line after its headers`);
  const headers = new Map<string, string>();
  const lines = raw.subarray(0, split).toString('latin1').split(/\r?\n/);
  for (const line of lines) {
    if (line === '') continue;
    if (/^[ \t]/.test(line) && headers.size > 0) {
      // Folded continuation of the previous header.
      const last = [...headers.keys()].pop()!;
      headers.set(last, `${headers.get(last)!} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return bad(`part ${index + 1} has a malformed header line '${line.slice(0, 40)}'`);
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  let body = raw.subarray(split + gap);
  const encoding = (headers.get('content-transfer-encoding') ?? 'binary').toLowerCase();
  if (encoding === 'base64') body = Buffer.from(body.toString('latin1'), 'base64');
  else if (encoding !== 'binary' && encoding !== '7bit' && encoding !== '8bit') return bad(`part ${index + 1} has transfer encoding '${encoding}'`);
  const typeText = headers.get('content-type');
  const contentType = typeText === undefined ? undefined : parseMediaType(typeText);
  if (typeText !== undefined && contentType === undefined) return bad(`part ${index + 1} has a malformed Content-Type '${typeText}'`);
  return ok({ headers, contentType, contentId: bareContentId(headers.get('content-id')), body });
}

/** Splits a multipart body; `contentType` is the message's Content-Type. */
export function parseMultipart(body: Buffer | string, contentType: MediaType | string): Result<Multipart> {
  const type = typeof contentType === 'string' ? parseMediaType(contentType) : contentType;
  if (!type) return bad(`malformed Content-Type '${String(contentType)}'`);
  if (type.type !== 'multipart') return bad(`${type.mimeType} is not multipart`);
  const boundary = type.params.getUnquoted('boundary');
  if (boundary === undefined || boundary === '' || boundary.length > 70) return bad('missing or invalid boundary parameter');
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  const at = delimiters(bytes, boundary);
  const parts: BodyPart[] = [];
  let closed = false;
  for (let k = 0; k < at.length; k++) {
    const lineEnd = at[k]! + boundary.length + 2;
    if (bytes[lineEnd] === 0x2d && bytes[lineEnd + 1] === 0x2d) {
      closed = true;
      break;
    }
    const next = at[k + 1];
    if (next === undefined) break;
    const nl = bytes.indexOf(0x0a, lineEnd);
    if (nl < 0 || nl >= next) return bad(`delimiter ${k + 1} is not followed by a line break`);
    const part = parsePart(bytes.subarray(nl + 1, trimBreak(bytes, next)), parts.length);
    if (!part.ok) return part;
    parts.push(part.value);
  }
  if (!closed) return bad(`no closing delimiter --${boundary}--`);
  if (parts.length === 0) return bad('no body parts');
  const start = bareContentId(type.params.getUnquoted('start'));
  const root = start === undefined ? parts[0]! : parts.find((p) => p.contentId === start);
  if (!root) return bad(`start part <${start ?? ''}> is not in the body`);
  return ok({ type, parts, root });
}
