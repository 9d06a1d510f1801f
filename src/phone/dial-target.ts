// What a dialled string becomes on the wire: the Request-URI and To of the INVITE and the next
// hop to send it to. Pure: DNS resolution of the next hop is the line's business.
//  - a SIP URI (`sip:bob@host`, `bob@host`) is the Request-URI as written, sent through the
//    line's servers when it has any (else to the URI's host);
//  - an IP address (`127.0.0.12`, `127.0.0.12:5062`, `[::1]`) is an IP direct call (A12 9.14
//    SIP P2P; the KX-UT670 dials IP addresses too) — no proxy;
//  - anything else is a number on the line's service domain (KX-UT670 5.8.2 SIP_SVCDOMAIN_n,
//    else the registrar), sent to the outbound proxy, else the proxy, else the registrar
//    (SIP_OUTPROXY_ADDR_n, SIP_PRXY_ADDR_n, SIP_RGSTR_ADDR_n).
import { failure, ok, type Result } from '../core/result.js';
import { parseSipUri } from '../sip/message/index.js';

export interface HostPortSetting {
  readonly host: string;
  readonly port: number;
}

export interface DialContext {
  readonly serviceDomain: string;
  readonly registrar: HostPortSetting;
  readonly proxy: HostPortSetting;
  readonly outboundProxy: HostPortSetting;
  /** Add `user=phone` to numbers (KX-UT670 5.8.2 ADD_USER_PHONE_n). */
  readonly userPhone: boolean;
}

export interface DialTarget {
  readonly uri: string;
  readonly to: string;
  /** Host (name or IP literal, IPv6 without brackets) and port of the next hop; port undefined = resolve by DNS (RFC 3263). */
  readonly nextHop: { readonly host: string; readonly port: number | undefined };
  /** A call straight to an IP address, without the line's servers. */
  readonly direct: boolean;
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const NUMBER = /^[0-9*#+]{1,32}$/;

function splitHostPort(text: string): { host: string; port: number | undefined } | undefined {
  const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(\d{1,5}))?$/.exec(text);
  if (v6) return { host: v6[1]!, port: v6[2] === undefined ? undefined : Number(v6[2]) };
  const v4 = /^([0-9.]+)(?::(\d{1,5}))?$/.exec(text);
  if (v4 && IPV4.test(v4[1]!)) return { host: v4[1]!, port: v4[2] === undefined ? undefined : Number(v4[2]) };
  return undefined;
}

function bracket(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The next hop for a request to `uri` on this line: the outbound proxy wins over the URI (RFC 3261 §8.1.2). */
function hopFor(ctx: DialContext, fallback: { host: string; port: number | undefined }): { host: string; port: number | undefined } {
  if (ctx.outboundProxy.host !== '') return { host: ctx.outboundProxy.host, port: ctx.outboundProxy.port };
  return fallback;
}

export function dialTarget(dialled: string, ctx: DialContext): Result<DialTarget> {
  const text = dialled.trim();
  if (text === '') return failure('CALL_NO_TARGET', 'call: nothing to dial');

  const ip = splitHostPort(text);
  if (ip) {
    if (ip.port !== undefined && (ip.port < 1 || ip.port > 65535)) return failure('CALL_BAD_TARGET', `call: port ${ip.port} out of range`);
    const hostPort = `${bracket(ip.host)}${ip.port === undefined ? '' : `:${ip.port}`}`;
    const uri = `sip:${hostPort}`;
    return ok({ uri, to: `<${uri}>`, nextHop: { host: ip.host, port: ip.port ?? 5060 }, direct: true });
  }

  if (/^sips?:/i.test(text) || text.includes('@')) {
    const uri = parseSipUri(/^sips?:/i.test(text) ? text : `sip:${text}`);
    if (!uri) return failure('CALL_BAD_TARGET', `call: '${text}' is not a valid SIP URI`);
    const written = uri.toString();
    // A line with servers sends every out-of-dialog request through them (the KX-UT670's proxy
    // server, 4.6.2.2; the A12's SIP server), whatever host the URI names — a REFER's Refer-To
    // Contact, a conference room, a dialled URI — as a real phone does behind a PBX. Only a line
    // without servers calls the URI's host directly.
    const server = ctx.proxy.host !== '' ? ctx.proxy : ctx.registrar.host !== '' ? ctx.registrar : undefined;
    return ok({ uri: written, to: `<${written}>`, nextHop: hopFor(ctx, server ? { host: server.host, port: server.port } : { host: uri.hostname, port: uri.port }), direct: false });
  }

  if (!NUMBER.test(text)) return failure('CALL_BAD_TARGET', `call: '${text}' is neither a number (up to 32 of 0-9 * # +), a SIP URI nor an IP address`);
  const domain = ctx.serviceDomain || ctx.registrar.host || ctx.proxy.host;
  if (domain === '') return failure('CALL_NO_ROUTE', `call: the line has no service domain, registrar or proxy to call ${text} through; dial a SIP URI or an IP address`);
  const user = text.replace(/#/g, '%23');
  const uri = `sip:${user}@${bracket(domain)}${ctx.userPhone ? ';user=phone' : ''}`;
  const server = ctx.proxy.host !== '' ? ctx.proxy : ctx.registrar.host !== '' ? ctx.registrar : { host: domain, port: 5060 };
  return ok({ uri, to: `<${uri}>`, nextHop: hopFor(ctx, { host: server.host, port: server.port }), direct: false });
}
