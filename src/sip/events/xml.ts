// Small XML helpers shared by the event package bodies (dialog-info, RLMI): one parser setup with
// namespace prefixes dropped (servers write both `<list xmlns=...>` and `<r:list xmlns:r=...>`),
// well-formedness checked first, and typed access to parsed nodes, attributes and text.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { failure, ok, type Result } from '../../core/result.js';

export type XmlNode = Record<string, unknown>;

/** A parser for documents whose elements named in `arrays` may repeat. */
export function xmlParser(arrays: readonly string[]): XMLParser {
  const set = new Set(arrays);
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@',
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    processEntities: true,
    isArray: (name) => set.has(name),
  });
}

/** Parses `body` after a well-formedness check; `code` and `what` name the failure. */
export function parseXml(parser: XMLParser, body: string | Uint8Array, code: string, what: string): Result<XmlNode> {
  const xml = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return failure(code, `${what}: not well-formed XML (line ${valid.err.line}: ${valid.err.msg})`);
  try {
    const doc = node(parser.parse(xml));
    return doc ? ok(doc) : failure(code, `${what}: empty document`);
  } catch (e) {
    return failure(code, `${what}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function node(v: unknown): XmlNode | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as XmlNode) : undefined;
}

/** Elements of a repeatable child (always an array with `isArray`), or none. */
export function nodes(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Text content of an element that may carry attributes (`#text`) or be plain text. */
export function text(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim();
  const n = node(v);
  const t = n?.['#text'];
  return typeof t === 'string' ? t.trim() : undefined;
}

export function attr(n: XmlNode | undefined, name: string): string | undefined {
  const v = n?.[`@${name}`];
  return typeof v === 'string' ? v : undefined;
}

/** A decimal of at most 10 digits. */
export function nonNegative(s: string | undefined): number | undefined {
  return s !== undefined && /^\d{1,10}$/.test(s) ? Number(s) : undefined;
}
