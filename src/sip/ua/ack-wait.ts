// RFC 3261 §13.3.1.4: a UAS core retransmits the 2xx to an INVITE (initial or re-INVITE) at T1
// doubling up to T2 until the ACK arrives (UDP only), and gives up after 64*T1.
import type { Clock, Timer } from '../../core/clock.js';
import type { TransactionTimers } from '../transaction/types.js';

export class AckWait {
  private retransmit: Timer | undefined;
  private guard: Timer | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly timers: TransactionTimers,
    private readonly resend: () => void,
    onNoAck: () => void,
    unreliable: boolean,
  ) {
    if (unreliable) this.schedule(timers.t1Ms);
    this.guard = clock.setTimer(
      64 * timers.t1Ms,
      () => {
        this.guard = undefined;
        this.stop();
        onNoAck();
      },
      'sip 2xx ack guard',
    );
  }

  /** Whether the ACK is still awaited. */
  get waiting(): boolean {
    return this.guard !== undefined;
  }

  /** The ACK came: returns true the first time. */
  ack(): boolean {
    const first = this.guard !== undefined;
    this.stop();
    return first;
  }

  stop(): void {
    this.retransmit?.cancel();
    this.retransmit = undefined;
    this.guard?.cancel();
    this.guard = undefined;
  }

  private schedule(intervalMs: number): void {
    this.retransmit = this.clock.setTimer(
      intervalMs,
      () => {
        this.resend();
        this.schedule(Math.min(2 * intervalMs, this.timers.t2Ms));
      },
      'sip 2xx retransmit',
    );
  }
}
