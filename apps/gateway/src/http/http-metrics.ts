import type { FastifyInstance } from 'fastify';
import { histogram, Registry } from '@legwork/observability';

/**
 * Request latency by route template (never the raw URL: ids stay out of labels) and status class.
 */
export function instrumentHttp(fastify: FastifyInstance, registry: Registry): void {
  const duration = histogram(
    registry,
    'http_request_duration_seconds',
    'Gateway HTTP request latency',
    ['method', 'route', 'status_class'],
    [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  );
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    duration.observe({ method: request.method, route, status_class: `${Math.floor(reply.statusCode / 100)}xx` }, reply.elapsedTime / 1000);
  });
}
