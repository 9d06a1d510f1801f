// Random identifiers for new requests and responses: tags (RFC 3261 §19.3, at least 32 bits of
// randomness), branch IDs with the magic cookie (§8.1.1.7) and Call-IDs (§8.1.1.4). Tests that
// need fixed values pass them explicitly instead.
import { randomFillSync } from 'node:crypto';
import { BRANCH_MAGIC_COOKIE } from './via.js';

// The bytes come from one pool refilled with randomFillSync (the same CSPRNG as randomBytes): a
// call of randomBytes per identifier cost ~6 µs, a measurable share of a REGISTER refresh when a
// process holds thousands of lines (bench/sip-registrations.ts). Each byte is used once.
const POOL = Buffer.alloc(4096);
let poolOffset = POOL.length;

function randomText(bytes: number, encoding: 'hex' | 'base64url'): string {
  if (poolOffset + bytes > POOL.length) {
    randomFillSync(POOL);
    poolOffset = 0;
  }
  const start = poolOffset;
  poolOffset += bytes;
  return POOL.toString(encoding, start, poolOffset);
}

export function randomTag(): string {
  return randomText(6, 'hex');
}

export function randomBranch(): string {
  return BRANCH_MAGIC_COOKIE + randomText(9, 'base64url');
}

export function randomCallId(host?: string): string {
  const id = randomText(12, 'hex');
  return host === undefined ? id : `${id}@${host}`;
}
