// Kamailio 5.6 as a registrar and stateful proxy on loopback, for interop tests (docs/testing-with-peers.md).
// Writes test/peers/kamailio/proxy.cfg (filled in) into a temp directory, runs `kamailio -DD -E`
// in the foreground with logs on stderr, waits until it answers OPTIONS, and stops it with SIGTERM
// then SIGKILL. Users are provisioned without a database: an htable filled from the config and
// pv_auth_check() (auth module), MD5 or SHA-256 digest (RFC 8760; auth module parameter "algorithm").
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertLoopback, freePort, loopbackAddress, releasePort } from './ports.js';
import { PeerProcess, delay, keepLogsFromEnv, peerTempDir, removeTempDir, runCommand, waitFor } from './process.js';
import { sipOptions } from './sip-client.js';
import type { SipTransport } from './sip-client.js';

export const KAMAILIO_BINARY = '/usr/sbin/kamailio';
export const KAMCMD_BINARY = '/usr/sbin/kamcmd';
const MODULE_DIRS = ['/usr/lib/x86_64-linux-gnu/kamailio/modules', '/usr/lib/aarch64-linux-gnu/kamailio/modules', '/usr/lib/kamailio/modules', '/usr/local/lib64/kamailio/modules'];
const TEMPLATE = join(dirname(fileURLToPath(import.meta.url)), 'kamailio', 'proxy.cfg');

export interface KamailioUser {
  user: string;
  password: string;
  /** Realm and domain of the user; default: the instance's domain. */
  domain?: string;
}

export interface KamailioOptions {
  /** Loopback address to listen on; default a random 127.0.0.x. */
  address?: string;
  /** Port for every transport; default a random free port (retried if another process takes it first). */
  port?: number;
  users?: readonly KamailioUser[];
  /** Default ['udp']. */
  transports?: readonly SipTransport[];
  /** Domain (and digest realm) for users without one, also accepted as "myself"; default the address. */
  domain?: string;
  /** More host names the proxy treats as itself (each user's domain is added automatically). */
  aliases?: readonly string[];
  /** Digest algorithm in challenges and checks; default MD5. */
  authAlgorithm?: 'MD5' | 'SHA-256';
  /** Challenge REGISTER with 401 (default true). */
  authRegister?: boolean;
  /** Challenge out-of-dialog requests from local users (INVITE, MESSAGE...) with 407 (default false). */
  authRequests?: boolean;
  /** Offer qop="auth" in challenges (default true); false gives RFC 2069-style challenges without qop. */
  qop?: boolean;
  /** Reply to a wrong password: re-challenge with 401/407 (Kamailio's default, default here) or 403. */
  badPassword?: 'challenge' | '403';
  /** Only REGISTER is served; other out-of-dialog requests get 403. */
  registrarOnly?: boolean;
  /** user -> contact URI for peers that never register (e.g. `sip:uas@127.0.0.5:5070;transport=tcp`). */
  staticContacts?: Readonly<Record<string, string>>;
  /** Registrar min_expires (default 1, so tests can use short registrations). */
  minExpires?: number;
  /** Kamailio debug level: -3 (alert) .. 3 (debug); default 2 (info, includes one line per request). */
  logLevel?: number;
  /** Default 10 s. */
  startTimeoutMs?: number;
  /** Shared memory (-m) in MB; default 32. */
  sharedMemoryMb?: number;
  /** Private memory per process (-M) in MB; default 4. Thousands of users in the config need more. */
  privateMemoryMb?: number;
}

export interface RegisteredContact {
  /** Address of record as usrloc keys it (the user part: use_domain is off). */
  aor: string;
  /** The Contact URI as registered. */
  uri: string;
  expires: number | undefined;
  callId: string | undefined;
  /** Kamailio's socket the REGISTER arrived on, e.g. `udp:127.0.0.10:5060`. */
  socket: string | undefined;
  userAgent: string | undefined;
}

export interface Kamailio {
  readonly address: string;
  readonly port: number;
  readonly domain: string;
  readonly transports: readonly SipTransport[];
  /** Temp directory with kamailio.cfg, kamailio.log and the control socket. */
  readonly dir: string;
  readonly logFile: string;
  /** Main process id, also the process group of its workers. */
  readonly pid: number | undefined;
  /** `sip:address:port` (with `;transport=tcp` for TCP). */
  uri(transport?: SipTransport): string;
  /** Everything Kamailio logged so far. */
  logs(): string;
  /** Contacts in the location table (kamcmd ul.dump), optionally for one user. */
  contacts(user?: string): Promise<RegisteredContact[]>;
  /** Resolves with the user's contacts once there is at least one. */
  waitForContact(user: string, timeoutMs?: number): Promise<RegisteredContact[]>;
  /** Stops Kamailio; the temp directory is removed unless keepLogs or VPHONE_KEEP_PEER_LOGS=1. */
  stop(options?: { keepLogs?: boolean }): Promise<void>;
}

