// Runs a line's Registration (sans-IO) on a TransactionLayer and a Clock: sends its REGISTERs as
// client transactions, feeds back responses, Timer F timeouts and transport errors, keeps its
// refresh/retry timers on the injected clock and asks the targets provider (DNS SRV / A fail-over
// list, RFC 3263) for the ordered registrar addresses at the start of each attempt.
import type { Clock, Timer } from '../../core/clock.js';
import { earlyOnGrid } from '../../core/coalesce.js';
import { Emitter } from '../../core/events.js';
import { ok, type Result } from '../../core/result.js';
import type { Logger } from '../../core/logger.js';
import type { SipRequest } from '../message/index.js';
import type { Peer, TransactionLayer } from '../transaction/transaction-layer.js';
import type { TransactionTimers } from '../transaction/types.js';
import { registerTemplate } from './register-request.js';
import { Registration } from './registration.js';
import type { RegistrationAction, RegistrationConfig, RegistrationEvent, RegistrationState, RegistrationTimer } from './types.js';

export interface RegistrationDriverOptions {
  readonly layer: TransactionLayer;
  readonly clock: Clock;
  readonly config: RegistrationConfig;
  /** Ordered registrar addresses (the first is the normal server); may resolve asynchronously. */
  targets(): readonly Peer[] | Promise<readonly Peer[]>;
  /** The line's transaction timers (SIP_TIMER_T1_n, _F_n ...); default RFC 3261. */
  readonly timers?: TransactionTimers;
  readonly logger?: Logger;
}

export interface RegistrationDriverEvents extends Record<string, unknown> {
  state: RegistrationEvent;
}

export class RegistrationDriver {
  readonly events = new Emitter<RegistrationDriverEvents>();
  readonly registration: Registration;
  private readonly timers = new Map<RegistrationTimer, Timer>();
  private readonly queue: RegistrationAction[] = [];
  private draining = false;
  private stopped: Promise<void> | undefined;
  private resolveStopped: (() => void) | undefined;
  private isStopped = false;

  /** Throws on a config whose URIs do not parse (a bug); `create` returns a Result instead. */
  constructor(private readonly options: RegistrationDriverOptions) {
    const { config, timers } = options;
    this.registration = new Registration(config.timerFMs === undefined && timers !== undefined ? { ...config, timerFMs: timers.fMs } : config);
  }

  static create(options: RegistrationDriverOptions): Result<RegistrationDriver> {
    const check = registerTemplate(options.config, 'check');
    return check.ok ? ok(new RegistrationDriver(options)) : check;
  }

  get state(): RegistrationState {
    return this.registration.state;
  }

  start(): void {
    this.perform(this.registration.start());
  }

  /** Registers again now (network change, operator request). */
  refreshNow(): void {
    this.perform(this.registration.refreshNow());
  }

  /**
   * Stops the line; resolves when it is unregistered (after the Expires 0 REGISTER when
   * USE_DEL_REG_CLOSE_n is set, which may take up to Timer F without an answer).
   */
  stop(): Promise<void> {
    if (this.stopped === undefined) {
      this.stopped = new Promise<void>((resolve) => {
        this.resolveStopped = resolve;
      });
      this.perform(this.registration.stop());
      if (this.isStopped) this.resolveStopped?.();
    }
    return this.stopped;
  }

  private perform(actions: readonly RegistrationAction[]): void {
    this.queue.push(...actions);
    if (this.draining) return; // a nested call (synchronous transport failure): the outer loop runs it
    this.draining = true;
    try {
      for (let action = this.queue.shift(); action !== undefined; action = this.queue.shift()) this.run(action);
    } finally {
      this.draining = false;
    }
  }

  private run(action: RegistrationAction): void {
    const reg = this.registration;
    switch (action.kind) {
      case 'resolve-targets': {
        let result: readonly Peer[] | Promise<readonly Peer[]>;
        try {
          result = this.options.targets();
        } catch (error) {
          this.options.logger?.warn({ line: reg.line, err: String(error) }, 'registration: targets provider failed');
          result = [];
        }
        if (Array.isArray(result)) this.perform(reg.targetsResolved(result as readonly Peer[]));
        else
          (result as Promise<readonly Peer[]>).then(
            (peers) => this.perform(reg.targetsResolved(peers)),
            (error: unknown) => {
              this.options.logger?.warn({ line: reg.line, err: String(error) }, 'registration: targets provider failed');
              this.perform(reg.targetsResolved([]));
            },
          );
        break;
      }
      case 'send':
        this.send(action.request, action.target);
        break;
      case 'set-timer':
        this.timers.get(action.timer)?.cancel();
        this.timers.set(
          action.timer,
          this.options.clock.setTimer(
            // The refresh may come up to 1 s early so a fleet's refreshes share wake-ups
            // (src/core/coalesce.ts); retries stay exact (REG_RTX_INTVL_n schedules in tests).
            action.timer === 'refresh' ? earlyOnGrid(this.options.clock.now(), action.delayMs) : action.delayMs,
            () => {
              this.timers.delete(action.timer);
              this.perform(reg.timerFired(action.timer));
            },
            `registration ${action.timer} line ${reg.line ?? '?'}`,
          ),
        );
        break;
      case 'cancel-timer':
        this.timers.get(action.timer)?.cancel();
        this.timers.delete(action.timer);
        break;
      case 'event': {
        const { state, cause } = action.event;
        this.options.logger?.info({ line: reg.line, state: state.kind, cause, ...(state.kind === 'failed' ? { reason: state.reason, status: state.status } : {}) }, 'registration');
        this.events.emit('state', action.event);
        break;
      }
      case 'stopped':
        this.isStopped = true;
        for (const t of this.timers.values()) t.cancel();
        this.timers.clear();
        this.resolveStopped?.();
        break;
    }
  }

  private send(request: SipRequest, target: Peer): void {
    const reg = this.registration;
    this.options.layer.sendRequest(
      request,
      target,
      {
        onResponse: (response) => this.perform(reg.response(request, response)),
        onTimeout: () => this.perform(reg.timeout(request)),
        onTransportError: () => this.perform(reg.transportError(request)),
      },
      this.options.timers,
    );
  }
}
