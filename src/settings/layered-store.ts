// The layered settings store of KX-UT670 2.5 "Priority of Setting Methods":
//   factory default < pre-provisioning < master file < product file < standard file < web/phone UI
// Web and phone UI share the top layer, so the more recent of the two wins. Exception (2.5 Note):
// for flexible buttons, configuration files outrank the phone UI.
// Pure logic: persistence is injected (firmware-sim/nvram.ts writes it atomically).
import { ok, failure, type Result } from '../core/result.js';
import { Emitter } from '../core/events.js';
import type { Catalogue } from './catalogue.js';

export const LAYERS = ['preprovisioning', 'master', 'product', 'standard', 'ui'] as const;
export type Layer = (typeof LAYERS)[number];
export type ValueSource = Layer | 'factory';
export type UiSource = 'web' | 'phone' | 'api';

export interface StoredValue {
  readonly value: string;
  /** For the ui layer: which interface wrote it. */
  readonly via?: UiSource;
}

export interface Effective {
  readonly name: string;
  readonly value: string;
  readonly layer: ValueSource;
  readonly via?: UiSource;
}

export type StoreSnapshot = { version: 1 } & { [L in Layer]: Record<string, StoredValue> };

export interface StoreEvents extends Record<string, unknown> {
  /** Names whose effective value may have changed. */
  change: { names: readonly string[]; layer: ValueSource; reason: string };
}

export interface SettingProblem {
  readonly name: string;
  readonly code: string;
  readonly message: string;
}

export class LayeredStore {
  readonly events = new Emitter<StoreEvents>();
  private layers: Record<Layer, Map<string, StoredValue>>;

  /**
   * @param unitDefaults factory values particular to this unit (e.g. KX-UT670 CFG_FILE_KEY1, "a
   *   unique value preset to each unit"); they count as the factory layer.
   */
  constructor(
    readonly catalogue: Catalogue,
    snapshot?: StoreSnapshot,
    private readonly persist: (snapshot: StoreSnapshot) => void = () => {},
    private readonly unitDefaults: ReadonlyMap<string, string> = new Map(),
  ) {
    this.layers = emptyLayers();
    if (snapshot) this.load(snapshot);
  }

  /** Factory value of a name: the unit's own default, else the catalogue's. */
  factoryValue(name: string): string | undefined {
    return this.unitDefaults.get(name) ?? this.catalogue.defaultOf(name);
  }

  /** Effective value of a known parameter and the layer it came from; undefined for unknown names. */
  effective(name: string): Effective | undefined {
    const p = this.catalogue.lookup(name);
    if (!p) return undefined;
    const ui = this.layers.ui.get(name);
    if (ui && !(ui.via === 'phone' && p.def.filesOutrankPhoneUi)) return { name, value: ui.value, layer: 'ui', via: ui.via };
    for (let i = LAYERS.length - 2; i >= 0; i--) {
      const layer = LAYERS[i]!;
      const v = this.layers[layer].get(name);
      if (v) return { name, value: v.value, layer };
    }
    if (ui) return { name, value: ui.value, layer: 'ui', via: ui.via };
    return { name, value: this.factoryValue(name)!, layer: 'factory' };
  }

  /** Effective value; unknown names are a programming error here. */
  get(name: string): string {
    const e = this.effective(name);
    if (!e) throw new Error(`settings: unknown parameter ${name} for ${this.catalogue.model}`);
    return e.value;
  }

  /** Value held by one layer (not the effective value). */
  layerValue(layer: Layer, name: string): StoredValue | undefined {
    return this.layers[layer].get(name);
  }

  /** Sets one value in a layer after validating it. */
  set(name: string, value: string, layer: Layer, via?: UiSource): Result<Effective> {
    const problems = this.apply(layer, [{ name, value }], via, `set ${name}`);
    if (problems.length > 0) return failure(problems[0]!.code, problems[0]!.message);
    return ok(this.effective(name)!);
  }

  /**
   * Applies many values to one layer in one persisted write (a provisioning file, a web form).
   * Invalid values are rejected one by one; the valid rest applies. Returns the problems.
   */
  apply(layer: Layer, values: ReadonlyArray<{ name: string; value: string }>, via?: UiSource, reason = `apply ${layer}`): SettingProblem[] {
    const problems: SettingProblem[] = [];
    const changed: string[] = [];
    const target = this.layers[layer];
    for (const { name, value } of values) {
      const r = this.catalogue.validate(name, value);
      if (!r.ok) {
        problems.push({ name, code: r.error.code, message: r.error.message });
        continue;
      }
      target.set(name, layer === 'ui' && via ? { value: r.value, via } : { value: r.value });
      changed.push(name);
    }
    if (changed.length > 0) this.commit(changed, layer, reason);
    return problems;
  }

  /** Removes one value from a layer (the next layer down shows through). */
  unset(name: string, layer: Layer): void {
    if (this.layers[layer].delete(name)) this.commit([name], layer, `unset ${name}`);
  }

  /** KX-UT670 9.2 Reset Web Settings: back to the state after the latest (pre-)provisioning. */
  resetUiLayer(): void {
    const names = [...this.layers.ui.keys()];
    this.layers.ui.clear();
    this.commit(names, 'ui', 'reset web settings');
  }

  /** KX-UT670 9.1 Reset to Factory Default: every layer cleared. */
  resetToFactory(): void {
    const names = LAYERS.flatMap((l) => [...this.layers[l].keys()]);
    this.layers = emptyLayers();
    this.commit(names, 'factory', 'factory reset');
  }

  /** Names set in any layer (what differs from factory). */
  overriddenNames(): string[] {
    const names = new Set<string>();
    for (const l of LAYERS) for (const n of this.layers[l].keys()) names.add(n);
    return [...names];
  }

  snapshot(): StoreSnapshot {
    const snap = { version: 1 } as StoreSnapshot;
    for (const l of LAYERS) snap[l] = Object.fromEntries(this.layers[l]);
    return snap;
  }

  private load(snapshot: StoreSnapshot): void {
    for (const l of LAYERS) {
      for (const [name, stored] of Object.entries(snapshot[l] ?? {})) {
        // NVRAM from an older catalogue may hold names or values no longer valid: drop them.
        if (typeof stored?.value === 'string' && this.catalogue.validate(name, stored.value).ok) this.layers[l].set(name, stored);
      }
    }
  }

  private commit(names: readonly string[], layer: ValueSource, reason: string): void {
    this.persist(this.snapshot());
    this.events.emit('change', { names, layer, reason });
  }
}

function emptyLayers(): Record<Layer, Map<string, StoredValue>> {
  return { preprovisioning: new Map(), master: new Map(), product: new Map(), standard: new Map(), ui: new Map() };
}
