// What the control API, the web dial page and the emulated keys need from call control. The
// Phone implements it; src/ui-web depends on this interface only.
import type { Result } from '../core/result.js';
import type { CallSnapshot } from './call.js';
import type { LineStatus } from './phone-line.js';

export type CallAction = 'answer' | 'reject' | 'hangup' | 'mute' | 'unmute' | 'dtmf';

export const CALL_ACTIONS: readonly CallAction[] = ['answer', 'reject', 'hangup', 'mute', 'unmute', 'dtmf'];

export interface TelephonyApi {
  lineStatuses(): LineStatus[];
  listCalls(): CallSnapshot[];
  dial(to: string, line?: number): Promise<Result<CallSnapshot>>;
  act(id: string, action: CallAction, args?: { digits?: string }): Result<CallSnapshot>;
}
