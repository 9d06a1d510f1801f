// SIPp 3.6 as a scripted SIP peer on loopback (docs/testing-with-peers.md).
// Every SIPp socket is bound to an explicit loopback address: -i with -bind_local for SIP (without it
// a UAS listens on every address), -ci/-cp for the control socket (default 0.0.0.0:8888) and
// -mi/-mp for media. Messages are traced to messages.log in the run's temp directory and parsed.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertLoopback, freePort, freePortRange, loopbackAddress, releasePort } from './ports.js';
import { PeerProcess, delay, keepLogsFromEnv, peerTempDir, removeTempDir, waitFor } from './process.js';
import type { Endpoint } from './ports.js';
import type { SipTransport } from './sip-client.js';

export const SIPP_BINARY = '/usr/bin/sipp';
export const SCENARIO_DIR = join(dirname(fileURLToPath(import.meta.url)), 'sipp');

/** Our scenario files in test/peers/sipp (each starts with a comment saying what it tests). */
export type ScenarioName =
  | 'uac_register_auth'
  | 'uac_call'
  | 'uac_cancel'
  | 'uac_prack'
  | 'uas_answer_rtp_echo'
  | 'uas_ignore_first_invites'
  | 'uas_challenge_401'
  | 'uas_challenge_407'
  | 'uas_redirect_3xx'
  | 'uas_busy_486'
  | 'uas_cancel_race'
  | 'uas_bye'
  | 'uas_prack'
  | 'uas_reinvite';

/** SIPp's built-in scenarios (`-sn`). */
export type BuiltinScenario = 'uac' | 'uas' | 'regexp' | 'branchc' | 'branchs' | 'uac_pcap';

export function scenarioPath(name: ScenarioName): string {
  return join(SCENARIO_DIR, `${name}.xml`);
}

export function scenarioNames(): ScenarioName[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.xml'))
    .map((f) => f.slice(0, -4) as ScenarioName)
    .sort();
}

export function sippUnavailable(): string | undefined {
  return existsSync(SIPP_BINARY) ? undefined : `${SIPP_BINARY} is missing (Debian package sip-tester)`;
}

export interface SippOptions {
  /** One of our scenario names, a path to an XML file, or `{ builtin: 'uas' }`. */
  scenario: ScenarioName | { file: string } | { builtin: BuiltinScenario };
  /** Where a UAC sends (the remote host:port argument); omitted for a UAS. */
  target?: Endpoint;
  /** Local address (-i); default a random 127.0.0.x. */
  address?: string;
  /** Local SIP port (-p); default a free port. */
  port?: number;
  /** Default 'udp' (-t u1); 'tcp' is -t t1. */
  transport?: SipTransport;
  /** Calls to process before exiting (-m); default 1. */
  calls?: number;
  /** Calls per second (-r) and simultaneous calls limit (-l). */
  rate?: number;
  limit?: number;
  /** Request-URI user (-s); default 'service'. */
  service?: string;
  /** Digest credentials (-au, -ap) and digest uri without "sip:" (-auth_uri). */
  authUser?: string;
  password?: string;
  authUri?: string;
  /** Scenario keys (-key name value); our scenarios' keys get defaults (see `defaultKeys`). */
  keys?: Readonly<Record<string, string | number>>;
  /** Pause length for `<pause/>` without a duration (-d), in ms; default 0. */
  durationMs?: number;
  /** Whole-run limit (-timeout, -timeout_error): SIPp exits with failure when reached; default 15 s. */
  timeoutMs?: number;
  /** Per-call receive timeout (-recv_timeout) in ms. */
  recvTimeoutMs?: number;
  /** Echo RTP arriving on the media port (and port+2) back to its sender (-rtp_echo). */
  rtpEcho?: boolean;
  /** Media port (-mp); default a free port with port..port+3 free. Media address is the local address. */
  mediaPort?: number;
  /** SIPp default behaviours (-default_behaviors), e.g. 'all,-bye'. */
  defaultBehaviors?: string;
  extraArgs?: readonly string[];
}

