// Call control of one phone: its lines and calls, model-agnostic. Incoming INVITEs arrive from
// each line's UA; outgoing calls start from dial(). Every change is an event (`call`), and every
// action answers with a Result so the control API, the keys and the web dial page report the
// same clear errors.
import type { Clock } from '../core/clock.js';
import { failure, ok, type Result } from '../core/result.js';
import type { Peer } from '../sip/transaction/transaction-layer.js';
import type { InviteSession } from '../sip/ua/invite-session.js';
import type { SipResponse } from '../sip/message/index.js';
import { SdpSession, serializeSdp } from '../sip/sdp/index.js';
import type { DeviceSettings } from '../settings/canonical.js';
import { Call, type CallSnapshot } from './call.js';
import type { CallMedia, CallMediaFactory } from './call-media.js';
import type { LineStatus, PhoneLine } from './phone-line.js';
import { dialledNumber } from './dialled-number.js';
import type { CallAction, CallActionArgs, TelephonyApi } from './telephony-api.js';
import { CallLog } from './call-log.js';
import type { Phonebook } from './phonebook/phonebook.js';
import { shownName } from './phonebook/caller-name.js';
import { CallTimers } from './policy/call-timers.js';
import { callerIdOf } from './policy/caller-id.js';
import { intercomRequest, type AutoAnswerPlan } from './policy/auto-answer.js';
import { diversionOf, redirectHeaders, type ForwardDecision } from './policy/forward.js';
import { decideIncoming, type IncomingDecision } from './policy/incoming-decision.js';
import { selectRing } from './policy/ring-selection.js';
import type { FeatureOverrides, LineFeatures } from './policy/line-features.js';
import { anonymousIdentity, outgoingIdentity } from './policy/privacy.js';
import { screenOutgoing } from './policy/screening.js';
import type { PhoneFeature } from './policy/feature-codes.js';
import type { FeatureSync } from './policy/feature-sync.js';
import { FeatureSwitches, type FeatureChange } from './policy/feature-switches.js';

export type { FeatureChange } from './policy/feature-switches.js';
import { callLogEntry } from './policy/log-entry.js';
import { InCallFeatures } from './in-call/in-call-features.js';
import type { CallFeatureEvent } from './in-call/call-feature.js';
import type { CallOptions } from './call.js';
import type { LineSeizure } from './presence/shared-line.js';
import { OffHookDialling } from './keypad.js';
import type { DialFailedNotice, FeaturesNotice, HookNotice, HookState, KeypadNotice } from './phone-notices.js';

export type { HookState } from './phone-notices.js';

export interface PhoneOptions {
  readonly clock: Clock;
  readonly media: CallMediaFactory;
  /** The device's current canonical settings (read at each decision: settings change live). */
  settings(): DeviceSettings;
  /** Every call state change. */
  onCall(snapshot: CallSnapshot): void;
  /** Every in-call feature event (hold, transfer progress, conference...; in-call/call-feature.ts). */
  onFeature?(event: CallFeatureEvent): void;
  /** Seconds since 1900 for SDP o= ids (RFC 4566 §5.2 suggests NTP time). */
  ntpSeconds?(): number;
  /** The call history (default: in memory, 100 entries). */
  callLog?: CallLog;
  /** The phonebook whose names calls show (KX-UT670 5.6.3); none on a model without one (A12). */
  phonebook?: Phonebook;
  /** The user's feature switches (DND, forward…) as last saved, and where to save them (NVRAM). */
  features?: { load(): FeatureOverrides | undefined; save(overrides: FeatureOverrides): void };
  /**
   * The model has the A12 intercom features (intercom auto answer, restricted lists, no-answer
   * hang-up, talk limit, busy response code): its catalogue maps `intercom.intercom`. Default false.
   */
  intercomModel?: boolean;
  /** The model has on-hook transfer (KX-UT670 ONHOOK_TRANSFER_ENABLE: its catalogue maps `call.onhookTransfer`). Default true. */
  onHookTransferModel?: boolean;
  /** The hook switch moved (device event `hook`). */
  onHook?(notice: HookNotice): void;
  /** A key of the dial pad (device event `keypad`): a digit collected off hook, or DTMF in a call. */
  onKeypad?(notice: KeypadNotice): void;
  /** A dial that created no call (device event `dial-failed`): the handset plays its failure tone. */
  onDialFailed?(notice: DialFailedNotice): void;
  /** A feature switch changed (device event `features`). */
  onFeatures?(notice: FeaturesNotice): void;
  /**
   * Seizes an appearance of a shared line before dialling on it (KX-UT670 SHARED_CALL_ENABLE_n,
   * presence/shared-line.ts); undefined or LINE_NOT_SHARED: the line is dialled without seizing.
   */
  seizeLine?(line: number, appearance?: number): Promise<Result<LineSeizure>> | undefined;
}

