// INVITE server transaction, RFC 3261 §17.2.1 (Figure 7) as updated by RFC 6026 §8.5-8.7: after a
// 2xx it waits in Accepted (Timer L) absorbing INVITE retransmissions and passing ACKs to the TU;
// after a 3xx-6xx it retransmits the response on Timer G until the ACK or Timer H.
import type { SipRequest, SipResponse } from '../message/index.js';
import { TransactionMachine, TransactionState as S, type TimerName, type TransactionConfig, type TxAction } from './types.js';

export class InviteServerTransaction extends TransactionMachine {
  private lastProvisional: SipResponse | undefined;
  private finalResponse: SipResponse | undefined;
  private timerGMs: number;

  constructor(
    readonly request: SipRequest,
    config: TransactionConfig,
  ) {
    super(S.Proceeding, config);
    this.timerGMs = config.timers.t1Ms;
  }

  /** A retransmitted INVITE or an ACK matched to this transaction (§17.2.3). */
  receiveRequest(request: SipRequest): TxAction[] {
    const isAck = request.method === 'ACK';
    switch (this.state) {
      case S.Proceeding:
        // §17.2.1: a retransmitted INVITE gets the most recent provisional response again.
        if (!isAck && this.lastProvisional) this.send(this.lastProvisional);
        break;
      case S.Completed:
        if (isAck) {
          this.state = S.Confirmed;
          if (this.unreliable) this.stopTimer('G');
          this.stopTimer('H');
          this.startTimer('I', this.unreliable ? this.config.timers.t4Ms : 0);
        } else if (this.finalResponse) {
          this.send(this.finalResponse);
        }
        break;
      case S.Accepted:
        // RFC 6026 §8.7: ACKs for the 2xx go to the TU; INVITE retransmissions are absorbed
        // (the TU's core retransmits the 2xx itself, §13.3.1.4).
        if (isAck) this.emit({ kind: 'deliver-ack', ack: request });
        break;
      default:
        break;
    }
    return this.flush();
  }

  /** The TU sends a response. */
  sendResponse(response: SipResponse): TxAction[] {
    const status = response.status;
    if (this.state === S.Proceeding) {
      this.send(response);
      if (status < 200) {
        this.lastProvisional = response;
      } else if (status < 300) {
        this.state = S.Accepted;
        this.startTimer('L', this.sixtyFourT1);
      } else {
        this.state = S.Completed;
        this.finalResponse = response;
        if (this.unreliable) this.startTimer('G', this.timerGMs);
        this.startTimer('H', this.config.timers.hMs);
      }
    } else if (this.state === S.Accepted && status >= 200 && status < 300) {
      // RFC 6026 §8.6: 2xx retransmissions from the TU pass through.
      this.send(response);
    }
    return this.flush();
  }

  timerFired(name: TimerName): TxAction[] {
    if (name === 'G' && this.state === S.Completed && this.finalResponse) {
      this.send(this.finalResponse);
      this.timerGMs = Math.min(2 * this.timerGMs, this.config.timers.t2Ms);
      this.startTimer('G', this.timerGMs);
    } else if (name === 'H' && this.state === S.Completed) {
      if (this.unreliable) this.stopTimer('G');
      this.emit({ kind: 'timeout', timer: 'H' });
      this.terminate();
    } else if ((name === 'I' && this.state === S.Confirmed) || (name === 'L' && this.state === S.Accepted)) {
      this.terminate();
    }
    return this.flush();
  }
}
