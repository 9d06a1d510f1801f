// Resource list bodies (RFC 4662): multipart/related splitting (RFC 2387), the RLMI document
// (§5.2) with the examples of RFC 4662 §5.4 / §6 (Adam's buddy list at pres.vancouver.example.com:
// Bob and Dave active with presence parts, Ed with no instance, a nested list at stockholm),
// dialog-info parts per member (RFC 4235) and the tracker's full/partial/version-gap rules.
import { describe, expect, it } from 'vitest';
import type { Result } from '../../src/core/result.js';
import { parseMultipart } from '../../src/sip/events/multipart.js';
import { parseRlmi } from '../../src/sip/events/rlmi.js';
import { parseDialogNotification, ResourceListTracker, type DialogNotification } from '../../src/sip/events/resource-list.js';
import { listBody, type Member } from './event-list-bodies.js';

const CRLF = (s: string) => s.replace(/\r?\n/g, '\r\n');

/** RFC 4662 §5.4's first NOTIFY body (full state, version 1), presence parts shortened. */
const RFC_TYPE = 'multipart/related;type="application/rlmi+xml";start="<nXYxAE@pres.vancouver.example.com>";boundary="50UBfW7LSCVLtggUPe5z"';
const RFC_FULL = CRLF(`--50UBfW7LSCVLtggUPe5z
Content-Transfer-Encoding: binary
Content-ID: <nXYxAE@pres.vancouver.example.com>
Content-Type: application/rlmi+xml;charset="UTF-8"

<?xml version="1.0" encoding="UTF-8"?>
<list xmlns="urn:ietf:params:xml:ns:rlmi"
      uri="sip:adam-friends@pres.vancouver.example.com"
      version="1" fullState="true">
  <name xml:lang="en">Buddy List at COM</name>
  <name xml:lang="de">Liste der Freunde an COM</name>
  <resource uri="sip:bob@vancouver.example.com">
    <name>Bob Smith</name>
    <instance id="juwigmtboe" state="active"
              cid="bUZBsM@pres.vancouver.example.com"/>
  </resource>
  <resource uri="sip:dave@vancouver.example.com">
    <name>Dave Jones</name>
    <instance id="hqzsuxtfyq" state="active"
              cid="ZvSvkz@pres.vancouver.example.com"/>
  </resource>
  <resource uri="sip:ed@dallas.example.net">
    <name>Ed at NET</name>
  </resource>
  <resource uri="sip:adam-friends@stockholm.example.org">
    <name xml:lang="en">My Friends at ORG</name>
    <name xml:lang="de">Meine Freunde an ORG</name>
  </resource>
</list>

--50UBfW7LSCVLtggUPe5z
Content-Transfer-Encoding: binary
Content-ID: <bUZBsM@pres.vancouver.example.com>
Content-Type: application/pidf+xml;charset="UTF-8"

<?xml version="1.0" encoding="UTF-8"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:bob@vancouver.example.com">
  <tuple id="sg89ae"><status><basic>open</basic></status></tuple>
</presence>

--50UBfW7LSCVLtggUPe5z
Content-Transfer-Encoding: binary
Content-ID: <ZvSvkz@pres.vancouver.example.com>
Content-Type: application/pidf+xml;charset="UTF-8"

<?xml version="1.0" encoding="UTF-8"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:dave@vancouver.example.com">
  <tuple id="slie74"><status><basic>closed</basic></status></tuple>
</presence>

--50UBfW7LSCVLtggUPe5z--
`);

/** RFC 4662 §5.4's second NOTIFY: partial state, version 2, Ed's subscription pending. */
const RFC_PARTIAL_RLMI = `<?xml version="1.0" encoding="UTF-8"?>
<list xmlns="urn:ietf:params:xml:ns:rlmi"
      uri="sip:adam-friends@pres.vancouver.example.com"
      version="2" fullState="false">
  <name xml:lang="en">Buddy List at COM</name>
  <name xml:lang="de">Liste der Freunde an COM</name>
  <resource uri="sip:ed@dallas.example.net">
    <name>Ed at NET</name>
    <instance id="sdlkmeopdf" state="pending"/>
  </resource>
</list>`;

function value<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

