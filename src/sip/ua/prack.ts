// Reliable provisional responses (RFC 3262). The UAS half numbers reliable 18x with RSeq, sends
// one at a time, retransmits each at T1 doubling until its PRACK (§3) and gives up after 64*T1;
// the UAC half tells new reliable 18x from retransmissions and out-of-order ones (§4).
import type { Clock, Timer } from '../../core/clock.js';
import type { RAck, SipResponse } from '../message/index.js';
import { H } from '../message/index.js';

export interface ReliableSenderHost {
  readonly clock: Clock;
  readonly t1Ms: number;
  /** Sends (or re-sends) the response on the INVITE server transaction. */
  send(response: SipResponse): void;
  /** §3: retransmitted for 64*T1 without PRACK: the UAS rejects the INVITE with a 5xx. */
  giveUp(): void;
}

interface Outstanding {
  readonly response: SipResponse;
  readonly rseq: number;
  timer: Timer | undefined;
  intervalMs: number;
  elapsedMs: number;
}

/** UAS: reliable 18x for one INVITE. */
export class ReliableProvisionalSender {
  private nextRseq: number;
  private outstanding: Outstanding | undefined;
  private readonly queue: SipResponse[] = [];
  private readonly idleWaiters: Array<() => void> = [];

  constructor(
    private readonly host: ReliableSenderHost,
    random: () => number,
    private readonly inviteSeq: number,
  ) {
    // §3: the first RSeq is chosen at random between 1 and 2**31 - 1.
    this.nextRseq = 1 + Math.floor(random() * (2 ** 31 - 2));
  }

  /** True while a reliable provisional waits for its PRACK or for its turn. */
  get busy(): boolean {
    return this.outstanding !== undefined || this.queue.length > 0;
  }

  /** Sends `response` reliably (adds Require: 100rel and RSeq), or queues it behind the outstanding one. */
  send(response: SipResponse): void {
    if (this.outstanding) {
      // §3: no second reliable provisional until the first is acknowledged.
      this.queue.push(response);
      return;
    }
    const rseq = this.nextRseq++;
    response.headers.append('Require', '100rel');
    response.headers.append('RSeq', String(rseq));
    const o: Outstanding = { response, rseq, timer: undefined, intervalMs: this.host.t1Ms, elapsedMs: 0 };
    this.outstanding = o;
    this.host.send(response);
    this.arm(o);
  }

  /** §3: a PRACK whose RAck matches the outstanding response acknowledges it. */
  matches(rack: RAck | undefined): boolean {
    const o = this.outstanding;
    return o !== undefined && rack !== undefined && rack.rseq === o.rseq && rack.cseq === this.inviteSeq && rack.method === 'INVITE';
  }

  /** Acknowledges the outstanding response (after `matches`): the next one or the 2xx may go. */
  receivePrack(rack: RAck | undefined): boolean {
    const o = this.outstanding;
    if (!o || !this.matches(rack)) return false;
    o.timer?.cancel();
    this.outstanding = undefined;
    const next = this.queue.shift();
    if (next) this.send(next);
    else for (const waiter of this.idleWaiters.splice(0)) waiter();
    return true;
  }

  /** Runs `fn` once no reliable provisional is outstanding (at once when idle). */
  whenIdle(fn: () => void): void {
    if (this.busy) this.idleWaiters.push(fn);
    else fn();
  }

  stop(): void {
    this.outstanding?.timer?.cancel();
    this.outstanding = undefined;
    this.queue.length = 0;
    this.idleWaiters.length = 0;
  }

  private arm(o: Outstanding): void {
    const limit = 64 * this.host.t1Ms;
    const delay = Math.min(o.intervalMs, limit - o.elapsedMs);
    o.timer = this.host.clock.setTimer(
      delay,
      () => {
        o.elapsedMs += delay;
        if (o.elapsedMs >= limit) {
          this.stop();
          this.host.giveUp();
          return;
        }
        this.host.send(o.response);
        o.intervalMs *= 2; // §3: T1 doubling, no T2 cap
        this.arm(o);
      },
      'sip 100rel retransmit',
    );
  }
}

export type ReliableVerdict = 'new' | 'retransmission' | 'out-of-order' | 'unreliable';

/** UAC: per early dialog (To tag), the RSeq of the last reliable provisional accepted (§4). */
export class RseqTracker {
  private readonly last = new Map<string, number>();

  classify(response: SipResponse): ReliableVerdict {
    const rseq = response.value(H.RSeq);
    const tag = response.to.tag;
    const reliable = (response.value(H.Require) ?? []).some((t) => t.toLowerCase() === '100rel');
    if (!reliable || rseq === undefined || tag === undefined || response.status === 100) return 'unreliable';
    const last = this.last.get(tag);
    if (last !== undefined && rseq <= last) return 'retransmission';
    // §4: after the first, only RSeq = last + 1 is in order; a later one is discarded (not PRACKed).
    if (last !== undefined && rseq !== last + 1) return 'out-of-order';
    this.last.set(tag, rseq);
    return 'new';
  }
}
