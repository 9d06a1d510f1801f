// The device models this emulator knows.
import type { DeviceModel, ModelId } from './model.js';
import { kxUt670 } from './kx-ut670/model.js';
import { fanvilA12 } from './fanvil-a12/model.js';

const MODELS: Record<ModelId, DeviceModel> = { 'kx-ut670': kxUt670, 'fanvil-a12': fanvilA12 };

export const MODEL_IDS = Object.keys(MODELS) as ModelId[];

export function getModel(id: string): DeviceModel | undefined {
  return Object.hasOwn(MODELS, id) ? MODELS[id as ModelId] : undefined;
}

/** Picks the model whose configuration dialect a file is written in (default KX-UT670). */
export function detectModel(text: Buffer): DeviceModel {
  const head = text.subarray(0, 64).toString('latin1');
  return head.includes('<<VOIP CONFIG FILE>>') ? fanvilA12 : kxUt670;
}
