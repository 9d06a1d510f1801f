// What presence needs from one SIP line: its UA core (subscriptions, out-of-dialog NOTIFYs), its
// identity and its routing. The device's SIP service adapts its SipLine to this.
import type { Result } from '../../core/result.js';
import type { UsageHost } from '../../sip/subscription/usage.js';
import type { OutOfDialogHandler } from '../../sip/ua/user-agent.js';
import type { CallTarget } from '../phone-line.js';

/**
 * mwi and shared-line: the line's own address-of-record at its registrar/proxy; blf: a watched
 * user or a resource list (maybe via the presence server).
 */
export type PresencePurpose = 'mwi' | 'blf' | 'shared-line';

export interface PresenceLine {
  readonly number: number;
  readonly ua: UsageHost & { handleOutOfDialog(method: string, handler: OutOfDialogHandler): () => void };
  /** From of our SUBSCRIBEs (address-of-record, no tag). */
  readonly from: string;
  /** The account's user part: message-summary is subscribed at the line's own AOR (RFC 3842 §3). */
  readonly user: string;
  /** Whether the line registers at all (a registrar is set): only such lines subscribe. */
  readonly registers: boolean;
  route(dialled: string, purpose: PresencePurpose): Promise<Result<CallTarget>>;
}