/** How a call came to be, for the policies and the call log. */
interface CallNotes {
  number: string;
  name: string;
  at: Date;
  outcome?: string;
  intercom?: boolean;
  /** Not logged: a 3xx the phone followed (the next call is logged). */
  silent?: boolean;
  /** Redirect hops so far. */
  hops: number;
}

/** RFC 3261 §8.1.3.4: recursing on 3xx is bounded (loops). */
const MAX_REDIRECTS = 3;

export interface DialOptions {
  /** Extra request headers (Diversion copied from a 3xx). */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  /** Withhold the caller ID on this call regardless of the line's switch. */
  readonly anonymous?: boolean;
  /** The appearance of a shared line to seize (default: the one the server gives). */
  readonly appearance?: number;
}

/** How many ended calls stay readable at /api/v1/calls. */
const ENDED_KEPT = 20;

export class Phone implements TelephonyApi {
  private readonly lines = new Map<number, PhoneLine>();
  private readonly calls = new Map<string, Call>();
  private readonly timers: CallTimers;
  private readonly notes = new Map<string, CallNotes>();
  private hook: HookState = 'on';
  private nextId = 1;
  readonly callLog: CallLog;
  readonly phonebook: Phonebook | undefined;
  private readonly inCall: InCallFeatures;
  private readonly switches: FeatureSwitches;
  private readonly keypad: OffHookDialling;

  constructor(private readonly options: PhoneOptions) {
    this.switches = new FeatureSwitches({
      clock: options.clock,
      settings: () => options.settings(),
      line: (n) => this.lines.get(n),
      ...(options.features ? { store: options.features } : {}),
      changed: (line, source, features) => options.onFeatures?.({ line, source, features }),
    });
    this.keypad = new OffHookDialling({
      clock: options.clock,
      settings: () => options.settings(),
      dial: (number, line) => void this.dialCollected(number, line),
      failed: (line, digits, code, message, tone) => this.dialFailed(digits, line, { code, message }, tone),
    });
    this.inCall = new InCallFeatures({
      clock: options.clock,
      settings: () => options.settings(),
      calls: () => this.calls.values(),
      call: (id) => this.calls.get(id),
      line: (n) => this.lines.get(n),
      place: (line, to, headers) => this.placeFor(line, to, headers),
    });
    this.timers = new CallTimers(options.clock);
    this.callLog = options.callLog ?? new CallLog();
    this.phonebook = options.phonebook;
  }

  attachLine(line: PhoneLine): void {
    this.lines.set(line.number, line);
  }

  detachLine(number: number): void {
    this.lines.delete(number);
  }

  lineStatuses(): LineStatus[] {
    return [...this.lines.values()].sort((a, b) => a.number - b.number).map((l) => l.status());
  }

  listCalls(): CallSnapshot[] {
    return [...this.calls.values()].map((c) => c.snapshot());
  }

  call(id: string): Call | undefined {
    return this.calls.get(id);
  }

  /** Places a call on `line` (default: DEFAULT_LINE_SELECT, else the first line). */
  async dial(to: string, lineNumber?: number, options: DialOptions = {}): Promise<Result<CallSnapshot>> {
    const dialled = to;
    const line = this.pickLine(lineNumber);
    if (line && to.trim() !== '') {
      // What the user dialled goes through the line's dial plan first (KX-UT670 6.6).
      const number = dialledNumber(to, this.options.settings(), line.number, this.options.intercomModel ?? false, this.options.clock);
      if (!number.ok) return this.dialFailed(dialled, line.number, number.error);
      to = number.value;
    }
    this.keypad.cancel();
    // KX-UT670 AUTO_CALL_HOLD: a new call during a conversation holds (or ends) it.
    if (to.trim() !== '') this.inCall.makeRoom(undefined);
    const placed = await this.place(to, lineNumber, options, 0, undefined);
    return placed.ok ? placed : this.dialFailed(dialled, lineNumber ?? line?.number, placed.error);
  }

