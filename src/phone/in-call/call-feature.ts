// What happens inside a call besides its state: hold and resume (ours and the peer's), the hold
// recall reminder, call waiting, transfer progress on both sides, conferences, flash hook and
// DTMF received in SIP INFO. The device publishes each as a `call-feature` event; the call's
// snapshot (`call` event) shows the lasting part (state 'held', remoteHold, waiting, transfer).

export type CallFeatureKind =
  /** Our hold re-INVITE was answered (state 'held'). */
  | 'hold'
  | 'resume'
  /** Our hold/resume re-INVITE failed (488, 491 after the back-offs, timeout): nothing changed. */
  | 'hold-failed'
  | 'resume-failed'
  /** KX-UT670 5.6.1 HOLD_RECALL_TIM: the call has been on hold that long (repeats). */
  | 'hold-recall'
  /** The peer put us on hold / took us off hold (re-INVITE sendonly/inactive, RFC 3264 §8.4). */
  | 'remote-hold'
  | 'remote-resume'
  /** A second call rings while one is active (KX-UT670 CW_ENABLE_n, A12 7.5); `status` 180 or 182. */
  | 'waiting'
  /** Our REFER: accepted, then each sipfrag status (RFC 3515 §2.4.5). */
  | 'transfer-progress'
  /** The transfer target answered; our call ends. */
  | 'transferred'
  | 'transfer-failed'
  /** The peer asked us to call `target` (REFER received): `other` is the new call. */
  | 'referred'
  /** This call took over call `other` (INVITE with Replaces, RFC 3891). */
  | 'replaced'
  /** This call joined a conference with call `other` (local mix or the conference server). */
  | 'conference'
  | 'conference-ended'
  /** Flash/Recall key: hook flash sent in SIP INFO (FLASH_RECALL_TERMINATE = N). */
  | 'flash'
  /** A DTMF digit (or `flash`) arrived in SIP INFO or as an RFC 4733 event. */
  | 'dtmf-received';

export interface CallFeatureEvent {
  /** The call it concerns. */
  readonly call: string;
  readonly kind: CallFeatureKind;
  /** SIP status when one tells the story (491, 488, sipfrag 180/200, 182). */
  readonly status?: number;
  /** Another call involved (the conference partner, the new referred call, the replaced call). */
  readonly other?: string;
  /** Free text: the transfer target, the digit received, the reason of a failure. */
  readonly detail?: string;
}
