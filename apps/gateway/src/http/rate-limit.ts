import { createHash } from 'node:crypto';
import type { FastifyRateLimitStoreCtor, RateLimitPluginOptions } from '@fastify/rate-limit';
import type { HttpErrorCode } from './api-error';

/** Probe and scrape paths: never rate-limited (a throttled probe would take the pod out of service). */
const UNLIMITED_PATHS = new Set(['/health', '/health/live', '/health/ready', '/metrics']);

/**
 * Per-caller rate limiting (@fastify/rate-limit), so one client cannot starve the executor or burn
 * the exchange rate limit every account shares. The key is the bearer token's SHA-256 (tokens
 * belong to one user; the raw token is never kept), or the IP for anonymous requests. `/health`
 * and `/metrics` are exempt. Over the limit: 429 with `Retry-After` and the usual error body.
 * `store`: where hits are counted; the gateway passes {@link sharedRateLimitStore} (PostgreSQL), so
 * the limit holds across replicas. When the store fails the request is let through (`skipOnError`,
 * the reasons in shared-rate-limit-store.ts).
 */
export function rateLimitOptions(perMinute: number, store: FastifyRateLimitStoreCtor): RateLimitPluginOptions {
  return {
    max: perMinute,
    timeWindow: 60_000,
    store,
    skipOnError: true,
    keyGenerator: (request) => {
      const auth = request.headers.authorization;
      return auth ? `token:${createHash('sha256').update(auth).digest('hex')}` : `ip:${request.ip}`;
    },
    allowList: (request) => UNLIMITED_PATHS.has(request.url),
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      error: {
        code: 'RATE_LIMITED' satisfies HttpErrorCode,
        message: `too many requests: at most ${context.max} per minute; retry after ${Math.ceil(context.ttl / 1000)} s`,
      },
    }),
  };
}
