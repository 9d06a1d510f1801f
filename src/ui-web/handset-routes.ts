// /api/v1/handset: what the phone's user hears now in the earpiece or loudspeaker — a call's
// audio, a call-progress tone (dial, ringback, busy, reorder, call waiting, hold, disconnect) or
// silence — and a WAV recording of it (POST /handset/record, then /handset/stop).
import type { Request, Response, Router } from 'express';
import type { Failure } from '../core/result.js';
import { parseRecordRequest } from '../phone/call-audio.js';
import { handsetOf, type HandsetApi } from '../phone/handset/handset-api.js';
import { HANDSET_TONES } from '../phone/handset/handset-state.js';
import type { DeviceApi } from './device-api.js';
import { errorResponse, jsonResponse, type OpenApiRegistry } from './openapi.js';

const statusSchema = {
  type: 'object',
  properties: {
    source: { type: 'string', enum: ['tone', 'call', 'silence'] },
    tone: { type: 'string', enum: [...HANDSET_TONES], description: 'the tone played, or mixed over the call (callWaiting, hold)' },
    call: { type: 'string', description: 'the call heard, or the call the tone is about' },
    calls: { type: 'array', items: { type: 'string' }, description: 'every call mixed (a local conference)' },
    reason: { type: 'string', description: 'dial, message-waiting, calling, ringback, early-media, talk, conference, call-waiting, remote-hold, held, busy, failed, disconnect, after-disconnect, idle' },
    device: { type: 'string', enum: ['handset', 'handsfree', 'none'] },
    hook: { type: 'string', enum: ['on', 'off'] },
    ringType: { type: 'string', description: 'while the ringer plays: the ring type of the ringing call (A12 ring file, KX-UT670 ringtone number)' },
    toneSince: { type: 'number', description: 'device clock ms the tone started' },
    until: { type: 'number', description: 'device clock ms the disconnect tone stops' },
    recording: { type: 'object', properties: { file: { type: 'string' }, durationMs: { type: 'number' }, sampleRate: { type: 'integer' }, startedAt: { type: 'number', description: 'device clock ms of the first sample' } } },
  },
};

function fail(res: Response, status: number, error: Failure): void {
  res.status(status).json({ error });
}

export function addHandsetRoutes(router: Router, api: DeviceApi, openapi: OpenApiRegistry): void {
  const handset = (res: Response): HandsetApi | undefined => {
    const h = handsetOf(api);
    if (!h) fail(res, 503, { code: 'HANDSET_NOT_READY', message: 'the handset is not running (device booting or stopped)' });
    return h;
  };
  const bodyOf = (req: Request): Record<string, unknown> => (typeof req.body === 'object' && req.body !== null && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {});

  openapi.route(
    router,
    'get',
    '/handset',
    { summary: 'What the user hears now: a call, a tone or silence, on the handset or hands-free', tags: ['audio'], responses: { '200': jsonResponse('Handset status', statusSchema), '503': errorResponse('Not running') } },
    (_req: Request, res: Response) => {
      const h = handset(res);
      if (h) res.json(h.status());
    },
  );

  openapi.route(
    router,
    'post',
    '/handset/record',
    {
      summary: 'Record what the user hears: {file?: name.wav (saved under recordings/ of the data directory at stop; else returned by stop), maxSeconds?}',
      tags: ['audio'],
      requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', properties: { file: { type: 'string' }, maxSeconds: { type: 'number' } } } } } },
      responses: { '200': jsonResponse('Handset status', statusSchema), '400': errorResponse('Bad request (reason given)'), '409': errorResponse('Already recording') },
    },
    (req: Request, res: Response) => {
      const h = handset(res);
      if (!h) return;
      const rec = parseRecordRequest(bodyOf(req));
      if (!rec.ok) return fail(res, 400, rec.error);
      const started = h.record(rec.value);
      if (!started.ok) return fail(res, 409, started.error);
      res.json(h.status());
    },
  );

  openapi.route(
    router,
    'post',
    '/handset/stop',
    {
      summary: 'Stop recording; returns the recording (file path, or base64 WAV)',
      tags: ['audio'],
      responses: {
        '200': jsonResponse('The recording', { type: 'object', properties: { recording: { type: 'object', properties: { durationMs: { type: 'number' }, file: { type: 'string' }, wav: { type: 'string', description: 'base64 WAV' } } } } }),
        '409': errorResponse('Not recording'),
      },
    },
    (_req: Request, res: Response) => {
      const h = handset(res);
      if (!h) return;
      const stopped = h.stop();
      if (!stopped.ok) return fail(res, 500, stopped.error);
      if (!stopped.value) return fail(res, 409, { code: 'AUDIO_NOT_RECORDING', message: 'handset: no recording runs' });
      res.json({ recording: stopped.value });
    },
  );
}
