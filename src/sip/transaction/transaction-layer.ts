// The transaction layer's driver: matches messages to the four sans-IO machines and carries out
// their actions with the injected Clock and a send function. It owns no socket; the transport
// layer calls receive() and provides send().
import type { Clock, Timer } from '../../core/clock.js';
import type { SipMessage, SipRequest, SipResponse } from '../message/index.js';
import { isRequest } from '../message/index.js';
import { InviteClientTransaction } from './invite-client.js';
import { InviteServerTransaction } from './invite-server.js';
import { NonInviteClientTransaction } from './non-invite-client.js';
import { NonInviteServerTransaction } from './non-invite-server.js';
import { clientKey, inviteKeyForCancel, serverKey } from './keys.js';
import { RFC3261_TIMERS, type TimerName, type TransactionConfig, type TransactionMachine, type TransactionTimers, type TxAction } from './types.js';

export type TransportName = 'udp' | 'tcp' | 'tls';

/** Where a message came from or goes to. */
export interface Peer {
  readonly address: string;
  readonly port: number;
  readonly transport: TransportName;
}

export interface ClientHandlers {
  onResponse(response: SipResponse): void;
  /** Timer B or F: the TU treats this as a 408 (RFC 3261 §8.1.3.1). */
  onTimeout(): void;
  /** Treated as a 503 (RFC 3261 §8.1.3.1). */
  onTransportError(): void;
  onTerminated?(): void;
}

export interface TransactionUser {
  /**
   * A request that starts a server transaction (`tx` defined), or an ACK that matched none (a 2xx
   * ACK, `tx` undefined).
   */
  onRequest(request: SipRequest, tx: ServerTransaction | undefined, source: Peer): void;
  /** A response no client transaction claims (e.g. a 2xx retransmission after Accepted ended). */
  onStrayResponse?(response: SipResponse, source: Peer): void;
  /** Timer H: the ACK for a final response never came (RFC 3261 §17.2.1). */
  onServerTimeout?(tx: ServerTransaction): void;
  onServerTransportError?(tx: ServerTransaction): void;
}

export interface TransactionLayerOptions {
  clock: Clock;
  /** Sends one message; returns false when the transport failed at once. */
  send(message: SipMessage, peer: Peer): boolean;
  tu: TransactionUser;
  /** Timer values for a server transaction (per line on a phone); default RFC 3261. */
  serverTimers?(request: SipRequest): TransactionTimers;
}

interface Entry {
  readonly key: string;
  readonly machine: TransactionMachine;
  readonly peer: Peer;
  readonly timers: Map<TimerName, TxTimer>;
  /** The pending cleanup-only timer (see CLEANUP_TIMERS), kept by the layer's sweep. */
  cleanup: { readonly timer: TimerName; readonly dueMs: number } | undefined;
}

/**
 * A transaction timer on the clock. The clock's queue drops a cancelled timer only when it reaches
 * the top, so a Timer F cancelled by the response stays queued for its full 32 s; the callback
 * reaches the transaction only through `entry`, which cancel() clears, so a finished transaction
 * (request, response, machine) is not kept alive, and promoted to the old generation, by its
 * dead timers.
 */
class TxTimer {
  handle: Timer | undefined;

  constructor(
    public entry: Entry | undefined,
    readonly name: TimerName,
  ) {}

  cancel(): void {
    this.entry = undefined;
    this.handle?.cancel();
  }
}

/**
 * Timers that only end a transaction in Completed / Confirmed and send nothing: D (§17.1.1.2), K
 * (§17.1.2.2), I (§17.2.1), J (§17.2.2). They bound how long retransmissions are absorbed, so
 * ending the transaction somewhat later is harmless (Timer D is specified as "at least 32 s";
 * RFC 3261 §17 lets the others be longer too, only the retransmit timers set the wire schedule).
 * Their deadlines are rounded up to a SWEEP_GRID_MS grid on the clock and swept by one timer per
 * layer, so the cleanups of many lines (6,000 REGISTER refreshes every 54 s) share one event-loop
 * wake-up per grid step instead of one each. Timers that transmit or report (A, B, E, F, G, H, L,
 * M) keep their exact deadlines.
 */
const CLEANUP_TIMERS: ReadonlySet<TimerName> = new Set<TimerName>(['D', 'I', 'J', 'K']);
export const SWEEP_GRID_MS = 250;

export class ClientTransaction {
  constructor(
    readonly request: SipRequest,
    /** @internal */ readonly entry: Entry,
  ) {}

  get state(): string {
    return this.entry.machine.state;
  }
}

export class ServerTransaction {
  constructor(
    readonly request: SipRequest,
    readonly source: Peer,
    private readonly layer: TransactionLayer,
    /** @internal */ readonly entry: Entry,
  ) {}

