// What the control API needs from presence: message-waiting per line, lamps per BLF button, and
// the numbers the voice-mail key and the buttons dial. The device's presence service implements it.
import type { Result } from '../../core/result.js';
import type { BlfButtonStatus, PresenceButton } from './buttons.js';
import type { MwiStatus } from './mwi.js';
import type { ResourceListStatus } from './resource-lists.js';
import type { LineSeizure, SharedLineStatus } from './shared-line.js';
import type { VoiceMailDial } from './voice-mail.js';

export interface PresenceApi {
  /** One entry per running line. */
  mwi(): MwiStatus[];
  /** One entry per BLF button (FLEX_BUTTON_FACILITY_ACTx = X_PANASONIC_IPTEL_CONTACT). */
  blf(): BlfButtonStatus[];
  /** Resource lists per line (RESOURCELIST_URI_n, A12 BLF List) with their members. */
  lists?(): ResourceListStatus[];
  /** Shared lines (SHARED_CALL_ENABLE_n / A12 Enable SCA) and their appearances. */
  sharedLines?(): SharedLineStatus[];
  /** Seizes an appearance of a shared line before dialling on it (line-seize). */
  seizeLine?(line: number, appearance?: number): Promise<Result<LineSeizure>>;
  /** BLF and One-touch buttons. */
  buttons(): PresenceButton[];
  /** The voice-mail number to dial (VM_NUMBER_n) and the line to dial it on. */
  voiceMail(line?: number): Result<VoiceMailDial>;
  /** What pressing a BLF or One-touch button dials. */
  buttonDial(button: number): Result<VoiceMailDial>;
}
