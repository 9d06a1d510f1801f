// Presence of a device: the message-waiting state of each line (KX-UT670 5.6.1
// VM_SUBSCRIBE_ENABLE, A12 9.12 "Subscribe For Voice Message": message-summary, RFC 3842), the
// lamps of its BLF buttons (6.1, dialog event, RFC 4235), unsolicited NOTIFYs (message-summary
// pushed without a subscription, and the check-sync of 2.4.3.5 / CFG_RESYNC_FROM_SIP).
// A line with a resource list (RESOURCELIST_URI_n, A12 BLF List) subscribes to the list once and
// its BLF buttons light from the list members (resource-lists.ts). A shared line
// (SHARED_CALL_ENABLE_n, A12 Enable SCA) watches its own appearances (shared-line.ts).
// Subscriptions start when their line first registers; the SIP service says when.
import type { Clock, Timer } from '../../core/clock.js';
import { Emitter } from '../../core/events.js';
import { failure, ok, type Result } from '../../core/result.js';
import type { DeviceSettings } from '../../settings/canonical.js';
import type { MessageSummary } from '../../sip/events/message-summary.js';
import { unsolicitedNotifyHandler } from '../../sip/events/unsolicited-notify.js';
import type { SubscriberState, SubscriberTimers } from '../../sip/subscription/subscriber.js';
import { watchDialogState, watchMessageSummary } from '../../sip/subscription/watchers.js';
import type { ResourceStatus } from '../../sip/events/resource-list.js';
import { blfDialogs, presenceButtons, type BlfButtonStatus, type PresenceButton } from './buttons.js';
import { watchResourceList } from './list-watch.js';
import { applySummary, emptyMwi, mwiChanged, type MwiSource, type MwiStatus } from './mwi.js';
import type { PresenceApi } from './presence-api.js';
import type { CheckSyncEvent } from './presence-events.js';
import type { PresenceLine, PresencePurpose } from './presence-line.js';
import { buttonChanged, buttonFromList, listMembers, resourceListUri, type ResourceListStatus } from './resource-lists.js';
import { RoutedWatch, type RoutedWatchOptions } from './routed-watch.js';
import { lineKeys, seizeLine, sharedLines, watchSharedLine, type LineSeizure, type SharedLineStatus } from './shared-line.js';
import { voiceMailDial, type VoiceMailDial } from './voice-mail.js';

export interface PresenceEvents extends Record<string, unknown> {
  mwi: MwiStatus;
  blf: BlfButtonStatus;
  'blf-list': ResourceListStatus;
  'shared-line': SharedLineStatus;
  'check-sync': CheckSyncEvent;
}

export interface PresenceOptions {
  readonly clock: Clock;
  readonly settings: () => DeviceSettings;
  readonly lines: readonly PresenceLine[];
  /** Click to Answer/Hold NOTIFYs (src/phone/remote-control.ts); without it they get 481. */
  readonly remoteControl?: (kind: 'talk' | 'hold', line: number) => { status: number; reason?: string };
}

export class Presence implements PresenceApi {
  readonly events = new Emitter<PresenceEvents>();
  private readonly mwiState = new Map<number, MwiStatus>();
  private readonly blfState = new Map<number, BlfButtonStatus>();
  private readonly listState = new Map<number, ResourceListStatus>();
  private readonly sharedState = new Map<number, SharedLineStatus>();
  private readonly watches: RoutedWatch[] = [];
  private readonly started = new Set<number>();
  private readonly cleanups: Array<() => void> = [];
  private readonly presenceButtons: PresenceButton[];
  private stopped = false;

  constructor(private readonly options: PresenceOptions) {
    const settings = options.settings();
    for (const line of options.lines) this.mwiState.set(line.number, emptyMwi(line.number, line.registers && this.mwiEnabled(line.number) ? 'waiting-for-registration' : 'off'));
    this.presenceButtons = presenceButtons(settings, options.lines.map((l) => l.number));
    for (const line of options.lines) {
      const uri = line.registers ? resourceListUri(settings, line.number) : '';
      if (uri !== '') this.listState.set(line.number, { line: line.number, uri, subscription: 'waiting-for-registration', members: [] });
    }
    for (const n of sharedLines(settings, options.lines.filter((l) => l.registers).map((l) => l.number))) {
      this.sharedState.set(n, { line: n, subscription: 'waiting-for-registration', lamp: 'unknown', appearances: [], buttons: lineKeys(settings, n) });
    }
    for (const b of this.presenceButtons) {
      if (b.kind !== 'blf') continue;
      const list = this.listState.get(b.line)?.uri;
      this.blfState.set(b.button, { button: b.button, target: b.target, label: b.label, line: b.line, lamp: 'unknown', ...(list !== undefined ? { list } : {}), subscription: 'waiting-for-registration', dialogs: [] });
    }
  }

