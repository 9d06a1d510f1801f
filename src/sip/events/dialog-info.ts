// The dialog event package body, application/dialog-info+xml (RFC 4235 §4): the state of the
// monitored user's dialogs, which drives BLF (busy lamp field) LEDs. Namespace prefixes are
// dropped (servers write both `<dialog-info xmlns=...>` and `<d:dialog-info xmlns:d=...>`).
import { failure, ok, type Result } from '../../core/result.js';
import { attr, node, nodes, nonNegative, parseXml, text, xmlParser, type XmlNode } from './xml.js';

export const DIALOG_EVENT = 'dialog';
export const DIALOG_INFO_TYPE = 'application/dialog-info+xml';

/** RFC 4235 §3.7.1 dialog states. */
export type DialogInfoState = 'trying' | 'proceeding' | 'early' | 'confirmed' | 'terminated';
const STATES: readonly DialogInfoState[] = ['trying', 'proceeding', 'early', 'confirmed', 'terminated'];

export interface DialogParticipant {
  /** `<identity>` URI. */
  readonly identity?: string;
  /** `display` attribute of `<identity>`. */
  readonly display?: string;
  /** `uri` attribute of `<target>`. */
  readonly target?: string;
}

export interface DialogInfoEntry {
  readonly id: string;
  readonly state: DialogInfoState;
  /** `event` attribute of `<state>` (cancelled, rejected, replaced, local-bye, remote-bye, error, timeout). */
  readonly stateEvent?: string;
  /** `code` attribute of `<state>` (the response code that moved it). */
  readonly stateCode?: number;
  readonly direction?: 'initiator' | 'recipient';
  readonly callId?: string;
  readonly localTag?: string;
  readonly remoteTag?: string;
  readonly duration?: number;
  readonly local: DialogParticipant;
  readonly remote: DialogParticipant;
}

export interface DialogInfo {
  /** RFC 4235 §4.1.2: increases by one with every NOTIFY of the subscription. */
  readonly version: number;
  readonly state: 'full' | 'partial';
  readonly entity: string;
  readonly dialogs: readonly DialogInfoEntry[];
}

const parser = xmlParser(['dialog']);

function bad(message: string): Result<never> {
  return failure('SIP_BAD_DIALOG_INFO', `dialog-info: ${message}`);
}

function participant(v: unknown): DialogParticipant {
  const n = node(v);
  if (!n) return {};
  const identity = n['identity'];
  const target = node(n['target']);
  return { identity: text(identity), display: attr(node(identity), 'display'), target: attr(target, 'uri') };
}

function entry(n: XmlNode, index: number): Result<DialogInfoEntry> {
  const id = attr(n, 'id');
  if (id === undefined || id === '') return bad(`dialog ${index + 1} has no id`);
  const stateNode = n['state'];
  const stateText = text(stateNode)?.toLowerCase();
  const state = STATES.find((s) => s === stateText);
  if (state === undefined) return bad(`dialog '${id}' has state '${stateText ?? ''}'`);
  const direction = attr(n, 'direction');
  if (direction !== undefined && direction !== 'initiator' && direction !== 'recipient') return bad(`dialog '${id}' has direction '${direction}'`);
  const code = attr(node(stateNode), 'code');
  const stateCode = nonNegative(code);
  if (code !== undefined && stateCode === undefined) return bad(`dialog '${id}' has state code '${code}'`);
  return ok({
    id,
    state,
    stateEvent: attr(node(stateNode), 'event'),
    stateCode,
    direction,
    callId: attr(n, 'call-id'),
    localTag: attr(n, 'local-tag'),
    remoteTag: attr(n, 'remote-tag'),
    duration: nonNegative(text(n['duration'])),
    local: participant(n['local']),
    remote: participant(n['remote']),
  });
}

/** Parses an application/dialog-info+xml body. */
export function parseDialogInfo(body: string | Uint8Array): Result<DialogInfo> {
  const doc = parseXml(parser, body, 'SIP_BAD_DIALOG_INFO', 'dialog-info');
  if (!doc.ok) return doc;
  return dialogInfoOf(doc.value);
}

function dialogInfoOf(doc: XmlNode): Result<DialogInfo> {
  const root = node(doc['dialog-info']);
  if (!root) return bad('root element is not <dialog-info>');
  const version = nonNegative(attr(root, 'version'));
  if (version === undefined) return bad('missing or invalid version');
  const state = attr(root, 'state');
  if (state !== 'full' && state !== 'partial') return bad(`state must be full or partial, not '${state ?? ''}'`);
  const entity = attr(root, 'entity');
  if (entity === undefined || entity === '') return bad('missing entity');
  const dialogs: DialogInfoEntry[] = [];
  const items = nodes(root['dialog']);
  for (let i = 0; i < items.length; i++) {
    const n = node(items[i]);
    if (!n) return bad(`dialog ${i + 1} is empty`);
    const e = entry(n, i);
    if (!e.ok) return e;
    dialogs.push(e.value);
  }
  return ok({ version, state, entity, dialogs });
}
