// What the UDP and stream transports share: options, counters, events, the Via they write and
// recognise, and the inbound pipeline (source filter → processInbound → deliver / 400 / drop).
// Nothing thrown below a socket callback escapes: guard() catches, counts and logs it.
import { Emitter } from '../../core/events.js';
import type { Clock } from '../../core/clock.js';
import { silentLogger, type Logger } from '../../core/logger.js';
import { isRequest, serializeMessage, type SipMessage, type Via } from '../message/index.js';
import type { Peer, TransportName } from '../transaction/transaction-layer.js';
import { defaultPort, normalizeAddress, sameAddress } from './address.js';
import { processInbound, type InboundContext } from './inbound.js';
import { buildVia, completeRequestVia, type ViaIdentity } from './outbound-via.js';
import { StatsCounter, type TransportStats } from './stats.js';
import type { DropReason, LocalEndpoint, SipTransport, TransportEvents, TransportOptions } from './types.js';

export abstract class TransportBase implements SipTransport {
  abstract readonly protocol: TransportName;
  abstract readonly reliable: boolean;
  readonly events: Emitter<TransportEvents>;
  protected readonly clock: Clock;
  protected readonly log: Logger;
  protected readonly counters: StatsCounter;
  protected bound: LocalEndpoint | undefined;
  protected closed = false;
  private readonly inboundContext: InboundContext;

  protected constructor(
    protected readonly options: TransportOptions,
    protocol: TransportName,
    maxMessageBytes: number,
  ) {
    this.clock = options.clock;
    this.log = (options.logger ?? silentLogger()).child({ component: 'sip-transport', transport: protocol });
    this.counters = new StatsCounter(protocol);
    // A listener (the transaction layer, the TU) that throws must not take the socket down.
    this.events = new Emitter<TransportEvents>((error, event) => this.internalError(`'${String(event)}' listener`, error));
    this.inboundContext = { maxMessageBytes, isOwnSentBy: (via) => this.isOwnSentBy(via) };
  }

  get local(): LocalEndpoint {
    if (this.bound === undefined) throw new Error(`sip transport: ${this.protocol} transport is not started`);
    return this.bound;
  }

  get stats(): TransportStats {
    return this.counters.snapshot(this.openConnections());
  }

  abstract start(): Promise<void>;
  abstract close(): Promise<void>;
  abstract send(message: SipMessage, peer: Peer): boolean;
  abstract keepAlive(peer: Peer): boolean;

  /** What this transport writes into the Via of its requests. */
  get identity(): ViaIdentity {
    const local = this.local;
    return {
      transport: this.protocol,
      host: this.options.sentBy?.host ?? local.address,
      port: this.options.sentBy?.port ?? local.port,
      rport: this.options.addRport ?? false,
    };
  }

  via(branch: string): string {
    return buildVia(this.identity, branch);
  }

  /**
   * RFC 3261 §18.1.2: does a response's top Via name us? The sent-by we insert (or the bound
   * address and port when sentBy is overridden for NAT), port defaulting per §18.2.2.
   */
  isOwnSentBy(via: Via): boolean {
    if (this.bound === undefined) return false;
    const port = via.port ?? defaultPort(this.protocol);
    const id = this.identity;
    if (port === id.port && sameAddress(via.host, id.host)) return true;
    return port === this.bound.port && sameAddress(via.host, this.bound.address);
  }

  protected openConnections(): number {
    return 0;
  }

  /** Serialises an outgoing message; a request's top Via is completed first (outbound-via.ts). */
  protected encode(message: SipMessage): Buffer {
    if (isRequest(message)) completeRequestVia(message, this.identity);
    return serializeMessage(message);
  }

  /**
   * One received message from `source` (a datagram or a framed stream message). `reply` sends a
   * 400 for a malformed request back the way a response goes (§18.2.2).
   */
  protected handleInbound(bytes: Buffer, source: Peer): void {
    const allowed = this.options.allowedSources;
    if (allowed !== undefined && !allowed(source.address)) {
      this.drop(source, 'filtered', 'source address not allowed (SSAF)');
      return;
    }
    const outcome = processInbound(bytes, source, this.inboundContext);
    switch (outcome.kind) {
      case 'deliver':
        this.counters.add('received');
        this.events.emit('message', { message: outcome.message, source });
        return;
      case 'reject':
        this.counters.add('malformed');
        this.log.info({ source: `${source.address}:${source.port}`, code: outcome.failure.code }, `malformed request answered ${outcome.response.status}: ${outcome.failure.reason}`);
        if (this.send(outcome.response, source)) this.counters.add('rejected');
        return;
      case 'drop':
        this.drop(source, outcome.reason, outcome.detail);
        return;
      case 'keep-alive':
        this.counters.add('keepAlivesReceived');
        return;
    }
  }

  protected drop(source: Peer, reason: DropReason, detail: string): void {
    this.counters.add(reason === 'framing' ? 'framingErrors' : reason);
    const level = reason === 'filtered' ? 'debug' : 'info';
    this.log[level]({ source: `${normalizeAddress(source.address)}:${source.port}`, reason }, `dropped: ${detail}`);
    this.events.emit('dropped', { source, reason, detail });
  }

  protected sendFailed(peer: Peer, message: SipMessage | undefined, error: Error): void {
    this.counters.add('sendErrors');
    this.log.info({ peer: `${peer.address}:${peer.port}`, err: error.message }, 'send failed');
    this.events.emit('send-error', { peer, message, error });
  }

  /** Runs socket-callback work; an exception is counted and logged, never rethrown. */
  protected guard(what: string, work: () => void): void {
    try {
      work();
    } catch (error) {
      this.internalError(what, error);
    }
  }

  protected internalError(what: string, error: unknown): void {
    this.counters.add('internalErrors');
    this.log.error({ err: error instanceof Error ? error.message : String(error) }, `internal error in ${what}`);
  }
}
