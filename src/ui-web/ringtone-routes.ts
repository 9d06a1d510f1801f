// /api/v1/ringtones: the ring types of the device (their sounds, ring-types.ts) and, on the A12,
// its uploaded ring files (9.5 "Upgrade the ringtone, support wav and MP3 format"): PUT a WAV
// body (audio/wav) to /ringtones/{name}, kept in the data directory (NVRAM) and played when a
// ring type setting names it (9.12 Ring Type, 9.16 Default Ring Type, Alert Info Ring). Bad WAV
// files are a 400 with the reason. The KX-UT670 has numbered ringtones only (5.6.4: 1–32).
import express, { type Request, type Response, type Router } from 'express';
import { deleteRingFile, listRingFiles, MAX_RING_BYTES, ringFileName, saveRingFile } from '../phone/handset/ring-files.js';
import { A12_DEFAULT_RING, RING_TYPE_COUNT, ringTypeSound, type RingDialect } from '../phone/handset/ring-types.js';
import type { DeviceApi } from './device-api.js';
import { errorResponse, jsonResponse, type OpenApiRegistry, type OperationDoc } from './openapi.js';

const WAV_TYPES = ['audio/wav', 'audio/x-wav', 'audio/wave', 'audio/vnd.wave', 'application/octet-stream'];

const fileSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    sampleRate: { type: 'integer' },
    channels: { type: 'integer' },
    format: { type: 'string', enum: ['pcm8', 'pcm16', 'alaw', 'ulaw'] },
    durationMs: { type: 'number' },
    bytes: { type: 'integer' },
  },
};

const listSchema = {
  type: 'object',
  properties: {
    model: { type: 'string', enum: ['a12', 'kx-ut670'] },
    builtIn: {
      type: 'array',
      description: 'ring types and their sounds (DEVIATION: the manuals give none)',
      items: { type: 'object', properties: { type: { type: 'integer' }, name: { type: 'string' }, frequenciesHz: { type: 'array', items: { type: 'number' } }, cadenceMs: { type: 'array', items: { type: 'number' } } } },
    },
    files: { type: 'array', items: fileSchema, description: 'uploaded ring files (A12)' },
  },
};

const nameParam: OperationDoc['parameters'] = [{ name: 'name', in: 'path', required: true, schema: { type: 'string' }, description: 'ring file name (door.wav), or N for N.wav' }];

/** The A12 (ring files) where the catalogue maps its 9.16 Default Ring Type. */
function dialectOf(api: DeviceApi): RingDialect {
  return api.store.catalogue.defs.some((d) => d.canonical === 'intercom.media.defaultRingType') ? 'a12' : 'kx-ut670';
}

function builtIn(dialect: RingDialect): Array<{ type: number; name: string; frequenciesHz: readonly number[]; cadenceMs: readonly number[] }> {
  return Array.from({ length: RING_TYPE_COUNT }, (_, i) => {
    const sound = ringTypeSound(i + 1)!;
    return { type: i + 1, name: dialect === 'a12' ? `${i + 1}.wav` : String(i + 1), ...sound };
  });
}

export function addRingtoneRoutes(router: Router, api: DeviceApi, openapi: OpenApiRegistry): void {
  const dataDir = (): string | undefined => api.audioFiles?.().dataDir;
  const fail = (res: Response, status: number, code: string, message: string) => void res.status(status).json({ error: { code, message } });
  /** The data directory of a model with ring files, or an error response. */
  const ringFiles = (res: Response): string | undefined => {
    const dir = dataDir();
    if (dialectOf(api) !== 'a12') return void fail(res, 404, 'RINGTONE_UNSUPPORTED', 'ringtone: this model has numbered ringtones (1–32) only, no ring files');
    if (dir === undefined) return void fail(res, 503, 'RINGTONE_NOT_READY', 'ringtone: the device has no data directory');
    return dir;
  };

  openapi.route(
    router,
    'get',
    '/ringtones',
    { summary: 'Ring types (their frequencies and cadences) and the uploaded ring files', tags: ['audio'], responses: { '200': jsonResponse('Ring types', listSchema) } },
    (_req: Request, res: Response) => {
      const dialect = dialectOf(api);
      const dir = dataDir();
      const types = builtIn(dialect);
      if (dialect === 'a12') types.unshift({ ...types[0]!, name: A12_DEFAULT_RING });
      res.json({ model: dialect, builtIn: types, files: dialect === 'a12' && dir !== undefined ? listRingFiles(dir) : [] });
    },
  );

  openapi.route(
    router,
    'put',
    '/ringtones/:name',
    {
      summary: 'Upload an A12 ring file (WAV: PCM 8/16-bit or G.711, 8 or 16 kHz; MP3 is not decoded); replaces one of the same name',
      tags: ['audio'],
      parameters: nameParam,
      requestBody: { required: true, content: { 'audio/wav': { schema: { type: 'string', format: 'binary' } } } },
      responses: { '201': jsonResponse('Stored', fileSchema), '400': errorResponse('Not a playable WAV file, or a bad name'), '404': errorResponse('The model has no ring files'), '415': errorResponse('Not audio/wav') },
    },
    express.raw({ type: () => true, limit: MAX_RING_BYTES }),
    (req: Request, res: Response) => {
      const dir = ringFiles(res);
      if (dir === undefined) return;
      const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!WAV_TYPES.includes(type)) return fail(res, 415, 'RINGTONE_BAD_TYPE', `ringtone: send the WAV file as audio/wav (got ${type || 'no content type'})`);
      const name = ringFileName(String(req.params.name));
      if (!name.ok) return fail(res, 400, name.error.code, name.error.message);
      const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const saved = saveRingFile(dir, name.value, bytes);
      if (!saved.ok) return fail(res, saved.error.code === 'RINGTONE_IO' ? 500 : 400, saved.error.code, saved.error.message);
      res.status(201).json(saved.value);
    },
  );

  openapi.route(
    router,
    'delete',
    '/ringtones/:name',
    { summary: 'Remove an uploaded A12 ring file', tags: ['audio'], parameters: nameParam, responses: { '204': { description: 'Removed' }, '404': errorResponse('No such file') } },
    (req: Request, res: Response) => {
      const dir = ringFiles(res);
      if (dir === undefined) return;
      const name = ringFileName(String(req.params.name));
      if (!name.ok || !deleteRingFile(dir, name.value)) return fail(res, 404, 'RINGTONE_NOT_FOUND', `ringtone: no ring file ${String(req.params.name)}`);
      res.status(204).end();
    },
  );
}
