// /api/v1/device: identity and lifecycle (reboot, Reset Web Settings 9.2, factory reset 9.1).
import type { Request, Response, Router } from 'express';
import type { DeviceApi } from './device-api.js';
import { jsonResponse, type OpenApiRegistry } from './openapi.js';

const deviceSchema = {
  type: 'object',
  properties: {
    model: { type: 'string' },
    modelId: { type: 'string' },
    vendor: { type: 'string' },
    mac: { type: 'string' },
    firmware: { type: 'string' },
    address: { type: 'object', properties: { ip: { type: 'string' }, sipPort: { type: 'integer' }, httpPort: { type: 'integer' } } },
    uptimeS: { type: 'integer' },
    bootCount: { type: 'integer' },
    lines: { type: 'integer' },
    ipDirectCalls: { type: 'boolean' },
  },
};

export function addDeviceRoutes(router: Router, api: DeviceApi, openapi: OpenApiRegistry): void {
  openapi.route(
    router,
    'get',
    '/device',
    { summary: 'Model, MAC, firmware, address, uptime', tags: ['device'], responses: { '200': jsonResponse('The device', deviceSchema) } },
    (_req: Request, res: Response) => void res.json(api.info()),
  );

  const lifecycle = (path: string, summary: string, action: () => Promise<void>) =>
    openapi.route(
      router,
      'post',
      path,
      { summary, tags: ['device'], responses: { '202': { description: 'Accepted; the device restarts and the connection drops' } } },
      (_req: Request, res: Response) => {
        res.status(202).json({ accepted: true });
        // Answer first: the restart closes this very server.
        res.on('finish', () => void action().catch(() => {}));
      },
    );
  lifecycle('/device/reboot', 'Restart the device (KX-UT670 4.8.4)', () => api.reboot('api'));
  lifecycle('/device/reset-web-settings', 'Reset Web Settings: clear the UI layer and restart (KX-UT670 9.2)', () => api.resetWebSettings('api'));
  lifecycle('/device/factory-reset', 'Reset to factory default: clear every layer and restart (KX-UT670 9.1)', () => api.factoryReset('api'));
}
