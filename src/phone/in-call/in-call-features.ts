// What a user does inside calls, model-agnostic, on top of the Phone's calls: hold and resume
// with AUTO_CALL_HOLD, the HOLD_RECALL_TIM reminder, call waiting (CW_ENABLE_n; the A12's 182
// option), blind and attended transfer and being transferred (REFER received, INVITE with
// Replaces), the local or server conference, flash/recall and DTMF in SIP INFO. The Phone
// delegates its actions here and calls watch() for every call it tracks.
import type { Clock, Timer } from '../../core/clock.js';
import { failure, ok, type Result } from '../../core/result.js';
import type { DeviceSettings } from '../../settings/canonical.js';
import { buildDtmfRelayInfo, buildFlashHookInfo, type DtmfInfoBody } from '../../sip/dtmf-info.js';
import { formatReplaces } from '../../sip/refer/replaces.js';
import { matchReplaces } from '../../sip/refer/replaces.js';
import type { IncomingRefer } from '../../sip/refer/referee.js';
import type { InviteSession } from '../../sip/ua/invite-session.js';
import type { Call } from '../call.js';
import { dialTarget } from '../dial-target.js';
import type { PhoneLine } from '../phone-line.js';
import { ConferenceBridge } from './conference-bridge.js';
import { attendedTransfer, blindTransfer, type TransferRequest } from './transfer.js';

export interface InCallHost {
  readonly clock: Clock;
  settings(): DeviceSettings;
  calls(): Iterable<Call>;
  call(id: string): Call | undefined;
  line(number: number): PhoneLine | undefined;
  /** Places a call on `line` to a SIP URI or number with extra INVITE headers (REFER, conference server). */
  place(line: number, to: string, headers: ReadonlyArray<readonly [string, string]>): Promise<Result<Call>>;
}

export type ReplacesOutcome = { readonly kind: 'none' } | { readonly kind: 'replace'; readonly call: Call } | { readonly kind: 'reject'; readonly status: number; readonly reason: string };

export interface TransferArgs {
  /** Blind transfer: a number, SIP URI or IP address, as dialled. */
  readonly to?: string;
  /** Attended transfer: the consultation call's id. */
  readonly call?: string;
}

