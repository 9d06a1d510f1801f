// /api/v1/settings: effective value of every parameter and the layer it came from
// (KX-UT670 2.5); writes land in the UI layer like a Web UI save and are validated by the
// catalogue, so a bad value gets a 400 naming the fault and changes nothing.
import type { Request, Response, Router } from 'express';
import type { DeviceApi } from './device-api.js';
import { errorResponse, jsonResponse, type OpenApiRegistry } from './openapi.js';
import { LAYERS, type Effective } from '../settings/layered-store.js';

const MASK = '********';

const settingSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    value: { type: 'string', description: 'Effective value; secrets are masked unless ?reveal=true' },
    layer: { type: 'string', enum: ['factory', ...LAYERS] },
    via: { type: 'string', enum: ['web', 'phone', 'api'] },
    default: { type: 'string' },
    format: { type: 'string' },
    section: { type: 'string' },
    webField: { type: 'string' },
    description: { type: 'string' },
  },
};

export function addSettingsRoutes(router: Router, api: DeviceApi, openapi: OpenApiRegistry): void {
  const describe = (e: Effective, reveal: boolean) => {
    const p = api.store.catalogue.lookup(e.name)!;
    const secret = p.def.secret === true && !reveal;
    return {
      name: e.name,
      value: secret && e.value !== '' ? MASK : e.value,
      layer: e.layer,
      ...(e.via ? { via: e.via } : {}),
      default: secret ? MASK : api.store.factoryValue(e.name),
      format: p.def.format,
      section: p.def.section,
      ...(p.def.webField ? { webField: p.def.webField } : {}),
      description: p.def.description,
    };
  };
  const reveal = (req: Request) => req.query.reveal === 'true';

  openapi.route(
    router,
    'get',
    '/settings',
    {
      summary: 'Every parameter with its effective value and layer',
      tags: ['settings'],
      parameters: [
        { name: 'layer', in: 'query', description: 'Only parameters whose effective value comes from this layer', schema: { type: 'string' } },
        { name: 'reveal', in: 'query', description: 'Show secret values', schema: { type: 'boolean' } },
      ],
      responses: { '200': jsonResponse('Settings', { type: 'array', items: settingSchema }) },
    },
    (req: Request, res: Response) => {
      const layer = typeof req.query.layer === 'string' ? req.query.layer : undefined;
      const out = [];
      for (const name of api.store.catalogue.names()) {
        const e = api.store.effective(name)!;
        if (!layer || e.layer === layer) out.push(describe(e, reveal(req)));
      }
      res.json(out);
    },
  );

  openapi.route(
    router,
    'get',
    '/settings/:name',
    {
      summary: 'One parameter: effective value and the layer it came from',
      tags: ['settings'],
      parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { '200': jsonResponse('The setting', settingSchema), '404': errorResponse('Unknown parameter') },
    },
    (req: Request, res: Response) => {
      const name = String(req.params.name);
      const e = api.store.effective(name);
      if (!e) return void res.status(404).json({ error: { code: 'SETTING_UNKNOWN', message: `${name}: unknown parameter for ${api.info().model}` } });
      res.json(describe(e, reveal(req)));
    },
  );

  openapi.route(
    router,
    'put',
    '/settings/:name',
    {
      summary: 'Set a parameter in the web/phone UI layer (validated)',
      tags: ['settings'],
      parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['value'], properties: { value: { type: 'string' } } } } } },
      responses: {
        '200': jsonResponse('The setting after the write', settingSchema),
        '400': errorResponse('Invalid value'),
        '404': errorResponse('Unknown parameter'),
      },
    },
    (req: Request, res: Response) => {
      const name = String(req.params.name);
      if (!api.store.catalogue.has(name)) return void res.status(404).json({ error: { code: 'SETTING_UNKNOWN', message: `${name}: unknown parameter for ${api.info().model}` } });
      const body: unknown = req.body;
      const value = typeof body === 'object' && body !== null ? (body as { value?: unknown }).value : undefined;
      if (typeof value !== 'string' && typeof value !== 'number') {
        return void res.status(400).json({ error: { code: 'BAD_REQUEST', message: 'body must be JSON {"value": "..."}' } });
      }
      const r = api.store.set(name, String(value), 'ui', 'api');
      if (!r.ok) return void res.status(400).json({ error: r.error });
      res.json(describe(r.value, false));
    },
  );

  openapi.route(
    router,
    'delete',
    '/settings/:name',
    {
      summary: 'Remove the UI-layer value so the provisioned or factory value shows through',
      tags: ['settings'],
      parameters: [{ name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { '200': jsonResponse('The setting after removal', settingSchema), '404': errorResponse('Unknown parameter') },
    },
    (req: Request, res: Response) => {
      const name = String(req.params.name);
      if (!api.store.catalogue.has(name)) return void res.status(404).json({ error: { code: 'SETTING_UNKNOWN', message: `${name}: unknown parameter` } });
      api.store.unset(name, 'ui');
      res.json(describe(api.store.effective(name)!, false));
    },
  );
}
