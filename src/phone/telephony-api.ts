// What the control API, the web dial page and the emulated keys need from call control. The
// Phone implements it; src/ui-web depends on this interface only.
import type { Result } from '../core/result.js';
import type { CallSnapshot } from './call.js';
import type { CallMedia } from './call-media.js';
import type { LineStatus } from './phone-line.js';

export type CallAction = 'answer' | 'reject' | 'hangup' | 'mute' | 'unmute' | 'dtmf';

export const CALL_ACTIONS: readonly CallAction[] = ['answer', 'reject', 'hangup', 'mute', 'unmute', 'dtmf'];

export interface TelephonyApi {
  lineStatuses(): LineStatus[];
  listCalls(): CallSnapshot[];
  dial(to: string, line?: number): Promise<Result<CallSnapshot>>;
  act(id: string, action: CallAction, args?: { digits?: string }): Result<CallSnapshot>;
  /** A call's audio stream by its API id (/api/v1/audio); the Phone's `call(id)` fits. */
  call?(id: string): { readonly media: CallMedia; readonly active: boolean } | undefined;
}
