// serializeMessage: a SipMessage to wire bytes (RFC 3261 §7). Header fields are written in
// message order with their canonical names ("Name: value"), one field per line, CRLF line ends;
// Content-Length is always written and always equals the body's byte length (at the position of
// the first Content-Length field, or last when there was none). For a message that was already
// in this canonical form, serializeMessage(parseMessage(x)) === x byte for byte, and as long as
// such a message is unchanged those parsed bytes are returned as they are (SipMessage.wireBytes).
import type { SipMessage } from './message.js';

/**
 * The message's wire bytes. For an unchanged parsed message in canonical form this is the very
 * buffer it was parsed from (no copy, like a parsed body, which is a view onto it too): callers
 * send it and never write into it.
 */
export function serializeMessage(msg: SipMessage): Buffer {
  const wire = msg.wireBytes;
  if (wire !== undefined) return wire;
  const startLine = msg.startLine;
  const head = msg.headText(startLine);
  const body = msg.body;
  // ASCII head (the usual case): one byte per character, no UTF-8 length pass.
  const ascii = msg.headers.ascii && msg.startLineIsAscii;
  const headBytes = ascii ? head.length : Buffer.byteLength(head, 'utf8');
  const out = Buffer.allocUnsafe(headBytes + body.length);
  out.write(head, 0, ascii ? 'latin1' : 'utf8');
  if (body.length > 0) body.copy(out, headBytes);
  return out;
}
