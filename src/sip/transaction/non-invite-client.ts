// Non-INVITE client transaction, RFC 3261 §17.1.2 (Figure 6): Timer E doubles up to T2 while
// Trying and stays at T2 once Proceeding; Timer F ends it; Timer K absorbs retransmissions.
import type { SipRequest, SipResponse } from '../message/index.js';
import { TransactionMachine, TransactionState as S, type TimerName, type TransactionConfig, type TxAction } from './types.js';

export class NonInviteClientTransaction extends TransactionMachine {
  private timerEMs: number;

  constructor(
    readonly request: SipRequest,
    config: TransactionConfig,
  ) {
    super(S.Trying, config);
    this.timerEMs = config.timers.t1Ms;
  }

  start(): TxAction[] {
    this.send(this.request);
    if (this.unreliable) this.startTimer('E', this.timerEMs);
    this.startTimer('F', this.config.timers.fMs);
    return this.flush();
  }

  receiveResponse(response: SipResponse): TxAction[] {
    if (this.state !== S.Trying && this.state !== S.Proceeding) return [];
    if (response.status < 200) {
      this.state = S.Proceeding;
      this.emit({ kind: 'deliver-response', response });
    } else {
      if (this.unreliable) this.stopTimer('E');
      this.stopTimer('F');
      this.state = S.Completed;
      this.emit({ kind: 'deliver-response', response });
      // §17.1.2.2: Timer K = T4 for unreliable transports, zero for reliable ones.
      this.startTimer('K', this.unreliable ? this.config.timers.t4Ms : 0);
    }
    return this.flush();
  }

  timerFired(name: TimerName): TxAction[] {
    const { t2Ms } = this.config.timers;
    if (name === 'E' && (this.state === S.Trying || this.state === S.Proceeding)) {
      this.send(this.request);
      this.timerEMs = this.state === S.Trying ? Math.min(2 * this.timerEMs, t2Ms) : t2Ms;
      this.startTimer('E', this.timerEMs);
    } else if (name === 'F' && (this.state === S.Trying || this.state === S.Proceeding)) {
      if (this.unreliable) this.stopTimer('E');
      this.emit({ kind: 'timeout', timer: 'F' });
      this.terminate();
    } else if (name === 'K' && this.state === S.Completed) {
      this.terminate();
    }
    return this.flush();
  }
}
