// Sans-IO transactions (RFC 3261 §17): each state machine takes one event (start, message in,
// timer fired, transport error) and returns the actions its driver performs, so tests assert the
// exact action lists and schedules in virtual time.
import type { SipMessage, SipRequest, SipResponse } from '../message/index.js';

/** RFC 3261 Table 4 timers, plus L and M of RFC 6026. */
export type TimerName = 'A' | 'B' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M';

export type TxAction =
  | { readonly kind: 'send'; readonly message: SipMessage }
  | { readonly kind: 'start-timer'; readonly timer: TimerName; readonly delayMs: number }
  | { readonly kind: 'stop-timer'; readonly timer: TimerName }
  /** Client: a response for the transaction user (TU). */
  | { readonly kind: 'deliver-response'; readonly response: SipResponse }
  /** INVITE server in Accepted (RFC 6026 §8.7): an ACK for a 2xx goes to the TU. */
  | { readonly kind: 'deliver-ack'; readonly ack: SipRequest }
  /** Timer B or F (client), Timer H (INVITE server, no ACK): the TU sees a timeout (408 for a client). */
  | { readonly kind: 'timeout'; readonly timer: TimerName }
  | { readonly kind: 'transport-error' }
  | { readonly kind: 'terminated' };

/**
 * Timer values. Defaults are RFC 3261's; a KX-UT670 line sets them from SIP_TIMER_T1_n, _T2_n,
 * _T4_n, _B_n, _D_n, _F_n, _H_n and _J_n (5.8.2). Timer I and K equal T4 (Table 4); L and M are
 * 64*T1 (RFC 6026).
 */
export interface TransactionTimers {
  readonly t1Ms: number;
  readonly t2Ms: number;
  readonly t4Ms: number;
  readonly bMs: number;
  readonly dMs: number;
  readonly fMs: number;
  readonly hMs: number;
  readonly jMs: number;
}

export const RFC3261_TIMERS: TransactionTimers = { t1Ms: 500, t2Ms: 4000, t4Ms: 5000, bMs: 32000, dMs: 32000, fMs: 32000, hMs: 32000, jMs: 32000 };

export interface TransactionConfig {
  readonly timers: TransactionTimers;
  /** Reliable transport (TCP, TLS): no retransmissions; D, I, J, K are zero (§17.1.1.2, §17.2.2). */
  readonly reliable: boolean;
}

/** State names as the RFC writes them (string enums read well in logs). */
export enum TransactionState {
  Calling = 'Calling',
  Trying = 'Trying',
  Proceeding = 'Proceeding',
  Accepted = 'Accepted',
  Completed = 'Completed',
  Confirmed = 'Confirmed',
  Terminated = 'Terminated',
}

/** Shared bookkeeping of the four machines: current state and the action list being built. */
export abstract class TransactionMachine {
  state: TransactionState;
  protected out: TxAction[] = [];

  protected constructor(
    initial: TransactionState,
    protected readonly config: TransactionConfig,
  ) {
    this.state = initial;
  }

  get terminated(): boolean {
    return this.state === TransactionState.Terminated;
  }

  /** Timer `name` fired. Stale timers (already stopped by the driver's race) are ignored. */
  abstract timerFired(name: TimerName): TxAction[];

  /** The transport could not send (ICMP error, TCP reset): RFC 3261 §17.1.4, §17.2.4. */
  transportError(): TxAction[] {
    if (this.terminated) return [];
    this.emit({ kind: 'transport-error' });
    this.terminate();
    return this.flush();
  }

  protected emit(action: TxAction): void {
    this.out.push(action);
  }

  protected send(message: SipMessage): void {
    this.emit({ kind: 'send', message });
  }

  protected startTimer(timer: TimerName, delayMs: number): void {
    this.emit({ kind: 'start-timer', timer, delayMs });
  }

  protected stopTimer(timer: TimerName): void {
    this.emit({ kind: 'stop-timer', timer });
  }

  protected terminate(): void {
    this.state = TransactionState.Terminated;
    this.emit({ kind: 'terminated' });
  }

  protected flush(): TxAction[] {
    const actions = this.out;
    this.out = [];
    return actions;
  }

  protected get unreliable(): boolean {
    return !this.config.reliable;
  }

  /** 64*T1, the RFC 6026 wait in Accepted (Timers L and M). */
  protected get sixtyFourT1(): number {
    return 64 * this.config.timers.t1Ms;
  }
}
