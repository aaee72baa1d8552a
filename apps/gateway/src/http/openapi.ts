import { z } from 'zod';
import { openPositionBody } from '../accept-open-position/accept-open-position.schema';

const error = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string', description: 'stable, e.g. VALIDATION.INVALID_FIELD, REQUEST.UNSUPPORTED_MEDIA_TYPE, POSITION.NOT_FOUND' },
        message: { type: 'string', description: '"<field>: <reason>" for validation errors' },
        location: {
          type: 'string',
          enum: ['path', 'query', 'header', 'body'],
          description: 'validation errors: where the refused value was',
        },
        field: { type: 'string', description: 'validation errors: the field (dotted path in a body; `id` in the path; the header name)' },
      },
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
    info: {
      title: 'Legwork gateway',
      version: '0.1.0',
      description: 'Open and follow synthetic index positions on Bybit USDT linear perpetuals.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths: {
      '/api/positions': {
        post: {
          summary: 'Open a position (asynchronous: 202, then follow GET /api/positions/{id})',
          security,
          parameters: [
            { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' } },
          ],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: z.toJSONSchema(openPositionBody(maxNotionalUsdt), { io: 'input' }) } },
          },
          responses: { '202': { description: 'accepted: {positionId, status}' }, ...errors(400, 401, 404, 409, 413, 415) },
        },
        get: {
          summary: "The caller's positions, newest first, each with its P&L (without perSymbol / lastScan)",
          security,
          responses: { '200': { description: '{positions: [...]}' }, ...errors(400, 401) },
        },
      },
      '/api/positions/{id}': {
        get: {
          summary:
            'A position with its legs, fills, components, status history and P&L. pnl (null before the first fill): {source: "mark-price" (holds legs: unrealised against mark prices read at markPricesAt, cached briefly) | "fills" (CLOSED / ROLLED_BACK: realised), totalUsdt (fills + funding), realisedUsdt, unrealisedUsdt, feesUsdt, fundingUsdt (funding settled on what it held: received +, paid −; never a fill), markPricesAt, markPricesCached, unavailableReason, perSymbol, funding (each settlement\'s part: symbol, side, fundingRate, heldQuantity, positionSize, fundingUsdt, settledAt), lastScan (reconciliation\'s P&L on the opened quantities)}. failure: {code, reason, exchange?: {retCode, retMsg}}',
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
      '/api/positions/{id}/restore': {
        post: {
          summary: 'Execute a restore plan from GET restore-plan (202). The position stays ACTIVE; the restore is its own field',
          security,
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: { type: 'object', properties: { planId: { type: 'string', format: 'uuid' } }, required: ['planId'] },
              },
            },
          },
          responses: {
            '202': { description: '{positionId, status: ACTIVE, restore: {planId, state: executing, trades}}' },
            ...errors(400, 401, 404, 409, 415, 503),
          },
        },
      },
      '/api/indices': {
        get: { summary: 'Indices and their weighted constituents', security, responses: { '200': { description: '{indices: [...]}' } } },
      },
      '/health/live': {
        get: { summary: 'Liveness: the process answers (checks no dependency)', responses: { '200': { description: '{status: ok}' } } },
      },
      '/health/ready': {
        get: {
          summary: 'Readiness: the database answers (NATS down only degrades: commands queue in the outbox)',
          responses: { '200': { description: '{status: ok | degraded, checks}' }, '503': { description: '{status: unavailable, checks}' } },
        },
      },
      '/health': {
        get: {
          summary: 'Readiness (alias of /health/ready)',
          responses: { '200': { description: '{status: ok | degraded, checks}' }, '503': { description: '{status: unavailable, checks}' } },
        },
      },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'text exposition format' } } } },
    },
  };
}