function failed(r: Result<unknown>, code: string, reason: string): void {
  expect(r.ok).toBe(false);
  if (!r.ok) {
    expect(r.error.code).toBe(code);
    expect(r.error.message).toContain(reason);
  }
}

function notification(b: { body: string; type: string }): DialogNotification {
  return value(parseDialogNotification(b.body, b.type));
}

describe('multipart/related (RFC 2387)', () => {
  it('splits RFC 4662 §5.4 into the RLMI root named by start and two presence parts', () => {
    const m = value(parseMultipart(RFC_FULL, RFC_TYPE));
    expect(m.parts.map((p) => [p.contentId, p.contentType?.mimeType])).toEqual([
      ['nXYxAE@pres.vancouver.example.com', 'application/rlmi+xml'],
      ['bUZBsM@pres.vancouver.example.com', 'application/pidf+xml'],
      ['ZvSvkz@pres.vancouver.example.com', 'application/pidf+xml'],
    ]);
    expect(m.root).toBe(m.parts[0]);
    // The CRLF just before a delimiter belongs to the delimiter: the blank line before it stays in the body.
    expect(m.parts[2]!.body.toString()).toMatch(/^<\?xml[\s\S]*<\/presence>\r\n$/);
  });

  it('takes the root from start wherever it is, accepts bare LF, a preamble and base64 parts', () => {
    const body = 'preamble\n--x\nContent-ID: <a>\n\nfirst\n--x\nContent-ID: <b>\nContent-Transfer-Encoding: base64\n\naGVsbG8=\n--x--\nepilogue';
    const m = value(parseMultipart(body, 'multipart/related; boundary=x; start="<b>"'));
    expect(m.root.contentId).toBe('b');
    expect(m.root.body.toString()).toBe('hello');
    expect(m.parts[0]!.body.toString()).toBe('first');
  });

  it.each([
    ['multipart/related', 'boundary'],
    ['application/rlmi+xml;boundary=x', 'not multipart'],
  ])('refuses Content-Type %s', (type, reason) => failed(parseMultipart('--x\r\n\r\nbody\r\n--x--\r\n', type), 'SIP_BAD_MULTIPART', reason));

  it.each([
    ['--x\r\n\r\nno close\r\n', 'closing delimiter'],
    ['--x--\r\n', 'no body parts'],
    ['--x\r\nbroken header\r\n\r\nbody\r\n--x--', 'malformed header'],
    ['--x\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nbody\r\n--x--', 'quoted-printable'],
  ])('refuses a broken body (%#)', (body, reason) => failed(parseMultipart(body, 'multipart/related;boundary=x'), 'SIP_BAD_MULTIPART', reason));

  it('refuses a start that names no part', () => failed(parseMultipart('--x\r\nContent-ID: <a>\r\n\r\nA\r\n--x--', 'multipart/related;boundary=x;start="<zz>"'), 'SIP_BAD_MULTIPART', '<zz>'));
});

