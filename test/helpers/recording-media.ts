// A recording CallMedia for call-control tests: it keeps what the call layer applied (codec,
// remote address, direction) without moving RTP; the RTP path has its own tests.
import type { NegotiatedMedia } from '../../src/sip/sdp/index.js';
import type { AudioSink } from '../../src/codecs/audio-sink.js';
import type { AudioSource } from '../../src/codecs/audio-source.js';
import type { CallMedia, CallMediaFactory, ReceivedAudio } from '../../src/phone/call-media.js';

export class RecordingMedia implements CallMedia {
  readonly applied: NegotiatedMedia[] = [];
  readonly dtmf: string[] = [];
  closed = false;
  muted = false;
  playing: AudioSource | undefined;
  readonly sinks: AudioSink[] = [];
  constructor(readonly port: number) {}
  get rtcpPort(): number {
    return this.port + 1;
  }
  apply(media: NegotiatedMedia): void {
    this.applied.push(media);
  }
  sendDtmf(digits: string): void {
    this.dtmf.push(digits);
  }
  setMuted(muted: boolean): void {
    this.muted = muted;
  }
  play(source: AudioSource | undefined): void {
    this.playing = source;
  }
  addSink(sink: AudioSink): () => void {
    this.sinks.push(sink);
    return () => void this.sinks.splice(this.sinks.indexOf(sink), 1);
  }
  get sampleRate(): number | undefined {
    return this.applied.length > 0 ? 8000 : undefined;
  }
  received(): ReceivedAudio {
    return { levelDbfs: -120, peakDbfs: -120, measuredMs: 0, heard: undefined };
  }
  stats() {
    return { codec: this.applied.at(-1)?.codec.name, packetsSent: 0, packetsReceived: 0, packetsLost: 0, jitterMs: 0 };
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

export function recordingFactory(opened: RecordingMedia[]): CallMediaFactory {
  let port = 20000;
  return {
    async open() {
      const m = new RecordingMedia((port += 2));
      opened.push(m);
      return m;
    },
  };
}

