// Structured logs (pino) that always carry the device's identity. Secrets never reach a log:
// known secret fields are redacted, and `redactSecrets` scrubs free text.
import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  level?: string;
  /** Identity fields bound to every line, e.g. { device: '0080F0123456', model: 'KX-UT670' }. */
  bindings?: Record<string, string | number>;
  destination?: DestinationStream;
}

const REDACT_PATHS = ['password', 'pass', '*.password', '*.pass', 'authorization', '*.authorization', 'headers.authorization'];

export function createLogger(options: LoggerOptions = {}): Logger {
  const logger = pino(
    {
      level: options.level ?? process.env.VPHONE_LOG_LEVEL ?? 'info',
      base: undefined,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ dest: 2, sync: true }),
  );
  return options.bindings ? logger.child(options.bindings) : logger;
}

/** A logger that drops everything (tests, benchmarks). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** Replaces the values of SIP/HTTP credentials and password parameters in free text. */
export function redactSecrets(text: string): string {
  return text
    .replace(/((?:^|\n)(?:Proxy-)?Authorization:\s*Digest\s)[^\r\n]*/gi, '$1[redacted]')
    .replace(/((?:^|\n)Authorization:\s*Basic\s)[^\r\n]*/gi, '$1[redacted]')
    .replace(/\b([A-Z0-9_]*PASS[A-Z0-9_]*=")[^"]*(")/g, '$1[redacted]$2');
}
