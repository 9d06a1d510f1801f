// `vphone config check FILE`: parse in the model's dialect, validate against its catalogue
// (src/provisioning/config-check.ts), one line per problem: `FILE:LINE: PARAM: message`.
import type { DeviceModel } from './models/model.js';
import { checkConfig, formatDiagnostic, hasErrors, summarizeCheck } from '../src/provisioning/config-check.js';

export interface CheckReport {
  readonly lines: string[];
  readonly failed: boolean;
}

export function checkConfigFile(model: DeviceModel, text: Buffer, file: string): CheckReport {
  const result = checkConfig(model.parseConfig(text), model.catalogue);
  const lines = result.diagnostics.map((d) => formatDiagnostic(d, file));
  lines.push(`${summarizeCheck(result, file)} (${model.modelName})`);
  return { lines, failed: hasErrors(result) };
}
