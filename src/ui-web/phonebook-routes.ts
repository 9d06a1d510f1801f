// /api/v1/phonebook: the phone's phonebook (KX-UT670 5.6.3: the names that replace caller names;
// limits in src/phone/phonebook/phonebook-entry.ts). List, add, change, delete, and import/export
// as CSV or TSV text. The Fanvil A12 has no phonebook: 404 PHONEBOOK_NOT_SUPPORTED.
import express, { type Request, type Response, type Router } from 'express';
import type { Failure, Result } from '../core/result.js';
import { phonebookOf, type ImportMode, type Phonebook } from '../phone/phonebook/phonebook.js';
import { PHONEBOOK_LIMITS, type PhonebookEntry } from '../phone/phonebook/phonebook-entry.js';
import { detectFormat, formatPhonebookText, parsePhonebookText, type PhonebookTextFormat } from '../phone/phonebook/phonebook-text.js';
import type { TelephonyApi } from '../phone/telephony-api.js';
import { errorResponse, jsonResponse, type OpenApiRegistry } from './openapi.js';

const L = PHONEBOOK_LIMITS;

const entryBodySchema = {
  type: 'object',
  required: ['name', 'numbers'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: L.maxNameLength },
    numbers: { type: 'array', minItems: 1, maxItems: L.maxNumbers, items: { type: 'string', maxLength: L.maxNumberLength, pattern: '^\\+?[0-9*#]+$', description: 'Blanks - . ( ) are accepted and dropped' } },
  },
};
const entrySchema = { ...entryBodySchema, required: ['id', 'name', 'numbers'], properties: { id: { type: 'integer' }, ...entryBodySchema.properties } };
const idParam = { name: 'id', in: 'path' as const, required: true, schema: { type: 'integer', minimum: 1 } };
const formatParam = { name: 'format', in: 'query' as const, schema: { type: 'string', enum: ['csv', 'tsv'] } };

const CONTENT_TYPES: Record<PhonebookTextFormat, string> = { csv: 'text/csv', tsv: 'text/tab-separated-values' };
const IMPORT_LIMIT = '256kb';

const notReady = (res: Response) => res.status(503).json({ error: { code: 'PHONE_NOT_READY', message: 'call control is not running (device booting or stopped)' } });
const badRequest = (res: Response, message: string) => res.status(400).json({ error: { code: 'BAD_REQUEST', message } });
const STATUS: Record<string, number> = { PHONEBOOK_NOT_FOUND: 404, PHONEBOOK_FULL: 409 };
const refused = (res: Response, error: Failure) => res.status(STATUS[error.code] ?? 400).json({ error });

/** The phonebook, or an answer saying why there is none. */
function bookOr(res: Response, phone: TelephonyApi | undefined): Phonebook | undefined {
  if (!phone) return void notReady(res);
  const book = phonebookOf(phone);
  if (!book) res.status(404).json({ error: { code: 'PHONEBOOK_NOT_SUPPORTED', message: 'this model has no phonebook (Fanvil A12: calls show the names the network sends)' } });
  return book;
}

function idOf(req: Request, res: Response): number | undefined {
  const raw = String(req.params.id);
  if (/^[1-9][0-9]{0,8}$/.test(raw)) return Number(raw);
  return void badRequest(res, `id must be a positive integer, not '${raw}'`);
}

function formatOf(value: unknown): PhonebookTextFormat | undefined | 'bad' {
  if (value === undefined) return undefined;
  return value === 'csv' || value === 'tsv' ? value : 'bad';
}

/** Text of an import: a text/* body, or JSON {"text": "..."}. */
function importText(req: Request): string | undefined {
  if (typeof req.body === 'string') return req.body;
  const b = req.body as { text?: unknown } | undefined;
  return typeof b === 'object' && b !== null && typeof b.text === 'string' ? b.text : undefined;
}

/** A handler of /phonebook/:id: the id checked, `act` done, its entry or its refusal answered. */
function onEntry(phone: () => TelephonyApi | undefined, act: (book: Phonebook, id: number, body: unknown) => Result<PhonebookEntry>) {
  return (req: Request, res: Response) => {
    const book = bookOr(res, phone());
    const id = book && idOf(req, res);
    if (!book || id === undefined) return;
    const done = act(book, id, req.body);
    if (!done.ok) return void refused(res, done.error);
    res.json(done.value);
  };
}

