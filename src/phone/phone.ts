// Call control of one phone: its lines and calls, model-agnostic. Incoming INVITEs arrive from
// each line's UA; outgoing calls start from dial(). Every change is an event (`call`), and every
// action answers with a Result so the control API, the keys and the web dial page report the
// same clear errors.
import type { Clock, Timer } from '../core/clock.js';
import { failure, ok, type Result } from '../core/result.js';
import type { Peer } from '../sip/transaction/transaction-layer.js';
import type { InviteSession } from '../sip/ua/invite-session.js';
import { SdpSession, serializeSdp } from '../sip/sdp/index.js';
import type { DeviceSettings } from '../settings/canonical.js';
import { Call, type CallSnapshot } from './call.js';
import type { CallMedia, CallMediaFactory } from './call-media.js';
import type { LineStatus, PhoneLine } from './phone-line.js';
import type { CallAction, TelephonyApi } from './telephony-api.js';

export interface PhoneOptions {
  readonly clock: Clock;
  readonly media: CallMediaFactory;
  /** The device's current canonical settings (read at each decision: settings change live). */
  settings(): DeviceSettings;
  /** Every call state change. */
  onCall(snapshot: CallSnapshot): void;
  /** Seconds since 1900 for SDP o= ids (RFC 4566 §5.2 suggests NTP time). */
  ntpSeconds?(): number;
}

/** How many ended calls stay readable at /api/v1/calls. */
const ENDED_KEPT = 20;

export class Phone implements TelephonyApi {
  private readonly lines = new Map<number, PhoneLine>();
  private readonly calls = new Map<string, Call>();
  private readonly autoAnswerTimers = new Map<string, Timer>();
  private nextId = 1;

  constructor(private readonly options: PhoneOptions) {}

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
  async dial(to: string, lineNumber?: number): Promise<Result<CallSnapshot>> {
    const target = to.trim();
    if (target === '') return failure('CALL_NO_TARGET', 'call: nothing to dial');
    const line = this.pickLine(lineNumber);
    if (!line) return failure('CALL_NO_LINE', lineNumber === undefined ? 'call: no line is enabled' : `call: line ${lineNumber} is not available`);
    const routed = await line.route(target);
    if (!routed.ok) return routed;
    const media = await this.openMedia(line);
    if (!media.ok) return media;
    const sdp = this.newSdpSession(line, media.value.port, media.value.rtcpPort);
    const offer = sdp.createOffer();
    if (!offer.ok) {
      await media.value.close();
      return failure('CALL_NO_CODEC', `call: cannot build an offer: ${offer.error.message}`);
    }
    const session = line.ua.invite({
      from: line.from,
      to: routed.value.to,
      uri: routed.value.uri,
      peer: routed.value.peer,
      body: serializeSdp(offer.value),
      contentType: 'application/sdp',
    });
    const call = this.track(new Call(this.newId(), line.number, session, sdp, media.value, { uri: routed.value.uri, displayName: '' }, line.from, this.options.clock.now(), () => this.options.clock.now()));
    return ok(call.snapshot());
  }

  /** A new INVITE on `lineNumber` that passed the UA's checks. */
  async incoming(lineNumber: number, session: InviteSession, _source: Peer): Promise<void> {
    const line = this.lines.get(lineNumber);
    const settings = this.options.settings();
    const lineSettings = settings.lines[lineNumber - 1];
    if (!line || !lineSettings) return void session.reject(404);
    // DND per line (A12 9.12; the KX-UT670's DND comes from its phone UI into the same setting).
    if (settings.intercom.lines[lineNumber - 1]?.dnd) return void session.reject(settings.sip.dndResponseCode);
    const busy = [...this.calls.values()].some((c) => c.active);
    // KX-UT670 5.8.2 CW_ENABLE_n: without call waiting a second call is refused busy.
    if (busy && !lineSettings.callWaiting) return void session.reject(486);
    const from = session.invite.from;
    const opened = await this.openMedia(line);
    // RFC 3261 §21.5.4: no RTP port left is a server-side failure of this phone.
    if (!opened.ok) return void session.reject(503, 'No Media Port');
    const media = opened.value;
    if (session.state === 'terminated') return void (await media.close());
    const sdp = this.newSdpSession(line, media.port, media.rtcpPort);
    const remote = { uri: from.uri.toString(), displayName: from.displayName ?? '' };
    const call = this.track(new Call(this.newId(), line.number, session, sdp, media, remote, line.from, this.options.clock.now(), () => this.options.clock.now()));
    session.ring(180);
    // A12 9.14: a line that is not activated takes only IP (P2P) calls, with the P2P auto answer.
    const autoAnswer = lineSettings.enabled ? lineSettings.autoAnswer : settings.intercom.p2p.autoAnswer;
    this.scheduleAutoAnswer(call, autoAnswer, busy);
  }

  /** An action on a call from the user (API, key, web page). */
  act(id: string, action: CallAction, args: { digits?: string } = {}): Result<CallSnapshot> {
    const call = this.calls.get(id);
    if (!call) return failure('CALL_NOT_FOUND', `call: no call ${id}`);
    if (!call.active) return failure('CALL_ENDED', `call: call ${id} has ended`);
    switch (action) {
      case 'answer': {
        if (call.state !== 'ringing') return failure('CALL_BAD_STATE', `call: cannot answer a call that is ${call.state}`);
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
        call.sendDtmf(digits.toUpperCase());
        break;
      }
    }
    return ok(call.snapshot());
  }

  /** Ends every call (shutdown). */
  hangupAll(): void {
    for (const call of this.calls.values()) if (call.active) call.hangup();
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
    call.events.on('state', (state) => {
      if (state !== 'ringing') this.cancelAutoAnswer(call.id);
      this.options.onCall(call.snapshot());
      if (state === 'ended') this.pruneEnded();
    });
    return call;
  }

  /**
   * Auto answer (KX-UT670 AUTO_ANS_RING_TIM after the line's auto answer is on; A12 9.15 per-line
   * auto answer with a delay of 0-120 s). A second call while busy is never auto-answered.
   */
  private scheduleAutoAnswer(call: Call, autoAnswer: { enabled: boolean; delayS: number }, busy: boolean): void {
    if (!autoAnswer.enabled || busy) return;
    const delayMs = Math.max(0, autoAnswer.delayS) * 1000;
    const answer = () => {
      this.autoAnswerTimers.delete(call.id);
      if (call.state === 'ringing') call.answer();
    };
    if (delayMs === 0) return answer();
    this.autoAnswerTimers.set(call.id, this.options.clock.setTimer(delayMs, answer, `auto answer ${call.id}`));
  }

  private cancelAutoAnswer(id: string): void {
    this.autoAnswerTimers.get(id)?.cancel();
    this.autoAnswerTimers.delete(id);
  }

  private pruneEnded(): void {
    const ended = [...this.calls.values()].filter((c) => !c.active);
    for (const call of ended.slice(0, Math.max(0, ended.length - ENDED_KEPT))) this.calls.delete(call.id);
  }
}