  /** The keypad's collector dialled (its plan already applied): the number goes out as is. */
  private async dialCollected(number: string, line: number): Promise<void> {
    this.inCall.makeRoom(undefined);
    const placed = await this.place(number, line, {}, 0, undefined);
    if (!placed.ok) this.dialFailed(number, line, placed.error);
  }

  /** A dial that created no call: `dial-failed` for the handset (its failure tone off hook). */
  private dialFailed(to: string, line: number | undefined, error: { code: string; message: string }, tone?: 'busy' | 'reorder'): Result<never> {
    this.options.onDialFailed?.({ to, ...(line !== undefined ? { line } : {}), code: error.code, message: error.message, offHook: this.hook === 'off', ...(tone ? { tone } : {}) });
    return failure(error.code, error.message);
  }

  /**
   * A key of the dial pad: during a conversation it is sent as DTMF (the handset plays the
   * side-tone); off hook with no call it is a digit of the number being dialled (the dial tone
   * stops at the first one; the dial plan and INTDIGIT_TIM decide when the call goes out).
   */
  pressKey(key: string, lineNumber?: number): Result<KeypadNotice> {
    if (!/^[0-9*#A-Da-d]$/.test(key)) return failure('CALL_BAD_DIGITS', 'keypad: a key is one of 0-9 * # A-D');
    const talking = [...this.calls.values()].filter((c) => c.state === 'connected').sort((a, b) => b.startedAt - a.startedAt)[0];
    if (talking) {
      const sent = this.act(talking.id, 'dtmf', { digits: key });
      if (!sent.ok) return sent;
      const notice: KeypadNotice = { key: key.toUpperCase(), line: talking.line, call: talking.id };
      this.options.onKeypad?.(notice);
      return ok(notice);
    }
    if (this.hook !== 'off') return failure('CALL_ON_HOOK', 'keypad: go off hook to dial (or dial with POST /api/v1/calls)');
    if (!this.keypad.collecting) this.keypad.start(this.pickLine(lineNumber)?.number ?? 1);
    const line = this.pickLine(lineNumber)?.number;
    const pressed = this.keypad.press(key);
    if (!pressed.ok) return pressed;
    const a = pressed.value;
    const notice: KeypadNotice = { key, ...(line !== undefined ? { line } : {}), digits: a.kind === 'ignored' ? this.keypad.digits : a.digits };
    this.options.onKeypad?.(notice);
    return ok(notice);
  }

  /** A call the phone places by itself (REFER received, conference server): the Call object. */
  private async placeFor(line: number, to: string, headers: ReadonlyArray<readonly [string, string]>): Promise<Result<Call>> {
    const placed = await this.place(to, line, { headers }, 0, undefined);
    if (!placed.ok) return placed;
    const call = this.calls.get(placed.value.id);
    return call ? ok(call) : failure('CALL_ENDED', `call: ${placed.value.id} is gone`);
  }

  /** What a Call needs of its line: the UA for REFER/INFO, SIP_HOLD_HOLDRECEIVE_n. */
  private callOptions(line: PhoneLine): CallOptions {
    return { host: line.ua, holdReceive: () => this.options.settings().lines[line.number - 1]?.holdReceive ?? true };
  }

  private async place(to: string, lineNumber: number | undefined, options: DialOptions, hops: number, shown: string | undefined): Promise<Result<CallSnapshot>> {
    const target = to.trim();
    if (target === '') return failure('CALL_NO_TARGET', 'call: nothing to dial');
    const line = this.pickLine(lineNumber);
    if (!line) return failure('CALL_NO_LINE', lineNumber === undefined ? 'call: no line is enabled' : `call: line ${lineNumber} is not available`);
    const settings = this.options.settings();
    // A12 9.15 Ban Outgoing / 9.23 Restrict Outgoing Call: refused before anything is sent.
    const barred = screenOutgoing(target, settings, this.options.intercomModel ?? false);
    if (barred !== undefined) return failure('CALL_BARRED', `call: ${barred}`);
    const routed = await line.route(target);
    if (!routed.ok) return routed;
    const seized = await this.seize(line.number, options.appearance);
    if (!seized.ok) return seized;
    const seizure = seized.value;
    const media = await this.openMedia(line);
    if (!media.ok) {
      seizure?.release();
      return media;
    }
    const sdp = this.newSdpSession(line, media.value.port, media.value.rtcpPort);
    const offer = sdp.createOffer();
    if (!offer.ok) {
      seizure?.release();
      await media.value.close();
      return failure('CALL_NO_CODEC', `call: cannot build an offer: ${offer.error.message}`);
    }
    const lineSettings = settings.lines[line.number - 1];
    const anonymous = options.anonymous ?? this.lineFeatures(line.number).anonymous;
    // A12 9.12 Anonymous Call Standard: the model's own way of hiding the caller.
    const standard = this.options.intercomModel && anonymous ? settings.intercom.lines[line.number - 1]?.anonymousStandard : undefined;
    const identity = standard !== undefined ? anonymousIdentity(line.from, standard) : lineSettings ? outgoingIdentity(line.from, lineSettings, anonymous) : { from: line.from, headers: [] };
    const session = line.ua.invite({
      from: identity.from,
      to: routed.value.to,
      uri: routed.value.uri,
      peer: routed.value.peer,
      body: serializeSdp(offer.value),
      contentType: 'application/sdp',
      // BroadWorks SCA: the INVITE names the seized appearance (Call-Info appearance-index).
      headers: [...identity.headers, ...(options.headers ?? []), ...(seizure ? [['Call-Info', seizure.callInfo] as const] : [])],
    });
    // The seizure ends with the call's setup (answered or failed): the call-info NOTIFYs track it from there.
    if (seizure) session.events.on('state', (st) => {
      if (st === 'confirmed' || st === 'terminated') seizure.release();
    });
    const id = this.newId();
    const named = shownName(this.phonebook, shown ?? target, '', settings);
    const notes: CallNotes = { number: shown ?? target, name: named.name, at: this.options.clock.wallTime(), hops };
    this.notes.set(id, notes);
    // RFC 3261 §8.1.3.4: a 3xx is followed to its first Contact, Diversion kept (RFC 5806). This
    // listener runs before the Call's own, so the redirected call is not logged.
    session.events.on('terminated', (t) => {
      const next = t.status !== undefined && t.status >= 300 && t.status < 400 && hops < MAX_REDIRECTS ? redirectOf(t.response) : undefined;
      if (!next) return;
      notes.silent = true;
      void this.place(next.uri, line.number, { ...options, headers: next.diversion }, hops + 1, notes.number);
    });
    const placedCall = new Call(id, line.number, session, sdp, media.value, { uri: routed.value.uri, displayName: named.name }, identity.from, this.options.clock.now(), () => this.options.clock.now(), this.callOptions(line));
    placedCall.contact = named.contact;
    const call = this.track(placedCall);
    this.armNoAnswerHangup(call);
    return ok(call.snapshot());
  }

  /**
   * KX-UT670 5.8.1 SHARED_CALL_ENABLE_n: an appearance of the shared line is seized before the
   * INVITE (presence/shared-line.ts). A line that does not register has no shared-call server
   * (LINE_NOT_SHARED): dialled without seizing.
   */
  private async seize(line: number, appearance: number | undefined): Promise<Result<LineSeizure | undefined>> {
    if (this.options.settings().lines[line - 1]?.sharedCall !== true) return ok(undefined);
    const seized = await this.options.seizeLine?.(line, appearance);
    if (!seized || (!seized.ok && seized.error.code === 'LINE_NOT_SHARED')) return ok(undefined);
    if (!seized.ok) return failure('CALL_LINE_SEIZE_REFUSED', `call: the shared-call server did not give line ${line} an appearance (${seized.error.message})`);
    return seized;
  }

  /** A new INVITE on `lineNumber` that passed the UA's checks. */
  async incoming(lineNumber: number, session: InviteSession, _source: Peer): Promise<void> {
    const line = this.lines.get(lineNumber);
    const settings = this.options.settings();
    const lineSettings = settings.lines[lineNumber - 1];
    if (!line || !lineSettings) return void session.reject(404);
    const caller = callerIdOf(session.invite);
    // KX-UT670 5.6.3: the phonebook names the caller (DISPLAY_NAME_REPLACE, NUMBER_MATCHING_*).
    const named = shownName(this.phonebook, caller.number, caller.displayName, settings, caller.anonymous);
    const features = this.lineFeatures(lineNumber);
    const active = [...this.calls.values()].filter((c) => c.active);
    const intercom = intercomRequest(session.invite);
    // RFC 3891 §3: an INVITE with Replaces takes over one of our calls (attended transfer), busy or not.
    const replacing = this.inCall.matchReplaces(session);
    if (replacing.kind === 'reject') return void session.reject(replacing.status, replacing.reason);
    const decision: IncomingDecision = replacing.kind === 'replace' ? { kind: 'ring', autoAnswer: undefined, noAnswerForward: undefined, noAnswerHangupMs: undefined } : decideIncoming({
      settings,
      line: lineNumber,
      features,
      caller,
      intercom,
      rejectNumbers: this.switches.rejectNumbers(),
      busy: active.length > 0,
      activeIntercom: active.some((c) => this.notes.get(c.id)?.intercom === true),
      intercomModel: this.options.intercomModel ?? false,
    });
    const at = this.options.clock.wallTime();
    const logRefused = (outcome: string, status: number) =>
      this.logMissed(lineNumber, { kind: 'missed', line: lineNumber, at: at.toISOString(), remote: { number: caller.number, name: named.name, uri: caller.uri }, durationS: 0, outcome, status, callId: session.callId });
    if (decision.kind === 'refuse') {
      session.reject(decision.status);
      return logRefused(decision.reason, decision.status);
    }
    if (decision.kind === 'forward') {
      const status = await this.redirect(line, session, decision.forward);
      return logRefused(status === 302 ? 'forwarded' : 'rejected', status);
    }
    const opened = await this.openMedia(line);
    // RFC 3261 §21.5.4: no RTP port left is a server-side failure of this phone.
    if (!opened.ok) return void session.reject(503, 'No Media Port');
    const media = opened.value;
    if (session.state === 'terminated') return void (await media.close());
    const sdp = this.newSdpSession(line, media.port, media.rtcpPort);
    const remote = { uri: caller.uri, displayName: named.name };
    const id = this.newId();
    this.notes.set(id, { number: caller.number, name: named.name, at, hops: 0, intercom: decision.autoAnswer?.intercom ?? false });
    const call = new Call(id, line.number, session, sdp, media, remote, line.from, this.options.clock.now(), () => this.options.clock.now(), this.callOptions(line));
    call.diversion = diversionOf(session.invite.headers.getAll('Diversion'));
    call.contact = named.contact;
    // A12 9.12/9.16, KX-UT670 5.6.4: the ring it rings with (Alert-Info, the line, the default).
    if (replacing.kind !== 'replace') {
      const ring = selectRing({ dialect: this.options.intercomModel ? 'a12' : 'kx-ut670', settings, line: lineNumber, alertInfo: session.invite.headers.getAll('Alert-Info') });
      [call.ringType, call.ringBy] = [ring.type, ring.by];
    }
    // KX-UT670 CW_ENABLE_n / A12 7.5: a call arriving during another rings as waiting.
    call.waiting = active.length > 0 && replacing.kind === 'none';
    this.track(call);
    if (replacing.kind === 'replace') return this.inCall.replace(call, replacing.call);
    session.ring(this.inCall.ringStatus(lineNumber, call.waiting));
    if (call.waiting) call.feature('waiting', { status: this.inCall.ringStatus(lineNumber, true) });
    if (decision.autoAnswer) this.scheduleAutoAnswer(call, decision.autoAnswer);
    const fwd = decision.noAnswerForward;
    if (fwd) this.timers.set(call.id, 'forward', fwd.delayMs, () => void this.forwardRinging(call, line, fwd));
    if (decision.noAnswerHangupMs !== undefined) this.armNoAnswerHangup(call, decision.noAnswerHangupMs);
  }

  /** An action on a call from the user (API, key, web page). */
  act(id: string, action: CallAction, args: CallActionArgs = {}): Result<CallSnapshot> {
    const call = this.calls.get(id);
    if (!call) return failure('CALL_NOT_FOUND', `call: no call ${id}`);
    if (!call.active) return failure('CALL_ENDED', `call: call ${id} has ended`);
    switch (action) {
      case 'answer': {
        if (call.state !== 'ringing') return failure('CALL_BAD_STATE', `call: cannot answer a call that is ${call.state}`);
        // Answering a waiting call holds (AUTO_CALL_HOLD Y) or ends the conversation.
        this.inCall.makeRoom(call);
        const answered = call.answer();
        if (!answered.ok) return failure('CALL_MEDIA', `call: ${answered.reason}`);
        break;
      }
      case 'reject':
        if (call.state !== 'ringing') return failure('CALL_BAD_STATE', `call: cannot reject a call that is ${call.state}`);
        call.reject(this.options.settings().sip.rejectResponseCode);
        break;
      case 'hangup':
        call.hangup();
        break;
      case 'mute':
      case 'unmute':
        if (call.state !== 'connected' && call.state !== 'held') return failure('CALL_BAD_STATE', `call: cannot ${action} a call that is ${call.state}`);
        call.setMuted(action === 'mute');
        break;
      case 'dtmf': {
        const digits = args.digits ?? '';
        if (!/^[0-9*#A-Da-d]{1,32}$/.test(digits)) return failure('CALL_BAD_DIGITS', 'call: digits must be 1 to 32 of 0-9 * # A-D');
        if (call.state !== 'connected') return failure('CALL_BAD_STATE', `call: cannot send DTMF in a call that is ${call.state}`);
        if (!this.inCall.dtmfByInfo(call)) {
          call.sendDtmf(digits.toUpperCase());
          break;
        }
        const sent = this.inCall.sendDtmfInfo(call, digits.toUpperCase());
        if (!sent.ok) return sent;
        break;
      }
      default: {
        const done = this.inCallAction(call, action, args);
        if (!done.ok) return done;
      }
    }
    return ok(call.snapshot());
  }

  /** hold, resume, transfer, conference, flash (in-call/in-call-features.ts). */
  private inCallAction(call: Call, action: CallAction, args: CallActionArgs): Result<void> {
    switch (action) {
      case 'hold':
        return this.inCall.hold(call);
      case 'resume':
        return this.inCall.resume(call);
      case 'transfer':
        // DEVIATION: neither manual says what transferring a call that is not answered does; REFER
        // goes in the call's dialog (RFC 3515 §2.4.1), so only an answered call is transferred. A
        // call that still rings can be the *target* of a transfer (semi-attended, `call` argument).
        if (call.state !== 'connected' && call.state !== 'held') return failure('CALL_BAD_STATE', `call: cannot transfer call ${call.id} while it is ${call.state}: only an answered call can be transferred (a call that still rings can be the target: transfer the answered call with "call": "${call.id}")`);
        return this.inCall.transfer(call, args);
      case 'conference':
        return this.inCall.conference(call, args.call);
      case 'flash':
        return this.inCall.flash(call);
      default:
        return failure('CALL_UNKNOWN_ACTION', `call: unknown action ${String(action)}`);
    }
  }

  /** Ends every call (shutdown). */
  hangupAll(): void {
    for (const call of this.calls.values()) if (call.active) call.hangup();
    this.timers.cancelAll();
    void this.switches.sync.stop();
  }

  // Features the user switches (DND, forward, anonymous…) --------------------------------------

  /** The line's features as they apply now: the settings with the phone's own switches on top. */
  lineFeatures(line: number): LineFeatures {
    return this.switches.lineFeatures(line);
  }

  /** The phone's own switches (what setFeature changed), as saved in NVRAM. */
  featureOverrides(): FeatureOverrides {
    return this.switches.overrides();
  }

  /** Switches a feature of `line` (policy/feature-switches.ts; a feature code is dialled here). */
  async setFeature(line: number, feature: PhoneFeature, on: boolean, args: { number?: string; delayS?: number } = {}): Promise<Result<FeatureChange>> {
    if (!this.lines.has(line)) return failure('CALL_NO_LINE', `feature: line ${line} is not available`);
    return this.switches.set(line, feature, on, args, (code) => this.dial(code, line));
  }

  /** The line registered (the SIP service tells): its feature synchronisation starts. */
  lineRegistered(line: number): void {
    this.switches.sync.lineRegistered(line);
  }

  /** FWD_DND_SYNCHRO_ENABLE_n: DND and forwards kept in step with the server (policy/feature-sync.ts). */
  get featureSync(): FeatureSync {
    return this.switches.sync;
  }

  /** KX-UT670 4.7.1.2 Call Rejection Phone Numbers: up to 30 numbers of up to 32 characters. */
  setRejectNumbers(numbers: readonly string[]): Result<string[]> {
    return this.switches.setRejectNumbers(numbers);
  }

  // Hook -------------------------------------------------------------------------------------

  hookState(): HookState {
    return this.hook;
  }

  /**
   * Off hook (handset lifted or hands-free on). A12 9.12 Hotline: the hotline number is dialled
   * after the hotline delay (0–9 s) unless the phone goes on hook first.
   */
  async offHook(lineNumber?: number): Promise<Result<{ hook: HookState; hotline?: { number: string; delayS: number }; call?: CallSnapshot }>> {
    const was = this.hook;
    this.hook = 'off';
    const line = this.pickLine(lineNumber);
    if (was !== 'off') this.options.onHook?.({ state: 'off', ...(line ? { line: line.number } : {}) });
    const hotline = line ? this.options.settings().intercom.lines[line.number - 1]?.hotline : undefined;
    // With no call going on, the keypad collects a number (dial tone, FIRSTDIGIT_TIM).
    const busy = [...this.calls.values()].some((c) => c.active);
    if (line && !busy && !(hotline?.enabled && hotline.number !== '') && was !== 'off') this.keypad.start(line.number);
    if (!line || !hotline?.enabled || hotline.number === '') return ok({ hook: this.hook });
    const info = { number: hotline.number, delayS: hotline.delayS };
    if (hotline.delayS <= 0) {
      const placed = await this.dial(hotline.number, line.number);
      return placed.ok ? ok({ hook: this.hook, hotline: info, call: placed.value }) : placed;
    }
    this.timers.set('hook', 'hotline', hotline.delayS * 1000, () => {
      if (this.hook === 'off') void this.dial(hotline.number, line.number);
    });
    return ok({ hook: this.hook, hotline: info });
  }

  /**
   * On hook: a pending hotline is dropped and the calls in progress (not ringing ones) end, except
   * that with ONHOOK_TRANSFER_ENABLE a held call and the other call are transferred to each other
   * (in-call-features.ts onHookTransfer); `transferred` names them [transferee, target].
   */
  onHook(): { hook: HookState; ended: string[]; transferred?: [string, string] } {
    const was = this.hook;
    this.hook = 'on';
    this.timers.cancel('hook');
    this.keypad.cancel();
    if (was !== 'on') this.options.onHook?.({ state: 'on' });
    const moved = (this.options.onHookTransferModel ?? true) && this.options.settings().call.onhookTransfer ? this.inCall.onHookTransfer() : undefined;
    const ended: string[] = [];
    for (const call of this.calls.values()) {
      if (!call.active || call.state === 'ringing' || call === moved?.transferee || call === moved?.target) continue;
      call.hangup();
      ended.push(call.id);
    }
    return { hook: this.hook, ended, ...(moved ? { transferred: [moved.transferee.id, moved.target.id] as [string, string] } : {}) };
  }

  private async openMedia(line: PhoneLine): Promise<Result<CallMedia>> {
    try {
      return ok(await this.options.media.open(line.address, `c${this.nextId}`, line.number));
    } catch (error) {
      return failure('CALL_NO_MEDIA', `call: no media stream: ${(error as Error).message}`);
    }
  }

  private pickLine(lineNumber: number | undefined): PhoneLine | undefined {
    if (lineNumber !== undefined) return this.lines.get(lineNumber);
    const preferred = this.options.settings().call.defaultLine;
    return this.lines.get(preferred) ?? [...this.lines.values()].sort((a, b) => a.number - b.number)[0];
  }

  private newSdpSession(line: PhoneLine, port: number, rtcpPort: number): SdpSession {
    const ntp = this.options.ntpSeconds?.() ?? Math.floor(this.options.clock.wallTime().getTime() / 1000) + 2208988800;
    return new SdpSession({ ...line.sdpPolicy(), address: line.address, port, rtcpPort }, { sessionId: String(ntp * 1000 + (this.nextId % 1000)) });
  }

  private newId(): string {
    return `c${this.nextId++}`;
  }

  private track(call: Call): Call {
    this.calls.set(call.id, call);
    this.options.onCall(call.snapshot());
    this.inCall.watch(call);
    call.events.on('changed', () => this.options.onCall(call.snapshot()));
    call.events.on('feature', (e) => this.options.onFeature?.(e));
    call.events.on('state', (state) => {
      this.onCallState(call, state);
      this.options.onCall(call.snapshot());
      if (state === 'ended') this.pruneEnded();
    });
    return call;
  }

  private onCallState(call: Call, state: string): void {
    if (state === 'ringing' || state === 'calling' || state === 'ringback') return;
    for (const name of ['answer', 'forward', 'no-answer']) this.timers.cancel(call.id, name);
    const settings = this.options.settings();
    const limit = settings.intercom.features.talkLimit;
    // A12 9.15 Limit Talking Duration: the call ends after the talking duration (20–600 s).
    if (state === 'connected' && this.options.intercomModel && limit.enabled && !this.timers.has(call.id, 'talk-limit')) {
      this.timers.set(call.id, 'talk-limit', limit.durationS * 1000, () => {
        const notes = this.notes.get(call.id);
        if (notes) notes.outcome = 'talk-limit';
        call.hangup();
      });
    }
    if (state !== 'ended') return;
    this.timers.cancel(call.id);
    const notes = this.notes.get(call.id);
    if (!notes || notes.silent) return;
    const entry = callLogEntry(call.snapshot(), { at: notes.at, number: notes.number, name: notes.name, ...(notes.outcome ? { outcome: notes.outcome } : {}) });
    if (entry.kind === 'missed') this.logMissed(call.line, entry);
    else this.callLog.add(entry);
  }

  /** A12 9.12 Enable Missed Call Log: off, missed calls of the line are not kept. */
  private logMissed(line: number, entry: Parameters<CallLog['add']>[0]): void {
    if (this.options.settings().intercom.lines[line - 1]?.missedCallLog === false) return;
    this.callLog.add(entry);
  }

  /**
   * Auto answer (KX-UT670 AUTO_ANS_RING_TIM; A12 7.4 / 9.12 per line, 9.14 P2P, 8.1 / 9.15
   * intercom with mute): the plan comes from policy/auto-answer.ts.
   */
  private scheduleAutoAnswer(call: Call, plan: AutoAnswerPlan): void {
    const answer = () => {
      if (call.state !== 'ringing') return;
      const answered = call.answer();
      if (answered.ok && plan.mute) call.setMuted(true);
    };
    if (plan.delayMs === 0) return answer();
    this.timers.set(call.id, 'answer', plan.delayMs, answer);
  }

  /** A12 9.15 No Answer Auto HangUp Timeout: an unanswered call (either way) ends after it. */
  private armNoAnswerHangup(call: Call, ms?: number): void {
    const s = this.options.settings().intercom.features.noAnswerHangupS;
    const delay = ms ?? (this.options.intercomModel && s > 0 ? s * 1000 : undefined);
    if (delay === undefined) return;
    this.timers.set(call.id, 'no-answer', delay, () => {
      if (call.state !== 'ringing' && call.state !== 'calling' && call.state !== 'ringback') return;
      const notes = this.notes.get(call.id);
      if (notes) notes.outcome = 'no-answer';
      // RFC 3261 §21.4.18: 480 Temporarily Unavailable - the callee did not answer.
      if (call.direction === 'incoming') call.reject(480);
      else call.hangup();
    });
  }

  /** Redirects a new INVITE with 302 (forward.ts); 480 when the target cannot be routed. */
  private async redirect(line: PhoneLine, session: InviteSession, fwd: ForwardDecision): Promise<number> {
    const routed = await line.route(fwd.number);
    if (!routed.ok) {
      session.reject(480);
      return 480;
    }
    const mode = this.options.settings().lines[line.number - 1]?.diversion ?? 1;
    session.reject(302, undefined, redirectHeaders(routed.value.uri, ownUri(line.from), fwd.reason, mode, session.invite.headers.getAll('Diversion')));
    return 302;
  }

  /** Forward on no answer: the ringing call is redirected after the ring time. */
  private async forwardRinging(call: Call, line: PhoneLine, fwd: ForwardDecision): Promise<void> {
    if (call.state !== 'ringing') return;
    const notes = this.notes.get(call.id);
    if (notes) notes.outcome = 'forwarded';
    await this.redirect(line, call.session, fwd);
  }

  private pruneEnded(): void {
    const ended = [...this.calls.values()].filter((c) => !c.active);
    for (const call of ended.slice(0, Math.max(0, ended.length - ENDED_KEPT))) {
      this.calls.delete(call.id);
      this.notes.delete(call.id);
    }
  }
}

/** The address-of-record inside a From value (`"Name" <sip:1001@pbx>` → `sip:1001@pbx`). */
function ownUri(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1] ?? '';
}

/** The first Contact of a 3xx and its Diversion headers, or undefined. */
function redirectOf(response: SipResponse | undefined): { uri: string; diversion: Array<[string, string]> } | undefined {
  const contacts = response?.contacts;
  if (!response || !contacts || contacts === '*' || contacts.length === 0) return undefined;
  return { uri: contacts[0]!.uri.toString(), diversion: response.headers.getAll('Diversion').map((d): [string, string] => ['Diversion', d]) };
}
