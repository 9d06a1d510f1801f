// One SIP line of a device, assembled from its canonical settings: transport on the line's own
// port (KX-UT670 5.8.2 SIP_SRC_PORT_n), transaction layer with the line's timers, UA core, and
// the PhoneLine face the call layer uses. Registration is attached by the SIP service.
import type { Clock } from '../src/core/clock.js';
import type { Logger } from '../src/core/logger.js';
import { failure, ok, type Result } from '../src/core/result.js';
import type { LineSettings } from '../src/settings/canonical.js';
import { TransactionLayer, type Peer, type TransportName } from '../src/sip/transaction/transaction-layer.js';
import type { TransactionTimers } from '../src/sip/transaction/types.js';
import { sourceAddressFilter, ssafServers, TcpTransport, UdpTransport, type SipTransport } from '../src/sip/transport/index.js';
import { UserAgent } from '../src/sip/ua/user-agent.js';
import type { InviteSession } from '../src/sip/ua/invite-session.js';
import type { SdpPolicy } from '../src/sip/sdp/index.js';
import { dialTarget } from '../src/phone/dial-target.js';
import type { CallTarget, LineStatus, PhoneLine, RegistrationState } from '../src/phone/phone-line.js';

export interface SipLineOptions {
  readonly number: number;
  readonly settings: LineSettings;
  readonly address: string;
  /** Bound port: the line's SIP_SRC_PORT_n shifted by the device's --sip-port, or 0 (tests). */
  readonly port: number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly userAgent: string;
  readonly sdpPolicy: () => SdpPolicy;
  /** Resolves a next hop to addresses (IP literals directly; names by DNS). */
  readonly resolve: (host: string, port: number | undefined, transport: TransportName) => Promise<Peer[]>;
  readonly onInvite: (line: number, session: InviteSession, source: Peer) => void;
}

/** KX-UT670 5.8.2 SIP_TIMER_T1_n… SIP_TIMER_J_n: the line's RFC 3261 timer values. */
export function lineTimers(s: LineSettings): TransactionTimers {
  return { ...s.timers };
}

export class SipLine implements PhoneLine {
  readonly number: number;
  readonly address: string;
  readonly transport: SipTransport;
  readonly from: string;
  /** Our Contact, known once the port is bound. */
  contact = '';
  private started: { layer: TransactionLayer; ua: UserAgent } | undefined;
  readonly user: string;
  registration: { state: RegistrationState; reason: string; status?: number; expiresS?: number; registrar?: string } = { state: 'disabled', reason: 'no registrar configured' };

  constructor(private readonly options: SipLineOptions) {
    const s = options.settings;
    this.number = options.number;
    this.address = options.address;
    const servers = ssafServers(s);
    const common = {
      address: options.address,
      port: options.port,
      clock: options.clock,
      logger: options.logger,
      addRport: s.addRport,
      ...(servers ? { allowedSources: sourceAddressFilter(servers) } : {}),
    };
    // DEVIATION: TLS lines run over TCP until certificates are provisioned (no certificate store yet).
    this.transport = s.transport === 'udp' ? new UdpTransport(common) : new TcpTransport(common);
    this.user = s.phoneNumber || s.authId || `line${options.number}`;
    const domain = s.serviceDomain || s.registrar.host || options.address;
    const display = s.displayName ? `"${s.displayName.replace(/["\\]/g, '')}" ` : '';
    this.from = `${display}<sip:${this.user}@${domain.includes(':') ? `[${domain}]` : domain}>`;
  }

  get layer(): TransactionLayer {
    if (!this.started) throw new Error(`line ${this.number}: not started`);
    return this.started.layer;
  }

  get ua(): UserAgent {
    if (!this.started) throw new Error(`line ${this.number}: not started`);
    return this.started.ua;
  }

  /** Binds the line's port, then builds the layers whose Contact names it. */
  async start(): Promise<void> {
    const options = this.options;
    await this.transport.start();
    const timers = lineTimers(options.settings);
    const layer: TransactionLayer = new TransactionLayer({
      clock: options.clock,
      send: (m, p) => this.transport.send(m, p),
      tu: { onRequest: (r, tx, src) => ua.onRequest(r, tx, src), onStrayResponse: (r) => ua.onStrayResponse(r) },
      serverTimers: () => timers,
    });
    const t = this.transport.protocol === 'udp' ? (options.settings.addTransportUdp ? ';transport=udp' : '') : `;transport=${this.transport.protocol}`;
    this.contact = `<sip:${this.user}@${hostPort(this.address, this.transport.local.port)}${t}>`;
    const ua: UserAgent = new UserAgent({
      layer,
      clock: options.clock,
      timers,
      via: (branch) => this.transport.via(branch),
      contact: this.contact,
      userAgent: options.userAgent,
      onInvite: (session, source) => options.onInvite(options.number, session, source),
    });
    this.transport.events.on('message', ({ message, source }) => layer.receive(message, source));
    this.started = { layer, ua };
  }

  async stop(): Promise<void> {
    await this.transport.close();
  }

  sdpPolicy(): SdpPolicy {
    return this.options.sdpPolicy();
  }

  async route(dialled: string): Promise<Result<CallTarget>> {
    const s = this.options.settings;
    const target = dialTarget(dialled, { serviceDomain: s.serviceDomain, registrar: s.registrar, proxy: s.proxy, outboundProxy: s.outboundProxy, userPhone: s.addUserPhone });
    if (!target.ok) return target;
    const { host, port } = target.value.nextHop;
    const peers = await this.options.resolve(host, port, this.transport.protocol);
    const peer = peers[0];
    if (!peer) return failure('CALL_NO_ROUTE', `call: cannot resolve ${host}`);
    return ok({ uri: target.value.uri, to: target.value.to, peer });
  }

  status(): LineStatus {
    const s = this.options.settings;
    const aor = s.phoneNumber || s.authId ? `sip:${this.user}@${s.serviceDomain || s.registrar.host}` : '';
    return {
      line: this.number,
      enabled: true,
      aor,
      registration: this.registration,
      local: { address: this.address, port: this.transport.local.port, transport: this.transport.protocol },
    };
  }
}

function hostPort(address: string, port: number): string {
  const host = address.includes(':') ? `[${address}]` : address;
  return port ? `${host}:${port}` : host;
}
