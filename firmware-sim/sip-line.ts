// One SIP line of a device, assembled from its canonical settings: transport on the line's own
// port (KX-UT670 5.8.2 SIP_SRC_PORT_n), transaction layer with the line's timers, UA core, and
// the PhoneLine face the call layer uses. Registration is attached by the SIP service.
import { isIP } from 'node:net';
import type { Clock, Timer } from '../src/core/clock.js';
import type { Logger } from '../src/core/logger.js';
import { failure, ok, type Result } from '../src/core/result.js';
import type { LineSettings } from '../src/settings/canonical.js';
import { TransactionLayer, type Peer } from '../src/sip/transaction/transaction-layer.js';
import type { TransactionTimers } from '../src/sip/transaction/types.js';
import { natKeepAliveTarget, sourceAddressFilter, ssafServers, startNatKeepAlive, TcpTransport, TlsTransport, UdpTransport, type SipTransport } from '../src/sip/transport/index.js';
import { UserAgent } from '../src/sip/ua/user-agent.js';
import type { InviteSession } from '../src/sip/ua/invite-session.js';
import type { SdpPolicy } from '../src/sip/sdp/index.js';
import { DigestClient } from '../src/sip/auth/digest-client.js';
import { FailoverTargets, locateTargets, registrationFailoverSpec, type SipResolver } from '../src/sip/dns/index.js';
import { RegistrationDriver, registrationConfigFromLine, type RegistrationEvent } from '../src/sip/registration/index.js';
import type { SessionOptions } from '../src/sip/ua/session-options.js';
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
  /** Allow-Events on the line's messages: KX-UT670 5.6.1 TALK_PACKAGE ("talk"), HOLD_PACKAGE ("hold"). */
  readonly allowEvents?: readonly string[];
  readonly sdpPolicy: () => SdpPolicy;
  /** The device certificate for TLS lines (made on first use). */
  readonly tlsIdentity: () => { key: string; cert: string };
  /** The device's DNS (RFC 3263 lookups for servers and dialled names). */
  readonly resolver: SipResolver;
  readonly onInvite: (line: number, session: InviteSession, source: Peer) => void;
  /** The line's registration state changed (device event `line`). */
  readonly onStatus: (status: LineStatus) => void;
}

