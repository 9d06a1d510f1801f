// The web server as a device service: started after settings are applied, stopped first.
import { startWebServer, type WebServer } from '../../src/ui-web/server.js';
import { StartupError, type Device, type DeviceService } from '../device.js';

export function webService(device: Device): DeviceService {
  let server: WebServer | undefined;
  return {
    name: 'web',
    async start() {
      try {
        server = await startWebServer({ api: device, host: device.ip, port: device.httpPort, clock: device.clock, logger: device.logger.child({ service: 'web' }) });
      } catch (error) {
        throw listenError('web', device.ip, device.httpPort, error);
      }
      // Keep the bound port across reboots when an ephemeral one (0) was asked for.
      device.httpPort = server.port;
    },
    async stop() {
      await server?.close();
      server = undefined;
    },
  };
}

/** Turns a bind failure into the one-line startup error the CLI prints (exit code 2). */
export function listenError(service: string, ip: string, port: number, error: unknown): StartupError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new StartupError('PORT_IN_USE', `${service}: ${ip}:${port} is already in use`);
  if (code === 'EADDRNOTAVAIL') return new StartupError('ADDRESS_NOT_AVAILABLE', `${service}: address ${ip} is not available on this host`);
  if (code === 'EACCES') return new StartupError('PORT_NOT_PERMITTED', `${service}: no permission to listen on ${ip}:${port}`);
  return new StartupError('LISTEN_FAILED', `${service}: cannot listen on ${ip}:${port}: ${(error as Error).message}`);
}
