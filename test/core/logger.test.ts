import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactSecrets } from '../../src/core/logger.js';

function capture(): { lines: Array<Record<string, unknown>>; stream: Writable } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { lines, stream };
}

describe('logger', () => {
  it('carries the device identity and redacts password fields', async () => {
    const { lines, stream } = capture();
    const log = createLogger({ level: 'info', bindings: { device: '0080F0123456', model: 'KX-UT670' }, destination: stream });
    log.info({ line: 1, password: 'hunter2', auth: { pass: 'x' } }, 'registering');
    await new Promise((r) => setImmediate(r));
    expect(lines[0]).toMatchObject({ device: '0080F0123456', model: 'KX-UT670', line: 1, password: '[redacted]', auth: { pass: '[redacted]' }, msg: 'registering' });
  });

  it('scrubs credentials from SIP text and config lines', () => {
    const sip = 'REGISTER sip:pbx SIP/2.0\r\nAuthorization: Digest username="1001", response="abc"\r\nProxy-Authorization: Digest x\r\n';
    const out = redactSecrets(sip);
    expect(out).not.toMatch(/response="abc"/);
    expect(out).toContain('Authorization: Digest [redacted]');
    expect(redactSecrets('SIP_PASS_1="s3cret"\r\nADMIN_PASS="adminpass"')).toBe('SIP_PASS_1="[redacted]"\r\nADMIN_PASS="[redacted]"');
  });
});
