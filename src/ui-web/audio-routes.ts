// /api/v1/audio (ARCHITECTURE.md control API): play a WAV file, a tone or silence into a call,
// record what the call receives, stop either, and read what plays, what records, the received
// level and whose identity mark is heard. Files stay inside the device's data and media
// directories (src/phone/call-audio.ts); bad input is a 400 with the reason.
import type { Request, Response, Router } from 'express';
import type { Failure } from '../core/result.js';
import { callAudio, parsePlayRequest, parseRecordRequest, parseStopWhat, type AudioFiles, type CallAudio } from '../phone/call-audio.js';
import type { DeviceApi } from './device-api.js';
import { errorResponse, jsonResponse, type OpenApiRegistry } from './openapi.js';

const heardSchema = {
  type: 'object',
  description: 'Whose identity mark the received audio carries',
  properties: {
    mac: { type: 'string', description: 'MAC of the device heard; absent when none' },
    score: { type: 'number', description: 'mark score (>= 7 present; noise about 4)' },
    reason: { type: 'string', enum: ['mark', 'silence', 'no-mark'] },
    activeMs: { type: 'number' },
    candidates: { type: 'array', items: { type: 'object', properties: { mac: { type: 'string' }, score: { type: 'number' } } } },
  },
};

const statusSchema = {
  type: 'object',
  properties: {
    call: { type: 'string' },
    playing: { type: 'object', properties: { kind: { type: 'string', enum: ['wav', 'tone'] }, label: { type: 'string' }, loop: { type: 'boolean' }, ended: { type: 'boolean' } } },
    recording: { type: 'object', properties: { file: { type: 'string' }, durationMs: { type: 'number' } } },
    received: { type: 'object', properties: { levelDbfs: { type: 'number' }, peakDbfs: { type: 'number' }, measuredMs: { type: 'number' }, heard: heardSchema } },
  },
};

const body = (schema: object) => ({ required: true, content: { 'application/json': { schema } } });
const callProp = { call: { type: 'string', description: 'call id of /api/v1/calls' } };

function fail(res: Response, status: number, error: Failure): void {
  res.status(status).json({ error });
}

export function addAudioRoutes(router: Router, api: DeviceApi, openapi: OpenApiRegistry): void {
  const files = (): AudioFiles => api.audioFiles?.() ?? { dataDir: '/nonexistent' };

  /** The call's audio, or an error response (503 no phone, 400 no call id, 404 unknown, 409 ended). */
  const audioOf = (res: Response, id: unknown): CallAudio | undefined => {
    const phone = api.telephony?.();
    if (!phone?.call) return void fail(res, 503, { code: 'PHONE_NOT_READY', message: 'call control is not running (device booting or stopped)' });
    if (typeof id !== 'string' || id === '') return void fail(res, 400, { code: 'AUDIO_BAD_REQUEST', message: 'audio: "call" (a call id of /api/v1/calls) is required' });
    const call = phone.call(id);
    if (!call) return void fail(res, 404, { code: 'CALL_NOT_FOUND', message: `call: no call ${id}` });
    if (!call.active) return void fail(res, 409, { code: 'CALL_ENDED', message: `call: call ${id} has ended` });
    return callAudio(call.media, files());
  };
  const bodyOf = (req: Request): Record<string, unknown> => (typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {});

  openapi.route(
    router,
    'get',
    '/audio',
    {
      summary: 'What each active call plays and records, its received level and whose identity mark it hears (?call=ID for one)',
      tags: ['audio'],
      parameters: [{ name: 'call', in: 'query', required: false, schema: { type: 'string' } }],
      responses: { '200': jsonResponse('Audio status', { oneOf: [statusSchema, { type: 'array', items: statusSchema }] }), '404': errorResponse('No such call') },
    },
    (req: Request, res: Response) => {
      const phone = api.telephony?.();
      if (req.query.call !== undefined) {
        const a = audioOf(res, req.query.call);
        if (a) res.json({ call: req.query.call, ...a.status() });
        return;
      }
      if (!phone?.call) return fail(res, 503, { code: 'PHONE_NOT_READY', message: 'call control is not running (device booting or stopped)' });
      const out = [];
      for (const c of phone.listCalls()) {
        const call = phone.call(c.id);
        if (call?.active) out.push({ call: c.id, ...callAudio(call.media, files()).status() });
      }
      res.json(out);
    },
  );

  openapi.route(
    router,
    'post',
    '/audio/play',
    {
      summary: 'Play into a call: {call, wav: path-or-base64 | {path} | {base64}, loop?} or {call, tone: Hz | [Hz] | {frequencies, levelDbm0?, onMs?, offMs?}, loop?} or {call, silence: true}',
      tags: ['audio'],
      requestBody: body({
        type: 'object',
        required: ['call'],
        properties: { ...callProp, wav: {}, tone: {}, silence: { type: 'boolean' }, loop: { type: 'boolean' } },
      }),
      responses: { '200': jsonResponse('Audio status', statusSchema), '400': errorResponse('Bad request (reason given)'), '404': errorResponse('No such call') },
    },
    (req: Request, res: Response) => {
      const b = bodyOf(req);
      const a = audioOf(res, b.call);
      if (!a) return;
      const play = parsePlayRequest(b, files());
      if (!play.ok) return fail(res, 400, play.error);
      a.start(play.value);
      res.json({ call: b.call, ...a.status() });
    },
  );

  openapi.route(
    router,
    'post',
    '/audio/record',
    {
      summary: 'Record what a call receives: {call, file?: name.wav (saved under recordings/ of the data directory at stop; else returned by stop), maxSeconds?}',
      tags: ['audio'],
      requestBody: body({ type: 'object', required: ['call'], properties: { ...callProp, file: { type: 'string' }, maxSeconds: { type: 'number' } } }),
      responses: { '200': jsonResponse('Audio status', statusSchema), '400': errorResponse('Bad request (reason given)'), '409': errorResponse('Already recording') },
    },
    (req: Request, res: Response) => {
      const b = bodyOf(req);
      const a = audioOf(res, b.call);
      if (!a) return;
      const rec = parseRecordRequest(b);
      if (!rec.ok) return fail(res, 400, rec.error);
      const started = a.record(rec.value);
      if (!started.ok) return fail(res, 409, started.error);
      res.json({ call: b.call, ...a.status() });
    },
  );

  openapi.route(
    router,
    'post',
    '/audio/stop',
    {
      summary: 'Stop playing and/or recording: {call, what?: play|record|all}; returns the recording (file path, or base64 WAV)',
      tags: ['audio'],
      requestBody: body({ type: 'object', required: ['call'], properties: { ...callProp, what: { type: 'string', enum: ['play', 'record', 'all'] } } }),
      responses: {
        '200': jsonResponse('What stopped and the recording', {
          type: 'object',
          properties: { stopped: { type: 'object' }, recording: { type: 'object', properties: { durationMs: { type: 'number' }, file: { type: 'string' }, wav: { type: 'string', description: 'base64 WAV' } } } },
        }),
        '400': errorResponse('Bad request (reason given)'),
      },
    },
    (req: Request, res: Response) => {
      const b = bodyOf(req);
      const what = parseStopWhat(b.what);
      if (!what.ok) return fail(res, 400, what.error);
      const a = audioOf(res, b.call);
      if (!a) return;
      const stopped = a.stop(what.value);
      if (!stopped.ok) return fail(res, 500, stopped.error);
      res.json({ call: b.call, ...stopped.value });
    },
  );
}
