// Assembles one device from CLI-level options: data directory, identity (MAC), model, clock,
// logger and the services in boot order. The lab, fleets and tests all build devices here.
import { readFileSync } from 'node:fs';
import type { Clock } from '../src/core/clock.js';
import { createLogger, type Logger } from '../src/core/logger.js';
import { Device, StartupError, type ServiceFactory } from './device.js';
import { Nvram } from './nvram.js';
import { deriveMac, parseMac } from './models/mac.js';
import type { DeviceModel } from './models/model.js';
import { webService } from './services/web-service.js';
import { sipService } from './services/sip-service.js';
import { deviceMedia } from './services/device-media.js';
import { handsetService } from './services/handset-service.js';
import { ledService } from './hardware/led-service.js';

export interface CreateDeviceOptions {
  model: DeviceModel;
  dataDir: string;
  clock: Clock;
  mac?: string;
  ip?: string;
  sipPort?: number;
  httpPort?: number;
  configPaths?: readonly string[];
  /** DNS servers (`vphone run --dns`), loopback addresses with optional ports. */
  dnsServers?: readonly string[];
  logger?: Logger;
  logLevel?: string;
  services?: readonly ServiceFactory[];
  /** WAV files /api/v1/audio may play besides the data directory's. */
  mediaDir?: string;
}

const IDENTITY_FILE = 'identity.json';

interface Identity {
  model: string;
  mac: string;
}

export const DEFAULT_SERVICES: readonly ServiceFactory[] = [webService, sipService({ media: deviceMedia }), handsetService, ledService];

/** Throws StartupError for every problem a user can fix (bad MAC, unwritable dir, unreadable file). */
export function createDevice(options: CreateDeviceOptions): Device {
  const ip = options.ip ?? '127.0.0.1';
  const sipPort = options.sipPort ?? 5060;
  const opened = Nvram.open(options.dataDir);
  if (!opened.ok) throw new StartupError(opened.error.code, opened.error.message);
  const nvram = opened.value;

  const stored = nvram.readJson<Identity>(IDENTITY_FILE, isIdentity);
  if (stored && stored.model !== options.model.id) {
    throw new StartupError('DATA_DIR_MODEL_MISMATCH', `data directory ${options.dataDir} belongs to a ${stored.model}, not a ${options.model.id}`);
  }
  let mac: string;
  if (options.mac !== undefined) {
    const parsed = parseMac(options.mac);
    if (!parsed.ok) throw new StartupError(parsed.error.code, parsed.error.message);
    mac = parsed.value;
  } else {
    mac = stored?.mac ?? deriveMac(options.model.macOui, options.model.id, ip, sipPort);
  }
  if (!stored || stored.mac !== mac) nvram.writeJson(IDENTITY_FILE, { model: options.model.id, mac });

  const configFiles = (options.configPaths ?? []).map((path) => {
    try {
      return { source: path, text: readFileSync(path) };
    } catch (error) {
      throw new StartupError('CONFIG_UNREADABLE', `config file ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  });

  const logger =
    options.logger ?? createLogger({ level: options.logLevel, bindings: { device: mac, model: options.model.modelName } });
  return new Device({
    model: options.model,
    mac,
    ip,
    sipPort,
    httpPort: options.httpPort ?? 8080,
    nvram,
    clock: options.clock,
    logger,
    configFiles,
    dnsServers: options.dnsServers ?? [],
    services: options.services ?? DEFAULT_SERVICES,
    ...(options.mediaDir !== undefined ? { mediaDir: options.mediaDir } : {}),
  });
}

function isIdentity(value: unknown): value is Identity {
  return typeof value === 'object' && value !== null && typeof (value as Identity).model === 'string' && typeof (value as Identity).mac === 'string';
}
