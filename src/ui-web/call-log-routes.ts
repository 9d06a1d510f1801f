// /api/v1/call-log (the phone's call history: GET, DELETE to clear), /api/v1/features (the user's
// feature switches: DND, forward, anonymous…, sent as feature codes where the A12 line says so)
// and PUT /api/v1/hook {offHook} (the hook switch: the A12 hotline). They reach the call layer through the
// telephony API, which carries these as optional capabilities (the Phone has them).
import type { Request, Response, Router } from 'express';
import type { Result } from '../core/result.js';
import { callLogOf, type CallLogKind } from '../phone/call-log.js';
import { PHONE_FEATURES, type PhoneFeature } from '../phone/policy/feature-codes.js';
import type { FeatureOverrides, LineFeatures } from '../phone/policy/line-features.js';
import type { TelephonyApi } from '../phone/telephony-api.js';
import { errorResponse, jsonResponse, type OpenApiRegistry } from './openapi.js';

/** What these routes need of the Phone beyond TelephonyApi. */
interface FeatureApi {
  lineFeatures(line: number): LineFeatures;
  featureOverrides(): FeatureOverrides;
  setFeature(line: number, feature: PhoneFeature, on: boolean, args?: { number?: string; delayS?: number }): Promise<Result<unknown>>;
  setRejectNumbers(numbers: readonly string[]): Result<string[]>;
  offHook(line?: number): Promise<Result<unknown>>;
  onHook(): unknown;
  lineStatuses(): Array<{ line: number }>;
}

function featureApiOf(t: unknown): FeatureApi | undefined {
  return typeof t === 'object' && t !== null && typeof (t as Partial<FeatureApi>).setFeature === 'function' ? (t as FeatureApi) : undefined;
}

const entrySchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    kind: { type: 'string', enum: ['incoming', 'outgoing', 'missed'] },
    line: { type: 'integer' },
    at: { type: 'string', format: 'date-time' },
    remote: { type: 'object', properties: { number: { type: 'string' }, name: { type: 'string' }, uri: { type: 'string' } } },
    durationS: { type: 'integer' },
    outcome: { type: 'string' },
    status: { type: 'integer' },
    callId: { type: 'string' },
  },
};

const notReady = (res: Response) => res.status(503).json({ error: { code: 'PHONE_NOT_READY', message: 'call control is not running (device booting or stopped)' } });
const badRequest = (res: Response, message: string) => res.status(400).json({ error: { code: 'BAD_REQUEST', message } });
const bodyOf = (req: Request): Record<string, unknown> => (typeof req.body === 'object' && req.body !== null ? (req.body as Record<string, unknown>) : {});
const isLine = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1;

