// One emulated device: boot (load NVRAM, apply layers, start services in order), reboot, clean
// shutdown, factory reset (KX-UT670 9.1) and Reset Web Settings (9.2). Each step is an event.
import type { Clock } from '../src/core/clock.js';
import type { Logger } from '../src/core/logger.js';
import { DeviceEventStream, type DeviceEvent, type DeviceEventMap, type DeviceEventType } from '../src/core/device-events.js';
import { LayeredStore, type Layer, type StoreSnapshot } from '../src/settings/layered-store.js';
import { buildDeviceSettings } from '../src/settings/build-canonical.js';
import type { DeviceSettings } from '../src/settings/canonical.js';
import type { ConfigDiagnostic } from '../src/provisioning/config-diagnostic.js';
import { checkConfig } from '../src/provisioning/config-check.js';
import type { DeviceApi, DeviceInfo, WebAccount } from '../src/ui-web/device-api.js';
import type { DeviceModel } from './models/model.js';
import type { TelephonyApi } from '../src/phone/telephony-api.js';
import type { PresenceApi } from '../src/phone/presence/presence-api.js';
import type { LedApi } from '../src/ui-web/led-routes.js';
import type { Nvram } from './nvram.js';
import { USER_DATA } from './user-data.js';

/** A failure to start that the CLI reports as one line and exit code 2. */
export class StartupError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface DeviceService {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export type ServiceFactory = (device: Device) => DeviceService;

export interface DeviceOptions {
  model: DeviceModel;
  mac: string;
  ip: string;
  sipPort: number;
  httpPort: number;
  nvram: Nvram;
  clock: Clock;
  logger: Logger;
  /** Pre-provisioning files applied at every boot (vphone run --config). */
  configFiles?: ReadonlyArray<{ source: string; text: Buffer }>;
  /** DNS servers for SIP names (what DHCP would give a real phone). */
  dnsServers?: readonly string[];
  /** Started in order at boot, stopped in reverse order. */
  services?: readonly ServiceFactory[];
  /** A directory /api/v1/audio may play WAV files from (besides the data directory). */
  mediaDir?: string;
}

export interface ApplyResult {
  readonly diagnostics: readonly ConfigDiagnostic[];
  readonly accepted: number;
  readonly rejected: number;
  readonly fileRejected: boolean;
}

type State = 'off' | 'booting' | 'running' | 'stopping';

const SETTINGS_FILE = 'settings.json';
const STATE_FILE = 'state.json';

interface PersistedState {
  bootCount: number;
}

export class Device implements DeviceApi {
  readonly model: DeviceModel;
  readonly mac: string;
  readonly ip: string;
  readonly sipPort: number;
  readonly dnsServers: readonly string[];
  /** The bound web port (differs from the option when it was 0). */
  httpPort: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly events: DeviceEventStream;
  readonly nvram: Nvram;
  store: LayeredStore;
  settings: DeviceSettings;
  private state: State = 'off';
  private bootCount = 0;
  private bootedAtMs = 0;
  private running: DeviceService[] = [];
  private readonly options: DeviceOptions;
  private unsubscribeStore: (() => void) | undefined;
  private telephonyApi: TelephonyApi | undefined;
  private presenceApi: PresenceApi | undefined;
  private ledApi: LedApi | undefined;

  constructor(options: DeviceOptions) {
    this.options = options;
    this.model = options.model;
    this.mac = options.mac;
    this.ip = options.ip;
    this.sipPort = options.sipPort;
    this.dnsServers = options.dnsServers ?? [];
    this.httpPort = options.httpPort;
    this.clock = options.clock;
    this.logger = options.logger;
    this.nvram = options.nvram;
    this.events = new DeviceEventStream(options.clock, options.mac, 500, (error) => this.logger.warn({ err: error }, 'event listener failed'));
    this.store = this.loadStore();
    this.settings = this.buildSettings();
  }

