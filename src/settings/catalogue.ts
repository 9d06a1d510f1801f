// A model's parameter catalogue, expanded: every concrete name (SIP_RGSTR_ADDR_3,
// FLEX_BUTTON_LABEL12, CODEC_ENABLE0_1) resolves to its row and index in O(1).
import { failure, type Result } from '../core/result.js';
import type { CatalogueSpec, CrossCheck, ParamDef, ParamIndex } from './types.js';
import { validateValue } from './validate.js';

export interface ExpandedParam {
  readonly name: string;
  readonly def: ParamDef;
  readonly index: ParamIndex;
}

/** Concrete name of `def` at `index` (KX-UT670 5.2.1: suffix `_1`…`_6`; `PROFILE_ENABLEn` has none). */
export function expandName(def: ParamDef, index: ParamIndex): string {
  const t = def.name;
  switch (def.scope.kind) {
    case 'global':
      return t;
    case 'line':
      return t.endsWith('_n') ? `${t.slice(0, -2)}_${index.line}` : t.endsWith('n') ? `${t.slice(0, -1)}${index.line}` : `${t}_${index.line}`;
    case 'button':
      return t.endsWith('x') ? `${t.slice(0, -1)}${index.button}` : `${t}${index.button}`;
    case 'codec-line':
      return t.replace(/x_n$/, `${index.codec}_${index.line}`);
  }
}

function indicesOf(def: ParamDef): ParamIndex[] {
  const s = def.scope;
  switch (s.kind) {
    case 'global':
      return [{}];
    case 'line':
      return range(s.count).map((line) => ({ line }));
    case 'button':
      return range(s.count).map((button) => ({ button }));
    case 'codec-line':
      return range(s.lines).flatMap((line) => s.codecs.map((codec) => ({ codec, line })));
  }
}

function range(count: number): number[] {
  return Array.from({ length: count }, (_, i) => i + 1);
}

export class Catalogue {
  readonly model: string;
  readonly defs: readonly ParamDef[];
  readonly crossChecks: readonly CrossCheck[];
  private readonly byName = new Map<string, ExpandedParam>();
  private readonly byTemplate = new Map<string, ParamDef>();

  constructor(spec: CatalogueSpec) {
    this.model = spec.model;
    this.defs = spec.params;
    this.crossChecks = spec.crossChecks ?? [];
    for (const def of spec.params) {
      if (this.byTemplate.has(def.name)) throw new Error(`catalogue ${spec.model}: duplicate row ${def.name}`);
      this.byTemplate.set(def.name, def);
      for (const index of indicesOf(def)) {
        const name = expandName(def, index);
        if (this.byName.has(name)) throw new Error(`catalogue ${spec.model}: ${name} expands twice`);
        this.byName.set(name, { name, def, index });
      }
    }
  }

  /** Every concrete parameter name, in catalogue order. */
  names(): string[] {
    return [...this.byName.keys()];
  }

  entries(): IterableIterator<ExpandedParam> {
    return this.byName.values();
  }

  lookup(name: string): ExpandedParam | undefined {
    return this.byName.get(name);
  }

  /** The row for a template name as the manual writes it (`SIP_RGSTR_ADDR_n`). */
  row(template: string): ParamDef | undefined {
    return this.byTemplate.get(template);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  defaultOf(name: string): string | undefined {
    const p = this.byName.get(name);
    if (!p) return undefined;
    return typeof p.def.default === 'function' ? p.def.default(p.index) : p.def.default;
  }

  /** Validates a value for a concrete name; unknown names are an error of their own. */
  validate(name: string, value: string): Result<string> {
    const p = this.byName.get(name);
    if (!p) return failure('SETTING_UNKNOWN', `${name}: unknown parameter for ${this.model}`);
    return validateValue(p.def, name, value);
  }

  /** Cross-parameter problems given a lookup of effective values. */
  crossCheckProblems(get: (name: string) => string): Array<{ names: readonly string[]; message: string }> {
    const problems: Array<{ names: readonly string[]; message: string }> = [];
    for (const c of this.crossChecks) {
      const message = c.check(get);
      if (message) problems.push({ names: c.names, message });
    }
    return problems;
  }
}
