// Header field names: canonical spelling, case-insensitive lookup and compact forms (RFC 3261
// §7.3.1, §7.3.3, §20; compact forms registered by later RFCs are listed with their source).
// Compact forms are normalised to the full name on parse and always serialised in full: the few
// bytes they save do not matter to a phone, and one spelling keeps lookups and logs simple.

export interface HeaderInfo {
  /** Canonical spelling, e.g. `Call-ID`, `WWW-Authenticate`. */
  readonly name: string;
  /** Lower-case full name: the lookup key. */
  readonly key: string;
  /** Compact form letter (lower case), if any. */
  readonly compact: string | undefined;
  /** Non-zero for the headers the parser validates eagerly (see parse.ts). */
  readonly slot: number;
}

export const SLOT_VIA = 1;
export const SLOT_FROM = 2;
export const SLOT_TO = 3;
export const SLOT_CALL_ID = 4;
export const SLOT_CSEQ = 5;
export const SLOT_MAX_FORWARDS = 6;
export const SLOT_CONTENT_LENGTH = 7;
export const SLOT_CONTACT = 8;
export const SLOT_COUNT = 9;

// [canonical name, compact form, slot]
const KNOWN: ReadonlyArray<readonly [string, string?, number?]> = [
  ['Accept'],
  ['Accept-Contact', 'a'], // RFC 3841
  ['Accept-Encoding'],
  ['Accept-Language'],
  ['Alert-Info'],
  ['Allow'],
  ['Allow-Events', 'u'], // RFC 6665
  ['Answer-Mode'],
  ['Authentication-Info'],
  ['Authorization'],
  ['Call-ID', 'i', SLOT_CALL_ID],
  ['Call-Info'],
  ['Contact', 'm', SLOT_CONTACT],
  ['Content-Disposition'],
  ['Content-Encoding', 'e'],
  ['Content-ID'],
  ['Content-Language'],
  ['Content-Length', 'l', SLOT_CONTENT_LENGTH],
  ['Content-Transfer-Encoding'],
  ['Content-Type', 'c'],
  ['CSeq', undefined, SLOT_CSEQ],
  ['Date'],
  ['Diversion'],
  ['Error-Info'],
  ['Event', 'o'], // RFC 6665
  ['Expires'],
  ['Feature-Caps'],
  ['Flow-Timer'],
  ['From', 'f', SLOT_FROM],
  ['History-Info'],
  ['Identity', 'y'], // RFC 8224
  ['Identity-Info', 'n'], // RFC 4474
  ['In-Reply-To'],
  ['Info-Package'],
  ['Join'],
  ['Max-Breadth'],
  ['Max-Forwards', undefined, SLOT_MAX_FORWARDS],
  ['MIME-Version'],
  ['Min-Expires'],
  ['Min-SE'],
  ['Organization'],
  ['P-Access-Network-Info'],
  ['P-Asserted-Identity'],
  ['P-Called-Party-ID'],
  ['P-Charging-Vector'],
  ['P-Early-Media'],
  ['P-Preferred-Identity'],
  ['Path'],
  ['Priority'],
  ['Privacy'],
  ['Proxy-Authenticate'],
  ['Proxy-Authorization'],
  ['Proxy-Require'],
  ['RAck'],
  ['Reason'],
  ['Record-Route'],
  ['Recv-Info'],
  ['Refer-Sub'],
  ['Refer-To', 'r'], // RFC 3515
  ['Referred-By', 'b'], // RFC 3892
  ['Reject-Contact', 'j'], // RFC 3841
  ['Remote-Party-ID'],
  ['Replaces'],
  ['Reply-To'],
  ['Request-Disposition', 'd'], // RFC 3841
  ['Require'],
  ['Resource-Priority'],
  ['Retry-After'],
  ['Route'],
  ['RSeq'],
  ['Security-Client'],
  ['Security-Server'],
  ['Security-Verify'],
  ['Server'],
  ['Service-Route'],
  ['Session-Expires', 'x'], // RFC 4028
  ['Session-ID'],
  ['SIP-ETag'],
  ['SIP-If-Match'],
  ['Subject', 's'],
  ['Subscription-State'],
  ['Supported', 'k'],
  ['Target-Dialog'],
  ['Timestamp'],
  ['To', 't', SLOT_TO],
  ['Unsupported'],
  ['User-Agent'],
  ['Via', 'v', SLOT_VIA],
  ['Warning'],
  ['WWW-Authenticate'],
];

