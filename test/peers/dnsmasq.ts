// dnsmasq as an authoritative-only DNS server on loopback, for RFC 3263 tests (NAPTR, SRV, A).
// It binds one explicit loopback address (--listen-address with --bind-interfaces), reads no
// /etc/resolv.conf, /etc/hosts or config file, forwards nothing upstream (--no-resolv and no
// --server), and answers NXDOMAIN for unknown names in the test domains (--local=/domain/).
// The stack under test points its resolver at it, e.g. node:dns Resolver.setServers(['127.0.0.53:20053']).
import { existsSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { join } from 'node:path';
import { assertLoopback, freePort, loopbackAddress, releasePort } from './ports.js';
import { PeerProcess, delay, keepLogsFromEnv, peerTempDir, removeTempDir, waitFor } from './process.js';

export const DNSMASQ_BINARY = '/usr/sbin/dnsmasq';

/** RFC 2782 SRV record: `_sip._udp.example.test` -> target:port. */
export interface SrvRecord {
  name: string;
  target: string;
  port: number;
  priority?: number;
  weight?: number;
}

/** RFC 3403 NAPTR record as RFC 3263 §4.1 uses it (e.g. service "SIP+D2U", replacement "_sip._udp.example.test"). */
export interface NaptrRecord {
  name: string;
  order: number;
  preference: number;
  flags: string;
  service: string;
  regexp?: string;
  replacement: string;
}

export interface DnsmasqOptions {
  /** Default a random 127.0.0.x. */
  address?: string;
  /** Default a free port (UDP and TCP). */
  port?: number;
  /** Host name -> IPv4 (or IPv6) addresses (A/AAAA, also PTR). */
  hosts?: Readonly<Record<string, string | readonly string[]>>;
  srv?: readonly SrvRecord[];
  naptr?: readonly NaptrRecord[];
  /** Domains answered only locally (NXDOMAIN for unknown names); default: the parents of every name above. */
  localDomains?: readonly string[];
  /** TTL in seconds of the records above (dnsmasq --local-ttl); default 0, i.e. not cacheable. */
  localTtlS?: number;
  /** Log every query to the log (default true). */
  logQueries?: boolean;
  startTimeoutMs?: number;
}

export interface Dnsmasq {
  readonly address: string;
  readonly port: number;
  /** `address:port` for Resolver.setServers(). */
  readonly server: string;
  readonly dir: string;
  readonly pid: number | undefined;
  /** A node:dns Resolver pointed at this server only, sending from the server's loopback address. */
  resolver(): Resolver;
  logs(): string;
  stop(options?: { keepLogs?: boolean }): Promise<void>;
}

export function dnsmasqUnavailable(): string | undefined {
  return existsSync(DNSMASQ_BINARY) ? undefined : `${DNSMASQ_BINARY} is missing (Debian package dnsmasq-base)`;
}

function checkName(name: string): void {
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new Error(`dnsmasq: unsupported characters in DNS name ${JSON.stringify(name)}`);
}

/** The domain a name belongs to for --local: drop the leading `_service._proto.` labels and the host label. */
function parentDomain(name: string): string {
  const labels = name.split('.').filter((l) => !l.startsWith('_'));
  return labels.length > 2 ? labels.slice(1).join('.') : labels.join('.');
}

/** Command-line arguments for the records (exported for the harness's own tests). */
export function dnsmasqRecordArgs(options: Pick<DnsmasqOptions, 'hosts' | 'srv' | 'naptr' | 'localDomains'>): string[] {
  const args: string[] = [];
  const names: string[] = [];
  for (const [host, value] of Object.entries(options.hosts ?? {})) {
    checkName(host);
    names.push(host);
    // One option per address: a single --host-record keeps only one IPv4 and one IPv6 address.
    for (const address of typeof value === 'string' ? [value] : value) args.push(`--host-record=${host},${address}`);
  }
  for (const srv of options.srv ?? []) {
    checkName(srv.name);
    checkName(srv.target);
    names.push(srv.name);
    args.push(`--srv-host=${srv.name},${srv.target},${srv.port},${srv.priority ?? 10},${srv.weight ?? 10}`);
  }
  for (const n of options.naptr ?? []) {
    checkName(n.name);
    if (n.replacement !== '.') checkName(n.replacement);
    if (/[,"]/.test(`${n.flags}${n.service}${n.regexp ?? ''}`)) throw new Error('dnsmasq: NAPTR fields cannot hold commas or quotes');
    names.push(n.name);
    args.push(`--naptr-record=${n.name},${n.order},${n.preference},${n.flags},${n.service},${n.regexp ?? ''},${n.replacement}`);
  }
  const locals = new Set(options.localDomains ?? names.map(parentDomain));
  for (const domain of locals) {
    checkName(domain);
    args.push(`--local=/${domain}/`);
  }
  return args;
}

export async function startDnsmasq(options: DnsmasqOptions = {}): Promise<Dnsmasq> {
  const unavailable = dnsmasqUnavailable();
  if (unavailable) throw new Error(`dnsmasq: cannot run: ${unavailable}`);
  const address = options.address ?? loopbackAddress();
  assertLoopback(address);
  const port = options.port ?? (await freePort(address));
  const dir = peerTempDir('dnsmasq');
  const args = [
    '--keep-in-foreground',
    '--conf-file=/dev/null',
    '--no-resolv',
    '--no-hosts',
    '--no-poll',
    '--no-negcache',
    '--bind-interfaces',
    `--listen-address=${address}`,
    `--port=${port}`,
    // Runs as root; dnsmasq would otherwise switch to a "dnsmasq" user the dnsmasq-base package may lack.
    '--user=root',
    '--group=root',
    '--pid-file=',
    '--log-facility=-',
    ...(options.logQueries === false ? [] : ['--log-queries']),
    ...(options.localTtlS === undefined ? [] : [`--local-ttl=${Math.max(0, Math.floor(options.localTtlS))}`]),
    ...dnsmasqRecordArgs(options),
  ];
  const peer = new PeerProcess('dnsmasq', DNSMASQ_BINARY, args, { cwd: dir, logFile: join(dir, 'dnsmasq.log') });
  const server = `${address}:${port}`;
  const resolver = (): Resolver => {
    const r = new Resolver({ timeout: 500, tries: 2 });
    // Queries leave from the server's own loopback address, not from a wildcard-bound socket.
    r.setLocalAddress(address);
    r.setServers([server]);
    return r;
  };
  try {
    await waitFor(`dnsmasq on ${server}`, async () => {
      if (peer.status) throw new Error(`dnsmasq exited (code ${peer.status.code}) during start-up; log ${peer.logFile}:\n${peer.output().slice(-2000)}`);
      if (!/started, version/.test(peer.output())) return undefined;
      // Ready when it answers: a query for a name nobody defined gets NXDOMAIN or REFUSED, not a timeout.
      try {
        await resolver().resolve4('vphone-readiness-probe.invalid');
        return true;
      } catch (error) {
        const code = (error as { code?: string }).code;
        return code === 'ENOTFOUND' || code === 'EREFUSED' || code === 'ENODATA' ? true : undefined;
      }
    }, options.startTimeoutMs ?? 5000, 20);
  } catch (error) {
    await peer.stop();
    if (!keepLogsFromEnv()) removeTempDir(dir);
    throw error;
  }
  let stopped = false;
  return {
    address,
    port,
    server,
    dir,
    pid: peer.pid,
    resolver,
    logs: () => peer.output(),
    stop: async (stopOptions = {}) => {
      if (stopped) return;
      stopped = true;
      await peer.stop();
      await delay(5);
      if (options.port === undefined) releasePort(address, port);
      if (!(stopOptions.keepLogs ?? false) && !keepLogsFromEnv()) removeTempDir(dir);
    },
  };
}
