// One typed event stream per device (ARCHITECTURE.md "Typed events out of every device").
// Each layer adds its own event types by augmenting DeviceEventMap from its own module:
//   declare module '../core/device-events.js' { interface DeviceEventMap { 'registration': {...} } }
// The WebSocket, action URLs, syslog and scenario runner all read this one stream.
import type { Clock } from './clock.js';

export interface DeviceEventMap {
  boot: { phase: 'loading-nvram' | 'applying-settings' | 'starting-services' | 'ready'; bootCount: number };
  shutdown: { reason: string };
  reboot: { reason: string };
  'factory-reset': { by: string };
  'web-settings-reset': { by: string };
  'settings-changed': { names: readonly string[]; layer: string; reason: string };
  'config-applied': { layer: string; source: string; accepted: number; rejected: number };
  'service-error': { service: string; message: string };
}

export type DeviceEventType = keyof DeviceEventMap;

export interface EventMeta {
  /** Increases by one per event of this device, across reboots of the process object. */
  readonly seq: number;
  /** Wall-clock time, ISO 8601. */
  readonly at: string;
  /** Monotonic clock milliseconds. */
  readonly t: number;
  /** The device's MAC address. */
  readonly device: string;
}

export type DeviceEvent = { [K in DeviceEventType]: { readonly type: K } & DeviceEventMap[K] & EventMeta }[DeviceEventType];

export type DeviceEventListener = (event: DeviceEvent) => void;

export class DeviceEventStream {
  private seq = 0;
  private readonly listeners = new Set<DeviceEventListener>();
  /** The last events, for late subscribers and diagnostics. */
  private readonly recent: DeviceEvent[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly device: string,
    private readonly historySize = 200,
    private readonly onListenerError: (error: unknown) => void = () => {},
  ) {}

  emit<K extends DeviceEventType>(type: K, body: DeviceEventMap[K]): DeviceEvent {
    const event = { type, ...body, seq: ++this.seq, at: this.clock.wallTime().toISOString(), t: this.clock.now(), device: this.device } as DeviceEvent;
    this.recent.push(event);
    if (this.recent.length > this.historySize) this.recent.shift();
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
    return event;
  }

  subscribe(listener: DeviceEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  history(): readonly DeviceEvent[] {
    return this.recent;
  }
}
