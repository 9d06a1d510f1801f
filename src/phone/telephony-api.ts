// What the control API, the web dial page and the emulated keys need from call control. The
// Phone implements it; src/ui-web depends on this interface only.
import type { Result } from '../core/result.js';
import type { CallSnapshot } from './call.js';
import type { CallMedia } from './call-media.js';
import type { LineStatus } from './phone-line.js';

export type CallAction = 'answer' | 'reject' | 'hangup' | 'mute' | 'unmute' | 'dtmf' | 'hold' | 'resume' | 'transfer' | 'conference' | 'flash';

export const CALL_ACTIONS: readonly CallAction[] = ['answer', 'reject', 'hangup', 'mute', 'unmute', 'dtmf', 'hold', 'resume', 'transfer', 'conference', 'flash'];

/**
 * Arguments of an action: `digits` for dtmf; `to` (blind: a number, SIP URI or IP) or `call`
 * (attended: the consultation call's id) for transfer; `call` (the other call) for conference.
 */
export interface CallActionArgs {
  readonly digits?: string;
  readonly to?: string;
  readonly call?: string;
}

export interface TelephonyApi {
  lineStatuses(): LineStatus[];
  listCalls(): CallSnapshot[];
  dial(to: string, line?: number): Promise<Result<CallSnapshot>>;
  act(id: string, action: CallAction, args?: CallActionArgs): Result<CallSnapshot>;
  /** A dial-pad key (0-9 * # A-D): DTMF in a call, else a digit of the number being dialled off hook. */
  pressKey?(key: string, line?: number): Result<{ key: string; line?: number; call?: string; digits?: string }>;
  /** A call's audio stream by its API id (/api/v1/audio); the Phone's `call(id)` fits. */
  call?(id: string): { readonly media: CallMedia; readonly active: boolean } | undefined;
}
