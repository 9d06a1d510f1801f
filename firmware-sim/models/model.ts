// What a device model is: its capabilities (lines, keys, LEDs, relays, inputs), identity strings,
// default accounts, parameter catalogue and configuration-file dialect. Everything model-specific
// that the generic firmware needs is reached through this interface.
import type { Catalogue } from '../../src/settings/catalogue.js';
import type { ParsedConfig } from '../../src/provisioning/config-diagnostic.js';

export type ModelId = 'kx-ut670' | 'fanvil-a12';

export interface DeviceModel {
  readonly id: ModelId;
  /** The string substituted for {MODEL} in provisioning URLs and shown on the status page. */
  readonly modelName: string;
  readonly vendor: string;
  readonly firmwareVersion: string;
  /** First three bytes of generated MAC addresses (the vendor's OUI), 6 hex digits. */
  readonly macOui: string;
  readonly lineCount: number;
  /** Flexible / DSS buttons that carry settings (KX-UT670 5.6.4: 24; A12: its call button). */
  readonly buttonCount: number;
  /** SIP P2P / IP direct calls without a server (A12 9.15). */
  readonly ipDirectCalls: boolean;
  readonly keys: readonly string[];
  readonly leds: readonly string[];
  readonly relayCount: number;
  readonly inputCount: number;
  /** Default web accounts (KX-UT670 4.2.3: admin/adminpass, user/blank; A12 6.4: admin/admin). */
  readonly defaultAccounts: ReadonlyArray<{ role: 'admin' | 'user'; id: string; password: string }>;
  /** Whether the web UI has a second, User-level account (KX-UT670 4.2.3). */
  readonly hasUserAccount: boolean;
  readonly catalogue: Catalogue;
  /** Factory values particular to one unit (KX-UT670 CFG_FILE_KEY1: "a unique value preset to each unit"). */
  unitDefaults(mac: string): ReadonlyMap<string, string>;
  /** Parses a configuration file in this model's dialect (syntax only; checkConfig validates). */
  parseConfig(text: Buffer): ParsedConfig;
}
