// The vphone CLI contract (ARCHITECTURE.md): exit 0 ok, 1 failure found, 2 bad usage or input;
// user-fixable problems are one line on stderr, never a stack trace.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kxUt670Catalogue } from '../../firmware-sim/models/kx-ut670/catalogue.js';
import { serializePanasonicText } from '../../src/provisioning/formats/panasonic-text.js';
import { basicAuth, tempDir } from '../helpers/device.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const vphone = join(root, 'bin', 'vphone');
const fixtures = join(root, 'test', 'fixtures', 'kx-ut670');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs bin/vphone; with `untilStdout`, waits for that text, runs `beforeSignal` (given stdout so
 * far), then sends SIGTERM.
 */
function run(args: string[], options: { untilStdout?: RegExp; cwd?: string; beforeSignal?: (stdout: string) => Promise<void> } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(vphone, args, { cwd: options.cwd ?? root, env: { ...process.env, VPHONE_LOG_LEVEL: 'warn' } });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (options.untilStdout && !signalled && options.untilStdout.test(stdout)) {
        signalled = true;
        const before = options.beforeSignal ? options.beforeSignal(stdout) : Promise.resolve();
        before.then(
          () => child.kill('SIGTERM'),
          (error: unknown) => {
            child.kill('SIGKILL');
            reject(error as Error);
          },
        );
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, stdout, stderr: signal ? `${stderr}[killed by ${signal}]` : stderr }));
  });
}

function expectOneLineError(r: Run, pattern: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('vphone CLI', () => {
  it('prints help for the program and each command', async () => {
    const main = await run(['--help']);
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/vphone run --model kx-ut670\|fanvil-a12/);
    for (const cmd of [['run', '--help'], ['lab', '--help'], ['config', 'check', '--help']]) {
      const r = await run(cmd);
      expect(r.code, cmd.join(' ')).toBe(0);
      expect(r.stdout).toMatch(/^Usage: vphone /);
    }
  }, 60_000);

  it('bad usage: one line and exit code 2', async () => {
    expectOneLineError(await run(['frobnicate']), /^vphone: unknown command "frobnicate"/);
    expectOneLineError(await run(['run', '--model', 'kx-ut999']), /unknown model "kx-ut999" \(known: kx-ut670, fanvil-a12\)/);
    expectOneLineError(await run(['run']), /--model is required/);
    expectOneLineError(await run(['run', '--model', 'kx-ut670', '--sip-port', '99999']), /--sip-port "99999" is not a port number/);
    expectOneLineError(await run(['run', '--model', 'kx-ut670', '--bogus']), /Unknown option '--bogus'/);
  }, 60_000);

  it('bad input: unreadable config, port in use, unwritable data directory', async () => {
    const dir = tempDir();
    expectOneLineError(await run(['run', '--model', 'kx-ut670', '--data-dir', dir, '--config', '/nonexistent.cfg']), /config file \/nonexistent.cfg cannot be read: ENOENT/);
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    expectOneLineError(await run(['run', '--model', 'kx-ut670', '--data-dir', dir, '--http-port', String(port)]), new RegExp(`web: 127.0.0.1:${port} is already in use`));
    blocker.close();
    const file = join(dir, 'file');
    writeFileSync(file, 'x');
    expectOneLineError(await run(['run', '--model', 'fanvil-a12', '--data-dir', join(file, 'sub')]), /data directory .* is not writable/);
  }, 60_000);

  it('run boots a device, prints where it listens, and stops cleanly on SIGTERM', async () => {
    const dir = tempDir();
    const r = await run(['run', '--model', 'fanvil-a12', '--mac', '0C383E000001', '--http-port', '0', '--data-dir', dir], { untilStdout: /web http/ });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^A12 0C383E000001 firmware 2\.12\.45: SIP 127\.0\.0\.1:5060, web http:\/\/127\.0\.0\.1:\d+\//);
  }, 60_000);

  it('lab boots both phones on their own loopback addresses', async () => {
    const r = await run(['lab', '--http-port', '0', '--data-dir', tempDir()], { untilStdout: /control API/ });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/desk: KX-UT670 0080F0[0-9A-F]{6} {2}SIP 127\.0\.0\.11:5060 {2}web http:\/\/127\.0\.0\.11:\d+\/ {2}login admin admin\/adminpass, user user\/\(blank\)/);
    expect(r.stdout).toMatch(/door: A12 0C383E[0-9A-F]{6} {2}SIP 127\.0\.0\.12:5060 {2}web http:\/\/127\.0\.0\.12:\d+\/ {2}login admin admin\/admin/);
  }, 60_000);

  it('lab with --media-workers: the phones call each other, and SIGTERM mid-call stops cleanly', async () => {
    const call = async (stdout: string) => {
      const desk = /desk: .* web (http:\/\/127\.0\.0\.11:\d+)\//.exec(stdout)![1]!;
      const auth = { authorization: basicAuth('admin', 'adminpass'), 'content-type': 'application/json' };
      const placed = await fetch(`${desk}/api/v1/calls`, { method: 'POST', headers: auth, body: JSON.stringify({ to: '127.0.0.12' }) });
      expect(placed.status).toBe(201);
      // Wait until audio flows both ways (worker stats arrive once a second).
      for (let i = 0; i < 100; i++) {
        const [c] = (await (await fetch(`${desk}/api/v1/calls`, { headers: auth })).json()) as Array<{ state: string; rtp?: { packetsReceived: number } }>;
        if (c?.state === 'connected' && (c.rtp?.packetsReceived ?? 0) > 10) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('the lab call never carried audio');
    };
    // A shutdown that waited for the BYE's answer after closing the sockets would hang here.
    const r = await run(['lab', '--http-port', '0', '--media-workers', '1', '--data-dir', tempDir()], { untilStdout: /control API/, beforeSignal: call });
    expect(r.stderr).not.toMatch(/killed by/);
    expect(r.code).toBe(0);
  }, 60_000);
});

