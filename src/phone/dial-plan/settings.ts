// Collector options for one line from the canonical settings (KX-UT670 5.6.1 FIRSTDIGIT_TIM,
// INTDIGIT_TIM, MACRODIGIT_TIM; 5.6.3 POUND_KEY_DELIMITER_ENABLE; 5.8.1 DIAL_PLAN_n and
// DIAL_PLAN_NOT_MATCH_ENABLE_n). The dial plan is parsed here, so a bad plan is reported once.
import { ok, type Result } from '../../core/result.js';
import type { DeviceSettings, LineSettings } from '../../settings/canonical.js';
import type { DigitCollectorOptions } from './collector.js';
import { parseDialPlan } from './parse.js';
import type { DialPlanError } from './types.js';

/** The part of DeviceSettings the collector reads (DeviceSettings itself fits). */
export interface LineDialSettings {
  readonly call: Pick<DeviceSettings['call'], 'firstDigitS' | 'interDigitS' | 'macroDigitS' | 'poundKeyDelimiter'>;
  readonly lines: ReadonlyArray<Pick<LineSettings, 'dialPlan' | 'dialPlanBlockUnmatched'>>;
}

/** Options for `new DigitCollector({ clock, onAction, ...options })` on line `line` (1-based, the n of DIAL_PLAN_n). */
export function collectorOptionsFor(
  settings: LineDialSettings,
  line: number,
): Result<Omit<DigitCollectorOptions, 'clock' | 'onAction' | 'preDial'>, DialPlanError> {
  const lineSettings = settings.lines[line - 1];
  const plan = parseDialPlan(lineSettings?.dialPlan ?? '');
  if (!plan.ok) return plan;
  return ok({
    plan: plan.value,
    firstDigitS: settings.call.firstDigitS,
    interDigitS: settings.call.interDigitS,
    macroDigitS: settings.call.macroDigitS,
    poundKeyDelimiter: settings.call.poundKeyDelimiter,
    blockUnmatched: lineSettings?.dialPlanBlockUnmatched ?? false,
  });
}
