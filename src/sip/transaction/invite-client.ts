// INVITE client transaction, RFC 3261 §17.1.1 (Figure 5) as updated by RFC 6026 §8.4: a 2xx
// moves it to Accepted, where further 2xx retransmissions still reach the TU (which ACKs them)
// until Timer M.
import { buildNon2xxAck, type SipRequest, type SipResponse } from '../message/index.js';
import { TransactionMachine, TransactionState as S, type TimerName, type TransactionConfig, type TxAction } from './types.js';

export class InviteClientTransaction extends TransactionMachine {
  private timerAMs: number;
  private ack: SipRequest | undefined;

  constructor(
    readonly request: SipRequest,
    config: TransactionConfig,
  ) {
    super(S.Calling, config);
    this.timerAMs = config.timers.t1Ms;
  }

  /** §17.1.1.2: send the INVITE, start Timer A (unreliable only) and Timer B. */
  start(): TxAction[] {
    this.send(this.request);
    if (this.unreliable) this.startTimer('A', this.timerAMs);
    this.startTimer('B', this.config.timers.bMs);
    return this.flush();
  }

  receiveResponse(response: SipResponse): TxAction[] {
    const status = response.status;
    switch (this.state) {
      case S.Calling:
      case S.Proceeding:
        if (status < 200) {
          if (this.state === S.Calling) {
            this.state = S.Proceeding;
            // §17.1.1.2: retransmissions stop once a provisional response arrives; Timer B only
            // applies in Calling.
            if (this.unreliable) this.stopTimer('A');
            this.stopTimer('B');
          }
          this.emit({ kind: 'deliver-response', response });
        } else if (status < 300) {
          this.stopTimers();
          this.state = S.Accepted;
          this.emit({ kind: 'deliver-response', response });
          this.startTimer('M', this.sixtyFourT1);
        } else {
          this.stopTimers();
          this.state = S.Completed;
          this.ack = buildNon2xxAck(this.request, response);
          this.send(this.ack);
          this.emit({ kind: 'deliver-response', response });
          // §17.1.1.2: Timer D at least 32 s for unreliable transports, zero for reliable ones.
          this.startTimer('D', this.unreliable ? this.config.timers.dMs : 0);
        }
        break;
      case S.Accepted:
        // RFC 6026 §8.4: 2xx retransmissions go to the TU; anything else is absorbed.
        if (status >= 200 && status < 300) this.emit({ kind: 'deliver-response', response });
        break;
      case S.Completed:
        // §17.1.1.2: a retransmitted final response gets the same ACK again, not the TU.
        if (status >= 300 && this.ack) this.send(this.ack);
        break;
      default:
        break;
    }
    return this.flush();
  }

  timerFired(name: TimerName): TxAction[] {
    if (name === 'A' && this.state === S.Calling) {
      this.send(this.request);
      this.timerAMs *= 2;
      this.startTimer('A', this.timerAMs);
    } else if (name === 'B' && this.state === S.Calling) {
      if (this.unreliable) this.stopTimer('A');
      this.emit({ kind: 'timeout', timer: 'B' });
      this.terminate();
    } else if ((name === 'D' && this.state === S.Completed) || (name === 'M' && this.state === S.Accepted)) {
      this.terminate();
    }
    return this.flush();
  }

  private stopTimers(): void {
    if (this.state === S.Calling) {
      if (this.unreliable) this.stopTimer('A');
      this.stopTimer('B');
    }
  }
}