/** KX-UT670 5.8.2 SIP_100REL_ENABLE_n, SIP_18X_RTX_INTVL_n, SIP_SESSION_*_n, SIP_INVITE_EXPIRE_n. */
export function lineSessionOptions(s: LineSettings): SessionOptions {
  return {
    reliableProvisional: s.rel100,
    provisionalRetransmitS: s.provisionalRetransmitS,
    sessionExpiresS: s.sessionTimer.intervalS,
    sessionMethod: s.sessionTimer.method === 'update' ? 'update' : s.sessionTimer.method === 'auto' ? 'auto' : 'invite',
    refresher: s.sessionTimer.refresher,
    inviteExpiresS: s.inviteExpiresS,
  };
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
  private keepAlive: Timer | undefined;
  /** The server that accepted the last registration (keep-alives go there). */
  private registeredWith: Peer | undefined;
  private started: { layer: TransactionLayer; ua: UserAgent; registration: RegistrationDriver | undefined } | undefined;
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
    if (s.transport === 'tls') {
      // DEVIATION: the peer's certificate is not verified (neither manual has a SIP TLS
      // verification setting; the KX-UT670's HTTP_SSL_VERIFY defaults to 0 for HTTPS too).
      const identity = options.tlsIdentity();
      this.transport = new TlsTransport({ ...common, key: identity.key, cert: identity.cert, rejectUnauthorized: false });
    } else {
      this.transport = s.transport === 'udp' ? new UdpTransport(common) : new TcpTransport(common);
    }
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
    const s = options.settings;
    // SIP_AUTHID_n / SIP_PASS_n answer 401/407 on every request of the line (RFC 3261 §22).
    const digest = s.password !== '' || s.authId !== '' ? new DigestClient({ username: s.authId || s.phoneNumber, password: s.password }) : undefined;
    const ua: UserAgent = new UserAgent({
      layer,
      clock: options.clock,
      timers,
      via: (branch) => this.transport.via(branch),
      contact: this.contact,
      userAgent: options.userAgent,
      ...(options.allowEvents ? { allowEvents: options.allowEvents } : {}),
      session: lineSessionOptions(s),
      ...(digest ? { digest } : {}),
      onInvite: (session, source) => options.onInvite(options.number, session, source),
    });
    this.transport.events.on('message', ({ message, source }) => layer.receive(message, source));
    this.started = { layer, ua, registration: this.createRegistration(layer, timers) };
    this.started.registration?.start();
    this.keepAlive = this.startKeepAlive();
  }

  /** A line with a registrar and an account registers (KX-UT670 4.6.2.1, 5.8.2 REG_*_n). */
  private createRegistration(layer: TransactionLayer, timers: TransactionTimers): RegistrationDriver | undefined {
    const s = this.options.settings;
    const spec = registrationFailoverSpec(s);
    if (!spec || s.registrar.host === '') return undefined;
    const config = registrationConfigFromLine(s, { host: this.address, port: this.transport.local.port, userAgent: this.options.userAgent, line: this.number, ...(this.options.allowEvents ? { allowEvents: this.options.allowEvents } : {}) });
    if (!config.ok) {
      this.registration = { state: 'failed', reason: config.error.message };
      return undefined;
    }
    const failover = new FailoverTargets(spec, { resolver: this.options.resolver });
    const driver = RegistrationDriver.create({ layer, clock: this.options.clock, config: config.value, targets: () => failover.targets(), timers, logger: this.options.logger });
    if (!driver.ok) {
      this.registration = { state: 'failed', reason: driver.error.message };
      return undefined;
    }
    this.registration = { state: 'unregistered', reason: 'starting' };
    driver.value.events.on('state', (e) => this.onRegistration(e));
    return driver.value;
  }

  /**
   * KX-UT670 4.6.2.12 PORT_PUNCH_INTVL_n (UDP only): a keep-alive to the server the line last
   * registered with, else to the configured outbound proxy or registrar when it is an address.
   */
  private startKeepAlive(): Timer | undefined {
    const target = natKeepAliveTarget(this.options.settings);
    if (!target) return undefined;
    const configured: Peer | undefined = isIP(target.host) ? { address: target.host, port: target.port, transport: 'udp' } : undefined;
    return startNatKeepAlive({
      clock: this.options.clock,
      intervalS: this.options.settings.natKeepaliveS,
      send: () => {
        const peer = this.registeredWith ?? configured;
        if (peer) this.transport.keepAlive(peer);
      },
    });
  }

  private onRegistration(e: RegistrationEvent): void {
    const st = e.state;
    if (st.kind === 'registered' && 'target' in st && st.target) this.registeredWith = st.target;
    const target = 'target' in st && st.target ? `${st.target.address}:${st.target.port}` : e.target ? `${e.target.address}:${e.target.port}` : undefined;
    switch (st.kind) {
      case 'registered':
        // A registrar reached through a 3xx names the redirect (e.g. "302 Moved Temporarily from A to B").
        this.registration = { state: 'registered', reason: st.detail ?? e.cause, expiresS: st.expiresS, ...(target ? { registrar: target } : {}) };
        break;
      case 'failed':
        this.registration = { state: 'failed', reason: `${st.reason}: ${st.detail}`, ...(st.status !== undefined ? { status: st.status } : {}), ...(target ? { registrar: target } : {}) };
        break;
      default:
        this.registration = { state: st.kind, reason: (st.kind === 'registering' ? st.detail : undefined) ?? e.cause, ...(target ? { registrar: target } : {}) };
    }
    this.options.onStatus(this.status());
  }

  async stop(): Promise<void> {
    this.keepAlive?.cancel();
    // USE_DEL_REG_CLOSE_n: the driver unregisters first when asked to (bounded by Timer F).
    await this.started?.registration?.stop();
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
    // RFC 3263: a configured server port is the A/AAAA fallback; SRV per SIP_DNSSRV_ENA_n.
    const located = await locateTargets(
      { host, ...(target.value.direct ? { port } : { fallbackPort: port }), transport: this.transport.protocol, srv: { enabled: s.dns.srvEnabled, udpPrefix: s.dns.udpSrvPrefix, tcpPrefix: s.dns.tcpSrvPrefix } },
      this.options.resolver,
    );
    const peer = located.ok ? located.value[0] : undefined;
    if (!peer) return failure('CALL_NO_ROUTE', `call: cannot resolve ${host}${located.ok ? '' : `: ${located.error.message}`}`);
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