  /** Answers out-of-dialog NOTIFYs on every line (unsolicited MWI, check-sync). */
  start(): void {
    const settings = this.options.settings();
    for (const line of this.options.lines) {
      const handler = unsolicitedNotifyHandler({
        resyncEvent: settings.provisioning.resyncEvent,
        onCheckSync: ({ reboot, request }) => this.events.emit('check-sync', { line: line.number, reboot, from: request.from.uri.toString() }),
        onMessageSummary: (summary) => this.onSummary(line.number, summary, 'unsolicited'),
        ...(this.options.remoteControl ? { onRemoteControl: (kind: 'talk' | 'hold') => this.options.remoteControl!(kind, line.number) } : {}),
      });
      this.cleanups.push(line.ua.handleOutOfDialog('NOTIFY', handler));
    }
  }

  /** The line registered: its MWI subscription and the BLF buttons on it start (once). */
  lineRegistered(number: number): void {
    if (this.stopped || this.started.has(number)) return;
    const line = this.options.lines.find((l) => l.number === number);
    if (!line) return;
    this.started.add(number);
    if (this.mwiEnabled(number)) this.watchMwi(line);
    if (this.sharedState.has(number)) this.watchShared(line);
    const list = this.listState.get(number);
    if (list) this.watchList(line, list.uri);
    else for (const b of this.presenceButtons) if (b.kind === 'blf' && b.line === number) this.watchBlf(line, b);
  }

  /**
   * Unsubscribes everything (RFC 6665 §4.1.2.3) and stops answering NOTIFYs; resolves when every
   * subscription is over or after `graceMs`, so a shutdown can wait for the final NOTIFYs.
   */
  async stop(graceMs = 2000): Promise<void> {
    this.stopped = true;
    const ending = this.watches.splice(0).map((w) => w.stop());
    for (const c of this.cleanups.splice(0)) c();
    let timer: Timer | undefined;
    const grace = new Promise<void>((resolve) => (timer = this.options.clock.setTimer(graceMs, resolve, 'presence stop grace')));
    await Promise.race([Promise.all(ending), grace]);
    timer?.cancel();
  }

  // PresenceApi -----------------------------------------------------------------------------------

  mwi(): MwiStatus[] {
    return [...this.mwiState.values()];
  }

  blf(): BlfButtonStatus[] {
    return [...this.blfState.values()];
  }

  /** One entry per line with a resource list. */
  lists(): ResourceListStatus[] {
    return [...this.listState.values()];
  }

  /** One entry per shared line (SHARED_CALL_ENABLE_n). */
  sharedLines(): SharedLineStatus[] {
    return [...this.sharedState.values()];
  }

  /**
   * Seizes an appearance of a shared line before dialling on it (line-seize); the caller puts
   * `callInfo` in the INVITE and calls release() if it does not dial.
   */
  async seizeLine(number: number, appearance?: number): Promise<Result<LineSeizure>> {
    const line = this.options.lines.find((l) => l.number === number);
    if (!line || !this.sharedState.has(number)) return failure('LINE_NOT_SHARED', `line ${number} is not a shared line (SHARED_CALL_ENABLE_${number})`);
    const route = await line.route(line.user, 'shared-line');
    if (!route.ok) return route;
    return seizeLine({ host: line.ua, target: route.value.uri, to: route.value.to, from: line.from, peer: route.value.peer }, route.value.uri, appearance);
  }

  buttons(): PresenceButton[] {
    return [...this.presenceButtons];
  }

  voiceMail(line?: number): Result<VoiceMailDial> {
    const waiting = this.mwi().filter((m) => m.messagesWaiting).map((m) => m.line);
    return voiceMailDial(this.options.settings(), this.options.lines.map((l) => l.number), { ...(line !== undefined ? { line } : {}), waiting });
  }

  buttonDial(button: number): Result<VoiceMailDial> {
    const b = this.presenceButtons.find((x) => x.button === button);
    if (!b) return failure('BUTTON_NOT_FOUND', `button ${button} is neither a BLF nor a One-touch button`);
    // KX-UT670 5.6.1 NUM_PLAN_PICKUP_DIRECT, "the feature number assigned to a BLF for performing
    // call pickup": pressing a BLF button while its extension rings dials that feature number
    // followed by the extension, and the server hands the ringing call over.
    const code = this.options.settings().call.pickupDirectCode;
    if (b.kind === 'blf' && code !== '' && this.blfState.get(b.button)?.lamp === 'ringing') return ok({ line: b.line, number: code + extensionOf(b.target) });
    return ok({ line: b.line, number: b.target });
  }

  // internals -------------------------------------------------------------------------------------

  private mwiEnabled(line: number): boolean {
    const s = this.options.settings();
    return s.call.voiceMailSubscribe || (s.intercom.lines[line - 1]?.mwiSubscribe ?? false);
  }