const DTMF_DIGITS = /^[0-9*#A-D]{1,32}$/;

export class InCallFeatures {
  private readonly recall = new Map<string, Timer>();
  private readonly bridges = new Map<string, ConferenceBridge>();
  private readonly infoQueues = new Map<string, { busy: boolean; bodies: DtmfInfoBody[] }>();

  constructor(private readonly host: InCallHost) {}

  /** Follows a tracked call: hold recall, conference clean-up, REFERs it receives. */
  watch(call: Call): void {
    call.events.on('state', (state) => {
      this.armRecall(call, state === 'held');
      if (state === 'ended') this.ended(call);
    });
    call.events.on('refer', (refer) => void this.referred(call, refer));
  }

  // Hold ----------------------------------------------------------------------------------------

  hold(call: Call): Result<void> {
    return call.hold();
  }

  /** Resume; with AUTO_CALL_HOLD the other talking calls are held first (one conversation at a time). */
  resume(call: Call): Result<void> {
    if (!call.localHold) return failure('CALL_BAD_STATE', 'call: the call is not on hold');
    const resumed = call.resume();
    if (resumed.ok) this.makeRoom(call);
    return resumed;
  }

  /**
   * KX-UT670 5.6.1 AUTO_CALL_HOLD: answering or dialling during a conversation holds it (Y) or
   * ends it (N). Calls in a conference with `except` are left alone.
   */
  makeRoom(except: Call | undefined): void {
    const hold = this.host.settings().call.autoCallHold;
    for (const other of this.host.calls()) {
      if (other === except || other.state !== 'connected' || other.localHold) continue;
      if (except && (other.conference === except.id || except.conference === other.id)) continue;
      if (!hold) other.hangup();
      else if (!other.hold().ok) other.feature('hold-failed', { detail: 'auto call hold' });
    }
  }

  /** KX-UT670 HOLD_RECALL_TIM (0 = off): a reminder each period while we hold the call. */
  private armRecall(call: Call, held: boolean): void {
    const seconds = this.host.settings().call.holdRecallS;
    if (held && seconds > 0 && !this.recall.has(call.id)) {
      this.recall.set(call.id, this.host.clock.setPeriodic(seconds * 1000, () => call.feature('hold-recall', { detail: `${seconds} s on hold` }), `hold recall ${call.id}`));
    } else if (!held) {
      this.recall.get(call.id)?.cancel();
      this.recall.delete(call.id);
    }
  }

  // Call waiting ------------------------------------------------------------------------------

  /** The provisional status a new call rings with: 182 Queued for a waiting call when the A12 line says so (9.12). */
  ringStatus(line: number, waiting: boolean): number {
    return waiting && this.host.settings().intercom.lines[line - 1]?.respond182 === true ? 182 : 180;
  }

  // Transfer ------------------------------------------------------------------------------------

  transfer(call: Call, args: TransferArgs): Result<void> {
    const line = this.host.line(call.line);
    if (!line) return failure('CALL_NO_LINE', `transfer: line ${call.line} is gone`);
    const settings = this.host.settings();
    const request = { host: line.ua, referredBy: line.from, timeoutS: settings.intercom.lines[call.line - 1]?.transferTimeoutS ?? 0 };
    if (args.call !== undefined) {
      const other = this.host.call(args.call);
      if (!other || !other.active || other === call) return failure('CALL_NOT_FOUND', `transfer: no other call ${args.call}`);
      if (other.direction === 'outgoing' && (other.state === 'calling' || other.state === 'ringback')) return this.semiAttended(call, other, request);
      const started = attendedTransfer(call, other, request);
      return started.ok ? ok(undefined) : started;
    }
    const to = args.to?.trim() ?? '';
    if (to === '') return failure('CALL_NO_TARGET', 'transfer: give "to" (blind) or "call" (attended)');
    const target = this.targetUri(call.line, to);
    if (!target.ok) return target;
    const started = blindTransfer(call, target.value, request);
    return started.ok ? ok(undefined) : started;
  }

  /**
   * Transfer to a consultation call that still rings (semi-attended): RFC 3891 §3 forbids
   * replacing an early dialog the target did not start, so the transferee gets a blind REFER to
   * the consultation's target, and our ringing consultation call is cancelled once the REFER is
   * accepted (the target then rings for the transferee). A refused REFER leaves it ringing.
   */
  private semiAttended(call: Call, consultation: Call, request: TransferRequest): Result<void> {
    const started = blindTransfer(call, consultation.remote.uri, request);
    if (!started.ok) return started;
    consultation.feature('transfer-progress', { other: call.id, detail: 'semi-attended: cancelled once the REFER is accepted' });
    started.value.events.on('accepted', () => consultation.hangup());
    return ok(undefined);
  }

  /**
   * KX-UT670 5.6.1 ONHOOK_TRANSFER_ENABLE ("transfer operations are permitted while on-hook"):
   * going on hook with one call we hold and one other call we placed or talk in transfers the
   * held party to the other (attended; semi-attended while it still rings). Returns the two
   * calls the transfer took over, or undefined when the calls are not that pair. Whatever
   * becomes of the transfer the phone is on hook: a failed transfer ends both calls.
   */
  onHookTransfer(): { transferee: Call; target: Call } | undefined {
    const live = [...this.host.calls()].filter((c) => c.active && c.state !== 'ringing');
    const held = live.filter((c) => c.localHold);
    const other = live.filter((c) => !c.localHold);
    if (live.length !== 2 || held.length !== 1 || other.length !== 1) return undefined;
    const transferee = held[0]!;
    const target = other[0]!;
    if (transferee.conference !== undefined || target.conference !== undefined) return undefined;
    if (target.state !== 'connected' && !(target.direction === 'outgoing' && (target.state === 'calling' || target.state === 'ringback'))) return undefined;
    const started = this.transfer(transferee, { call: target.id });
    if (!started.ok) return undefined;
    transferee.events.on('feature', (e) => {
      if (e.kind !== 'transfer-failed') return;
      transferee.hangup();
      target.hangup();
    });
    return { transferee, target };
  }

  /** The Refer-To URI of what the user dialled, as the line would call it (dial-target.ts). */
  private targetUri(line: number, dialled: string): Result<string> {
    const s = this.host.settings().lines[line - 1];
    if (!s) return failure('CALL_NO_LINE', `transfer: line ${line} has no settings`);
    const target = dialTarget(dialled, { serviceDomain: s.serviceDomain, registrar: s.registrar, proxy: s.proxy, outboundProxy: s.outboundProxy, userPhone: s.addUserPhone });
    return target.ok ? ok(target.value.uri) : target;
  }

  /** RFC 3515 §2.4.2 / RFC 5589 §6: the transferee places the referred call and reports on it. */
  private async referred(call: Call, refer: IncomingRefer): Promise<void> {
    refer.accept();
    const headers: Array<[string, string]> = [];
    const r = refer.target.replaces;
    if (r) headers.push(['Replaces', formatReplaces(r)]);
    if (refer.referredBy) headers.push(['Referred-By', refer.referredBy.toString()]);
    const placed = await this.host.place(call.line, refer.target.uri.toString(), headers);
    if (!placed.ok) {
      // RFC 3515 §2.4.5: the final NOTIFY carries what became of the request; nothing was sent.
      refer.finish(placed.error.code === 'CALL_NO_ROUTE' || placed.error.code === 'CALL_BAD_TARGET' ? 404 : 503);
      call.feature('referred', { detail: `${refer.target.uri.toString()}: ${placed.error.message}` });
      return;
    }
    const next = placed.value;
    next.referredBy = refer.referredBy?.uri.toString() ?? call.remote.uri;
    next.changed();
    call.feature('referred', { other: next.id, detail: refer.target.uri.toString() });
    next.events.on('state', (state) => {
      if (state === 'ringback') refer.progress(180);
      else if (state === 'connected') refer.finish(200);
      else if (state === 'ended' && next.answeredAt === undefined) refer.finish(next.endStatus !== undefined && next.endStatus >= 300 ? next.endStatus : 487);
    });
  }

  /** RFC 3891 §3: what to do with a new INVITE carrying Replaces. */
  matchReplaces(session: InviteSession): ReplacesOutcome {
    const calls = [...this.host.calls()].filter((c) => c.active);
    const match = matchReplaces(session.invite, calls.map((c) => c.session));
    if (match.kind === 'none') return match;
    if (match.kind === 'reject') return { kind: 'reject', status: match.status, reason: match.reason };
    const replaced = calls.find((c) => c.session === match.session);
    return replaced ? { kind: 'replace', call: replaced } : { kind: 'reject', status: 481, reason: 'No call matches Replaces' };
  }

  /** The new call takes over `replaced`: answered at once, the old one ended (BYE, or CANCEL when early). */
  replace(call: Call, replaced: Call): void {
    call.replaces = replaced.id;
    const answered = call.answer();
    if (!answered.ok) return;
    call.feature('replaced', { other: replaced.id });
    replaced.hangup();
  }

  // Conference ----------------------------------------------------------------------------------

  /**
   * Three-party conference of `call` and `otherId`: the conference server when the line has one
   * (KX-UT670 CONFERENCE_SERVER_URI; A12 9.12 Conference Type Server with its number), else mixed
   * here (A12 "Local": two remote parties at most).
   */
  conference(call: Call, otherId: string | undefined): Result<void> {
    const other = otherId === undefined ? undefined : this.host.call(otherId);
    if (!other || other === call || !other.active) return failure('CALL_NOT_FOUND', `conference: no other call ${otherId ?? '(give "call")'}`);
    for (const c of [call, other]) {
      if (c.state !== 'connected' && c.state !== 'held') return failure('CALL_BAD_STATE', `conference: call ${c.id} is ${c.state}`);
      if (c.conference !== undefined) return failure('CALL_BAD_STATE', `conference: call ${c.id} is already in a conference`);
    }
    const server = this.conferenceServer(call.line);
    if (server) {
      void this.serverConference(call, other, server);
      return ok(undefined);
    }
    for (const c of [call, other]) if (c.localHold) c.resume();
    const bridge = new ConferenceBridge([call.media, other.media]);
    this.bridges.set(call.id, bridge);
    this.bridges.set(other.id, bridge);
    call.conference = other.id;
    other.conference = call.id;
    for (const [c, o] of [[call, other], [other, call]] as const) {
      c.changed();
      c.feature('conference', { other: o.id, detail: 'local' });
    }
    return ok(undefined);
  }

  private conferenceServer(line: number): string | undefined {
    const settings = this.host.settings();
    const x = settings.intercom.lines[line - 1];
    if (x?.conference.server && x.conference.number !== '') return roomTarget(x.conference.number, settings.lines[line - 1]);
    return settings.call.conferenceServerUri !== '' ? settings.call.conferenceServerUri : undefined;
  }

  /**
   * RFC 4579 §5.10-style: we join the focus, then REFER both parties to it (blind transfers);
   * each of our calls with them ends when its party has joined.
   */
  private async serverConference(a: Call, b: Call, server: string): Promise<void> {
    const placed = await this.host.place(a.line, server, []);
    if (!placed.ok) {
      for (const c of [a, b]) c.feature('conference-ended', { detail: `conference server: ${placed.error.message}` });
      return;
    }
    const focus = placed.value;
    for (const c of [a, b]) {
      c.conference = focus.id;
      c.changed();
    }
    focus.events.on('state', (state) => {
      if (state === 'connected' && focus.conference === undefined) {
        focus.conference = 'server';
        focus.changed();
        const uri = focus.session.dialog?.remoteTarget.toString() ?? server;
        for (const c of [a, b]) {
          c.feature('conference', { other: focus.id, detail: 'server' });
          const moved = this.transfer(c, { to: server });
          if (!moved.ok) c.feature('transfer-failed', { detail: `${uri}: ${moved.error.message}` });
        }
      } else if (state === 'ended' && focus.answeredAt === undefined) {
        for (const c of [a, b]) {
          c.conference = undefined;
          c.changed();
          c.feature('conference-ended', { status: focus.endStatus ?? 0, detail: 'the conference server did not answer' });
        }
      }
    });
  }

  private ended(call: Call): void {
    this.armRecall(call, false);
    this.infoQueues.delete(call.id);
    const bridge = this.bridges.get(call.id);
    if (!bridge) return;
    bridge.stop();
    const otherId = call.conference;
    this.bridges.delete(call.id);
    if (otherId !== undefined) this.bridges.delete(otherId);
    const other = otherId === undefined ? undefined : this.host.call(otherId);
    if (other) {
      other.conference = undefined;
      other.changed();
      other.feature('conference-ended', { other: call.id });
    }
  }

  // Flash and DTMF in SIP INFO ------------------------------------------------------------------

  /**
   * KX-UT670 FLASH_RECALL_TERMINATE: Y ends the call (Terminate); N sends the hook flash to the
   * server (EFA) as SIP INFO, FLASHHOOK_CONTENT_TYPE "Signal" (dtmf-relay Signal=hf) or
   * "flashhook" (application/hook-flash).
   */
  flash(call: Call): Result<void> {
    const settings = this.host.settings();
    if (call.state !== 'connected' && call.state !== 'held') return failure('CALL_BAD_STATE', `flash: the call is ${call.state}`);
    if (settings.call.flashRecallTerminate) {
      call.hangup();
      return ok(undefined);
    }
    const body = buildFlashHookInfo(settings.call.flashhookContentType === 'flashhook' ? 'flashhook' : 'Signal', settings.rtp.dtmfSignalMs);
    const sent = call.request('INFO', { body: body.body, contentType: body.contentType }, (status) => call.feature('flash', { status, detail: body.contentType }));
    return sent.ok ? ok(undefined) : sent;
  }

  /** Whether the line sends DTMF in SIP INFO (KX-UT670 DTMF_RELAY_n; A12 9.12/9.14 DTMF Type SIP INFO). */
  dtmfByInfo(call: Call): boolean {
    const settings = this.host.settings();
    const line = settings.lines[call.line - 1];
    const x = settings.intercom.lines[call.line - 1];
    const mode = line && !line.enabled ? settings.intercom.p2p.dtmfMode : x?.dtmfMode;
    return line?.dtmfInfo === true || mode === 'info';
  }

  /** Queues one INFO per digit (application/dtmf-relay), each sent after the previous one's final response. */
  sendDtmfInfo(call: Call, digits: string): Result<void> {
    if (!DTMF_DIGITS.test(digits)) return failure('CALL_BAD_DIGITS', 'call: digits must be 1 to 32 of 0-9 * # A-D');
    const settings = this.host.settings();
    const x = settings.intercom.lines[call.line - 1];
    const infoMode = (settings.lines[call.line - 1]?.enabled === false ? settings.intercom.p2p.dtmfInfoMode : x?.dtmfInfoMode) ?? 'star-pound';
    const bodies: DtmfInfoBody[] = [];
    for (const digit of digits) {
      const body = buildDtmfRelayInfo(digit, settings.rtp.dtmfSignalMs, infoMode);
      if (!body.ok) return body;
      bodies.push(body.value);
    }
    let queue = this.infoQueues.get(call.id);
    if (!queue) this.infoQueues.set(call.id, (queue = { busy: false, bodies: [] }));
    queue.bodies.push(...bodies);
    this.nextInfo(call);
    return ok(undefined);
  }

  private nextInfo(call: Call): void {
    const queue = this.infoQueues.get(call.id);
    if (!queue || queue.busy) return;
    const body = queue.bodies.shift();
    if (!body) return;
    queue.busy = true;
    const sent = call.request('INFO', { body: body.body, contentType: body.contentType }, () => {
      queue.busy = false;
      this.nextInfo(call);
    });
    if (!sent.ok) {
      queue.busy = false;
      queue.bodies.length = 0;
    }
  }
}

/**
 * A12 9.12 "Server Conference Number": digits are dialled like any number; a room name with
 * letters (the field takes them) is a user at the line's domain, which a number would be too.
 */
function roomTarget(number: string, line: DeviceSettings['lines'][number] | undefined): string {
  if (!/[A-Za-z]/.test(number) || /[@:]/.test(number) || !line) return number;
  const domain = line.serviceDomain || line.registrar.host || line.proxy.host;
  return domain === '' ? number : `sip:${number}@${domain}`;
}
