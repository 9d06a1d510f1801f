// /api/v1/lines and /api/v1/calls (ARCHITECTURE.md control API): line registration states, the
// calls with their state, remote party, codec and RTP statistics, and the actions on a call.
import type { Request, Response, Router } from 'express';
import type { Failure } from '../core/result.js';
import { CALL_ACTIONS, type CallAction, type TelephonyApi } from '../phone/telephony-api.js';
import { errorResponse, jsonResponse, type OpenApiRegistry } from './openapi.js';

const lineSchema = {
  type: 'object',
  properties: {
    line: { type: 'integer' },
    enabled: { type: 'boolean' },
    aor: { type: 'string' },
    registration: {
      type: 'object',
      properties: {
        state: { type: 'string', enum: ['unregistered', 'registering', 'registered', 'unregistering', 'failed', 'disabled'] },
        reason: { type: 'string' },
        status: { type: 'integer' },
        expiresS: { type: 'integer' },
        registrar: { type: 'string' },
      },
    },
    local: { type: 'object', properties: { address: { type: 'string' }, port: { type: 'integer' }, transport: { type: 'string' } } },
  },
};

const callSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    line: { type: 'integer' },
    direction: { type: 'string', enum: ['outgoing', 'incoming'] },
    state: { type: 'string', enum: ['calling', 'ringback', 'ringing', 'connected', 'held', 'ended'] },
    remote: { type: 'object', properties: { uri: { type: 'string' }, displayName: { type: 'string' } } },
    callId: { type: 'string' },
    codec: { type: 'string' },
    waiting: { type: 'boolean', description: 'It rang while another call was active (call waiting)' },
    conference: { type: 'string', description: 'The other call of the conference this call is in ("server" on the conference server call)' },
    transfer: {
      type: 'object',
      description: 'A transfer of this call (REFER sent) and its sipfrag progress',
      properties: { kind: { type: 'string', enum: ['blind', 'attended'] }, target: { type: 'string' }, state: { type: 'string', enum: ['trying', 'done', 'failed'] }, status: { type: 'integer' } },
    },
    replaces: { type: 'string', description: 'The call this one replaced (INVITE with Replaces)' },
    referredBy: { type: 'string', description: 'Who asked for this call (REFER received)' },
    remoteHold: { type: 'boolean' },
    muted: { type: 'boolean' },
    endReason: { type: 'string' },
    endStatus: { type: 'integer' },
    rtp: { type: 'object', description: 'RTP statistics of the call' },
  },
};

/** HTTP status for a call-control failure code. */
function statusOf(error: Failure): number {
  if (error.code === 'CALL_NOT_FOUND') return 404;
  if (error.code === 'CALL_ENDED' || error.code === 'CALL_BAD_STATE' || error.code === 'CALL_BUSY') return 409;
  if (error.code === 'CALL_NO_LINE' || error.code === 'CALL_NO_ROUTE') return 422;
  return 400;
}

function fail(res: Response, error: Failure): void {
  res.status(statusOf(error)).json({ error });
}