export function addPhonebookRoutes(router: Router, phone: () => TelephonyApi | undefined, openapi: OpenApiRegistry): void {
  openapi.route(
    router,
    'get',
    '/phonebook',
    { summary: `The phonebook in the order entries were added (at most ${L.maxEntries})`, tags: ['phonebook'], responses: { '200': jsonResponse('Entries', { type: 'array', items: entrySchema }), '404': errorResponse('The model has no phonebook') } },
    (_req: Request, res: Response) => {
      const book = bookOr(res, phone());
      if (book) res.json(book.list());
    },
  );

  openapi.route(
    router,
    'post',
    '/phonebook',
    {
      summary: `Add an entry: a name of up to ${L.maxNameLength} characters and 1 to ${L.maxNumbers} numbers of up to ${L.maxNumberLength} of 0-9 * # +`,
      tags: ['phonebook'],
      requestBody: { required: true, content: { 'application/json': { schema: entryBodySchema } } },
      responses: { '201': jsonResponse('The entry with its id', entrySchema), '400': errorResponse('A bad field, named in the message'), '409': errorResponse('The phonebook is full') },
    },
    (req: Request, res: Response) => {
      const book = bookOr(res, phone());
      if (!book) return;
      const added = book.add(req.body);
      if (!added.ok) return void refused(res, added.error);
      res.status(201).json(added.value);
    },
  );

  openapi.route(
    router,
    'get',
    '/phonebook/export',
    {
      summary: 'The phonebook as CSV (default) or TSV: a header `name,number1,number2,number3`, then one line per entry',
      tags: ['phonebook'],
      parameters: [formatParam],
      responses: { '200': { description: 'The text', content: { 'text/csv': { schema: { type: 'string' } }, 'text/tab-separated-values': { schema: { type: 'string' } } } }, '400': errorResponse('Bad format') },
    },
    (req: Request, res: Response) => {
      const book = bookOr(res, phone());
      if (!book) return;
      const format = formatOf(req.query.format) ?? 'csv';
      if (format === 'bad') return void badRequest(res, 'format must be csv or tsv');
      res.type(`${CONTENT_TYPES[format]}; charset=utf-8`).setHeader('Content-Disposition', `attachment; filename="phonebook.${format}"`);
      res.send(formatPhonebookText(book.list(), format));
    },
  );

  openapi.route(
    router,
    'post',
    '/phonebook/import',
    {
      summary: 'Import CSV or TSV text (one entry per line: name, then 1 to 3 numbers; an optional header line starting with "name")',
      description:
        'Body: text/csv, text/tab-separated-values or text/plain (the format is taken from ?format, else the content type, else a tab in the first line), or JSON {"text": "..."}. ' +
        'mode=append (default) adds after the existing entries, mode=replace replaces them. A bad line is reported as "line N: why"; by default nothing is imported then (400), ' +
        'with skipInvalid=true the good lines are imported and the bad ones reported (200).',
      tags: ['phonebook'],
      parameters: [formatParam, { name: 'mode', in: 'query', schema: { type: 'string', enum: ['append', 'replace'] } }, { name: 'skipInvalid', in: 'query', schema: { type: 'boolean' } }],
      requestBody: {
        required: true,
        content: { 'text/csv': { schema: { type: 'string' } }, 'text/tab-separated-values': { schema: { type: 'string' } }, 'text/plain': { schema: { type: 'string' } }, 'application/json': { schema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } } } },
      },
      responses: {
        '200': jsonResponse('What was imported and the lines skipped', { type: 'object', properties: { added: { type: 'integer' }, total: { type: 'integer' }, format: { type: 'string' }, diagnostics: { type: 'array', items: { type: 'string' } } } }),
        '400': jsonResponse('Bad lines (nothing imported)', { type: 'object', properties: { error: { type: 'object' }, diagnostics: { type: 'array', items: { type: 'string' } } } }),
        '409': errorResponse('The phonebook would hold too many entries (nothing imported)'),
      },
    },
    express.text({ type: ['text/*'], limit: IMPORT_LIMIT }),
    (req: Request, res: Response) => {
      const book = bookOr(res, phone());
      if (!book) return;
      const text = importText(req);
      if (text === undefined) return void badRequest(res, 'send the phonebook as a text/csv or text/tab-separated-values body, or as JSON {"text": "..."}');
      const q = formatOf(req.query.format);
      if (q === 'bad') return void badRequest(res, 'format must be csv or tsv');
      const mode = req.query.mode ?? 'append';
      if (mode !== 'append' && mode !== 'replace') return void badRequest(res, 'mode must be append or replace');
      const skip = req.query.skipInvalid;
      if (skip !== undefined && skip !== 'true' && skip !== 'false') return void badRequest(res, 'skipInvalid must be true or false');
      const byType = req.is('text/tab-separated-values') ? 'tsv' : req.is('text/csv') ? 'csv' : undefined;
      const parsed = parsePhonebookText(text, q ?? byType ?? detectFormat(text));
      if (parsed.diagnostics.length > 0 && skip !== 'true') {
        return void res.status(400).json({ error: { code: 'PHONEBOOK_BAD_IMPORT', message: `phonebook: ${parsed.diagnostics.length} bad line(s), nothing imported: ${parsed.diagnostics.slice(0, 3).join('; ')}` }, diagnostics: parsed.diagnostics });
      }
      const done = book.import(parsed.entries.map((e) => e.entry), mode as ImportMode);
      if (!done.ok) return void res.status(409).json({ error: done.error, diagnostics: parsed.diagnostics });
      res.json({ ...done.value, format: parsed.format, diagnostics: parsed.diagnostics });
    },
  );

  openapi.route(
    router,
    'get',
    '/phonebook/:id',
    { summary: 'One entry', tags: ['phonebook'], parameters: [idParam], responses: { '200': jsonResponse('The entry', entrySchema), '404': errorResponse('No such entry') } },
    onEntry(phone, (book, id) => book.find(id)),
  );

  openapi.route(
    router,
    'put',
    '/phonebook/:id',
    {
      summary: 'Replace the name and numbers of an entry',
      tags: ['phonebook'],
      parameters: [idParam],
      requestBody: { required: true, content: { 'application/json': { schema: entryBodySchema } } },
      responses: { '200': jsonResponse('The entry', entrySchema), '400': errorResponse('A bad field, named in the message'), '404': errorResponse('No such entry') },
    },
    onEntry(phone, (book, id, body) => book.update(id, body)),
  );

  openapi.route(
    router,
    'delete',
    '/phonebook/:id',
    { summary: 'Delete an entry', tags: ['phonebook'], parameters: [idParam], responses: { '200': jsonResponse('The deleted entry', entrySchema), '404': errorResponse('No such entry') } },
    onEntry(phone, (book, id) => book.remove(id)),
  );
}