// Lookup table indexed by name length and first letter, so the parser can look a name up straight
// from the message text without slicing it out first (see lookupHeaderRange).
interface Entry {
  /** Lower-case spelling this entry matches (full name or compact form). */
  readonly lname: string;
  /** Canonical spelling when `lname` is the full name, else "" (never an exact match). */
  readonly exact: string;
  readonly info: HeaderInfo;
}
const TABLE: Array<Entry[] | undefined> = new Array<Entry[] | undefined>(32 * 32);
/** Canonical spellings by the same index, for the exact-case fast path. */
const EXACT: Array<HeaderInfo[] | undefined> = new Array<HeaderInfo[] | undefined>(32 * 32);
let exactMatch = false;

function tableIndex(length: number, firstChar: number): number {
  return ((length & 31) << 5) | (firstChar & 31);
}

function addEntry(lname: string, info: HeaderInfo): void {
  const slot = tableIndex(lname.length, lname.charCodeAt(0));
  (TABLE[slot] ??= []).push({ lname, exact: lname === info.key ? info.name : '', info });
}

for (const [name, compact, slot] of KNOWN) {
  const key = name.toLowerCase();
  const info: HeaderInfo = { name, key, compact, slot: slot ?? 0 };
  addEntry(key, info);
  if (compact !== undefined) addEntry(compact, info);
  (EXACT[tableIndex(name.length, name.charCodeAt(0))] ??= []).push(info);
}

/** Whether the last successful lookupHeaderRange matched the canonical spelling exactly. */
export function lastLookupExact(): boolean {
  return exactMatch;
}

/**
 * Known header whose name is s[start..end) in any case or compact form. The table side holds
 * only lower-case letters, digits and "-", for which `(c | 32) === l && c >= 45` is exact ASCII
 * case-insensitive equality (the `c >= 45` excludes the control characters and CR that `| 32`
 * would map onto digits and "-").
 */
export function lookupHeaderRange(s: string, start: number, end: number): HeaderInfo | undefined {
  const n = end - start;
  if (n <= 0 || n > 31) return undefined;
  const index = tableIndex(n, s.charCodeAt(start));
  // Fast path: the canonical spelling, checked with one native startsWith.
  const exactBucket = EXACT[index];
  if (exactBucket !== undefined) {
    for (let b = 0; b < exactBucket.length; b++) {
      const info = exactBucket[b]!;
      if (info.name.length === n && s.startsWith(info.name, start)) {
        exactMatch = true;
        return info;
      }
    }
  }
  const bucket = TABLE[index];
  if (bucket === undefined) return undefined;
  for (let b = 0; b < bucket.length; b++) {
    const e = bucket[b]!;
    const l = e.lname;
    if (l.length !== n) continue;
    const x = e.exact;
    let exact = x.length === n;
    let k = 0;
    for (; k < n; k++) {
      const c = s.charCodeAt(start + k);
      if ((c | 32) !== l.charCodeAt(k) || c < 45) break;
      if (exact && c !== x.charCodeAt(k)) exact = false;
    }
    if (k === n) {
      exactMatch = exact;
      return e.info;
    }
  }
  return undefined;
}

/** Known header for a name in any case or its compact form; undefined for extension headers. */
export function lookupHeader(name: string): HeaderInfo | undefined {
  return lookupHeaderRange(name, 0, name.length);
}

/** Lookup key for any header name: canonical key for known headers, else the lower-cased name. */
export function headerKey(name: string): string {
  return lookupHeader(name)?.key ?? name.toLowerCase();
}

/** Canonical spelling for known headers; extension headers keep the caller's spelling. */
export function canonicalName(name: string): string {
  return lookupHeader(name)?.name ?? name;
}
