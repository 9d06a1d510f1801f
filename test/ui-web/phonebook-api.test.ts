// /api/v1/phonebook over HTTP on a booted KX-UT670: add/get/replace/delete with specific 400
// messages, CSV and TSV import with per-line diagnostics (all or nothing, or skipInvalid), export,
// the full phonebook (409), the OpenAPI document; on the Fanvil A12: 404 PHONEBOOK_NOT_SUPPORTED.
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import type { Device } from '../../firmware-sim/device.js';
import { sipService } from '../../firmware-sim/services/sip-service.js';
import { webService } from '../../firmware-sim/services/web-service.js';
import { basicAuth, bootDevice, deviceApi, type Json } from '../helpers/device.js';
import { recordingFactory } from '../helpers/recording-media.js';

const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
});

async function boot(model: 'kx-ut670' | 'fanvil-a12', ip: string): Promise<Device> {
  const { device } = await bootDevice({ model, ip, clock: new VirtualClock(), services: [webService, sipService({ media: () => recordingFactory([]) })] });
  devices.push(device);
  return device;
}

/** A request with a text body (the import) or reading a text answer (the export). */
async function text(d: Device, method: string, path: string, body?: string, type = 'text/csv'): Promise<{ status: number; type: string; body: string }> {
  const admin = d.model.defaultAccounts.find((a) => a.role === 'admin')!;
  const res = await fetch(`http://${d.ip}:${d.httpPort}/api/v1${path}`, {
    method,
    headers: { authorization: basicAuth(admin.id, admin.password), ...(body !== undefined ? { 'content-type': type } : {}) },
    ...(body !== undefined ? { body } : {}),
  });
  return { status: res.status, type: res.headers.get('content-type') ?? '', body: await res.text() };
}

