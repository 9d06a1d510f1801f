// /api/v1/mwi, /api/v1/blf and /api/v1/buttons: message waiting per line (KX-UT670 5.6.1
// VM_SUBSCRIBE_ENABLE), the lamp of each BLF button (6.1), and the voice-mail key and button
// presses that dial VM_NUMBER_n or a button's number (6.2, 6.1 One-touch).
import type { Request, Response, Router } from 'express';
import type { Result } from '../core/result.js';
import type { PresenceApi } from '../phone/presence/presence-api.js';
import type { VoiceMailDial } from '../phone/presence/voice-mail.js';
import type { TelephonyApi } from '../phone/telephony-api.js';
import { errorResponse, jsonResponse, type OpenApiRegistry } from './openapi.js';

const mwiSchema = {
  type: 'object',
  properties: {
    line: { type: 'integer' },
    messagesWaiting: { type: 'boolean' },
    newMessages: { type: 'integer' },
    oldMessages: { type: 'integer' },
    newUrgent: { type: 'integer' },
    oldUrgent: { type: 'integer' },
    account: { type: 'string' },
    source: { type: 'string', enum: ['subscription', 'unsolicited'] },
    subscription: { type: 'string', enum: ['off', 'waiting-for-registration', 'subscribing', 'pending', 'active', 'waiting', 'unsubscribing', 'terminated'] },
    reason: { type: 'string' },
  },
};

const blfSchema = {
  type: 'object',
  properties: {
    button: { type: 'integer' },
    target: { type: 'string' },
    label: { type: 'string' },
    line: { type: 'integer' },
    lamp: { type: 'string', enum: ['idle', 'ringing', 'busy', 'unknown'] },
    subscription: { type: 'string' },
    reason: { type: 'string' },
    dialogs: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, state: { type: 'string' }, direction: { type: 'string' }, remote: { type: 'string' } } } },
  },
};

const buttonSchema = {
  type: 'object',
  properties: { button: { type: 'integer' }, kind: { type: 'string', enum: ['blf', 'one-touch'] }, target: { type: 'string' }, label: { type: 'string' }, line: { type: 'integer' } },
};

const NOT_READY = { code: 'PHONE_NOT_READY', message: 'the SIP service is not running (device booting or stopped)' };

export function addPresenceRoutes(router: Router, presence: () => PresenceApi | undefined, phone: () => TelephonyApi | undefined, openapi: OpenApiRegistry): void {
  const withPresence = (res: Response): PresenceApi | undefined => {
    const p = presence();
    if (!p) res.status(503).json({ error: NOT_READY });
    return p;
  };

  /** Dials what `pick` chose; 404 for an unknown button, 422 without a number. */
  const dial = async (res: Response, pick: Result<VoiceMailDial>): Promise<void> => {
    if (!pick.ok) return void res.status(pick.error.code === 'BUTTON_NOT_FOUND' ? 404 : 422).json({ error: pick.error });
    const t = phone();
    if (!t) return void res.status(503).json({ error: NOT_READY });
    const call = await t.dial(pick.value.number, pick.value.line);
    if (!call.ok) return void res.status(422).json({ error: call.error });
    res.status(201).json(call.value);
  };

  const lists: ReadonlyArray<readonly [string, string, object, (p: PresenceApi) => unknown]> = [
    ['/mwi', 'Message waiting per line: LED state, new/old voice messages, subscription state', mwiSchema, (p) => p.mwi()],
    ['/blf', 'Each BLF button: watched number, lamp (idle, ringing, busy, unknown) and subscription state', blfSchema, (p) => p.blf()],
    ['/buttons', 'BLF and One-touch buttons with the number a press dials', buttonSchema, (p) => p.buttons()],
  ];
  for (const [path, summary, items, list] of lists) {
    openapi.route(router, 'get', path, { summary, tags: ['presence'], responses: { '200': jsonResponse('List', { type: 'array', items }) } }, (_req: Request, res: Response) => {
      const p = withPresence(res);
      if (p) res.json(list(p));
    });
  }

  openapi.route(
    router,
    'post',
    '/mwi/dial',
    {
      summary: 'The voice-mail key: call VM_NUMBER_n of the given line, else of the first line with messages waiting, else of the default line',
      tags: ['presence'],
      requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', properties: { line: { type: 'integer' } } } } } },
      responses: { '201': jsonResponse('The call', { type: 'object' }), '422': errorResponse('No voice-mail number or no route') },
    },
    async (req: Request, res: Response) => {
      const p = withPresence(res);
      if (!p) return;
      const line = (typeof req.body === 'object' && req.body !== null ? (req.body as { line?: unknown }).line : undefined) ?? undefined;
      if (line !== undefined && !(Number.isInteger(line) && (line as number) >= 1)) return void res.status(400).json({ error: { code: 'BAD_REQUEST', message: '"line" must be a line number (1, 2, ...)' } });
      await dial(res, p.voiceMail(line as number | undefined));
    },
  );

  openapi.route(
    router,
    'post',
    '/buttons/:button/dial',
    {
      summary: 'Press a BLF or One-touch button: call its number on its line',
      tags: ['presence'],
      parameters: [{ name: 'button', in: 'path', required: true, schema: { type: 'integer' } }],
      responses: { '201': jsonResponse('The call', { type: 'object' }), '404': errorResponse('No such button'), '422': errorResponse('No route') },
    },
    async (req: Request, res: Response) => {
      const p = withPresence(res);
      if (p) await dial(res, p.buttonDial(Number(req.params.button)));
    },
  );
}
