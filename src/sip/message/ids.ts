// Random identifiers for new requests and responses: tags (RFC 3261 §19.3, at least 32 bits of
// randomness), branch IDs with the magic cookie (§8.1.1.7) and Call-IDs (§8.1.1.4). Tests that
// need fixed values pass them explicitly instead.
import { randomBytes } from 'node:crypto';
import { BRANCH_MAGIC_COOKIE } from './via.js';

export function randomTag(): string {
  return randomBytes(6).toString('hex');
}

export function randomBranch(): string {
  return BRANCH_MAGIC_COOKIE + randomBytes(9).toString('base64url');
}

export function randomCallId(host?: string): string {
  const id = randomBytes(12).toString('hex');
  return host === undefined ? id : `${id}@${host}`;
}
