// MAC addresses: given (--mac) or derived deterministically from the model and the device's
// address, so a lab phone keeps its identity (and its {MAC} provisioning file) across restarts.
import { createHash } from 'node:crypto';
import { ok, failure, type Result } from '../../src/core/result.js';

/** Normalises `00:80:f0:12:34:56`, `0080-F012-3456` or `0080F0123456` to `0080F0123456`. */
export function parseMac(text: string): Result<string> {
  const hex = text.replace(/[:.-]/g, '').toUpperCase();
  if (!/^[0-9A-F]{12}$/.test(hex)) return failure('BAD_MAC', `mac: "${text}" is not a MAC address (12 hex digits, e.g. 0080F0123456)`);
  if (parseInt(hex.slice(0, 2), 16) & 1) return failure('BAD_MAC', `mac: ${hex} is a multicast address`);
  return ok(hex);
}

export function deriveMac(oui: string, modelId: string, address: string, sipPort: number): string {
  const digest = createHash('sha256').update(`${modelId}|${address}|${sipPort}`).digest('hex').toUpperCase();
  return `${oui}${digest.slice(0, 6)}`;
}

/** `0080F0123456` → `00:80:f0:12:34:56` (Fanvil's $mac is lower-case without separators). */
export function macWithColons(mac: string): string {
  return mac.match(/../g)!.join(':');
}