/** One message from SIPp's -trace_msg log. */
export interface SippMessage {
  direction: 'sent' | 'received';
  transport: string;
  /** e.g. 'INVITE sip:bob@127.0.0.10 SIP/2.0' or 'SIP/2.0 200 OK'. */
  startLine: string;
  method: string | undefined;
  status: number | undefined;
  /** Method from CSeq (for responses too). */
  cseqMethod: string | undefined;
  headers: Map<string, string[]>;
  raw: string;
}

export interface SippResult {
  /** SIPp exit code: 0 all calls succeeded, 1 some failed, 97 stopped by command, 99 no calls, 253/254/255 fatal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  messages: SippMessage[];
  /** Unexpected messages and errors (-trace_err). */
  errors: string;
  /** SIPp's screen output and stderr. */
  output: string;
  dir: string;
}

export interface SippInstance {
  readonly address: string;
  readonly port: number;
  readonly transport: SipTransport;
  readonly mediaPort: number;
  readonly dir: string;
  readonly pid: number | undefined;
  /** `sip:service@address:port` (with ;transport=tcp for TCP). */
  uri(user?: string): string;
  /** Messages logged so far. */
  messages(): SippMessage[];
  /** Resolves when SIPp exits by itself (after -m calls, or on -timeout). */
  readonly done: Promise<SippResult>;
  /** Kills SIPp if still running; the result includes the messages logged so far. */
  stop(options?: { keepLogs?: boolean }): Promise<SippResult>;
}

/** Keys our scenarios use, with values derived from the run (each scenario's header lists its keys). */
export function defaultKeys(options: { target?: Endpoint; address: string; port: number; authUser?: string; password?: string }): Record<string, string> {
  return {
    domain: options.target?.address ?? options.address,
    caller: 'sipp',
    contact_host: options.address,
    contact_port: String(options.port),
    expires: '3600',
    realm: options.address,
    auth_user: options.authUser ?? 'sipp',
    auth_password: options.password ?? 'password',
    redirect_contact: `<sip:redirected@${options.address}:${options.port}>`,
  };
}

/**
 * The -d (ms) for uas_ignore_first_invites.xml that makes the UAS ignore the first `ignored` INVITE
 * copies and answer the next one: halfway between copy ignored+1 (sent at T1 * (2^ignored - 1)) and
 * copy ignored+2 (T1 * (2^(ignored+1) - 1)), RFC 3261 §17.1.1.2.
 */
export function silenceForIgnoredInvites(ignored: number, t1Ms = 500): number {
  return Math.round(t1Ms * (1.5 * 2 ** ignored - 1));
}

/** Parses a -trace_msg log into messages. */
export function parseSippMessageLog(text: string): SippMessage[] {
  const messages: SippMessage[] = [];
  const blocks = text.split(/^-{20,} [^\n]*\n/m);
  for (const block of blocks) {
    const head = /^(\w+) message (sent|received)[^\n]*\n/.exec(block);
    if (!head) continue;
    const raw = block.slice(head[0].length).replace(/^\r?\n/, '').replace(/(\r?\n)+$/, '');
    const lines = raw.split(/\r?\n/);
    const startLine = (lines[0] ?? '').trim();
    const headers = new Map<string, string[]>();
    for (const line of lines.slice(1)) {
      if (line.trim() === '') break;
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const list = headers.get(name) ?? [];
      list.push(line.slice(colon + 1).trim());
      headers.set(name, list);
    }
    const response = /^SIP\/2\.0 (\d{3})/.exec(startLine);
    const request = /^([A-Z]+) \S+ SIP\/2\.0$/.exec(startLine);
    const cseq = /^\d+\s+(\S+)/.exec(headers.get('cseq')?.[0] ?? '');
    messages.push({
      direction: head[2] === 'sent' ? 'sent' : 'received',
      transport: head[1]!,
      startLine,
      method: request?.[1],
      status: response ? Number(response[1]) : undefined,
      cseqMethod: cseq?.[1],
      headers,
      raw,
    });
  }
  return messages;
}

