import type { FastifyCorsOptions } from '@fastify/cors';

/**
 * CORS for browser frontends on other origins (@fastify/cors): only the configured origins
 * (`GATEWAY_CORS_ORIGINS`, exact `scheme://host[:port]` matches) get CORS headers; a preflight
 * (`OPTIONS`) from any other origin is answered without them, so the browser refuses the call.
 * No origin configured: the plugin is not registered at all (no CORS headers, as before).
 * Credentials are a bearer token in `Authorization`, never cookies: `credentials` stays off.
 */
export function corsOptions(origins: readonly string[]): FastifyCorsOptions {
  const allowed = new Set(origins);
  return {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'POST'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'X-Request-Id'],
    exposedHeaders: ['Idempotent-Replayed', 'Location', 'Retry-After', 'X-Request-Id'],
    maxAge: 600,
  };
}
