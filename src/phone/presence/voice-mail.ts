// Which number the voice-mail (Message) key calls: KX-UT670 6.2 / 5.8.1 VM_NUMBER_n ("Voice Mail
// Access Number"), A12 9.12 "Voice Message Number" (SIPn MWI Num). Phone-independent: the caller
// dials the result on the returned line.
import { failure, ok, type Result } from '../../core/result.js';
import type { DeviceSettings } from '../../settings/canonical.js';

export interface VoiceMailDial {
  readonly line: number;
  readonly number: string;
}

/**
 * The number to dial for voice mail. With `line`, that line's VM_NUMBER_n. Without, the first line
 * whose message LED is lit (`waiting`) and has a number, else the default line for outgoing calls
 * (DEFAULT_LINE_SELECT), else the first running line with a number.
 */
export function voiceMailDial(settings: DeviceSettings, lines: readonly number[], options: { line?: number; waiting?: readonly number[] } = {}): Result<VoiceMailDial> {
  const numberOf = (n: number): string => settings.lines[n - 1]?.voiceMailNumber.trim() ?? '';
  if (options.line !== undefined) {
    if (!lines.includes(options.line)) return failure('VM_NO_LINE', `voice mail: line ${options.line} is not running`);
    const number = numberOf(options.line);
    if (number === '') return failure('VM_NO_NUMBER', `voice mail: line ${options.line} has no voice mail access number (VM_NUMBER_${options.line})`);
    return ok({ line: options.line, number });
  }
  const order = [...(options.waiting ?? []), settings.call.defaultLine, ...lines];
  for (const n of order) {
    if (lines.includes(n) && numberOf(n) !== '') return ok({ line: n, number: numberOf(n) });
  }
  return failure('VM_NO_NUMBER', 'voice mail: no line has a voice mail access number (VM_NUMBER_n)');
}