/** A compact trace like ['> INVITE', '< 100', '< 180', '< 200', '> ACK'] for assertions and failure messages. */
export function messageFlow(messages: readonly SippMessage[]): string[] {
  return messages.map((m) => `${m.direction === 'sent' ? '>' : '<'} ${m.method ?? `${m.status} ${m.cseqMethod ?? ''}`.trim()}`);
}

function scenarioArgs(scenario: SippOptions['scenario']): string[] {
  if (typeof scenario === 'string') return ['-sf', scenarioPath(scenario)];
  if ('builtin' in scenario) return ['-sn', scenario.builtin];
  return ['-sf', isAbsolute(scenario.file) ? scenario.file : join(process.cwd(), scenario.file)];
}

function readIfExists(path: string): string {
  return existsSync(path) ? readFileSync(path, 'utf8') : '';
}

/** True when /proc/net shows `address:port` bound (UDP) or listening (TCP) in this network namespace. */
export function isListening(address: string, port: number, transport: SipTransport): boolean {
  const hex = address.split('.').map(Number).reverse().map((b) => b.toString(16).padStart(2, '0')).join('').toUpperCase();
  const wanted = `${hex}:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const table = readIfExists(transport === 'udp' ? '/proc/net/udp' : '/proc/net/tcp');
  return table.split('\n').some((line) => {
    const fields = line.trim().split(/\s+/);
    // TCP state 0A is LISTEN; UDP sockets show 07 (unconnected).
    return fields[1] === wanted && (transport === 'udp' || fields[3] === '0A');
  });
}

/** Starts SIPp in the background; resolves once its SIP socket is bound (a UAS is then ready for calls). */
export async function startSipp(options: SippOptions): Promise<SippInstance> {
  const unavailable = sippUnavailable();
  if (unavailable) throw new Error(`sipp: cannot run: ${unavailable}`);
  const address = options.address ?? loopbackAddress();
  assertLoopback(address);
  if (options.target) assertLoopback(options.target.address);
  const transport = options.transport ?? 'udp';
  const port = options.port ?? (await freePort(address));
  const controlPort = await freePort(address, { protocols: ['udp'] });
  // -rtp_echo binds media_port and media_port+2 (RTP and "video" RTP); keep +1 and +3 free for RTCP.
  const mediaPort = options.mediaPort ?? (await freePortRange(address, 4, { protocols: ['udp'], even: true }));
  const dir = peerTempDir('sipp');
  const messageFile = join(dir, 'messages.log');
  const errorFile = join(dir, 'errors.log');
  const keys = { ...defaultKeys({ target: options.target, address, port, authUser: options.authUser, password: options.password }), ...(options.keys ?? {}) };

  const args = [
    ...scenarioArgs(options.scenario),
    ...(options.target ? [`${options.target.address}:${options.target.port}`] : []),
    '-i', address, '-p', String(port), '-bind_local',
    '-ci', address, '-cp', String(controlPort),
    '-mi', address, '-mp', String(mediaPort),
    '-t', transport === 'tcp' ? 't1' : 'u1',
    '-m', String(options.calls ?? 1),
    '-nostdin',
    '-trace_msg', '-message_file', messageFile,
    '-trace_err', '-error_file', errorFile,
    '-timeout', `${Math.ceil((options.timeoutMs ?? 15_000) / 1000)}s`, '-timeout_error',
    '-d', String(options.durationMs ?? 0),
  ];
  if (options.rate !== undefined) args.push('-r', String(options.rate));
  if (options.limit !== undefined) args.push('-l', String(options.limit));
  if (options.service !== undefined) args.push('-s', options.service);
  if (options.authUser !== undefined) args.push('-au', options.authUser);
  if (options.password !== undefined) args.push('-ap', options.password);
  if (options.authUri !== undefined) args.push('-auth_uri', options.authUri);
  if (options.recvTimeoutMs !== undefined) args.push('-recv_timeout', String(options.recvTimeoutMs));
  if (options.rtpEcho) args.push('-rtp_echo');
  if (options.defaultBehaviors !== undefined) args.push('-default_behaviors', options.defaultBehaviors);
  for (const [name, value] of Object.entries(keys)) args.push('-key', name, String(value));
  args.push(...(options.extraArgs ?? []));

  const peer = new PeerProcess('sipp', SIPP_BINARY, args, { cwd: dir, logFile: join(dir, 'sipp.log') });
  const release = (): void => {
    if (options.port === undefined) releasePort(address, port);
    releasePort(address, controlPort);
    if (options.mediaPort === undefined) releasePort(address, mediaPort, 4);
  };
  const result = (status: { code: number | null; signal: NodeJS.Signals | null }): SippResult => ({
    exitCode: status.code,
    signal: status.signal,
    messages: parseSippMessageLog(readIfExists(messageFile)),
    errors: readIfExists(errorFile),
    output: peer.output(),
    dir,
  });
  const done = peer.exited.then(result);

  try {
    await waitFor(`sipp to bind ${transport} ${address}:${port}`, () => {
      if (peer.status) throw new Error(`sipp exited (code ${peer.status.code}) during start-up; log ${peer.logFile}:\n${peer.output().slice(-2000)}`);
      return isListening(address, port, transport) ? true : undefined;
    }, 5000, 10);
  } catch (error) {
    await peer.stop();
    release();
    if (!keepLogsFromEnv()) removeTempDir(dir);
    throw error;
  }

  let stopped = false;
  return {
    address,
    port,
    transport,
    mediaPort,
    dir,
    pid: peer.pid,
    uri: (user = options.service ?? 'service') => `sip:${user}@${address}:${port}${transport === 'tcp' ? ';transport=tcp' : ''}`,
    messages: () => parseSippMessageLog(readIfExists(messageFile)),
    done,
    stop: async (stopOptions = {}) => {
      const status = await peer.stop(500);
      const final = result(status);
      if (!stopped) {
        stopped = true;
        await delay(5);
        release();
        if (!(stopOptions.keepLogs ?? false) && !keepLogsFromEnv()) removeTempDir(dir);
      }
      return final;
    },
  };
}

/** Runs SIPp to completion (a UAC, typically) and returns its exit code and message log. */
export async function runSipp(options: SippOptions & { keepLogs?: boolean }): Promise<SippResult> {
  const instance = await startSipp(options);
  await instance.done;
  return instance.stop({ keepLogs: options.keepLogs });
}

/** Starts a SIPp UAS on loopback (e.g. 'uas_answer_rtp_echo') and waits until it listens. */
export function startSippUas(options: Omit<SippOptions, 'target'>): Promise<SippInstance> {
  return startSipp({ timeoutMs: 30_000, ...options });
}

/** REGISTER `user` through a registrar with digest auth (uac_register_auth.xml). */
export function registerWithSipp(options: {
  registrar: Endpoint;
  user: string;
  password: string;
  domain?: string;
  transport?: SipTransport;
  /** Contact to register (default SIPp's own address and port), e.g. a SIPp UAS's address. */
  contact?: Endpoint;
  expires?: number;
  address?: string;
  keepLogs?: boolean;
  timeoutMs?: number;
}): Promise<SippResult> {
  const domain = options.domain ?? options.registrar.address;
  return runSipp({
    scenario: 'uac_register_auth',
    target: options.registrar,
    address: options.address ?? options.contact?.address,
    transport: options.transport,
    service: options.user,
    authUser: options.user,
    password: options.password,
    authUri: domain,
    // A failed REGISTER must not make SIPp send a BYE (its default reaction to an aborted call).
    defaultBehaviors: 'all,-bye',
    timeoutMs: options.timeoutMs ?? 10_000,
    keys: {
      domain,
      expires: options.expires ?? 3600,
      ...(options.contact ? { contact_host: options.contact.address, contact_port: options.contact.port } : {}),
    },
    keepLogs: options.keepLogs,
  });
}
