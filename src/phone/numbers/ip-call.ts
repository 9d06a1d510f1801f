// SIP P2P (IP direct) calls dialled on a keypad (Fanvil A12 9.15 "Allow IP Call", "P2P IP
// Prefix"; 9.14 SIP P2P Settings). A keypad has no ".", so an address is dialled with "*" for
// each dot ("192*168*1*20"), as Fanvil phones do; a stored number (9.25 memory key: "SIP account
// or IP address") may use real dots. With a prefix, "#" and the last part complete it: prefix
// "172.16.2." and "#160" call 172.16.2.160 (9.15's example); "#2*160" with "172.16." too.
// The result is the dotted address (what src/phone/dial-target.ts takes for a direct call) and
// its SIP URI. Anything else is an ordinary number for the line.
//
// Choices: octets are 1–3 digits up to 255 and written back without leading zeros; a keypad form
// carries no port (the manual names none); the A12's default prefix "." adds no octet, so "#160"
// stays a number (a feature code, say) until a real prefix is set.

export interface IpCallSettings {
  /** A12 9.15 "Allow IP Call": "If enabled, user can dial out with IP address". */
  readonly allowIpCall: boolean;
  /** A12 9.15 "P2P IP Prefix", e.g. "172.16.2.". */
  readonly ipPrefix: string;
}

export type IpDial =
  | { readonly kind: 'ip'; readonly address: string; readonly uri: string }
  | { readonly kind: 'number'; readonly number: string };

const OCTET = /^\d{1,3}$/;

function octets(parts: readonly string[]): number[] | undefined {
  const out: number[] = [];
  for (const p of parts) {
    if (!OCTET.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    out.push(v);
  }
  return out;
}

function address(parts: readonly string[]): IpDial | undefined {
  const o = octets(parts);
  if (!o || o.length !== 4) return undefined;
  const dotted = o.join('.');
  return { kind: 'ip', address: dotted, uri: `sip:${dotted}` };
}

/** What a dialled string means on the A12: an IP direct call, or a number for the line. */
export function ipCallTarget(dialled: string, settings: IpCallSettings): IpDial {
  const number: IpDial = { kind: 'number', number: dialled };
  if (!settings.allowIpCall) return number;
  const text = dialled.trim();
  if (text.startsWith('#')) {
    const prefix = settings.ipPrefix.trim().split('.').filter((p) => p !== '');
    return address([...prefix, ...text.slice(1).split(/[*.]/)]) ?? number;
  }
  return address(text.split(/[*.]/)) ?? number;
}