export function kamailioModuleDir(): string | undefined {
  return MODULE_DIRS.find((dir) => existsSync(join(dir, 'auth.so')));
}

/** Why Kamailio cannot run here, or undefined when it can. */
export function kamailioUnavailable(): string | undefined {
  if (!existsSync(KAMAILIO_BINARY)) return `${KAMAILIO_BINARY} is missing (Debian package kamailio)`;
  const dir = kamailioModuleDir();
  if (!dir) return `no Kamailio module directory with auth.so among ${MODULE_DIRS.join(', ')}`;
  for (const module of ['htable.so', 'registrar.so', 'usrloc.so', 'tm.so', 'ctl.so']) {
    if (!existsSync(join(dir, module))) return `Kamailio module ${module} missing in ${dir}`;
  }
  return undefined;
}

/** A double-quoted Kamailio config string. */
function cfgString(value: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`kamailio: config strings cannot hold line breaks: ${JSON.stringify(value)}`);
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** Characters allowed in htable keys built from user@domain (keeps the generated config well-formed). */
function checkToken(kind: string, value: string): void {
  if (!/^[A-Za-z0-9._~+!*'()&=$,;?/%-]+$/.test(value)) throw new Error(`kamailio: unsupported characters in ${kind} ${JSON.stringify(value)}`);
}


/** The filled-in configuration (exported for the harness's own tests). */
export function renderKamailioConfig(options: KamailioOptions & { address: string; port: number; ctlSocket: string; moduleDir: string }): string {
  const transports = options.transports ?? ['udp'];
  const domain = options.domain ?? options.address;
  const defines: string[] = [];
  if (transports.includes('tcp')) defines.push('WITH_TCP');
  if (options.authRegister ?? true) defines.push('AUTH_REGISTER');
  if (options.authRequests) defines.push('AUTH_REQUESTS');
  if (options.authAlgorithm === 'SHA-256') defines.push('AUTH_SHA256');
  if (options.badPassword === '403') defines.push('BAD_PASSWORD_403');
  if (options.registrarOnly) defines.push('REGISTRAR_ONLY');

  const domains = new Set<string>([domain, ...(options.aliases ?? [])]);
  const users: string[] = [];
  for (const u of options.users ?? []) {
    checkToken('user', u.user);
    const realm = u.domain ?? domain;
    checkToken('domain', realm);
    domains.add(realm);
    users.push(`\t$sht(users=>${u.user}@${realm}) = ${cfgString(u.password)};`);
  }
  for (const [user, contact] of Object.entries(options.staticContacts ?? {})) {
    checkToken('user', user);
    users.push(`\t$sht(contacts=>${user}) = ${cfgString(contact)};`);
  }
  // Aliases without a port match URIs with any port (or none): "sip:alice@127.0.0.9" is then
  // "myself" although Kamailio listens on a random port.
  const listen = transports.map((t) => `listen=${t}:${options.address}:${options.port}`);
  const aliases = [...domains].map((d) => `alias=${cfgString(d)}`);

  const fill: Record<string, string> = {
    LOG_LEVEL: String(options.logLevel ?? 2),
    MPATH: options.moduleDir,
    LISTEN: listen.join('\n'),
    ALIASES: aliases.join('\n'),
    CTL_SOCKET: options.ctlSocket,
    MIN_EXPIRES: String(options.minExpires ?? 1),
    CHALLENGE_FLAGS: (options.qop ?? true) ? '1' : '0',
    USERS: users.length > 0 ? users.join('\n') : '\t$var(none) = 0;',
  };
  const template = readFileSync(TEMPLATE, 'utf8');
  const body = template.replace(/%%([A-Z_]+)%%/g, (_, name: string) => {
    const value = fill[name];
    if (value === undefined) throw new Error(`kamailio: template marker %%${name}%% has no value`);
    return value;
  });
  const [first, ...rest] = body.split('\n');
  return [first, ...defines.map((d) => `#!define ${d}`), ...rest].join('\n');
}

/** Parses `kamcmd ul.dump` output (Kamailio 5.6 RPC text format). */
export function parseUlDump(text: string): RegisteredContact[] {
  const contacts: RegisteredContact[] = [];
  let aor: string | undefined;
  let current: RegisteredContact | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const m = /^([A-Za-z-]+):\s*(.*)$/.exec(line);
    if (!m) continue;
    const [, key, value] = m as unknown as [string, string, string];
    if (key === 'AoR') aor = value;
    else if (key === 'Address' && aor !== undefined) {
      current = { aor, uri: value, expires: undefined, callId: undefined, socket: undefined, userAgent: undefined };
      contacts.push(current);
    } else if (current) {
      if (key === 'Expires') current.expires = /^\d+$/.test(value) ? Number(value) : undefined;
      else if (key === 'Socket') current.socket = value;
      else if (key === 'Call-ID') current.callId = value;
      else if (key === 'User-Agent') current.userAgent = value === '[not set]' ? undefined : value;
    }
  }
  return contacts;
}

/** Starts Kamailio; retries on another port if the chosen one was taken meanwhile (unless `port` was given). */
export async function startKamailio(options: KamailioOptions = {}): Promise<Kamailio> {
  const unavailable = kamailioUnavailable();
  if (unavailable) throw new Error(`kamailio: cannot run: ${unavailable}`);
  const address = options.address ?? loopbackAddress();
  assertLoopback(address);
  const attempts = options.port === undefined ? 3 : 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = options.port ?? (await freePort(address));
    try {
      return await startOnce({ ...options, address }, address, port);
    } catch (error) {
      lastError = error;
      if (options.port === undefined) releasePort(address, port);
      if (!(error instanceof PortInUseError)) throw error;
    }
  }
  throw lastError;
}

