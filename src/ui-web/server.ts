// The device's HTTP server: control API (JSON, Digest/Basic auth), its OpenAPI document and the
// event WebSocket. Later issues add the admin pages and more routes through `routes`.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { DeviceApi } from './device-api.js';
import { HttpAuthenticator } from './http-auth.js';
import { OpenApiRegistry } from './openapi.js';
import { renderStatusPage } from './status-page.js';
import { addDeviceRoutes } from './device-routes.js';
import { addSettingsRoutes } from './settings-routes.js';
import { addTelephonyRoutes } from './telephony-routes.js';
import { addPresenceRoutes } from './presence-routes.js';
import { addAudioRoutes } from './audio-routes.js';
import { addCallLogRoutes } from './call-log-routes.js';
import { addPhonebookRoutes } from './phonebook-routes.js';
import { addHandsetRoutes } from './handset-routes.js';
import { addRingtoneRoutes } from './ringtone-routes.js';
import { addLedRoutes } from './led-routes.js';

export interface WebServerOptions {
  api: DeviceApi;
  host: string;
  port: number;
  clock: Clock;
  logger: Logger;
  /** Extra route groups (lines, calls, keys…) added by later layers. */
  routes?: ReadonlyArray<(router: Router, api: DeviceApi, openapi: OpenApiRegistry) => void>;
}

export interface WebServer {
  readonly port: number;
  close(): Promise<void>;
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const { api, logger } = options;
  const info = api.info();
  const auth = new HttpAuthenticator({ realm: `${info.model} ${info.mac}`, clock: options.clock, accounts: () => api.accounts() });
  const openapi = new OpenApiRegistry({
    title: `vphone control API (${info.model})`,
    version: '1',
    description: 'Drive and observe one emulated device. Authenticate with the device admin account (Digest or Basic).',
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);

  const router = express.Router();
  router.use(express.json({ limit: '64kb', strict: false }));
  addDeviceRoutes(router, api, openapi);
  addSettingsRoutes(router, api, openapi);
  addTelephonyRoutes(router, () => api.telephony?.(), openapi);
  addPresenceRoutes(router, () => api.presence?.(), () => api.telephony?.(), openapi);
  addAudioRoutes(router, api, openapi);
  addCallLogRoutes(router, () => api.telephony?.(), openapi);
  addPhonebookRoutes(router, () => api.telephony?.(), openapi);
  addHandsetRoutes(router, api, openapi);
  addRingtoneRoutes(router, api, openapi);
  addLedRoutes(router, () => api.leds?.(), openapi);
  for (const add of options.routes ?? []) add(router, api, openapi);
  openapi.document('/api/v1/events', 'get', {
    summary: 'WebSocket: every device event as one JSON message; ?since=SEQ replays recent ones',
    tags: ['events'],
    parameters: [{ name: 'since', in: 'query', schema: { type: 'integer' } }],
    responses: { '101': { description: 'Switching to WebSocket' } },
  });
  openapi.document('/api/v1/openapi.json', 'get', { summary: 'This document', tags: ['meta'], responses: { '200': { description: 'OpenAPI 3.1' } } });

  app.get('/api/v1/openapi.json', (_req, res) => void res.json(openapi.toJSON()));
  // KX-UT670 4.3 Status: User and Administrator may read it.
  app.get(['/', '/status'], (req: Request, res: Response) => {
    const outcome = auth.check(req.headers.authorization, req.method);
    if (!outcome.ok) {
      res.setHeader('WWW-Authenticate', outcome.challenge);
      return void res.status(401).type('text/plain').send('Authentication required\n');
    }
    res.type('html').send(renderStatusPage(api.info(), outcome.account));
  });
  app.use('/api/v1', (req: Request, res: Response, next: NextFunction) => {
    const outcome = auth.check(req.headers.authorization, req.method);
    if (outcome.ok && outcome.account.role === 'admin') return next();
    if (outcome.ok) return void res.status(403).json({ error: { code: 'FORBIDDEN', message: 'the control API needs the administrator account' } });
    res.setHeader('WWW-Authenticate', outcome.challenge);
    res.status(401).json({ error: { code: 'UNAUTHORIZED', message: `authentication required (${outcome.reason})` } });
  });
  app.use('/api/v1', router);
  app.use('/api/v1', (req: Request, res: Response) => {
    res.status(404).json({ error: { code: 'NOT_FOUND', message: `no route ${req.method} ${req.path}` } });
  });
  // Malformed JSON and other client errors: a clear 4xx, never a stack trace.
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : 500;
    const message = status < 500 ? `bad request: ${(error as Error).message}` : 'internal error';
    if (status >= 500) logger.error({ err: error }, 'web request failed');
    if (!res.headersSent) res.status(status).json({ error: { code: status < 500 ? 'BAD_REQUEST' : 'INTERNAL', message } });
  });

  const server = createServer(app);
  server.on('clientError', (error, socket) => {
    logger.debug({ err: error.message }, 'malformed HTTP request');
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => handleUpgrade(req, socket, head, wss, auth, api));

  await listen(server, options.host, options.port);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    port,
    close: () => closeServer(server, wss),
  };
}

function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, wss: WebSocketServer, auth: HttpAuthenticator, api: DeviceApi): void {
  socket.on('error', () => socket.destroy());
  const url = new URL(req.url ?? '/', 'http://device');
  if (url.pathname !== '/api/v1/events') {
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  const outcome = auth.check(req.headers.authorization, 'GET');
  if (!outcome.ok || outcome.account.role !== 'admin') {
    const challenges = outcome.ok ? [] : outcome.challenge;
    const status = outcome.ok ? '403 Forbidden' : '401 Unauthorized';
    socket.end(`HTTP/1.1 ${status}\r\n${challenges.map((c) => `WWW-Authenticate: ${c}\r\n`).join('')}Connection: close\r\nContent-Length: 0\r\n\r\n`);
    return;
  }
  const since = Number(url.searchParams.get('since') ?? Number.NaN);
  wss.handleUpgrade(req, socket, head, (ws: WebSocket) => {
    if (Number.isFinite(since)) for (const e of api.recentEvents()) if (e.seq > since) ws.send(JSON.stringify(e));
    const unsubscribe = api.subscribe((event) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(event));
    });
    ws.on('close', unsubscribe);
    ws.on('error', unsubscribe);
  });
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

function closeServer(server: Server, wss: WebSocketServer): Promise<void> {
  for (const client of wss.clients) client.terminate();
  wss.close();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
