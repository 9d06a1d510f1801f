// Non-INVITE server transaction, RFC 3261 §17.2.2 (Figure 8).
import type { SipRequest, SipResponse } from '../message/index.js';
import { TransactionMachine, TransactionState as S, type TimerName, type TransactionConfig, type TxAction } from './types.js';

export class NonInviteServerTransaction extends TransactionMachine {
  private lastResponse: SipResponse | undefined;

  constructor(
    readonly request: SipRequest,
    config: TransactionConfig,
  ) {
    super(S.Trying, config);
  }

  /** A retransmission of the request: the last response again, or nothing while Trying. */
  receiveRequest(_request: SipRequest): TxAction[] {
    if ((this.state === S.Proceeding || this.state === S.Completed) && this.lastResponse) this.send(this.lastResponse);
    return this.flush();
  }

  sendResponse(response: SipResponse): TxAction[] {
    if (this.state !== S.Trying && this.state !== S.Proceeding) return [];
    this.send(response);
    this.lastResponse = response;
    if (response.status < 200) {
      this.state = S.Proceeding;
    } else {
      this.state = S.Completed;
      // §17.2.2: Timer J = 64*T1 for unreliable transports (KX-UT670 SIP_TIMER_J_n), zero for reliable.
      this.startTimer('J', this.unreliable ? this.config.timers.jMs : 0);
    }
    return this.flush();
  }

  timerFired(name: TimerName): TxAction[] {
    if (name === 'J' && this.state === S.Completed) this.terminate();
    return this.flush();
  }
}
