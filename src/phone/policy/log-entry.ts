// What one ended call leaves in the call log (src/phone/call-log.ts). Pure.
import type { CallSnapshot } from '../call.js';
import type { NewCallLogEntry } from '../call-log.js';

export interface CallLogContext {
  /** Wall-clock time of the call's start. */
  readonly at: Date;
  /** Remote number and name as the policy read them (caller ID for incoming calls, the dialled number for outgoing ones). */
  readonly number: string;
  readonly name: string;
  /** Why the phone ended it, when a policy did (`forwarded`, `no-answer`, `talk-limit`, `busy`). */
  readonly outcome?: string;
}

function outgoingOutcome(s: CallSnapshot): string {
  if (s.answeredAt !== undefined) return 'answered';
  const st = s.endStatus;
  if (s.endReason === 'cancelled' || st === 487) return 'cancelled';
  if (st === 486 || st === 600) return 'busy';
  if (st !== undefined && st >= 300 && st < 400) return 'redirected';
  return s.endReason === 'declined' ? 'rejected' : 'failed';
}

function incomingOutcome(s: CallSnapshot): string {
  if (s.answeredAt !== undefined) return 'answered';
  if (s.endReason === 'cancelled') return 'cancelled';
  if (s.endReason === 'declined' || s.endReason === 'rejected') return 'rejected';
  return s.endReason ?? 'failed';
}

export function callLogEntry(s: CallSnapshot, ctx: CallLogContext): NewCallLogEntry {
  const answered = s.answeredAt !== undefined;
  const kind = s.direction === 'outgoing' ? 'outgoing' : answered ? 'incoming' : 'missed';
  const outcome = ctx.outcome ?? (s.direction === 'outgoing' ? outgoingOutcome(s) : incomingOutcome(s));
  const durationS = answered && s.endedAt !== undefined ? Math.round((s.endedAt - s.answeredAt!) / 1000) : 0;
  return {
    kind,
    line: s.line,
    at: ctx.at.toISOString(),
    remote: { number: ctx.number, name: ctx.name, uri: s.remote.uri },
    durationS,
    outcome,
    ...(!answered && s.endStatus !== undefined ? { status: s.endStatus } : {}),
    callId: s.callId,
  };
}
