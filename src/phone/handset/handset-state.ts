// What the user of the phone hears now in the earpiece or the loudspeaker, as a sans-IO state
// machine: inputs are the device's call snapshots (`call` events), the hook switch, message
// waiting (`mwi` events) and early media; `heard(now)` says which call's audio or which local
// call-progress tone plays. A pure function of the inputs and the clock: the only thing that
// changes without an input is the end of a disconnect tone, and `nextChange` says when.
//
// What a desk phone plays (KX-UT670 4.7.3 / 5.6.2 tone settings, A12 9.15 / 9.22):
// - off hook, no call: dial tone; the stutter dial tone (KX-UT670 DIAL_TONE4) when a line has
//   messages waiting;
// - an outgoing call the far end rings (180/183): ringback, unless early media arrived
//   (RFC 3960: the 18x's SDP answer) — then the far end's audio;
// - a call in conversation: the far end's audio (both calls of a local conference), with the
//   call-waiting tone (CW_TONE1, A12 7.5 "Enable Call Waiting Tone") mixed in while a second
//   call rings, or the hold tone (HOLD_TONE) while the far end holds us;
// - our call on hold, nothing else going on: the hold alarm (HOLD_ALARM; A12 "Holding Tone");
// - a call the far end ended (BYE), or an outgoing call that failed: the disconnect tone for
//   TONE_LEN_DISCONNECT_HANDSET / _HANDSFREE seconds (KX-UT670 5.6.1), then silence until the
//   handset goes back on hook. 486/600 give the busy tone; other failures and the disconnect
//   give the tone DISCONNECTION_MODE selects (1 reorder, 2 busy). A dial that never made a call
//   (no route, barred, dial-plan reject: `dial-failed`) gives the failure tone the same way off hook;
// - an incoming call that rings with no conversation going on: the ringer on the loudspeaker
//   (device 'speaker');
// - dialling off hook: the dial tone stops at the first digit (`keypad` without a call);
// - a key pressed during a conversation: its DTMF side-tone mixed over the call for DTMF_SIGNAL_LEN.
import type { CallSnapshot } from '../call.js';

export type HandsetTone = 'dial' | 'stutter' | 'ringback' | 'busy' | 'reorder' | 'callWaiting' | 'holdAlarm' | 'hold' | 'ring' | 'sideTone';
/** The tones with one spec under the settings ('sideTone' depends on the key: handset-tones.ts). */
export const HANDSET_TONES: readonly HandsetTone[] = ['dial', 'stutter', 'ringback', 'busy', 'reorder', 'callWaiting', 'holdAlarm', 'hold', 'ring'];

export type HookSwitch = 'on' | 'off';
/** Where the user hears it: the handset (off hook), the loudspeaker (hands-free), the ringer (the loudspeaker too), or nowhere. */
export type AudioDevice = 'handset' | 'handsfree' | 'speaker' | 'none';

export type HeardReason =
  | 'idle'
  | 'dial'
  /** Digits dialled off hook: the dial tone stopped at the first one. */
  | 'dialling'
  /** An incoming call rings (the ringer). */
  | 'ringing'
  | 'message-waiting'
  | 'calling'
  | 'ringback'
  | 'early-media'
  | 'talk'
  | 'conference'
  | 'call-waiting'
  | 'remote-hold'
  | 'held'
  | 'busy'
  | 'failed'
  | 'disconnect'
  /** The disconnect tone has played out; the handset is still off hook. */
  | 'after-disconnect';

export interface Heard {
  readonly source: 'tone' | 'call' | 'silence';
  /** The tone played (source 'tone'), or mixed over the call's audio (source 'call'). */
  readonly tone?: HandsetTone;
  /** The call heard, or the call the tone is about. */
  readonly call?: string;
  /** Every call mixed (a local conference hears both legs); includes `call`. */
  readonly calls?: readonly string[];
  readonly reason: HeardReason;
  readonly device: AudioDevice;
  /** When the tone started (clock ms): it plays from its beginning at this instant. */
  readonly toneSince?: number;
  /** When this stops by itself (the end of the disconnect tone or side-tone), clock ms. */
  readonly until?: number;
  /** The key whose DTMF side-tone plays (tone 'sideTone'). */
  readonly key?: string;
}