  get status(): State {
    return this.state;
  }

  readonly monotonicNow = (): number => this.clock.now();

  async boot(): Promise<void> {
    if (this.state !== 'off') throw new Error(`device ${this.mac}: boot while ${this.state}`);
    this.state = 'booting';
    const persisted = this.nvram.readJson<PersistedState>(STATE_FILE, isPersistedState);
    this.bootCount = (persisted?.bootCount ?? 0) + 1;
    this.nvram.writeJson(STATE_FILE, { bootCount: this.bootCount });
    this.emit('boot', { phase: 'loading-nvram', bootCount: this.bootCount });
    this.store = this.loadStore();
    for (const p of this.nvram.problems.splice(0)) this.logger.warn({ file: p.file }, p.message);

    this.emit('boot', { phase: 'applying-settings', bootCount: this.bootCount });
    for (const file of this.options.configFiles ?? []) {
      const result = this.applyConfig('preprovisioning', file.text, file.source);
      for (const d of result.diagnostics) this.logger.warn({ line: d.line, param: d.name, code: d.code }, `${file.source}:${d.line}: ${d.message}`);
    }
    this.settings = this.buildSettings();

    this.emit('boot', { phase: 'starting-services', bootCount: this.bootCount });
    try {
      for (const factory of this.options.services ?? []) {
        const service = factory(this);
        await service.start();
        this.running.push(service);
      }
    } catch (error) {
      await this.stopServices();
      this.state = 'off';
      throw error;
    }
    this.bootedAtMs = this.clock.now();
    this.state = 'running';
    this.emit('boot', { phase: 'ready', bootCount: this.bootCount });
    this.logger.info({ ip: this.ip, sipPort: this.sipPort, httpPort: this.httpPort, bootCount: this.bootCount }, 'device ready');
  }

  async shutdown(reason = 'shutdown'): Promise<void> {
    if (this.state === 'off' || this.state === 'stopping') return;
    this.state = 'stopping';
    this.emit('shutdown', { reason });
    await this.stopServices();
    this.unsubscribeStore?.();
    this.state = 'off';
  }

  async reboot(reason = 'reboot', whileDown?: () => void): Promise<void> {
    this.emit('reboot', { reason });
    await this.shutdown(reason);
    whileDown?.();
    await this.boot();
  }

  /** KX-UT670 9.1: every setting back to factory default; the unit restarts. */
  async factoryReset(by = 'api'): Promise<void> {
    this.store.resetToFactory();
    this.emit('factory-reset', { by });
    // The unit comes back as it left the factory: call log, phonebook and ring files go too —
    // deleted once the services are down (a call ended by the shutdown still writes its log
    // entry), read again by the services on boot.
    await this.reboot('factory reset', () => this.nvram.remove(USER_DATA));
  }

  /** KX-UT670 9.2: only the web/phone UI layer is cleared; the unit restarts. */
  async resetWebSettings(by = 'web'): Promise<void> {
    this.store.resetUiLayer();
    this.emit('web-settings-reset', { by });
    await this.reboot('reset web settings');
  }

  /** Parses a configuration file in the model's dialect and applies what is valid to `layer`. */
  applyConfig(layer: Layer, text: Buffer, source: string): ApplyResult {
    const parsed = this.model.parseConfig(text);
    const result = checkConfig(parsed, this.model.catalogue, { base: (name) => this.store.get(name) });
    // Values were validated by checkConfig; the store validates again and must agree.
    const problems = result.rejected ? [] : this.store.apply(layer, result.accepted, undefined, `${layer} ${source}`);
    if (problems.length > 0) this.logger.error({ problems }, 'catalogue and config check disagree');
    const accepted = result.accepted.length - problems.length;
    const rejected = parsed.entries.length - accepted;
    this.emit('config-applied', { layer, source, accepted, rejected });
    return { diagnostics: result.diagnostics, accepted, rejected, fileRejected: result.rejected };
  }

