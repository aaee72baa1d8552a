import { z } from 'zod';
import type { DocumentedRoute, RouteDoc } from './route-doc';

const HealthReport = z
  .strictObject({
    status: z.enum(['ok', 'degraded', 'unavailable']).meta({ description: '`degraded`: NATS is down, commands queue in the outbox' }),
    checks: z
      .record(z.string(), z.string())
      .meta({ description: 'check → `ok` or its error message', example: { database: 'ok', nats: 'ok' } }),
  })
  .meta({ id: 'HealthReport' });

const readiness = (operationId: string, summary: string): RouteDoc => ({
  operationId,
  summary,
  tags: ['ops'],
  auth: 'public',
  notRateLimited: true,
  responses: {
    200: { description: 'ready (`ok` or `degraded`)', schema: HealthReport },
    503: { description: 'unavailable', schema: HealthReport },
  },
});

/**
 * Routes no `@ApiDoc` handler of the gateway carries: the probes and metrics of
 * `@legwork/observability`'s OpsController (shared by every service), the document and its UI
 * (Fastify plugins, http/openapi/api-docs.ts). A new route of ours is documented on its handler with `@ApiDoc`, not here.
 */
export const NON_HANDLER_ROUTES: readonly DocumentedRoute[] = [
  {
    method: 'get',
    path: '/health/live',
    doc: {
      operationId: 'getLiveness',
      summary: 'Liveness: the process answers (checks no dependency)',
      tags: ['ops'],
      auth: 'public',
      notRateLimited: true,
      responses: { 200: { description: 'alive', schema: z.strictObject({ status: z.literal('ok') }) } },
    },
  },
  { method: 'get', path: '/health/ready', doc: readiness('getReadiness', 'Readiness: the database answers (NATS down only degrades)') },
  { method: 'get', path: '/health', doc: readiness('getHealth', 'Readiness (alias of /health/ready)') },
  {
    method: 'get',
    path: '/metrics',
    doc: {
      operationId: 'getMetrics',
      summary: 'Prometheus metrics',
      tags: ['ops'],
      auth: 'public',
      notRateLimited: true,
      responses: { 200: { description: 'the metrics', media: { type: 'text/plain', description: 'Prometheus text exposition format' } } },
    },
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    doc: {
      operationId: 'getOpenApiDocument',
      summary: 'This OpenAPI document (JSON)',
      tags: ['ops'],
      auth: 'public',
      responses: { 200: { description: 'the document', media: { type: 'application/json', description: 'OpenAPI 3.1' } } },
    },
  },
  {
    method: 'get',
    path: '/api/docs',
    doc: {
      operationId: 'getApiReference',
      summary: 'The API reference (Swagger UI over this document)',
      tags: ['ops'],
      auth: 'public',
      responses: { 200: { description: 'the reference UI', media: { type: 'text/html', description: 'an HTML page' } } },
    },
  },
];
