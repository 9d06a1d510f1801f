// A line's RegistrationConfig from the canonical settings (src/settings/canonical.ts), following
// KX-UT670 4.6.2.1 / 4.6.2.4 / 5.8.2: the AOR is SIP_URI_n when set, else
// PHONE_NUMBER_n@SIP_SVCDOMAIN_n (the registrar's address when no service domain is set).
import { failure, ok, type Result } from '../../core/result.js';
import { formatHost } from '../transport/address.js';
import type { LineSettings } from '../../settings/canonical.js';
import { registerTemplate } from './register-request.js';
import type { RegistrationConfig } from './types.js';

/** RFC 3261 §25.1 user = 1*( unreserved / escaped / user-unreserved ): `#` in a phone number becomes %23. */
function escapeUser(user: string): string {
  return user.replace(/[^A-Za-z0-9\-_.!~*'()&=+$,;?/]/g, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
}

/** The settings a registration reads (a subset of LineSettings). */
export type RegistrationLineSettings = Pick<
  LineSettings,
  | 'displayName'
  | 'phoneNumber'
  | 'sipUri'
  | 'authId'
  | 'password'
  | 'serviceDomain'
  | 'transport'
  | 'registrar'
  | 'registration'
  | 'failover'
  | 'addUserPhone'
  | 'addTransportUdp'
>;

export interface LocalContact {
  /** The address and port the line's transport is bound to (or its NAT'ed public one). */
  readonly host: string;
  readonly port: number;
  /** SIP_USER_AGENT with {MODEL}/{fwver}/{mac} already replaced. */
  readonly userAgent?: string;
  readonly allowEvents?: readonly string[];
  readonly line?: number;
}

/**
 * `REG_*` failures name what is missing or malformed, never the password. A config returned here
 * always constructs a Registration.
 */
export function registrationConfigFromLine(settings: RegistrationLineSettings, local: LocalContact): Result<RegistrationConfig> {
  const domainFromRegistrar = settings.serviceDomain === '';
  const domainHost = domainFromRegistrar ? settings.registrar.host : settings.serviceDomain;
  let aor: string;
  let user: string;
  if (settings.sipUri !== '') {
    // KX-UT670 4.6.2.1 SIP URI: "sip:", a user part, "@" and a host part.
    aor = /^sips?:/i.test(settings.sipUri) ? settings.sipUri : `sip:${settings.sipUri}`;
    const m = /^sips?:([^@;?]+)@([^;?>]+)$/i.exec(aor);
    if (m === null) return failure('REG_BAD_URI', `registration: SIP URI '${settings.sipUri}' needs a user and a host`);
    user = m[1]!;
  } else {
    if (settings.phoneNumber === '') return failure('REG_NO_USER', 'registration: neither a phone number nor a SIP URI is set');
    if (domainHost === '') return failure('REG_NO_DOMAIN', 'registration: neither a service domain nor a registrar address is set');
    user = escapeUser(settings.phoneNumber);
    aor = `sip:${user}@${formatHost(domainHost)}`;
  }
  const aorHost = /@([^;?>]+)$/.exec(aor)![1]!;
  // RFC 3261 §10.2: the Request-URI names the domain of the registrar, without user part. A
  // registrar address used as the domain keeps its port when it is not the default.
  const registrarPort = domainFromRegistrar && settings.sipUri === '' && settings.registrar.port !== 5060 ? `:${settings.registrar.port}` : '';
  const config: RegistrationConfig = {
    aor,
    registrarUri: `sip:${aorHost}${registrarPort}`,
    contact: `sip:${user}@${formatHost(local.host)}:${local.port}`,
    displayName: settings.displayName,
    transport: settings.transport,
    ...(settings.password !== '' || settings.authId !== '' ? { credentials: { username: settings.authId !== '' ? settings.authId : user, password: settings.password } } : {}),
    expiresS: settings.registration.expiresS,
    refreshPercent: settings.registration.refreshPercent,
    retryIntervalS: settings.registration.retryIntervalS,
    unregisterOnStart: settings.registration.unregisterOnBoot,
    unregisterOnStop: settings.registration.unregisterOnShutdown,
    addExpiresHeader: settings.registration.addExpiresHeader,
    addTransportUdp: settings.addTransportUdp,
    addUserPhone: settings.addUserPhone,
    failover: { onNoResponse: settings.failover.onNoResponse, maxTargets: settings.failover.maxTargets },
    ...(local.userAgent === undefined ? {} : { userAgent: local.userAgent }),
    ...(local.allowEvents === undefined || local.allowEvents.length === 0 ? {} : { allowEvents: local.allowEvents }),
    ...(local.line === undefined ? {} : { line: local.line }),
  };
  const check = registerTemplate(config, 'check');
  return check.ok ? ok(config) : check;
}