  private timers(line: number): SubscriberTimers {
    const t = this.options.settings().lines[line - 1]!.subscription;
    return { expiresS: t.expiresS, refreshPercent: t.refreshPercent, retryIntervalS: t.retryIntervalS };
  }

  private watch(line: PresenceLine, purpose: PresencePurpose, target: string, create: RoutedWatchOptions['create'], onState: (s: SubscriberState, reason: string | undefined) => void): void {
    const timers = this.timers(line.number);
    const w = new RoutedWatch({ clock: this.options.clock, line, purpose, target, retryIntervalS: timers.retryIntervalS, create, onState });
    this.watches.push(w);
    w.start();
  }

  private watchMwi(line: PresenceLine): void {
    this.watch(
      line,
      'mwi',
      line.user,
      (route) => watchMessageSummary({ host: line.ua, target: route.uri, to: route.to, from: line.from, peer: route.peer, timers: this.timers(line.number) }, (s) => this.onSummary(line.number, s, 'subscription')),
      (subscription, reason) => this.mwiState.set(line.number, withReason({ ...this.mwiState.get(line.number)!, subscription }, reason)),
    );
  }

  private watchBlf(line: PresenceLine, button: PresenceButton): void {
    const status = () => this.blfState.get(button.button)!;
    this.watch(
      line,
      'blf',
      button.target,
      (route) => watchDialogState({ host: line.ua, target: route.uri, to: route.to, from: line.from, peer: route.peer, timers: this.timers(line.number) }, (lamp, live) => {
        const next = { ...status(), lamp, dialogs: blfDialogs(live) };
        this.blfState.set(button.button, next);
        this.events.emit('blf', next);
      }).subscriber,
      (subscription, reason) => this.blfState.set(button.button, withReason({ ...status(), subscription }, reason)),
    );
  }

  private watchList(line: PresenceLine, uri: string): void {
    const onMembers = (resources: readonly ResourceStatus[] | undefined) => this.onListMembers(line.number, resources);
    this.watch(
      line,
      'blf',
      uri,
      (route) => watchResourceList({ host: line.ua, target: route.uri, to: route.to, from: line.from, peer: route.peer, timers: this.timers(line.number) }, { onMembers }).subscriber,
      (subscription, reason) => {
        this.listState.set(line.number, withReason({ ...this.listState.get(line.number)!, subscription }, reason));
        const up = subscription === 'active' || subscription === 'pending';
        for (const b of this.listButtons(line.number)) this.blfState.set(b.button, up ? { ...b, subscription } : withReason({ ...b, subscription }, reason));
      },
    );
  }

  private watchShared(line: PresenceLine): void {
    const status = () => this.sharedState.get(line.number)!;
    this.watch(
      line,
      'shared-line',
      line.user,
      (route) =>
        watchSharedLine({ host: line.ua, target: route.uri, to: route.to, from: line.from, peer: route.peer, timers: this.timers(line.number) }, (appearances, lamp) => {
          const next = { ...status(), lamp, appearances: appearances ?? [] };
          this.sharedState.set(line.number, next);
          this.events.emit('shared-line', next);
        }),
      (subscription, reason) => this.sharedState.set(line.number, withReason({ ...status(), subscription }, reason)),
    );
  }

  private listButtons(line: number): BlfButtonStatus[] {
    return [...this.blfState.values()].filter((b) => b.line === line && b.list !== undefined);
  }

  private onListMembers(line: number, resources: readonly ResourceStatus[] | undefined): void {
    const members = resources && listMembers(resources);
    const list = { ...this.listState.get(line)!, members: members ?? [] };
    this.listState.set(line, list);
    this.events.emit('blf-list', list);
    for (const b of this.listButtons(line)) {
      const next = buttonFromList(b, members);
      this.blfState.set(b.button, next);
      if (buttonChanged(b, next)) this.events.emit('blf', next);
    }
  }

  private onSummary(line: number, summary: MessageSummary, source: MwiSource): void {
    const prev = this.mwiState.get(line);
    if (!prev) return;
    const next = applySummary(prev, summary, source, this.options.settings().call.voiceMessageAvailable);
    this.mwiState.set(line, next);
    if (mwiChanged(prev, next)) this.events.emit('mwi', next);
  }
}

/** `status` with `reason` set, or without one when undefined. */
function withReason<T extends { readonly reason?: string }>(status: T, reason: string | undefined): T {
  const { reason: _previous, ...rest } = status;
  return (reason === undefined ? rest : { ...rest, reason }) as T;
}

/** The extension of a BLF target: a number as it is, the user part of a SIP URI. */
function extensionOf(target: string): string {
  const m = /^sips?:([^@;]+)@/i.exec(target);
  return m ? m[1]! : target;
}
