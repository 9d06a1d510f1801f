// Payload type numbers of our offers. RFC 3264 §8.3.2: "the mapping from a particular dynamic
// payload type number to a particular codec within that media stream MUST NOT change for the
// duration of a session", so a re-offer reuses the numbers of our last description of the
// stream (which, after an answer, are the peer's numbers) and never gives a number in use to
// another format. The same check settles clashes within the settings (the A12's Opus payload
// type set to the telephone-event one).
// RFC 4733 §7.1.1: a telephone-event's rate must match the codec's clock, so an offer carries
// one telephone-event per clock rate of its codecs (8000 for G.711/G.722/G.729, 48000 for opus).
import type { MediaView, Rtpmap } from './attributes.js';
import type { SdpCodec } from './options.js';

export const TELEPHONE_EVENT = 'telephone-event';

export function isTelephoneEvent(f: Rtpmap): boolean {
  return f.encodingName.toLowerCase() === TELEPHONE_EVENT;
}

/** Does a format the peer wrote denote this codec of ours? (RFC 4855 §3: names are case-insensitive.) */
export function sameCodec(f: Rtpmap, c: SdpCodec): boolean {
  const name = c.encodingName.toLowerCase();
  if (f.encodingName.toLowerCase() !== name) return false;
  // RFC 7587 §7: opus is opus/48000/2 whatever it carries; tolerate stacks that leave the /2 out.
  if (name === 'opus') return f.clockRate === 48000;
  if (f.channels !== (c.channels ?? 1)) return false;
  // Some stacks write G722/16000 (the sampling rate) against RFC 3551 §4.5.2; accept it.
  return f.clockRate === c.clockRate || (name === 'g722' && f.clockRate === 16000);
}

export interface OfferedTelephoneEvent {
  readonly payloadType: number;
  readonly clockRate: number;
  readonly events: string;
}

export interface OfferPayloadTypes {
  readonly codecs: readonly SdpCodec[];
  readonly telephoneEvents: readonly OfferedTelephoneEvent[];
}

/** RFC 3551 §3: the dynamic range. */
const DYNAMIC_FIRST = 96;
const DYNAMIC_LAST = 127;

function identity(f: { encodingName: string; clockRate: number; channels?: number }): string {
  return `${f.encodingName.toLowerCase()}/${f.clockRate}/${f.channels ?? 1}`;
}

/**
 * The payload types of an offer: `codecs` in order, telephone-event (if configured) at every
 * clock rate of the codecs, the configured type for the first rate. `previous` is our last
 * description of the audio stream, whose numbers are kept and reserved. A format that finds
 * no free number (more than 32 dynamic formats) is left out.
 */
export function assignOfferPayloadTypes(
  codecs: readonly SdpCodec[],
  telephoneEvent: { readonly payloadType: number; readonly events: string } | undefined,
  previous?: MediaView,
): OfferPayloadTypes {
  const before = previous?.formats ?? [];
  const taken = new Map<number, string>();
  for (const f of before) if (f.payloadType >= DYNAMIC_FIRST) taken.set(f.payloadType, identity(f));

  const place = (wanted: number, id: string, kept: number | undefined): number | undefined => {
    if (kept !== undefined) return kept;
    const holder = taken.get(wanted);
    if (holder === undefined || holder === id) {
      taken.set(wanted, id);
      return wanted;
    }
    for (let pt = DYNAMIC_FIRST; pt <= DYNAMIC_LAST; pt++) {
      if (!taken.has(pt)) {
        taken.set(pt, id);
        return pt;
      }
    }
    return undefined;
  };

  const outCodecs: SdpCodec[] = [];
  for (const c of codecs) {
    const kept = before.find((f) => !isTelephoneEvent(f) && sameCodec(f, c))?.payloadType;
    const pt = place(c.payloadType, identity(c), kept);
    if (pt !== undefined && !outCodecs.some((o) => o.payloadType === pt)) outCodecs.push({ ...c, payloadType: pt });
  }

  const telephoneEvents: OfferedTelephoneEvent[] = [];
  if (telephoneEvent) {
    const rates = [...new Set(outCodecs.map((c) => c.clockRate))];
    for (const clockRate of rates) {
      const kept = before.find((f) => isTelephoneEvent(f) && f.clockRate === clockRate)?.payloadType;
      const wanted = telephoneEvents.length === 0 ? telephoneEvent.payloadType : DYNAMIC_FIRST;
      const pt = place(wanted, identity({ encodingName: TELEPHONE_EVENT, clockRate }), kept);
      if (pt !== undefined && !outCodecs.some((o) => o.payloadType === pt)) telephoneEvents.push({ payloadType: pt, clockRate, events: telephoneEvent.events });
    }
  }
  return { codecs: outCodecs, telephoneEvents };
}