describe('phonebook control API', () => {
  it('adds, reads, replaces and deletes entries; bad fields get a 400 naming the field', async () => {
    const kx = await boot('kx-ut670', '127.0.0.196');
    const api = (method: string, path: string, body?: unknown) => deviceApi(kx, method, path, body);
    expect(await api('GET', '/phonebook')).toEqual({ status: 200, json: [] });
    expect(await api('POST', '/phonebook', { name: 'Alice', numbers: ['+49 30 555-1234', '1001'] })).toEqual({ status: 201, json: { id: 1, name: 'Alice', numbers: ['+49305551234', '1001'] } });

    const bad = async (body: unknown, message: string) => {
      const r = await api('POST', '/phonebook', body);
      expect(r.status).toBe(400);
      expect(r.json.error.message).toBe(message);
    };
    await bad({ name: 'Bob', numbers: ['abc'] }, "phonebook: number 'abc' has characters other than 0-9 * # +");
    await bad({ name: 'Bob', numbers: '1002' }, 'phonebook: numbers must be an array of 1 to 3 strings');
    await bad({ name: 42, numbers: ['1002'] }, 'phonebook: name must be a string');
    await bad({ name: 'B'.repeat(25), numbers: ['1002'] }, `phonebook: name '${'B'.repeat(25)}' has 25 characters; at most 24`);
    await bad(['Bob', '1002'], 'phonebook: an entry is an object {"name": "...", "numbers": ["..."]}');

    expect(await api('GET', '/phonebook/1')).toMatchObject({ status: 200, json: { name: 'Alice' } });
    expect((await api('GET', '/phonebook/x')).json.error.message).toBe("id must be a positive integer, not 'x'");
    expect(await api('PUT', '/phonebook/1', { name: 'Alice S.', numbers: ['1001'] })).toEqual({ status: 200, json: { id: 1, name: 'Alice S.', numbers: ['1001'] } });
    expect((await api('PUT', '/phonebook/1', { name: 'Alice S.', numbers: [] })).json.error.message).toBe("phonebook: entry 'Alice S.' has no number");
    expect((await api('PUT', '/phonebook/7', { name: 'X', numbers: ['1'] })).status).toBe(404);
    expect(await api('DELETE', '/phonebook/1')).toMatchObject({ status: 200, json: { id: 1 } });
    expect((await api('DELETE', '/phonebook/1')).json.error.code).toBe('PHONEBOOK_NOT_FOUND');
    expect((await api('GET', '/phonebook')).json).toEqual([]);
  });

  it('imports CSV and TSV with per-line diagnostics, exports both formats', async () => {
    const kx = await boot('kx-ut670', '127.0.0.197');
    const csv = ['name,number1,number2,number3', 'Alice,1001', '"Smith, Bob",1002,0301002', '', 'Carol,abc', 'Dave,1004', 'Eve'].join('\n');

    // All or nothing by default: 400 with every bad line, nothing imported.
    const refused = await text(kx, 'POST', '/phonebook/import', csv);
    expect(refused.status).toBe(400);
    const r = JSON.parse(refused.body) as Json;
    expect(r.diagnostics).toEqual(["line 5: number 'abc' has characters other than 0-9 * # +", "line 7: entry 'Eve' has no number"]);
    expect(r.error.code).toBe('PHONEBOOK_BAD_IMPORT');
    expect((await deviceApi(kx, 'GET', '/phonebook')).json).toEqual([]);

    // skipInvalid: the good lines go in, the bad ones are reported.
    const partial = await text(kx, 'POST', '/phonebook/import?skipInvalid=true', csv);
    expect(partial.status).toBe(200);
    expect(JSON.parse(partial.body)).toEqual({ added: 3, total: 3, format: 'csv', diagnostics: ["line 5: number 'abc' has characters other than 0-9 * # +", "line 7: entry 'Eve' has no number"] });

    // TSV by content type, appended; then JSON {"text"} with mode=replace.
    const tsv = await text(kx, 'POST', '/phonebook/import', 'Frank\t2001\t2002\n', 'text/tab-separated-values');
    expect(JSON.parse(tsv.body)).toMatchObject({ added: 1, total: 4, format: 'tsv' });
    const exported = await text(kx, 'GET', '/phonebook/export');
    expect(exported.type).toContain('text/csv');
    expect(exported.body).toBe('name,number1,number2,number3\r\nAlice,1001\r\n"Smith, Bob",1002,0301002\r\nDave,1004\r\nFrank,2001,2002\r\n');
    const exportedTsv = await text(kx, 'GET', '/phonebook/export?format=tsv');
    expect(exportedTsv.type).toContain('text/tab-separated-values');
    expect(exportedTsv.body.split('\n')[2]).toBe('Smith, Bob\t1002\t0301002');
    expect((await text(kx, 'GET', '/phonebook/export?format=xml')).status).toBe(400);

    // The export imports back as it was (replace).
    const back = await deviceApi(kx, 'POST', '/phonebook/import?mode=replace', { text: exportedTsv.body });
    expect(back).toMatchObject({ status: 200, json: { added: 4, total: 4, diagnostics: [] } });
    expect(((await deviceApi(kx, 'GET', '/phonebook')).json as Json[]).map((e) => e.name)).toEqual(['Alice', 'Smith, Bob', 'Dave', 'Frank']);
    expect((await deviceApi(kx, 'POST', '/phonebook/import?mode=merge', { text: '' })).json.error.message).toBe('mode must be append or replace');
    expect((await deviceApi(kx, 'POST', '/phonebook/import', { csv: 'x' })).status).toBe(400);

    // 500 entries at most: an import that would pass it is refused whole (409).
    const many = Array.from({ length: 497 }, (_, i) => `N${i},${3000 + i}`).join('\n');
    expect((await text(kx, 'POST', '/phonebook/import', many)).status).toBe(409);
    expect((await deviceApi(kx, 'GET', '/phonebook')).json).toHaveLength(4);
    expect(JSON.parse((await text(kx, 'POST', '/phonebook/import', many.split('\n').slice(1).join('\n'))).body)).toMatchObject({ total: 500 });
    expect((await deviceApi(kx, 'POST', '/phonebook', { name: 'Full', numbers: ['1'] })).status).toBe(409);

    const doc = (await deviceApi(kx, 'GET', '/openapi.json')).json;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/phonebook', '/api/v1/phonebook/{id}', '/api/v1/phonebook/export', '/api/v1/phonebook/import']));
    expect(Object.keys(doc.paths['/api/v1/phonebook/{id}'])).toEqual(['get', 'put', 'delete']);
  });

  it('the Fanvil A12 has no phonebook', async () => {
    const door = await boot('fanvil-a12', '127.0.0.198');
    const r = await deviceApi(door, 'GET', '/phonebook');
    expect(r.status).toBe(404);
    expect(r.json.error.code).toBe('PHONEBOOK_NOT_SUPPORTED');
  });
});
