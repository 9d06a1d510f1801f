// Resource List Meta-Information, application/rlmi+xml (RFC 4662 §5.2): the root part of a list
// NOTIFY. It names the list (`uri`), numbers the notifications (`version`, +1 per NOTIFY),
// says whether it carries the whole list or only what changed (`fullState`), and for each
// resource its `instance`s (the back-end subscriptions of the list server) with their state
// (active, pending, terminated + reason) and the Content-ID (`cid`) of the part with the state.
import { failure, ok, type Result } from '../../core/result.js';
import { attr, node, nodes, nonNegative, parseXml, text, xmlParser, type XmlNode } from './xml.js';

export const RLMI_TYPE = 'application/rlmi+xml';

/** RFC 4662 §5.2: the state of one back-end subscription. */
export type RlmiInstanceState = 'active' | 'pending' | 'terminated';

export interface RlmiInstance {
  readonly id: string;
  readonly state: RlmiInstanceState;
  /** With terminated (RFC 6665 reasons: deactivated, probation, rejected, timeout, giveup, noresource...). */
  readonly reason?: string;
  /** Content-ID of the body part holding the resource's state. */
  readonly cid?: string;
}

export interface RlmiResource {
  readonly uri: string;
  /** `<name>` texts (one per language). */
  readonly names: readonly string[];
  readonly instances: readonly RlmiInstance[];
}

export interface Rlmi {
  readonly uri: string;
  readonly version: number;
  readonly fullState: boolean;
  readonly names: readonly string[];
  readonly resources: readonly RlmiResource[];
}

const STATES: readonly RlmiInstanceState[] = ['active', 'pending', 'terminated'];
const parser = xmlParser(['resource', 'instance', 'name']);

function bad(message: string): Result<never> {
  return failure('SIP_BAD_RLMI', `rlmi: ${message}`);
}

function names(n: XmlNode): string[] {
  return nodes(n['name'])
    .map(text)
    .filter((t): t is string => t !== undefined && t !== '');
}

function instance(n: XmlNode, resource: string): Result<RlmiInstance> {
  const id = attr(n, 'id');
  if (id === undefined || id === '') return bad(`an instance of ${resource} has no id`);
  const state = STATES.find((s) => s === attr(n, 'state'));
  if (state === undefined) return bad(`instance '${id}' of ${resource} has state '${attr(n, 'state') ?? ''}'`);
  const reason = attr(n, 'reason');
  const cid = attr(n, 'cid');
  return ok({ id, state, ...(reason !== undefined ? { reason } : {}), ...(cid !== undefined && cid !== '' ? { cid } : {}) });
}

function resource(n: XmlNode, index: number): Result<RlmiResource> {
  const uri = attr(n, 'uri');
  if (uri === undefined || uri === '') return bad(`resource ${index + 1} has no uri`);
  const instances: RlmiInstance[] = [];
  for (const item of nodes(n['instance'])) {
    // `<instance .../>` parses as an empty string when it has no attributes at all.
    const i = instance(node(item) ?? {}, uri);
    if (!i.ok) return i;
    instances.push(i.value);
  }
  return ok({ uri, names: names(n), instances });
}

/** Parses an application/rlmi+xml document. */
export function parseRlmi(body: string | Uint8Array): Result<Rlmi> {
  const doc = parseXml(parser, body, 'SIP_BAD_RLMI', 'rlmi');
  if (!doc.ok) return doc;
  const root = node(doc.value['list']);
  if (!root) return bad('root element is not <list>');
  const uri = attr(root, 'uri');
  if (uri === undefined || uri === '') return bad('missing list uri');
  const version = nonNegative(attr(root, 'version'));
  if (version === undefined) return bad('missing or invalid version');
  const full = attr(root, 'fullState');
  if (full !== 'true' && full !== 'false' && full !== '1' && full !== '0') return bad(`fullState must be a boolean, not '${full ?? ''}'`);
  const resources: RlmiResource[] = [];
  const items = nodes(root['resource']);
  for (let i = 0; i < items.length; i++) {
    const r = resource(node(items[i]) ?? {}, i);
    if (!r.ok) return r;
    resources.push(r.value);
  }
  return ok({ uri, version, fullState: full === 'true' || full === '1', names: names(root), resources });
}