describe('RLMI (RFC 4662 §5.2)', () => {
  it('reads the list, names, resources and instances of RFC 4662 §5.4', () => {
    const root = value(parseMultipart(RFC_FULL, RFC_TYPE)).root;
    const r = value(parseRlmi(root.body));
    expect(r).toMatchObject({ uri: 'sip:adam-friends@pres.vancouver.example.com', version: 1, fullState: true, names: ['Buddy List at COM', 'Liste der Freunde an COM'] });
    expect(r.resources).toEqual([
      { uri: 'sip:bob@vancouver.example.com', names: ['Bob Smith'], instances: [{ id: 'juwigmtboe', state: 'active', cid: 'bUZBsM@pres.vancouver.example.com' }] },
      { uri: 'sip:dave@vancouver.example.com', names: ['Dave Jones'], instances: [{ id: 'hqzsuxtfyq', state: 'active', cid: 'ZvSvkz@pres.vancouver.example.com' }] },
      { uri: 'sip:ed@dallas.example.net', names: ['Ed at NET'], instances: [] },
      { uri: 'sip:adam-friends@stockholm.example.org', names: ['My Friends at ORG', 'Meine Freunde an ORG'], instances: [] },
    ]);
    expect(value(parseRlmi(RFC_PARTIAL_RLMI))).toMatchObject({ version: 2, fullState: false, resources: [{ uri: 'sip:ed@dallas.example.net', instances: [{ id: 'sdlkmeopdf', state: 'pending' }] }] });
  });

  it('reads prefixed namespaces and terminated instances with a reason', () => {
    const r = value(parseRlmi('<r:list xmlns:r="urn:ietf:params:xml:ns:rlmi" uri="sip:l@x" version="7" fullState="false"><r:resource uri="sip:a@x"><r:instance id="i1" state="terminated" reason="rejected"/></r:resource></r:list>'));
    expect(r.resources[0]!.instances).toEqual([{ id: 'i1', state: 'terminated', reason: 'rejected' }]);
  });

  it.each([
    ['<list uri="sip:l@x" version="1" fullState="true"', 'not well-formed'],
    ['<lists uri="sip:l@x" version="1" fullState="true"/>', 'not <list>'],
    ['<list version="1" fullState="true"/>', 'list uri'],
    ['<list uri="sip:l@x" version="-1" fullState="true"/>', 'version'],
    ['<list uri="sip:l@x" version="1" fullState="maybe"/>', 'fullState'],
    ['<list uri="sip:l@x" version="1" fullState="true"><resource/></list>', 'no uri'],
    ['<list uri="sip:l@x" version="1" fullState="true"><resource uri="sip:a@x"><instance state="active"/></resource></list>', 'no id'],
    ['<list uri="sip:l@x" version="1" fullState="true"><resource uri="sip:a@x"><instance id="1" state="busy"/></resource></list>', "state 'busy'"],
  ])('refuses %s', (xml, reason) => failed(parseRlmi(xml), 'SIP_BAD_RLMI', reason));
});

