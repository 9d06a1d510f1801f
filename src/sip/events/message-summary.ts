// The message-summary event package body, application/simple-message-summary (RFC 3842 §5.2):
// the message-waiting indication behind the MWI LED.
//
//   Messages-Waiting: yes
//   Message-Account: sip:alice@vmail.example.com
//   Voice-Message: 2/8 (0/2)
//
// Header names compare case-insensitively; lines may end in CRLF or a bare LF (servers differ).
import { failure, ok, type Result } from '../../core/result.js';

export const MESSAGE_SUMMARY_EVENT = 'message-summary';
export const MESSAGE_SUMMARY_TYPE = 'application/simple-message-summary';

/** RFC 3842 §5.2 message-context-class (RFC 3458 classes). */
export type MessageClass = 'voice-message' | 'fax-message' | 'pager-message' | 'multimedia-message' | 'text-message' | 'none';

const CLASSES: readonly MessageClass[] = ['voice-message', 'fax-message', 'pager-message', 'multimedia-message', 'text-message', 'none'];

export interface MessageCounts {
  readonly newMessages: number;
  readonly oldMessages: number;
  /** The urgent part of the counts above, when the server sent `(new/old)`. */
  readonly newUrgent?: number;
  readonly oldUrgent?: number;
}

export interface MessageSummary {
  readonly messagesWaiting: boolean;
  readonly account?: string;
  /** Summary lines by class, in the order received. */
  readonly counts: Partial<Record<MessageClass, MessageCounts>>;
  /** opt-msg-headers after the blank line (RFC 3842 §5.2), as name/value pairs. */
  readonly extraHeaders: ReadonlyArray<readonly [string, string]>;
}

const COUNTS = /^(\d{1,9})\s*\/\s*(\d{1,9})(?:\s*\(\s*(\d{1,9})\s*\/\s*(\d{1,9})\s*\))?$/;

function bad(message: string): Result<never> {
  return failure('SIP_BAD_MESSAGE_SUMMARY', `message-summary: ${message}`);
}

/** Parses an application/simple-message-summary body. */
export function parseMessageSummary(body: string | Uint8Array): Result<MessageSummary> {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  const lines = text.split(/\r?\n/);
  let waiting: boolean | undefined;
  let account: string | undefined;
  const counts: Partial<Record<MessageClass, MessageCounts>> = {};
  const extraHeaders: Array<readonly [string, string]> = [];
  let inExtras = false;
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    if (line.trim() === '') {
      if (waiting !== undefined) inExtras = true;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) return bad(`line ${n + 1} is not "name: value"`);
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    const key = name.toLowerCase();
    if (inExtras) {
      extraHeaders.push([name, value]);
      continue;
    }
    if (waiting === undefined) {
      // RFC 3842 §5.2: the body starts with msg-status-line.
      if (key !== 'messages-waiting') return bad('first line must be Messages-Waiting');
      const v = value.toLowerCase();
      if (v !== 'yes' && v !== 'no') return bad(`Messages-Waiting must be yes or no, not '${value}'`);
      waiting = v === 'yes';
      continue;
    }
    if (key === 'message-account') {
      if (value === '') return bad('empty Message-Account');
      account = value;
      continue;
    }
    const cls = CLASSES.find((c) => c === key);
    if (cls === undefined) {
      // Unknown lines before the blank line: keep them (some servers omit the separator).
      extraHeaders.push([name, value]);
      continue;
    }
    const m = COUNTS.exec(value);
    if (!m) return bad(`malformed counts '${value}' for ${name}`);
    counts[cls] =
      m[3] === undefined
        ? { newMessages: Number(m[1]), oldMessages: Number(m[2]) }
        : { newMessages: Number(m[1]), oldMessages: Number(m[2]), newUrgent: Number(m[3]), oldUrgent: Number(m[4]) };
  }
  if (waiting === undefined) return bad('empty body');
  return ok({ messagesWaiting: waiting, account, counts, extraHeaders });
}

const DISPLAY: Record<MessageClass, string> = {
  'voice-message': 'Voice-Message',
  'fax-message': 'Fax-Message',
  'pager-message': 'Pager-Message',
  'multimedia-message': 'Multimedia-Message',
  'text-message': 'Text-Message',
  none: 'None',
};

/** Serialises a summary in the RFC 3842 §5.2 form (CRLF line ends). */
export function serializeMessageSummary(summary: MessageSummary): string {
  let s = `Messages-Waiting: ${summary.messagesWaiting ? 'yes' : 'no'}\r\n`;
  if (summary.account !== undefined) s += `Message-Account: ${summary.account}\r\n`;
  for (const cls of CLASSES) {
    const c = summary.counts[cls];
    if (!c) continue;
    s += `${DISPLAY[cls]}: ${c.newMessages}/${c.oldMessages}`;
    if (c.newUrgent !== undefined || c.oldUrgent !== undefined) s += ` (${c.newUrgent ?? 0}/${c.oldUrgent ?? 0})`;
    s += '\r\n';
  }
  if (summary.extraHeaders.length > 0) {
    s += '\r\n';
    for (const [name, value] of summary.extraHeaders) s += `${name}: ${value}\r\n`;
  }
  return s;
}