  get state(): string {
    return this.entry.machine.state;
  }

  /** The TU's response; retransmissions and timers are the transaction's business. */
  respond(response: SipResponse): void {
    this.layer.respond(this, response);
  }
}

export class TransactionLayer {
  private readonly clients = new Map<string, { entry: Entry; handlers: ClientHandlers }>();
  private readonly servers = new Map<string, { entry: Entry; tx: ServerTransaction }>();
  /** Entries with a pending cleanup timer, and the one clock timer that sweeps them. */
  private readonly cleanups = new Set<Entry>();
  private sweepTimer: Timer | undefined;

  constructor(private readonly options: TransactionLayerOptions) {}

  get clientCount(): number {
    return this.clients.size;
  }

  get serverCount(): number {
    return this.servers.size;
  }

  /** Starts a client transaction for `request` (which must carry its top Via with a branch). */
  sendRequest(request: SipRequest, peer: Peer, handlers: ClientHandlers, timers: TransactionTimers = RFC3261_TIMERS): ClientTransaction {
    if (request.method === 'ACK') throw new Error('sip: ACK is sent without a transaction');
    const key = clientKey(request);
    if (key === undefined) throw new Error('sip: request needs a top Via with a branch');
    if (this.clients.has(key)) throw new Error(`sip: client transaction ${key} exists`);
    const config: TransactionConfig = { timers, reliable: peer.transport !== 'udp' };
    const machine = request.method === 'INVITE' ? new InviteClientTransaction(request, config) : new NonInviteClientTransaction(request, config);
    const entry: Entry = { key, machine, peer, timers: new Map(), cleanup: undefined };
    this.clients.set(key, { entry, handlers });
    this.run(entry, machine.start());
    return new ClientTransaction(request, entry);
  }

  /** Sends a message outside any transaction (ACK for 2xx, 2xx retransmissions by the UA core). */
  sendStateless(message: SipMessage, peer: Peer): boolean {
    return this.options.send(message, peer);
  }

  /** A parsed message from the transport. */
  receive(message: SipMessage, source: Peer): void {
    if (isRequest(message)) this.receiveRequest(message, source);
    else this.receiveResponse(message, source);
  }

  /** The INVITE server transaction a CANCEL refers to (RFC 3261 §9.2), if still there. */
  findInviteForCancel(cancel: SipRequest): ServerTransaction | undefined {
    return this.servers.get(inviteKeyForCancel(cancel))?.tx;
  }

  /** Asynchronous transport failure reported for a transaction's peer (ICMP, TCP reset). */
  transportErrorFor(tx: ClientTransaction | ServerTransaction): void {
    this.run(tx.entry, tx.entry.machine.transportError());
  }

  /** @internal */
  respond(tx: ServerTransaction, response: SipResponse): void {
    const m = tx.entry.machine;
    const actions = m instanceof InviteServerTransaction || m instanceof NonInviteServerTransaction ? m.sendResponse(response) : [];
    this.run(tx.entry, actions);
  }

  /** Stops every timer (device shutdown). */
  clear(): void {
    for (const { entry } of [...this.clients.values(), ...this.servers.values()]) for (const t of entry.timers.values()) t.cancel();
    this.clients.clear();
    this.servers.clear();
    this.cleanups.clear();
    this.sweepTimer?.cancel();
    this.sweepTimer = undefined;
  }

  /** Keeps a cleanup timer's deadline for the sweep (see CLEANUP_TIMERS). */
  private startCleanup(entry: Entry, timer: TimerName, delayMs: number): void {
    entry.cleanup = { timer, dueMs: this.options.clock.now() + delayMs };
    this.cleanups.add(entry);
    this.armSweep();
  }

  private stopCleanup(entry: Entry): void {
    if (entry.cleanup === undefined) return;
    entry.cleanup = undefined;
    this.cleanups.delete(entry);
    if (this.cleanups.size === 0) {
      this.sweepTimer?.cancel();
      this.sweepTimer = undefined;
    }
  }

  /** (Re)arms the sweep for the earliest cleanup deadline, rounded up to the grid. */
  private armSweep(): void {
    let earliest = Infinity;
    for (const e of this.cleanups) if (e.cleanup!.dueMs < earliest) earliest = e.cleanup!.dueMs;
    if (earliest === Infinity) return;
    const dueMs = Math.ceil(earliest / SWEEP_GRID_MS) * SWEEP_GRID_MS;
    if (this.sweepTimer !== undefined) {
      if (this.sweepTimer.dueMs === dueMs) return;
      this.sweepTimer.cancel();
    }
    const clock = this.options.clock;
    this.sweepTimer = clock.setTimer(dueMs - clock.now(), () => this.sweep(dueMs), 'sip-tx sweep');
  }

