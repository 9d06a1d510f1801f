// vphone command line (contract in ARCHITECTURE.md): exit 0 ok, 1 failure found, 2 bad usage
// or input. Every user-fixable problem is one line on stderr, never a stack trace.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { SystemClock } from '../src/core/system-clock.js';
import { StartupError, type Device } from './device.js';
import { createDevice } from './create-device.js';
import { getModel, MODEL_IDS, detectModel } from './models/index.js';
import { runLab } from './lab.js';
import { startMediaWorkers, stopMediaWorkers } from './services/device-media.js';
import { checkConfigFile } from './config-check-command.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

class UsageError extends Error {}

const MAIN_HELP = `vphone — SIP desk-phone and intercom emulator (Panasonic KX-UT670, Fanvil A12)

Usage:
  vphone run --model kx-ut670|fanvil-a12 [options]   boot one emulated device
  vphone lab [options]                               boot the default lab (a KX-UT670 and an A12)
  vphone config check FILE [--model M]               validate a configuration file
  vphone --help | vphone COMMAND --help

Exit codes: 0 ok, 1 failure found, 2 bad usage or input.`;

const RUN_HELP = `Usage: vphone run --model kx-ut670|fanvil-a12 [options]

Boots one emulated device and runs until Ctrl-C (clean shutdown on SIGINT/SIGTERM).

Options:
  --model M          kx-ut670 or fanvil-a12 (required)
  --mac MAC          MAC address, e.g. 0080F0123456 (default: kept in the data directory,
                     else derived from the model and address)
  --ip ADDR          address to bind (default 127.0.0.1; any 127.x.y.z works on Linux)
  --sip-port N       SIP port of line 1 (default 5060); line n keeps its SIP_SRC_PORT_n offset
  --dns ADDR[:PORT]  DNS server for SIP names (as DHCP would give); repeatable. Without it only
                     IP addresses are used and nothing is asked of the host's resolver
  --media-workers N  run call media in N worker threads (default 0: on the main thread)
  --http-port N      web / control API port (default 8080; 0 picks a free one)
  --data-dir DIR     NVRAM directory (default var/devices/<model>-<ip>-<sip-port>)
  --config FILE      configuration file applied as pre-provisioning; repeatable
  --log-level L      trace, debug, info (default), warn, error, silent
  -h, --help         this help`;

const LAB_HELP = `Usage: vphone lab [options]

Boots the default lab: a Panasonic KX-UT670 and a Fanvil A12, each on its own loopback address
with its own web port, and prints where each listens and how to log in. Runs until Ctrl-C.

Options:
  --data-dir DIR     lab NVRAM root (default var/lab)
  --http-port N      web port of each phone (default 8080)
  --media-workers N  run call media in N worker threads (default 0: on the main thread)
  --log-level L      log level (default warn)
  -h, --help         this help`;

