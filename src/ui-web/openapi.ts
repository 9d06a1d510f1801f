// The control API describes itself: every route is registered together with its OpenAPI
// operation, so /api/v1/openapi.json cannot drift from what the server does.
import type { Router, RequestHandler } from 'express';

export type HttpMethod = 'get' | 'put' | 'post' | 'delete';

export interface OperationDoc {
  summary: string;
  description?: string;
  tags?: string[];
  parameters?: Array<{ name: string; in: 'path' | 'query'; required?: boolean; description?: string; schema: object }>;
  requestBody?: { required?: boolean; content: Record<string, { schema: object }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: object }> }>;
}

export class OpenApiRegistry {
  private readonly paths: Record<string, Partial<Record<HttpMethod, OperationDoc>>> = {};

  constructor(
    private readonly info: { title: string; version: string; description: string },
  ) {}

  /** Adds `handler` to `router` under an Express path (`/settings/:name`) and documents it. */
  route(router: Router, method: HttpMethod, path: string, doc: OperationDoc, ...handlers: RequestHandler[]): void {
    router[method](path, ...handlers);
    const openApiPath = `/api/v1${path.replace(/:([A-Za-z]+)/g, '{$1}')}`;
    (this.paths[openApiPath] ??= {})[method] = doc;
  }

  /** Documents a route served outside the router (e.g. the WebSocket upgrade). */
  document(path: string, method: HttpMethod, doc: OperationDoc): void {
    (this.paths[path] ??= {})[method] = doc;
  }

  toJSON(): object {
    return {
      openapi: '3.1.0',
      info: this.info,
      components: {
        securitySchemes: { digest: { type: 'http', scheme: 'digest' }, basic: { type: 'http', scheme: 'basic' } },
        schemas: {
          Error: {
            type: 'object',
            required: ['error'],
            properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
      },
      security: [{ digest: [] }, { basic: [] }],
      paths: this.paths,
    };
  }
}

export const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

export const jsonResponse = (description: string, schema: object) => ({ description, content: { 'application/json': { schema } } });
