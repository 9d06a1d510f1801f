// Call transfer from the transferor's side (RFC 5589 over RFC 3515 REFER): blind — REFER with
// Refer-To the target, progress from the sipfrag NOTIFYs, our call ends when the target answers
// (§6.1) — and attended (consultative, §7) — REFER to the transferee with Refer-To the Contact of
// the consultation call's peer and Replaces naming that dialog (RFC 3891), so the target swaps our
// consultation call for the transferee's new one.
import { failure, ok, type Result } from '../../core/result.js';
import { formatReferTo } from '../../sip/refer/refer-to.js';
import { replacesForDialog } from '../../sip/refer/replaces.js';
import { sendRefer, type Referral } from '../../sip/refer/referrer.js';
import type { UsageHost } from '../../sip/subscription/usage.js';
import type { Call } from '../call.js';

export interface TransferRequest {
  readonly host: UsageHost;
  /** Referred-By (RFC 3892): our address of record. */
  readonly referredBy: string;
  /** A12 9.12 Transfer Timeout: wait this long for the final NOTIFY; 0 = the default 180 s. */
  readonly timeoutS: number;
}

const DEFAULT_GUARD_S = 180;

/** Blind transfer of `call` to `target` (a SIP URI). */
export function blindTransfer(call: Call, target: string, request: TransferRequest): Result<Referral> {
  let referTo: string;
  try {
    referTo = formatReferTo(target);
  } catch (error) {
    return failure('CALL_BAD_TARGET', `transfer: ${(error as Error).message}`);
  }
  return refer(call, referTo, { kind: 'blind', target }, request);
}

/** Attended transfer: `call` (the transferee, usually held) goes to the peer of `consultation`. */
export function attendedTransfer(call: Call, consultation: Call, request: TransferRequest): Result<Referral> {
  const dialog = consultation.session.dialog;
  if (!dialog || consultation.session.state !== 'confirmed') return failure('CALL_BAD_STATE', `transfer: call ${consultation.id} is not established`);
  const referTo = formatReferTo(dialog.remoteTarget, replacesForDialog(dialog));
  return refer(call, referTo, { kind: 'attended', target: dialog.remoteTarget.toString() }, request);
}

function refer(call: Call, referTo: string, what: { kind: 'blind' | 'attended'; target: string }, request: TransferRequest): Result<Referral> {
  const dialog = call.session.dialog;
  if (!dialog || call.session.state !== 'confirmed') return failure('CALL_BAD_STATE', `transfer: call ${call.id} is not established`);
  if (call.transfer?.state === 'trying') return failure('CALL_BUSY', `transfer: call ${call.id} is already being transferred`);
  const referral = sendRefer({
    host: request.host,
    dialog,
    peer: call.session.remotePeer,
    referTo,
    referredBy: request.referredBy,
    guardS: request.timeoutS > 0 ? request.timeoutS : DEFAULT_GUARD_S,
  });
  const update = (state: 'trying' | 'done' | 'failed', status: number | undefined) => {
    call.transfer = { ...what, state, status };
    call.changed();
  };
  update('trying', undefined);
  referral.events.on('accepted', (r) => {
    update('trying', r.status);
    call.feature('transfer-progress', { status: r.status, detail: what.target });
  });
  referral.events.on('progress', (p) => {
    update('trying', p.status);
    call.feature('transfer-progress', { status: p.status, detail: what.target });
  });
  referral.events.on('done', ({ end, status }) => {
    if (end === 'completed' && status !== undefined && status >= 200 && status < 300) {
      update('done', status);
      call.feature('transferred', { status, detail: what.target });
      // RFC 5589 §6.1: the transferor ends its call with the transferee once the target answered.
      call.hangup();
      return;
    }
    update('failed', status);
    call.feature('transfer-failed', { ...(status !== undefined ? { status } : {}), detail: `${end}: ${what.target}` });
  });
  return ok(referral);
}
