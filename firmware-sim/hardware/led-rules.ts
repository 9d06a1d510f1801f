// Which LED rules a model has (by model id).
import { a12LedRules } from './led-rules-a12.js';
import { kxUt670LedRules } from './led-rules-kx-ut670.js';
import type { LedRules } from './leds.js';

const RULES: Readonly<Record<string, LedRules>> = { 'fanvil-a12': a12LedRules, 'kx-ut670': kxUt670LedRules };

export function ledRulesFor(modelId: string): LedRules | undefined {
  return RULES[modelId];
}
