// Builds list NOTIFY bodies as a list server does (RFC 4662 §5: multipart/related, an RLMI root
// part named by start, one application/dialog-info+xml part per active instance with state).
export interface Member {
  uri: string;
  instance?: { id: string; state: 'active' | 'pending' | 'terminated'; reason?: string };
  /** dialog-info of the member: version, state and its dialogs as [id, state, direction]. */
  dialogs?: { version: number; full?: boolean; list: Array<[string, string, string?]> };
  part?: { type: string; body: string };
}

/** A list NOTIFY body with dialog-info parts, as a list server builds it. */
export function listBody(version: number, fullState: boolean, members: Member[], boundary = 'b0und', listUri = 'sip:blf@rls.example.com'): { body: string; type: string } {
  const parts: string[] = [];
  const resources = members.map((m, i) => {
    const cid = `part${i}@rls.example.com`;
    const hasPart = m.dialogs !== undefined || m.part !== undefined;
    const inst = m.instance ? `<instance id="${m.instance.id}" state="${m.instance.state}"${m.instance.reason ? ` reason="${m.instance.reason}"` : ''}${hasPart ? ` cid="${cid}"` : ''}/>` : '';
    if (m.dialogs) {
      const ds = m.dialogs.list.map(([id, state, dir]) => `<dialog id="${id}"${dir ? ` direction="${dir}"` : ''}><state>${state}</state></dialog>`).join('');
      const doc = `<?xml version="1.0"?><dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="${m.dialogs.version}" state="${m.dialogs.full === false ? 'partial' : 'full'}" entity="${m.uri}">${ds}</dialog-info>`;
      parts.push(`Content-ID: <${cid}>\r\nContent-Type: application/dialog-info+xml\r\n\r\n${doc}`);
    } else if (m.part) {
      parts.push(`Content-ID: <${cid}>\r\nContent-Type: ${m.part.type}\r\n\r\n${m.part.body}`);
    }
    return `<resource uri="${m.uri}">${inst}</resource>`;
  });
  const rlmi = `<?xml version="1.0"?><list xmlns="urn:ietf:params:xml:ns:rlmi" uri="${listUri}" version="${version}" fullState="${fullState}">${resources.join('')}</list>`;
  const all = [`Content-ID: <root@rls.example.com>\r\nContent-Type: application/rlmi+xml\r\n\r\n${rlmi}`, ...parts];
  return { body: `${all.map((p) => `--${boundary}\r\n${p}\r\n`).join('')}--${boundary}--\r\n`, type: `multipart/related;type="application/rlmi+xml";start="<root@rls.example.com>";boundary=${boundary}` };
}