export interface HandsetConfig {
  /** The tone after the far end hangs up (KX-UT670 DISCONNECTION_MODE). */
  readonly disconnectTone: 'busy' | 'reorder';
  /** The tone of a failed call other than busy (486/600). */
  readonly failureTone: 'busy' | 'reorder';
  /** How long the disconnect (and failure) tone plays, ms; undefined: until on hook or a new call. */
  readonly disconnectHandsetMs: number | undefined;
  readonly disconnectHandsfreeMs: number | undefined;
  readonly callWaitingTone: boolean;
  /** The reminder while our call is on hold and nothing else plays. */
  readonly holdAlarmTone: boolean;
  /** A tone mixed over the call while the far end holds us. */
  readonly remoteHoldTone: boolean;
  /** How long a key's side-tone plays, ms (DTMF_SIGNAL_LEN). */
  readonly sideToneMs: number;
}

export type HandsetInput =
  | { readonly type: 'hook'; readonly state: HookSwitch }
  | { readonly type: 'call'; readonly call: CallSnapshot }
  | { readonly type: 'mwi'; readonly line: number; readonly waiting: boolean }
  | { readonly type: 'early-media'; readonly call: string; readonly flowing: boolean }
  /** A key of the dial pad: in call `call` (side-tone), or a digit dialled off hook. */
  | { readonly type: 'keypad'; readonly key: string; readonly call?: string }
  /** A dial that created no call; `tone` the tone the manual names, else the failure tone. */
  | { readonly type: 'dial-failed'; readonly tone?: 'busy' | 'reorder' }
  | { readonly type: 'config'; readonly config: HandsetConfig };

interface Tracked {
  snap: CallSnapshot;
  /** When the call entered its current state. */
  stateSince: number;
  remoteHoldSince: number;
  early: boolean;
}

interface EndTone {
  readonly tone: HandsetTone;
  /** The call that ended; undefined for a dial that made no call. */
  readonly call: string | undefined;
  readonly reason: 'busy' | 'failed' | 'disconnect';
  readonly since: number;
  readonly until: number | undefined;
}

/** SIP statuses that mean the far end is busy (RFC 3261 §21.4.24 486, §21.6.1 600). */
const BUSY_STATUSES = new Set([486, 600]);
/** Ends that are the user's own doing: no tone. */
const LOCAL_ENDS = new Set(['local-bye', 'cancelled']);

export class HandsetState {
  private hook: HookSwitch = 'on';
  private readonly calls = new Map<string, Tracked>();
  private readonly mwi = new Map<number, boolean>();
  private ended: EndTone | undefined;
  /** Off hook after a disconnect tone: silence until the hook goes on (no fresh dial tone). */
  private afterEnd = false;
  private dialSince = 0;
  /** Digits were dialled off hook: no dial tone. */
  private dialling = false;
  private sideTone: { key: string; call: string; since: number; until: number } | undefined;

  constructor(
    private config: HandsetConfig,
    now = 0,
  ) {
    this.dialSince = now;
  }

  handle(input: HandsetInput, now: number): void {
    switch (input.type) {
      case 'hook':
        return this.onHook(input.state, now);
      case 'call':
        return this.onCall(input.call, now);
      case 'mwi':
        this.mwi.set(input.line, input.waiting);
        return;
      case 'early-media': {
        const t = this.calls.get(input.call);
        if (t) t.early = input.flowing;
        return;
      }
      case 'config':
        this.config = input.config;
        return;
      case 'keypad':
        if (input.call === undefined) this.dialling = this.hook === 'off';
        else this.sideTone = { key: input.key, call: input.call, since: now, until: now + this.config.sideToneMs };
        return;
      case 'dial-failed':
        return this.onDialFailed(input.tone, now);
    }
  }