  // DeviceApi ---------------------------------------------------------------------------------

  /** Call control, while the SIP service runs (the control API's /lines and /calls). */
  telephony(): TelephonyApi | undefined {
    return this.telephonyApi;
  }

  audioFiles(): { dataDir: string; mediaDir?: string } {
    return { dataDir: this.nvram.dir, ...(this.options.mediaDir !== undefined ? { mediaDir: this.options.mediaDir } : {}) };
  }

  /** The SIP service hands its Phone over at start and takes it back at stop. */
  attachTelephony(api: TelephonyApi | undefined): void {
    this.telephonyApi = api;
  }

  /** MWI, BLF lamps and button numbers (the control API's /mwi and /blf), while the SIP service runs. */
  presence(): PresenceApi | undefined {
    return this.presenceApi;
  }

  attachPresence(api: PresenceApi | undefined): void {
    this.presenceApi = api;
  }

  /** The indicator LEDs (GET /api/v1/leds), while the LED service runs (firmware-sim/hardware). */
  leds(): LedApi | undefined {
    return this.ledApi;
  }

  attachLeds(api: LedApi | undefined): void {
    this.ledApi = api;
  }

  info(): DeviceInfo {
    return {
      model: this.model.modelName,
      modelId: this.model.id,
      vendor: this.model.vendor,
      mac: this.mac,
      firmware: this.model.firmwareVersion,
      address: { ip: this.ip, sipPort: this.sipPort, httpPort: this.httpPort },
      uptimeS: this.state === 'running' ? Math.floor((this.clock.now() - this.bootedAtMs) / 1000) : 0,
      bootCount: this.bootCount,
      lines: this.model.lineCount,
      ipDirectCalls: this.model.ipDirectCalls,
    };
  }

  accounts(): WebAccount[] {
    const a = this.settings.accounts;
    const accounts: WebAccount[] = [{ role: 'admin', id: a.adminId, password: a.adminPassword }];
    if (this.model.hasUserAccount) accounts.push({ role: 'user', id: a.userId, password: a.userPassword });
    return accounts;
  }

  subscribe(listener: (event: DeviceEvent) => void): () => void {
    return this.events.subscribe(listener);
  }

  recentEvents(): readonly DeviceEvent[] {
    return this.events.history();
  }

  // internals -----------------------------------------------------------------------------------

  private emit<K extends DeviceEventType>(type: K, body: DeviceEventMap[K]): void {
    this.events.emit(type, body);
  }

  private loadStore(): LayeredStore {
    this.unsubscribeStore?.();
    const snapshot = this.nvram.readJson<StoreSnapshot>(SETTINGS_FILE, isSnapshot);
    const store = new LayeredStore(
      this.model.catalogue,
      snapshot,
      (snap) => this.nvram.writeJson(SETTINGS_FILE, snap),
      this.model.unitDefaults(this.mac),
    );
    this.unsubscribeStore = store.events.on('change', (change) => {
      this.settings = this.buildSettings(store);
      this.emit('settings-changed', { names: change.names, layer: change.layer, reason: change.reason });
    });
    return store;
  }

  private buildSettings(store = this.store): DeviceSettings {
    return buildDeviceSettings(this.model.catalogue, { lineCount: this.model.lineCount, buttonCount: this.model.buttonCount }, (name) => store.get(name));
  }

  private async stopServices(): Promise<void> {
    for (const service of this.running.reverse()) {
      try {
        await service.stop();
      } catch (error) {
        this.emit('service-error', { service: service.name, message: (error as Error).message });
      }
    }
    this.running = [];
  }
}

function isSnapshot(value: unknown): value is StoreSnapshot {
  return typeof value === 'object' && value !== null && (value as { version?: unknown }).version === 1;
}

function isPersistedState(value: unknown): value is PersistedState {
  return typeof value === 'object' && value !== null && typeof (value as PersistedState).bootCount === 'number';
}
