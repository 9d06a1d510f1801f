// Builds the canonical DeviceSettings from a model's catalogue and the effective values.
// Conversion follows the type of the canonical default at each path unless the row says otherwise.
import type { Catalogue, ExpandedParam } from './catalogue.js';
import { defaultDeviceSettings, type DeviceSettings } from './canonical.js';

export interface ModelShape {
  readonly lineCount: number;
  readonly buttonCount: number;
}

export function buildDeviceSettings(catalogue: Catalogue, shape: ModelShape, get: (name: string) => string): DeviceSettings {
  const settings = defaultDeviceSettings(shape.lineCount, shape.buttonCount);
  for (const p of catalogue.entries()) {
    if (!p.def.canonical) continue;
    const { target, key } = resolve(settings, p);
    target[key] = convert(p, get(p.name), target[key]);
  }
  return settings;
}

type Bag = Record<string, unknown>;

function resolve(settings: DeviceSettings, p: ExpandedParam): { target: Bag; key: string } {
  let root: unknown = settings;
  const { scope } = p.def;
  if (scope.kind === 'line' || scope.kind === 'codec-line') root = settings.lines[p.index.line! - 1];
  else if (scope.kind === 'button') root = settings.buttons[p.index.button! - 1];
  let path = p.def.canonical!;
  if (scope.kind === 'codec-line') path = path.replace('{codec}', scope.codecNames[p.index.codec!] ?? String(p.index.codec));
  const parts = path.split('.');
  let obj = root as Bag;
  for (const part of parts.slice(0, -1)) {
    const next = obj[part];
    if (next === undefined || next === null || typeof next !== 'object') {
      if (scope.kind === 'codec-line' && parts[0] === 'codecs') {
        obj[part] = { enabled: false, priority: 255 };
      } else {
        throw new Error(`catalogue ${p.def.name}: canonical path ${p.def.canonical} does not exist`);
      }
    }
    obj = obj[part] as Bag;
  }
  const key = parts[parts.length - 1]!;
  if (!(key in obj)) throw new Error(`catalogue ${p.def.name}: canonical path ${p.def.canonical} does not exist`);
  return { target: obj, key };
}

function convert(p: ExpandedParam, value: string, current: unknown): unknown {
  if (p.def.toCanonical) return p.def.toCanonical(value);
  if (typeof current === 'number') return Number(value);
  if (typeof current === 'boolean') return value === 'Y' || value === 'Enabled' || value === '1';
  if (Array.isArray(current)) {
    if (value === '') return [];
    return typeof current[0] === 'string' ? value.split(',') : value.split(',').map(Number);
  }
  return value;
}
