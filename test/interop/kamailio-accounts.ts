// Line 1 of a device registered on the test Kamailio with one account: the KX-UT670's registrar
// and proxy (5.8.2 SIP_RGSTR_ADDR_n, SIP_PRXY_ADDR_n) or the A12's SIP server (9.12), as the
// manual names the settings.
import type { Kamailio } from '../peers/index.js';
import type { TestPhone } from '../phone/in-call-devices.js';

export interface Account {
  readonly user: string;
  readonly password: string;
}

export function kxAccount(kam: Kamailio, u: Account): Record<string, string> {
  return {
    SIP_RGSTR_ADDR_1: kam.address,
    SIP_RGSTR_PORT_1: String(kam.port),
    SIP_PRXY_ADDR_1: kam.address,
    SIP_PRXY_PORT_1: String(kam.port),
    PHONE_NUMBER_1: u.user,
    SIP_AUTHID_1: u.user,
    SIP_PASS_1: u.password,
  };
}

export function a12Account(kam: Kamailio, u: Account): Record<string, string> {
  return {
    'SIP1 Enable Reg': '1',
    'SIP1 Phone Number': u.user,
    'SIP1 Register Addr': kam.address,
    'SIP1 Register Port': String(kam.port),
    'SIP1 Register User': u.user,
    'SIP1 Register Pswd': u.password,
  };
}

/** Line 1 of `p` is registered. */
export const registered = (p: TestPhone): boolean => p.phone.lineStatuses()[0]!.registration.state === 'registered';