class PortInUseError extends Error {}

async function startOnce(options: KamailioOptions, address: string, port: number): Promise<Kamailio> {
  const transports = options.transports ?? ['udp'];
  const domain = options.domain ?? address;
  const dir = peerTempDir('kamailio');
  const cfgFile = join(dir, 'kamailio.cfg');
  const ctlSocket = join(dir, 'kamailio_ctl');
  const logFile = join(dir, 'kamailio.log');
  writeFileSync(cfgFile, renderKamailioConfig({ ...options, address, port, ctlSocket, moduleDir: kamailioModuleDir()! }));

  // -DD: no daemon; -E: log to stderr; -Y: runtime dir; -m/-M: modest memory (MB) since tests run several at once.
  const args = ['-f', cfgFile, '-DD', '-E', '-Y', dir, '-m', String(options.sharedMemoryMb ?? 32), '-M', String(options.privateMemoryMb ?? 4), '-w', dir];
  const peer = new PeerProcess('kamailio', KAMAILIO_BINARY, args, { cwd: dir, logFile });
  const probeTransport: SipTransport = transports.includes('udp') ? 'udp' : 'tcp';
  const timeoutMs = options.startTimeoutMs ?? 10_000;
  try {
    await waitFor(
      `kamailio on ${address}:${port} to answer OPTIONS`,
      async () => {
        if (peer.status) {
          const log = peer.output();
          if (/Address already in use|bind\(.*\) on .* failed/i.test(log)) throw new PortInUseError(`kamailio: ${address}:${port} in use`);
          throw new Error(`kamailio exited (code ${peer.status.code}) during start-up; log ${logFile}:\n${log.slice(-3000)}`);
        }
        const response = await sipOptions({ address, port }, probeTransport, 300);
        return response?.status === 200 ? true : undefined;
      },
      timeoutMs,
      30,
    );
  } catch (error) {
    await peer.stop();
    if (error instanceof PortInUseError || !keepLogsFromEnv()) removeTempDir(dir);
    throw error;
  }

  const contacts = async (user?: string): Promise<RegisteredContact[]> => {
    const result = await runCommand(KAMCMD_BINARY, ['-s', `unix:${ctlSocket}`, 'ul.dump'], { timeoutMs: 5000 });
    if (result.code !== 0) throw new Error(`kamailio: kamcmd ul.dump failed (${result.code}): ${result.stderr || result.stdout}`);
    const all = parseUlDump(result.stdout);
    return user === undefined ? all : all.filter((c) => c.aor === user);
  };

  let stopped = false;
  return {
    address,
    port,
    domain,
    transports,
    dir,
    logFile,
    pid: peer.pid,
    uri: (transport: SipTransport = transports[0] ?? 'udp') => `sip:${address}:${port}${transport === 'tcp' ? ';transport=tcp' : ''}`,
    logs: () => peer.output(),
    contacts,
    waitForContact: (user, timeoutMs = 5000) =>
      waitFor(`a contact for ${user} in kamailio's location table`, async () => {
        const found = await contacts(user);
        return found.length > 0 ? found : undefined;
      }, timeoutMs, 50),
    stop: async (stopOptions = {}) => {
      if (stopped) return;
      stopped = true;
      await peer.stop();
      // Give the log stream a moment to flush before the directory may go.
      await delay(10);
      if (options.port === undefined) releasePort(address, port);
      if (!(stopOptions.keepLogs ?? false) && !keepLogsFromEnv()) removeTempDir(dir);
    },
  };
}
