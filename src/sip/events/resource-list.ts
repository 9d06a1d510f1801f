// Dialog state of a resource list (RFC 4662 over RFC 4235): a list NOTIFY is multipart/related
// with an RLMI root (rlmi.ts) and one part per active instance; parts are application/
// dialog-info+xml, or multipart/related again for a nested list (§5.3). The tracker keeps the
// members across full and partial notifications and gives each its lamp as a BLF button has it.
import { failure, ok, type Result } from '../../core/result.js';
import { parseMediaType, type MediaType } from '../message/index.js';
import { BlfTracker, blfStatus, type BlfStatus } from './blf.js';
import { DIALOG_INFO_TYPE, parseDialogInfo, type DialogInfo, type DialogInfoEntry } from './dialog-info.js';
import { MULTIPART_RELATED, parseMultipart, type BodyPart } from './multipart.js';
import { parseRlmi, RLMI_TYPE, type Rlmi, type RlmiInstance, type RlmiInstanceState, type RlmiResource } from './rlmi.js';

/** RFC 4662 §4.1: what a list subscriber puts in Accept. */
export const LIST_ACCEPT: readonly string[] = [RLMI_TYPE, DIALOG_INFO_TYPE, MULTIPART_RELATED];
/** RFC 4662 §4.1: the option tag of Supported on list SUBSCRIBEs (and Require on list NOTIFYs). */
export const EVENTLIST = 'eventlist';

/** Nested lists deeper than this are refused (a loop in the list server's configuration). */
const MAX_DEPTH = 4;

export interface ListInstance extends RlmiInstance {
  /** The resource's dialog state, when the instance's part is application/dialog-info+xml. */
  readonly dialogInfo?: DialogInfo;
  /** A nested list (the part is multipart/related itself, RFC 4662 §5.3). */
  readonly list?: ListNotification;
  /** Content type of a part we do not read (e.g. pidf+xml): the resource's state stays unknown. */
  readonly otherType?: string;
}

/** An RLMI resource with its instances' parts read. */
export interface ListResource extends Omit<RlmiResource, 'instances'> {
  readonly instances: readonly ListInstance[];
}

/** An RLMI document with its resources' parts read. */
export interface ListNotification extends Omit<Rlmi, 'resources'> {
  readonly resources: readonly ListResource[];
}

/** What a list NOTIFY says: a list, or a plain dialog-info document (the URI was not a list). */
export type DialogNotification = { readonly kind: 'list'; readonly list: ListNotification } | { readonly kind: 'single'; readonly info: DialogInfo };

function bad(message: string): Result<never> {
  return failure('SIP_BAD_RESOURCE_LIST', `resource list: ${message}`);
}

function instanceOf(inst: RlmiInstance, byCid: ReadonlyMap<string, BodyPart>, depth: number): Result<ListInstance> {
  if (inst.cid === undefined) return ok(inst);
  const part = byCid.get(inst.cid);
  // RFC 4662 §5.2: cid points at a part of this body; a dangling reference is a broken body.
  if (!part) return bad(`instance '${inst.id}' names a missing part <${inst.cid}>`);
  const type = part.contentType?.mimeType;
  if (type === DIALOG_INFO_TYPE) {
    const info = parseDialogInfo(part.body);
    return info.ok ? ok({ ...inst, dialogInfo: info.value }) : info;
  }
  if (type === MULTIPART_RELATED) {
    const nested = parseList(part.body, part.contentType!, depth + 1);
    return nested.ok ? ok({ ...inst, list: nested.value }) : nested;
  }
  return ok({ ...inst, otherType: type ?? 'text/plain' });
}

function parseList(body: Buffer, type: MediaType, depth: number): Result<ListNotification> {
  if (depth > MAX_DEPTH) return bad(`lists nested deeper than ${MAX_DEPTH}`);
  const multipart = parseMultipart(body, type);
  if (!multipart.ok) return multipart;
  const root = multipart.value.root;
  if (root.contentType?.mimeType !== RLMI_TYPE) return bad(`root part is ${root.contentType?.mimeType ?? 'untyped'}, not ${RLMI_TYPE}`);
  const rlmi = parseRlmi(root.body);
  if (!rlmi.ok) return rlmi;
  const byCid = new Map<string, BodyPart>();
  for (const p of multipart.value.parts) if (p.contentId !== undefined) byCid.set(p.contentId, p);
  const resources: ListResource[] = [];
  for (const r of rlmi.value.resources) {
    const instances: ListInstance[] = [];
    for (const i of r.instances) {
      const inst = instanceOf(i, byCid, depth);
      if (!inst.ok) return inst;
      instances.push(inst.value);
    }
    resources.push({ uri: r.uri, names: r.names, instances });
  }
  const { uri, version, fullState, names } = rlmi.value;
  return ok({ uri, version, fullState, names, resources });
}

/** Parses the body of a dialog NOTIFY on a list subscription (any of LIST_ACCEPT). */
export function parseDialogNotification(body: Buffer | string, contentType: string | MediaType | undefined): Result<DialogNotification> {
  const type = typeof contentType === 'string' ? parseMediaType(contentType) : contentType;
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  if (type?.mimeType === DIALOG_INFO_TYPE) {
    const info = parseDialogInfo(bytes);
    return info.ok ? ok({ kind: 'single', info: info.value }) : info;
  }
  if (type?.mimeType !== MULTIPART_RELATED) return bad(`unexpected body type ${type?.mimeType ?? 'none'}`);
  const list = parseList(bytes, type, 0);
  return list.ok ? ok({ kind: 'list', list: list.value }) : list;
}

