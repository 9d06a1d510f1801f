// GET /api/v1/leds: the indicator LEDs of the device as they look now (ARCHITECTURE.md
// "GET /api/v1/leds"). The firmware's LED panel (firmware-sim/hardware) implements LedApi and the
// device hands it over through DeviceApi.leds(); each change is also a `led` device event.
import type { Request, Response, Router } from 'express';
import { errorResponse, jsonResponse, type OpenApiRegistry } from './openapi.js';

export type LedColor = 'none' | 'red' | 'green' | 'amber';

export const LED_PATTERNS = ['off', 'on', 'slow-flash', 'fast-flash'] as const;
export type LedPattern = (typeof LED_PATTERNS)[number];

/** One LED now: what a `led` device event carries and GET /api/v1/leds lists. */
export interface LedState {
  readonly id: string;
  /** The manual's name, with its section. */
  readonly label: string;
  /** The colours it can show. */
  readonly colors: readonly LedColor[];
  /** The colour lit now; 'none' when off. */
  readonly color: LedColor;
  readonly pattern: LedPattern;
  /** Full on+off cycle of a flash, ms; 0 when off or steadily on. */
  readonly periodMs: number;
  /** Lit part of each period, ms (a flash starts lit at `since`). */
  readonly onMs: number;
  /** Why, e.g. 'registration-failed', 'in-call', 'ringing', 'messages-waiting'; '' when off for no reason. */
  readonly reason: string;
  /** Device clock ms at which this look began (the phase of a flash). */
  readonly since: number;
}

export interface LedApi {
  leds(): LedState[];
}

export const ledSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    label: { type: 'string' },
    colors: { type: 'array', items: { type: 'string', enum: ['red', 'green', 'amber'] } },
    color: { type: 'string', enum: ['none', 'red', 'green', 'amber'] },
    pattern: { type: 'string', enum: [...LED_PATTERNS] },
    periodMs: { type: 'number' },
    onMs: { type: 'number' },
    reason: { type: 'string' },
    since: { type: 'number', description: 'device clock ms the look began' },
  },
};

export function addLedRoutes(router: Router, leds: () => LedApi | undefined, openapi: OpenApiRegistry): void {
  openapi.route(
    router,
    'get',
    '/leds',
    {
      summary: "The device's indicator LEDs: colour, pattern (off, on, slow-flash, fast-flash), flash period and why",
      tags: ['hardware'],
      responses: { '200': jsonResponse('LEDs in panel order', { type: 'array', items: ledSchema }), '503': errorResponse('Not running') },
    },
    (_req: Request, res: Response) => {
      const api = leds();
      if (!api) return void res.status(503).json({ error: { code: 'LEDS_NOT_READY', message: 'the LED panel is not running (device booting or stopped)' } });
      res.json(api.leds());
    },
  );
}