describe('vphone config check', () => {
  it('reports each fault of the 5.3.2 incorrect example with its line, exit 1', async () => {
    const r = await run(['config', 'check', join(fixtures, '5.3.2-incorrect.cfg')]);
    expect(r.code).toBe(1);
    const errors = r.stderr.split('\n').filter((l) => /\.cfg:\d+: (?!warning)/.test(l));
    // ❶ header, ❷ comments after values (2 lines), ❸ spaces in the line, ❹ value out of range.
    expect(errors.map((l) => Number(/\.cfg:(\d+):/.exec(l)![1]))).toEqual([1, 15, 16, 23, 39]);
    expect(r.stderr).toMatch(/VM_SUBSCRIBE_ENABLE: "Yes" is not a Boolean/);
    expect(r.stderr).toMatch(/would reject the whole file/);
  }, 60_000);

  it('a file that sets every KX-UT670 parameter to its default has zero errors, exit 0', async () => {
    const file = join(tempDir(), 'all-defaults.cfg');
    const entries = kxUt670Catalogue.names().map((name) => ({ name, value: kxUt670Catalogue.defaultOf(name)! }));
    writeFileSync(file, serializePanasonicText(entries));
    const r = await run(['config', 'check', file]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/0 errors, 0 warnings; 770 parameters would apply \(KX-UT670\)/);
  }, 60_000);

  it('names the line and parameter of a bad value, and detects the Fanvil dialect', async () => {
    const dir = tempDir();
    const kx = join(dir, 'kx.cfg');
    writeFileSync(kx, '# Panasonic SIP Phone Standard Format File #\r\nSIP_RGSTR_PORT_1="70000"\r\nNO_SUCH_PARAM="1"\r\n\r\n');
    const r = await run(['config', 'check', kx]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${kx}:2: SIP_RGSTR_PORT_1: value 70000 is out of range 1-65535`);
    expect(r.stderr).toContain(`${kx}:3: NO_SUCH_PARAM: unknown parameter`);
    const a12 = join(dir, 'a12.cfg');
    writeFileSync(a12, '<<VOIP CONFIG FILE>>Version:2.0000000000\n<SIP CONFIG MODULE>\nSIP1 Register Port :99999\n<<END OF FILE>>\n');
    const f = await run(['config', 'check', a12]);
    expect(f.code).toBe(1);
    expect(f.stderr).toMatch(/a12\.cfg:3: SIP1 Register Port: value 99999 is out of range/);
    expect(f.stderr).toMatch(/\(A12\)/);
    expectOneLineError(await run(['config', 'check', join(dir, 'missing.cfg')]), /cannot be read: ENOENT/);
  }, 60_000);
});