  get hookState(): HookSwitch {
    return this.hook;
  }

  /** Calls in a state where early media matters (the service checks their streams). */
  ringbackCalls(): string[] {
    return [...this.calls.values()].filter((t) => t.snap.state === 'ringback').map((t) => t.snap.id);
  }

  /** The next instant `heard` changes without an input, if any. */
  nextChange(now: number): number | undefined {
    const next = [this.ended?.until, this.sideTone?.until].filter((u): u is number => u !== undefined && u > now);
    return next.length > 0 ? Math.min(...next) : undefined;
  }

  heard(now: number): Heard {
    const device = this.device(now);
    const live = [...this.calls.values()];
    const talking = live.filter((t) => t.snap.state === 'connected');
    if (talking.length > 0) return this.talk(talking, live, device, now);
    const outgoing = newest(live.filter((t) => t.snap.state === 'calling' || t.snap.state === 'ringback'));
    if (outgoing) {
      const call = outgoing.snap.id;
      if (outgoing.snap.state === 'calling') return { source: 'silence', call, reason: 'calling', device };
      if (outgoing.early) return { source: 'call', call, calls: [call], reason: 'early-media', device };
      return { source: 'tone', tone: 'ringback', call, reason: 'ringback', device, toneSince: outgoing.stateSince };
    }
    // The ringer: an incoming call rings on the loudspeaker while no conversation goes on.
    const ringing = newest(live.filter((t) => t.snap.state === 'ringing' && t.snap.direction === 'incoming'));
    if (ringing) return { source: 'tone', tone: 'ring', call: ringing.snap.id, reason: 'ringing', device: 'speaker', toneSince: ringing.stateSince };
    const end = this.endTone(now);
    if (end) return { source: 'tone', tone: end.tone, ...(end.call !== undefined ? { call: end.call } : {}), reason: end.reason, device, toneSince: end.since, ...(end.until !== undefined ? { until: end.until } : {}) };
    const held = newest(live.filter((t) => t.snap.state === 'held'));
    if (held) {
      const call = held.snap.id;
      return this.config.holdAlarmTone ? { source: 'tone', tone: 'holdAlarm', call, reason: 'held', device, toneSince: held.stateSince } : { source: 'silence', call, reason: 'held', device };
    }
    if (this.hook === 'off' && this.afterEnd) return { source: 'silence', reason: 'after-disconnect', device };
    if (this.hook === 'off' && this.dialling) return { source: 'silence', reason: 'dialling', device };
    if (this.hook === 'off') {
      const waiting = [...this.mwi.values()].some((w) => w);
      return { source: 'tone', tone: waiting ? 'stutter' : 'dial', reason: waiting ? 'message-waiting' : 'dial', device, toneSince: this.dialSince };
    }
    return { source: 'silence', reason: 'idle', device };
  }

  private talk(talking: Tracked[], live: Tracked[], device: AudioDevice, now: number): Heard {
    const focus = talking.reduce((a, b) => (b.stateSince >= a.stateSince ? b : a));
    const call = focus.snap.id;
    const partner = focus.snap.conference !== undefined ? this.calls.get(focus.snap.conference) : undefined;
    const calls = partner && partner.snap.state !== 'ringing' ? [call, partner.snap.id] : [call];
    const base = { source: 'call' as const, call, calls, device };
    // The side-tone of a key pressed in the call heard (DTMF_SIGNAL_LEN long).
    const side = this.sideTone;
    if (side && calls.includes(side.call) && now >= side.since && now < side.until) return { ...base, tone: 'sideTone', key: side.key, reason: calls.length > 1 ? 'conference' : 'talk', toneSince: side.since, until: side.until };
    // A12 7.5 / KX-UT670 CW_ENABLE_n: a second call rings during the conversation.
    const waiting = newest(live.filter((t) => t.snap.state === 'ringing' && t.snap.direction === 'incoming' && t.snap.waiting === true));
    if (waiting && this.config.callWaitingTone) return { ...base, tone: 'callWaiting', reason: 'call-waiting', toneSince: waiting.stateSince };
    if (focus.snap.remoteHold && this.config.remoteHoldTone) return { ...base, tone: 'hold', reason: 'remote-hold', toneSince: focus.remoteHoldSince };
    return { ...base, reason: calls.length > 1 ? 'conference' : 'talk' };
  }