export function addTelephonyRoutes(router: Router, phone: () => TelephonyApi | undefined, openapi: OpenApiRegistry): void {
  const withPhone = (res: Response): TelephonyApi | undefined => {
    const p = phone();
    if (!p) res.status(503).json({ error: { code: 'PHONE_NOT_READY', message: 'call control is not running (device booting or stopped)' } });
    return p;
  };

  openapi.route(router, 'get', '/lines', { summary: 'Each line: account, registration state and reason', tags: ['calls'], responses: { '200': jsonResponse('Lines', { type: 'array', items: lineSchema }) } }, (_req: Request, res: Response) => {
    const p = withPhone(res);
    if (p) res.json(p.lineStatuses());
  });

  openapi.route(router, 'get', '/calls', { summary: 'Current and recently ended calls', tags: ['calls'], responses: { '200': jsonResponse('Calls', { type: 'array', items: callSchema }) } }, (_req: Request, res: Response) => {
    const p = withPhone(res);
    if (p) res.json(p.listCalls());
  });

  openapi.route(
    router,
    'post',
    '/calls',
    {
      summary: 'Place a call: a number (dialled on the line), a SIP URI or an IP address',
      tags: ['calls'],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['to'], properties: { to: { type: 'string' }, line: { type: 'integer' } } } } } },
      responses: { '201': jsonResponse('The new call', callSchema), '400': errorResponse('Bad request'), '422': errorResponse('No usable line or route') },
    },
    async (req: Request, res: Response) => {
      const p = withPhone(res);
      if (!p) return;
      const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as { to?: unknown; line?: unknown };
      if (typeof body.to !== 'string') return void res.status(400).json({ error: { code: 'BAD_REQUEST', message: 'body must be JSON {"to": "...", "line"?: n}' } });
      if (body.line !== undefined && !(Number.isInteger(body.line) && (body.line as number) >= 1)) {
        return void res.status(400).json({ error: { code: 'BAD_REQUEST', message: '"line" must be a line number (1, 2, ...)' } });
      }
      const r = await p.dial(body.to, body.line as number | undefined);
      if (!r.ok) return fail(res, r.error);
      res.status(201).json(r.value);
    },
  );

  openapi.route(
    router,
    'get',
    '/calls/:id',
    { summary: 'One call', tags: ['calls'], parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': jsonResponse('The call', callSchema), '404': errorResponse('No such call') } },
    (req: Request, res: Response) => {
      const p = withPhone(res);
      if (!p) return;
      const call = p.listCalls().find((c) => c.id === req.params.id);
      if (!call) return fail(res, { code: 'CALL_NOT_FOUND', message: `call: no call ${String(req.params.id)}` });
      res.json(call);
    },
  );

  openapi.route(
    router,
    'post',
    '/calls/:id/:action',
    {
      summary: `An action on a call: ${CALL_ACTIONS.join(', ')} (dtmf takes {"digits": "..."}; transfer {"to": "..."} blind or {"call": "<id>"} attended; conference {"call": "<id>"})`,
      tags: ['calls'],
      parameters: [
        { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'action', in: 'path', required: true, schema: { type: 'string', enum: [...CALL_ACTIONS] } },
      ],
      requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', properties: { digits: { type: 'string' }, to: { type: 'string' }, call: { type: 'string' } } } } } },
      responses: { '200': jsonResponse('The call after the action', callSchema), '404': errorResponse('No such call or action'), '409': errorResponse('Not possible in the call state') },
    },
    (req: Request, res: Response) => {
      const p = withPhone(res);
      if (!p) return;
      const action = String(req.params.action);
      if (!(CALL_ACTIONS as readonly string[]).includes(action)) {
        return void res.status(404).json({ error: { code: 'CALL_UNKNOWN_ACTION', message: `call: unknown action ${action}; one of ${CALL_ACTIONS.join(', ')}` } });
      }
      const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as { digits?: unknown; to?: unknown; call?: unknown };
      const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
      const r = p.act(String(req.params.id), action as CallAction, { digits: text(body.digits), to: text(body.to), call: text(body.call) });
      if (!r.ok) return fail(res, r.error);
      res.json(r.value);
    },
  );

  // ARCHITECTURE.md: POST /api/v1/keys/{key} {action: press|release|longpress}. The dial pad is
  // emulated (its keys reach call control); the other hardware keys come with the simulated
  // hardware and are answered 404 with that reason until then.
  openapi.route(
    router,
    'post',
    '/keys/:key',
    {
      summary: 'Press a key. Dial-pad keys 0-9, *, #, A-D (URL-encode # as %23): DTMF in a call, else a digit of the number dialled off hook (dial plan, INTDIGIT_TIM)',
      tags: ['calls'],
      parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', properties: { action: { type: 'string', enum: ['press', 'release', 'longpress'] }, line: { type: 'integer' } } } } } },
      responses: { '200': jsonResponse('What the key did', { type: 'object' }), '400': errorResponse('Bad request'), '404': errorResponse('No such key'), '409': errorResponse('On hook, nothing to dial') },
    },
    (req: Request, res: Response) => {
      const p = withPhone(res);
      if (!p) return;
      const key = String(req.params.key);
      const body = (typeof req.body === 'object' && req.body !== null ? req.body : {}) as { action?: unknown; line?: unknown };
      const action = body.action ?? 'press';
      if (action !== 'press' && action !== 'release' && action !== 'longpress') return void res.status(400).json({ error: { code: 'BAD_REQUEST', message: 'action must be press, release or longpress' } });
      if (body.line !== undefined && !(Number.isInteger(body.line) && (body.line as number) >= 1)) return void res.status(400).json({ error: { code: 'BAD_REQUEST', message: '"line" must be a line number (1, 2, ...)' } });
      if (!/^[0-9*#A-Da-d]$/.test(key) || !p.pressKey) {
        return void res.status(404).json({ error: { code: 'KEY_NOT_EMULATED', message: `key ${key}: only the dial pad (0-9 * # A-D) is emulated so far` } });
      }
      // A key's effect happens on press; release is accepted and does nothing more.
      if (action === 'release') return void res.json({ key, action });
      const r = p.pressKey(key, body.line as number | undefined);
      if (!r.ok) return void res.status(r.error.code === 'CALL_ON_HOOK' ? 409 : 400).json({ error: r.error });
      res.json(r.value);
    },
  );
}