export function addCallLogRoutes(router: Router, phone: () => TelephonyApi | undefined, openapi: OpenApiRegistry): void {
  openapi.route(
    router,
    'get',
    '/call-log',
    {
      summary: 'Call history, newest first: incoming (answered), outgoing and missed calls',
      tags: ['calls'],
      parameters: [{ name: 'kind', in: 'query', schema: { type: 'string', enum: ['incoming', 'outgoing', 'missed'] } }],
      responses: { '200': jsonResponse('Entries', { type: 'array', items: entrySchema }) },
    },
    (req: Request, res: Response) => {
      const log = callLogOf(phone());
      if (!log) return void notReady(res);
      const kind = req.query.kind;
      if (kind !== undefined && kind !== 'incoming' && kind !== 'outgoing' && kind !== 'missed') return void badRequest(res, 'kind must be incoming, outgoing or missed');
      res.json(log.list(kind as CallLogKind | undefined));
    },
  );

  openapi.route(router, 'delete', '/call-log', { summary: 'Clear the call history', tags: ['calls'], responses: { '200': jsonResponse('How many entries were removed', { type: 'object', properties: { cleared: { type: 'integer' } } }) } }, (_req: Request, res: Response) => {
    const log = callLogOf(phone());
    if (!log) return void notReady(res);
    res.json({ cleared: log.clear() });
  });

  openapi.route(
    router,
    'get',
    '/features',
    { summary: "Each line's call features as they apply now (settings with the phone's switches on top) and the rejection list", tags: ['calls'], responses: { '200': jsonResponse('Features', { type: 'object' }) } },
    (_req: Request, res: Response) => {
      const p = featureApiOf(phone());
      if (!p) return void notReady(res);
      res.json({ lines: p.lineStatuses().map((l) => ({ line: l.line, ...p.lineFeatures(l.line) })), rejectNumbers: p.featureOverrides().rejectNumbers });
    },
  );

  openapi.route(
    router,
    'post',
    '/features',
    {
      summary: `Switch a feature of a line: ${PHONE_FEATURES.join(', ')}; with the line's feature codes on (A12 9.12) the code is called to the server instead`,
      tags: ['calls'],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['feature', 'on'],
              properties: { feature: { type: 'string', enum: [...PHONE_FEATURES] }, on: { type: 'boolean' }, line: { type: 'integer' }, number: { type: 'string' }, delayS: { type: 'integer' } },
            },
          },
        },
      },
      responses: { '200': jsonResponse('The change: local, or the feature-code call', { type: 'object' }), '400': errorResponse('Bad request'), '422': errorResponse('No such line or number missing') },
    },
    async (req: Request, res: Response) => {
      const p = featureApiOf(phone());
      if (!p) return void notReady(res);
      const b = bodyOf(req);
      if (typeof b.feature !== 'string' || !(PHONE_FEATURES as readonly string[]).includes(b.feature)) return void badRequest(res, `feature must be one of ${PHONE_FEATURES.join(', ')}`);
      if (typeof b.on !== 'boolean') return void badRequest(res, 'on must be true or false');
      if (b.line !== undefined && !isLine(b.line)) return void badRequest(res, 'line must be a line number (1, 2, ...)');
      if (b.number !== undefined && typeof b.number !== 'string') return void badRequest(res, 'number must be a string');
      if (b.delayS !== undefined && !(Number.isInteger(b.delayS) && (b.delayS as number) >= 0 && (b.delayS as number) <= 120)) return void badRequest(res, 'delayS must be 0-120');
      const r = await p.setFeature((b.line as number | undefined) ?? 1, b.feature as PhoneFeature, b.on, { ...(b.number !== undefined ? { number: b.number as string } : {}), ...(b.delayS !== undefined ? { delayS: b.delayS as number } : {}) });
      if (!r.ok) return void res.status(r.error.code === 'CALL_NO_LINE' || r.error.code === 'FEATURE_NO_NUMBER' ? 422 : 400).json({ error: r.error });
      res.json(r.value);
    },
  );

  openapi.route(
    router,
    'put',
    '/features/reject-numbers',
    {
      summary: 'KX-UT670 Call Rejection Phone Numbers: replace the list (up to 30)',
      tags: ['calls'],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'array', items: { type: 'string' } } } } },
      responses: { '200': jsonResponse('The list', { type: 'array', items: { type: 'string' } }), '400': errorResponse('Bad list') },
    },
    (req: Request, res: Response) => {
      const p = featureApiOf(phone());
      if (!p) return void notReady(res);
      if (!Array.isArray(req.body) || !req.body.every((n) => typeof n === 'string')) return void badRequest(res, 'body must be a JSON array of numbers');
      const r = p.setRejectNumbers(req.body as string[]);
      if (!r.ok) return void res.status(400).json({ error: r.error });
      res.json(r.value);
    },
  );

  openapi.route(
    router,
    'put',
    '/hook',
    {
      summary: 'The hook switch (ARCHITECTURE.md contract): {offHook: true} lifts the handset (the A12 hotline dials after its delay), {offHook: false} hangs up (calls in progress end)',
      tags: ['calls'],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['offHook'], properties: { offHook: { type: 'boolean' }, line: { type: 'integer' } } } } } },
      responses: { '200': jsonResponse('Hook state', { type: 'object' }), '400': errorResponse('Bad request') },
    },
    async (req: Request, res: Response) => {
      const p = featureApiOf(phone());
      if (!p) return void notReady(res);
      const b = bodyOf(req);
      if (typeof b.offHook !== 'boolean') return void badRequest(res, 'body must be JSON {"offHook": true|false, "line"?: n}');
      if (b.line !== undefined && !isLine(b.line)) return void badRequest(res, 'line must be a line number (1, 2, ...)');
      if (!b.offHook) return void res.json(p.onHook());
      const r = await p.offHook(b.line as number | undefined);
      if (!r.ok) return void res.status(422).json({ error: r.error });
      res.json(r.value);
    },
  );
}