const CONFIG_CHECK_HELP = `Usage: vphone config check FILE [--model M]

Validates a configuration file: one diagnostic per offending line (line number, parameter,
what is wrong). Exit 0 when clean, 1 when any error is found, 2 when the file cannot be read.

Options:
  --model M          kx-ut670 or fanvil-a12 (default: detected from the file's header, else kx-ut670)
  -h, --help         this help`;

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  try {
    return parseArgs({ args, options: { ...options, ...HELP_OPTION }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** `--dns 127.0.0.53[:5353]` or `[::1]:5353`: loopback only, as every address the emulator talks to. */
function dnsServer(text: string): string {
  const m = /^(127(?:\.\d{1,3}){3}|\[::1\])(?::(\d{1,5}))?$/.exec(text);
  if (!m || (m[2] !== undefined && Number(m[2]) > 65535) || m[1]!.split('.').some((o) => Number(o) > 255)) {
    throw new UsageError(`--dns "${text}" must be a loopback address with an optional port (127.x.y.z[:port] or [::1]:port)`);
  }
  return text;
}

/** A small whole number option (0-64). */
function count(text: string | undefined, flag: string): number {
  if (text === undefined) return 0;
  if (!/^[0-9]{1,2}$/.test(text) || Number(text) > 64) throw new UsageError(`${flag} "${text}" is not a number of threads (0-64)`);
  return Number(text);
}

async function startWorkers(n: number): Promise<void> {
  if (n === 0) return;
  const started = await startMediaWorkers(n);
  if (!started.ok) throw new StartupError(started.error.code, started.error.message);
}

function port(text: string | undefined, flag: string, fallback: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!/^[0-9]+$/.test(text) || n > 65535) throw new UsageError(`${flag} "${text}" is not a port number (0-65535)`);
  return n;
}

function modelArg(text: string | undefined, required: boolean) {
  if (text === undefined) {
    if (required) throw new UsageError(`--model is required (${MODEL_IDS.join(' or ')})`);
    return undefined;
  }
  const model = getModel(text);
  if (!model) throw new UsageError(`unknown model "${text}" (known: ${MODEL_IDS.join(', ')})`);
  return model;
}

async function runCommand(args: string[], out: Console): Promise<number> {
  const { values } = parse(args, {
    model: { type: 'string' },
    mac: { type: 'string' },
    ip: { type: 'string' },
    'sip-port': { type: 'string' },
    'http-port': { type: 'string' },
    'data-dir': { type: 'string' },
    dns: { type: 'string', multiple: true },
    'media-workers': { type: 'string' },
    config: { type: 'string', multiple: true },
    'log-level': { type: 'string' },
  });
  if (values.help) {
    out.log(RUN_HELP);
    return EXIT_OK;
  }
  const model = modelArg(values.model as string | undefined, true)!;
  const ip = (values.ip as string | undefined) ?? '127.0.0.1';
  const sipPort = port(values['sip-port'] as string | undefined, '--sip-port', 5060);
  const httpPort = port(values['http-port'] as string | undefined, '--http-port', 8080);
  const mediaWorkers = count(values['media-workers'] as string | undefined, '--media-workers');
  const signal = signalReceived();
  const clock = new SystemClock();
  await startWorkers(mediaWorkers);
  const device = createDevice({
    model,
    clock,
    ip,
    sipPort,
    httpPort,
    mac: values.mac as string | undefined,
    dataDir: resolve((values['data-dir'] as string | undefined) ?? `var/devices/${model.id}-${ip}-${sipPort}`),
    configPaths: (values.config as string[] | undefined) ?? [],
    dnsServers: ((values.dns as string[] | undefined) ?? []).map(dnsServer),
    logLevel: values['log-level'] as string | undefined,
  });
  await device.boot();
  const i = device.info();
  out.log(`${i.model} ${i.mac} firmware ${i.firmware}: SIP ${i.address.ip}:${i.address.sipPort}, web http://${i.address.ip}:${i.address.httpPort}/`);
  await signal;
  await shutdownAll([device], clock);
  await stopMediaWorkers();
  return EXIT_OK;
}

async function labCommand(args: string[], out: Console): Promise<number> {
  const { values } = parse(args, { 'data-dir': { type: 'string' }, 'http-port': { type: 'string' }, 'log-level': { type: 'string' }, 'media-workers': { type: 'string' } });
  if (values.help) {
    out.log(LAB_HELP);
    return EXIT_OK;
  }
  const mediaWorkers = count(values['media-workers'] as string | undefined, '--media-workers');
  const signal = signalReceived();
  const clock = new SystemClock();
  await startWorkers(mediaWorkers);
  const devices = await runLab({
    clock,
    dataRoot: resolve((values['data-dir'] as string | undefined) ?? 'var/lab'),
    httpPort: port(values['http-port'] as string | undefined, '--http-port', 8080),
    logLevel: (values['log-level'] as string | undefined) ?? 'warn',
    print: (line) => out.log(line),
  });
  await signal;
  await shutdownAll(devices, clock);
  await stopMediaWorkers();
  return EXIT_OK;
}

async function configCommand(args: string[], out: Console, errOut: Console): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h' || sub === undefined) {
    out.log(CONFIG_CHECK_HELP);
    return sub === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (sub !== 'check') throw new UsageError(`unknown config command "${sub}" (try: vphone config check FILE)`);
  const { values, positionals } = parse(rest, { model: { type: 'string' } });
  if (values.help) {
    out.log(CONFIG_CHECK_HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError('config check takes exactly one FILE');
  const file = positionals[0]!;
  let text: Buffer;
  try {
    text = readFileSync(file);
  } catch (error) {
    throw new StartupError('CONFIG_UNREADABLE', `config file ${file} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const model = modelArg(values.model as string | undefined, false) ?? detectModel(text);
  const report = checkConfigFile(model, text, file);
  for (const line of report.lines) {
    if (report.failed) errOut.error(line);
    else out.log(line);
  }
  return report.failed ? EXIT_FAILURE : EXIT_OK;
}

/** Resolves on the first SIGINT or SIGTERM; installed before boot so an early Ctrl-C is not lost. */
function signalReceived(): Promise<NodeJS.Signals> {
  return new Promise((resolveSignal) => {
    const handler = (signal: NodeJS.Signals) => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      resolveSignal(signal);
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}

async function shutdownAll(devices: readonly Device[], clock: SystemClock): Promise<void> {
  await Promise.allSettled(devices.map((d) => d.shutdown('signal')));
  clock.stop();
}

export async function main(argv: string[], out: Console = console, errOut: Console = console): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        out.log(MAIN_HELP);
        return command === undefined ? EXIT_USAGE : EXIT_OK;
      case 'run':
        return await runCommand(args, out);
      case 'lab':
        return await labCommand(args, out);
      case 'config':
        return await configCommand(args, out, errOut);
      default:
        throw new UsageError(`unknown command "${command}" (try: vphone --help)`);
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof StartupError) {
      errOut.error(`vphone: ${error.message}`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