describe('list notifications and the tracker', () => {
  it('RFC 4662 §5.4: presence parts are read but give no lamp; Ed turns pending in the partial version 2', () => {
    const t = new ResourceListTracker();
    expect(t.apply(value(parseDialogNotification(RFC_FULL, RFC_TYPE)))).toBe('applied');
    expect(t.resources().map((r) => `${r.name} ${r.state} ${r.lamp}`)).toEqual(['Bob Smith active unknown', 'Dave Jones active unknown', 'Ed at NET unknown unknown', 'My Friends at ORG unknown unknown']);
    const partial = `--p\r\nContent-Type: application/rlmi+xml\r\n\r\n${RFC_PARTIAL_RLMI}\r\n--p--\r\n`;
    expect(t.apply(value(parseDialogNotification(partial, 'multipart/related;type="application/rlmi+xml";boundary=p')))).toBe('applied');
    expect(t.resources().map((r) => `${r.uri} ${r.state}`)).toContain('sip:ed@dallas.example.net pending');
    expect(t.resources()).toHaveLength(4); // a partial state keeps the members it does not name
  });

  it('dialog-info parts light members; a partial state changes only what it names; terminated ends a member', () => {
    const t = new ResourceListTracker();
    t.apply(notification(listBody(0, true, [
      { uri: 'sip:201@pbx', instance: { id: 'a', state: 'active' }, dialogs: { version: 0, list: [['d1', 'early', 'recipient']] } },
      { uri: 'sip:202@pbx', instance: { id: 'b', state: 'active' }, dialogs: { version: 0, list: [] } },
      { uri: 'sip:203@pbx', instance: { id: 'c', state: 'pending' } },
    ])));
    expect(t.resources().map((r) => `${r.uri} ${r.state} ${r.lamp}`)).toEqual(['sip:201@pbx active ringing', 'sip:202@pbx active idle', 'sip:203@pbx pending unknown']);
    expect(t.apply(notification(listBody(1, false, [{ uri: 'sip:201@pbx', instance: { id: 'a', state: 'active' }, dialogs: { version: 1, full: false, list: [['d1', 'confirmed', 'recipient']] } }])))).toBe('applied');
    expect(t.resources().map((r) => r.lamp)).toEqual(['busy', 'idle', 'unknown']);
    expect(t.resources()[0]!.dialogs.map((d) => `${d.id} ${d.state}`)).toEqual(['d1 confirmed']);
    expect(t.apply(notification(listBody(2, false, [{ uri: 'sip:202@pbx', instance: { id: 'b', state: 'terminated', reason: 'rejected' } }])))).toBe('applied');
    expect(t.resources()[1]).toEqual({ uri: 'sip:202@pbx', state: 'terminated', reason: 'rejected', lamp: 'unknown', dialogs: [] });
    // A full state drops members it no longer lists.
    t.apply(notification(listBody(3, true, [{ uri: 'sip:203@pbx', instance: { id: 'c', state: 'active' }, dialogs: { version: 4, list: [['x', 'confirmed', 'initiator']] } }])));
    expect(t.resources().map((r) => `${r.uri} ${r.lamp}`)).toEqual(['sip:203@pbx busy']);
  });

  it('RFC 4662 §5.2 versions: an old version is stale, a skipped one is a gap, a full state recovers', () => {
    const t = new ResourceListTracker();
    const member = (v: number, state: string): Member => ({ uri: 'sip:201@pbx', instance: { id: 'a', state: 'active' }, dialogs: { version: v, list: [['d', state, 'initiator']] } });
    t.apply(notification(listBody(5, true, [member(0, 'confirmed')])));
    expect(t.apply(notification(listBody(5, false, [member(1, 'terminated')])))).toBe('stale');
    expect(t.apply(notification(listBody(7, false, [member(1, 'terminated')])))).toBe('gap');
    expect(t.resources()[0]!.lamp).toBe('busy'); // nothing of the gap was applied
    expect(t.apply(notification(listBody(9, true, [member(3, 'terminated')])))).toBe('applied');
    expect(t.resources()[0]!.lamp).toBe('idle');
    // A member's own dialog-info versions skipping is a gap too (RFC 4235 §4.1.2).
    const partialMember: Member = { uri: 'sip:201@pbx', instance: { id: 'a', state: 'active' }, dialogs: { version: 6, full: false, list: [['d', 'confirmed']] } };
    expect(t.apply(notification(listBody(10, false, [partialMember])))).toBe('gap');
  });

  it('a nested list (RFC 4662 §5.3) is flattened into its members', () => {
    const inner = listBody(0, true, [{ uri: 'sip:301@org', instance: { id: 'n', state: 'active' }, dialogs: { version: 0, list: [['z', 'confirmed', 'initiator']] } }], 'inner');
    const outer = listBody(0, true, [
      { uri: 'sip:201@pbx', instance: { id: 'a', state: 'active' }, dialogs: { version: 0, list: [] } },
      { uri: 'sip:friends@org', instance: { id: 'l', state: 'active' }, part: { type: inner.type, body: inner.body } },
    ]);
    const t = new ResourceListTracker();
    t.apply(notification(outer));
    expect(t.resources().map((r) => `${r.uri} ${r.lamp}`)).toEqual(['sip:201@pbx idle', 'sip:301@org busy']);
  });

  it('a plain dialog-info NOTIFY (the URI is no list) is one member', () => {
    const t = new ResourceListTracker();
    const doc = '<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="0" state="full" entity="sip:201@pbx"><dialog id="d"><state>confirmed</state></dialog></dialog-info>';
    t.apply(value(parseDialogNotification(doc, 'application/dialog-info+xml')));
    expect(t.resources().map((r) => `${r.uri} ${r.state} ${r.lamp}`)).toEqual(['sip:201@pbx active busy']);
  });

  it.each([
    ['a cid naming no part', () => ({ body: '--b\r\nContent-Type: application/rlmi+xml\r\n\r\n<list uri="sip:l@x" version="1" fullState="true"><resource uri="sip:a@x"><instance id="1" state="active" cid="gone@x"/></resource></list>\r\n--b--\r\n', type: 'multipart/related;boundary=b' }), 'missing part'],
    ['a root part that is not RLMI', () => ({ body: '--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b--\r\n', type: 'multipart/related;boundary=b' }), 'not application/rlmi+xml'],
    ['a broken dialog-info part', () => listBody(1, true, [{ uri: 'sip:a@x', instance: { id: '1', state: 'active' }, part: { type: 'application/dialog-info+xml', body: '<dialog-info version="x"/>' } }]), 'dialog-info'],
    ['an unexpected body type', () => ({ body: 'hi', type: 'text/plain' }), 'unexpected body type'],
  ])('refuses %s', (_name, make, reason) => {
    const b = make();
    const r = parseDialogNotification(b.body, b.type);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain(reason);
  });
});
