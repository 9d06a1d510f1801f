// The local three-party conference (A12 9.12 Conference Type "Local": the device itself mixes,
// two remote parties at most; the KX-UT670's conference without CONFERENCE_SERVER_URI): each
// remote party hears the local user and the other party, the local user hears both (each call's
// own sinks). Everything runs on the media tick through the calls' sources and sinks; nothing
// here knows SIP.
import { MixSource, SilenceSource, type AudioSource } from '../../codecs/audio-source.js';
import type { CallMedia } from '../call-media.js';
import { SharedAudio } from './shared-audio.js';

export class ConferenceBridge {
  readonly sampleRate: number;
  private readonly userSources: [AudioSource | undefined, AudioSource | undefined];
  private readonly removers: Array<() => void> = [];
  private stopped = false;

  constructor(private readonly legs: readonly [CallMedia, CallMedia]) {
    const [a, b] = legs;
    // One rate for the mix: the legs' own when they agree, else 8 kHz (the media adapts 8/16 kHz).
    this.sampleRate = a.sampleRate !== undefined && a.sampleRate === b.sampleRate ? a.sampleRate : 8000;
    this.userSources = [a.playing, b.playing];
    // DEVIATION: the local user is one voice; when both calls had a source, the first call's is used.
    const user = this.userSources[0] ?? this.userSources[1];
    const local = new SharedAudio(this.sampleRate, user && user.sampleRate === this.sampleRate ? user : new SilenceSource(this.sampleRate));
    const heard = legs.map(() => new SharedAudio(this.sampleRate));
    legs.forEach((leg, i) => this.removers.push(leg.addSink(heard[i]!)));
    // Leg i sends the local user plus what the other leg's party says.
    legs.forEach((leg, i) => leg.play(new MixSource([local.reader(), heard[1 - i]!.reader()])));
  }

  get active(): boolean {
    return !this.stopped;
  }

  /** Back to two separate calls: each plays what the user played before. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const remove of this.removers) remove();
    this.legs.forEach((leg, i) => leg.play(this.userSources[i]));
  }
}