/** A member's lamp: its dialogs as for a BLF button, or unknown while no state came. */
export type ResourceLamp = BlfStatus | 'unknown';

/** One member of a list as the phone sees it. */
export interface ResourceStatus {
  readonly uri: string;
  readonly name?: string;
  /** Its back-end subscription: active/pending, terminated (with reason), or unknown (no instance yet). */
  readonly state: RlmiInstanceState | 'unknown';
  readonly reason?: string;
  readonly lamp: ResourceLamp;
  /** Live dialogs of the member. */
  readonly dialogs: readonly DialogInfoEntry[];
}

interface TrackedInstance {
  state: RlmiInstanceState;
  /** Whether a dialog-info document has been applied (the lamp is known). */
  known: boolean;
  readonly blf: BlfTracker;
  nested?: ResourceListTracker;
}

interface TrackedResource {
  readonly uri: string;
  names: readonly string[];
  readonly instances: Map<string, TrackedInstance>;
  /** Reason of the last terminated instance. */
  reason?: string;
}

export type ListApplyResult = 'applied' | 'stale' | 'gap';

/**
 * Keeps a list's members across notifications. RFC 4662 §5.2: a full state replaces everything;
 * a partial one (fullState="false") changes only the resources it names and must carry the next
 * version, else a notification was missed (`gap`: refresh for a full state). Each member's
 * dialog-info documents keep their own versions (RFC 4235 §4.1.2), reset by a full list state.
 */
export class ResourceListTracker {
  private resourcesByUri = new Map<string, TrackedResource>();
  private version: number | undefined;
  /** The state of a URI that turned out not to be a list (a plain dialog-info NOTIFY). */
  private single: { readonly entity: string; readonly blf: BlfTracker } | undefined;

  /** Applies a notification of the subscription. */
  apply(n: DialogNotification): ListApplyResult {
    return n.kind === 'single' ? this.applySingle(n.info) : this.applyList(n.list);
  }

  /** Members, nested lists flattened, in list order. */
  resources(): ResourceStatus[] {
    if (this.single) {
      const { entity, blf } = this.single;
      return [{ uri: entity, state: 'active', lamp: blf.status, dialogs: blf.live }];
    }
    const out: ResourceStatus[] = [];
    for (const r of this.resourcesByUri.values()) {
      const nested = [...r.instances.values()].filter((i) => i.nested);
      if (nested.length > 0) for (const i of nested) out.push(...i.nested!.resources());
      else out.push(statusOf(r));
    }
    return out;
  }

  /** Forgets everything (a new subscription starts from any version). */
  reset(): void {
    this.resourcesByUri = new Map();
    this.version = undefined;
    this.single = undefined;
  }

  private applySingle(info: DialogInfo): ListApplyResult {
    this.resourcesByUri = new Map();
    if (this.single?.entity !== info.entity) this.single = { entity: info.entity, blf: new BlfTracker() };
    return this.single.blf.apply(info);
  }

  private applyList(n: ListNotification): ListApplyResult {
    this.single = undefined;
    if (this.version !== undefined && n.version <= this.version) return 'stale';
    if (!n.fullState && (this.version === undefined || n.version !== this.version + 1)) return 'gap';
    if (n.fullState) this.resourcesByUri = new Map();
    this.version = n.version;
    let gap = false;
    for (const r of n.resources) {
      let tracked = this.resourcesByUri.get(r.uri);
      if (!tracked) this.resourcesByUri.set(r.uri, (tracked = { uri: r.uri, names: r.names, instances: new Map() }));
      if (r.names.length > 0) tracked.names = r.names;
      for (const i of r.instances) if (applyInstance(tracked, i) === 'gap') gap = true;
    }
    return gap ? 'gap' : 'applied';
  }
}

function applyInstance(r: TrackedResource, i: ListInstance): ListApplyResult {
  if (i.state === 'terminated') {
    r.instances.delete(i.id);
    if (i.reason !== undefined) r.reason = i.reason;
    return 'applied';
  }
  let t = r.instances.get(i.id);
  if (!t) r.instances.set(i.id, (t = { state: i.state, known: false, blf: new BlfTracker() }));
  t.state = i.state;
  if (i.state === 'pending') {
    // RFC 4662 §5.2: pending means no state is available for the resource yet.
    t.blf.reset();
    t.known = false;
    return 'applied';
  }
  if (i.list) {
    t.nested ??= new ResourceListTracker();
    return t.nested.apply({ kind: 'list', list: i.list });
  }
  if (!i.dialogInfo) return 'applied';
  const applied = t.blf.apply(i.dialogInfo);
  if (applied === 'gap') return 'gap';
  t.known = true;
  return 'applied';
}

function statusOf(r: TrackedResource): ResourceStatus {
  const instances = [...r.instances.values()];
  const known = instances.filter((i) => i.known);
  const dialogs = known.flatMap((i) => i.blf.live);
  const state: ResourceStatus['state'] = instances.some((i) => i.state === 'active') ? 'active' : instances.length > 0 ? 'pending' : r.reason !== undefined ? 'terminated' : 'unknown';
  return {
    uri: r.uri,
    ...(r.names[0] !== undefined ? { name: r.names[0] } : {}),
    state,
    ...(state === 'terminated' && r.reason !== undefined ? { reason: r.reason } : {}),
    lamp: known.length > 0 ? blfStatus(dialogs) : 'unknown',
    dialogs,
  };
}