  private sweep(gridMs: number): void {
    this.sweepTimer = undefined;
    const limit = Math.max(gridMs, this.options.clock.now());
    const due: Entry[] = [];
    for (const e of this.cleanups) if (e.cleanup!.dueMs <= limit) due.push(e);
    for (const e of due) {
      const timer = e.cleanup!.timer;
      this.stopCleanup(e);
      this.run(e, e.machine.timerFired(timer));
    }
    this.armSweep();
  }

  private receiveResponse(response: SipResponse, source: Peer): void {
    const key = clientKey(response);
    const client = key === undefined ? undefined : this.clients.get(key);
    if (!client) {
      this.options.tu.onStrayResponse?.(response, source);
      return;
    }
    const m = client.entry.machine as InviteClientTransaction | NonInviteClientTransaction;
    this.run(client.entry, m.receiveResponse(response));
  }

  private receiveRequest(request: SipRequest, source: Peer): void {
    const key = serverKey(request);
    const existing = this.servers.get(key);
    if (existing) {
      const m = existing.entry.machine as InviteServerTransaction | NonInviteServerTransaction;
      this.run(existing.entry, m.receiveRequest(request));
      return;
    }
    if (request.method === 'ACK') {
      // An ACK for a 2xx has its own branch and no transaction (RFC 3261 §17.2.3, §13.3.1.4).
      this.options.tu.onRequest(request, undefined, source);
      return;
    }
    const timers = this.options.serverTimers?.(request) ?? RFC3261_TIMERS;
    const config: TransactionConfig = { timers, reliable: source.transport !== 'udp' };
    const machine = request.method === 'INVITE' ? new InviteServerTransaction(request, config) : new NonInviteServerTransaction(request, config);
    const entry: Entry = { key, machine, peer: source, timers: new Map(), cleanup: undefined };
    const tx = new ServerTransaction(request, source, this, entry);
    this.servers.set(key, { entry, tx });
    this.options.tu.onRequest(request, tx, source);
  }

  private timerFired(timer: TxTimer): void {
    const entry = timer.entry;
    if (entry === undefined) return;
    timer.entry = undefined;
    entry.timers.delete(timer.name);
    this.run(entry, entry.machine.timerFired(timer.name));
  }

  private run(entry: Entry, actions: readonly TxAction[]): void {
    for (const action of actions) {
      switch (action.kind) {
        case 'send':
          if (!this.options.send(action.message, entry.peer)) {
            // Synchronous transport failure: feed it back into the machine (§17.1.4, §17.2.4).
            this.run(entry, entry.machine.transportError());
            return;
          }
          break;
        case 'start-timer': {
          if (CLEANUP_TIMERS.has(action.timer) && action.delayMs > 0) {
            this.startCleanup(entry, action.timer, action.delayMs);
            break;
          }
          entry.timers.get(action.timer)?.cancel();
          const timer = new TxTimer(entry, action.timer);
          timer.handle = this.options.clock.setTimer(action.delayMs, () => this.timerFired(timer), `sip-tx ${action.timer} ${entry.key}`);
          entry.timers.set(action.timer, timer);
          break;
        }
        case 'stop-timer':
          if (entry.cleanup?.timer === action.timer) this.stopCleanup(entry);
          entry.timers.get(action.timer)?.cancel();
          entry.timers.delete(action.timer);
          break;
        case 'deliver-response':
          this.clients.get(entry.key)?.handlers.onResponse(action.response);
          break;
        case 'deliver-ack': {
          const server = this.servers.get(entry.key);
          if (server) this.options.tu.onRequest(action.ack, undefined, entry.peer);
          break;
        }
        case 'timeout': {
          const client = this.clients.get(entry.key);
          if (client) client.handlers.onTimeout();
          else {
            const server = this.servers.get(entry.key);
            if (server) this.options.tu.onServerTimeout?.(server.tx);
          }
          break;
        }
        case 'transport-error': {
          const client = this.clients.get(entry.key);
          if (client) client.handlers.onTransportError();
          else {
            const server = this.servers.get(entry.key);
            if (server) this.options.tu.onServerTransportError?.(server.tx);
          }
          break;
        }
        case 'terminated':
          for (const t of entry.timers.values()) t.cancel();
          entry.timers.clear();
          this.stopCleanup(entry);
          this.clients.get(entry.key)?.handlers.onTerminated?.();
          if (this.clients.get(entry.key)?.entry === entry) this.clients.delete(entry.key);
          if (this.servers.get(entry.key)?.entry === entry) this.servers.delete(entry.key);
          break;
      }
    }
  }
}
