import { z } from 'zod';
import { openPositionBody } from '../open-position/open-position.schema';

const error = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
      required: ['code', 'message'],
    },
  },
};
const errors = (...codes: number[]) =>
  Object.fromEntries(codes.map((c) => [String(c), { description: 'error', content: { 'application/json': { schema: error } } }]));

/** The OpenAPI 3.1 document served at `/api/docs` (request schemas generated from the same zod schemas that validate). */
export function openApiDocument(maxNotionalUsdt: number) {
  const security = [{ bearer: [] }];
  return {
    openapi: '3.1.0',
    info: { title: 'Legwork gateway', version: '0.1.0', description: 'Open and follow synthetic index positions on Bybit USDT linear perpetuals.' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths: {
      '/api/positions': {
        post: {
          summary: 'Open a position (asynchronous: 202, then follow GET /api/positions/{id})',
          security,
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' } }],
          requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(openPositionBody(maxNotionalUsdt), { io: 'input' }) } } },
          responses: { '202': { description: 'accepted: {positionId, status}' }, ...errors(400, 401, 404, 409, 413) },
        },
        get: { summary: "The caller's positions, newest first", security, responses: { '200': { description: '{positions: [...]}' }, ...errors(400, 401) } },
      },
      '/api/positions/{id}': {
        get: {
          summary: 'A position with its legs, fills, components and status history',
          security,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: { '200': { description: 'the position' }, ...errors(400, 401, 404) },
        },
      },
      '/api/positions/{id}/close': {
        post: {
          summary: 'Close an ACTIVE position: reduce-only orders for exactly its recorded components (202, then follow GET)',
          security,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: { '202': { description: '{positionId, status: CLOSING}' }, ...errors(400, 401, 404, 409) },
        },
      },
      '/api/positions/{id}/rollback': {
        post: {
          summary: 'Unwind the filled legs of a FAILED position (202, then follow GET)',
          security,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          responses: { '202': { description: '{positionId, status: ROLLING_BACK}' }, ...errors(400, 401, 404, 409) },
        },
      },
      '/api/indices': { get: { summary: 'Indices and their weighted constituents', security, responses: { '200': { description: '{indices: [...]}' } } } },
      '/health': { get: { summary: 'Readiness of the gateway and its dependencies', responses: { '200': { description: 'ok' }, '503': { description: 'unavailable' } } } },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'text exposition format' } } } },
    },
  };
}