  private endTone(now: number): EndTone | undefined {
    const e = this.ended;
    return e && (e.until === undefined || now < e.until) ? e : undefined;
  }

  private device(now: number): AudioDevice {
    if (this.hook === 'off') return 'handset';
    const busy = [...this.calls.values()].some((t) => t.snap.state !== 'ringing');
    return busy || this.endTone(now) ? 'handsfree' : 'none';
  }

  private onHook(state: HookSwitch, now: number): void {
    if (state === this.hook) return;
    this.hook = state;
    // Either way the disconnect tone stops: on hook the phone is idle, off hook starts afresh.
    this.ended = undefined;
    this.afterEnd = false;
    this.dialling = false;
    if (state === 'off') this.dialSince = now;
  }

  /** A dial that made no call: off hook, the failure tone plays as after a failed call. */
  private onDialFailed(tone: 'busy' | 'reorder' | undefined, now: number): void {
    this.dialling = false;
    if (this.hook !== 'off') return;
    const ms = this.config.disconnectHandsetMs;
    this.ended = { tone: tone ?? this.config.failureTone, call: undefined, reason: tone === 'busy' ? 'busy' : 'failed', since: now, until: ms === undefined ? undefined : now + ms };
    this.afterEnd = true;
  }

  private onCall(snap: CallSnapshot, now: number): void {
    const prev = this.calls.get(snap.id);
    if (snap.state === 'ended') {
      if (!prev) return;
      const wasFocus = this.heard(now).call === snap.id;
      this.calls.delete(snap.id);
      const tone = wasFocus ? this.toneForEnd(snap) : undefined;
      if (tone) {
        const ms = this.hook === 'off' ? this.config.disconnectHandsetMs : this.config.disconnectHandsfreeMs;
        this.ended = { ...tone, call: snap.id, since: now, until: ms === undefined ? undefined : now + ms };
        this.afterEnd = this.hook === 'off';
      } else if (wasFocus) this.dialSince = now; // hung up ourselves: a fresh dial tone off hook
      return;
    }
    if (!prev) {
      // A new call supersedes what the last one left playing.
      this.ended = undefined;
      this.afterEnd = false;
      this.dialling = false;
      this.calls.set(snap.id, { snap, stateSince: now, remoteHoldSince: now, early: false });
      return;
    }
    if (prev.snap.state !== snap.state) prev.stateSince = now;
    if (snap.remoteHold && !prev.snap.remoteHold) prev.remoteHoldSince = now;
    prev.snap = snap;
  }

  /** The tone an ended call leaves, or undefined when the user ended it or nothing failed. */
  private toneForEnd(snap: CallSnapshot): { tone: HandsetTone; reason: EndTone['reason'] } | undefined {
    if (LOCAL_ENDS.has(snap.endReason ?? '')) return undefined;
    if (snap.answeredAt !== undefined) return { tone: this.config.disconnectTone, reason: 'disconnect' };
    if (snap.direction !== 'outgoing') return undefined;
    const status = snap.endStatus;
    // RFC 3261 §8.1.3.4: the phone follows a redirect with a new call; nothing to play.
    if (status !== undefined && status >= 300 && status < 400) return undefined;
    if (status !== undefined && BUSY_STATUSES.has(status)) return { tone: 'busy', reason: 'busy' };
    return { tone: this.config.failureTone, reason: 'failed' };
  }
}

/** The call that entered its state last. */
function newest(list: Tracked[]): Tracked | undefined {
  return list.reduce<Tracked | undefined>((a, b) => (a === undefined || b.stateSince >= a.stateSince ? b : a), undefined);
}
