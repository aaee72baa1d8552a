import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { RateLimitWindowRepository } from '@legwork/persistence';
import { counter, type Logger, type Registry } from '@legwork/observability';

/** Rows of windows that ended longer ago than this are deleted (callers not seen since). */
const PRUNE_GRACE_MS = 60_000;
/** Each replica prunes at most this often, from a hit (no timer to stop at shutdown). */
const PRUNE_EVERY_MS = 5 * 60_000;

/**
 * An @fastify/rate-limit `store` counting in PostgreSQL ({@link RateLimitWindowRepository}), so
 * every gateway replica enforces one limit per caller instead of one each.
 *
 * When the database cannot count a hit, the error goes back to the plugin, which (with
 * `skipOnError: true`, see rate-limit.ts) lets the request through: fail open, deliberately.
 * Every route but the exempt probes needs that same database, so a request let through answers
 * 503 from its handler and reaches neither the executor nor the exchange; failing closed would
 * answer 500/429 for a database outage instead. Each such error is logged and counted in
 * `gateway_rate_limit_store_errors_total` (alerting is on the database itself).
 */
export function sharedRateLimitStore(windows: RateLimitWindowRepository, log: Logger, registry: Registry): FastifyRateLimitStoreCtor {
  const errors = counter(registry, 'gateway_rate_limit_store_errors_total', 'Rate-limit hits the database could not count (let through)');
  let lastPruneMs = Date.now();
  const pruneNow = () => {
    if (Date.now() - lastPruneMs < PRUNE_EVERY_MS) return;
    lastPruneMs = Date.now();
    windows.pruneEnded(PRUNE_GRACE_MS).catch((error: unknown) => {
      log.warn({ err: error }, 'rate limit: pruning ended windows failed (retried later)');
    });
  };

  class PostgresRateLimitStore implements FastifyRateLimitStore {
    /**
     * The plugin constructs the store with its options (unused: the window and limit come with
     * each hit); `prefix` separates per-route limits (routes with their own `config.rateLimit`).
     */
    constructor(
      _pluginOptions?: object,
      private readonly prefix = '',
    ) {}

    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindowMs?: number): void {
      // The plugin passes the window (ms) with every call (its RedisStore relies on it too).
      if (timeWindowMs === undefined) {
        callback(new Error('rate limit: the plugin passed no time window'));
        return;
      }
      windows.hit(`${this.prefix}${key}`, timeWindowMs).then(
        (hit) => {
          pruneNow();
          callback(null, { current: hit.hits, ttl: hit.ttlMs });
        },
        (error: unknown) => {
          errors.inc();
          log.warn({ err: error }, 'rate limit: the database could not count a hit; request let through');
          callback(error instanceof Error ? error : new Error(String(error)));
        },
      );
    }

    child(routeOptions: { method?: unknown; url?: unknown; routeInfo?: { method?: string; url?: string } }): FastifyRateLimitStore {
      const route = routeOptions.routeInfo ?? { method: String(routeOptions.method), url: String(routeOptions.url) };
      return new PostgresRateLimitStore(undefined, `${this.prefix}${route.method} ${route.url}|`);
    }
  }
  return PostgresRateLimitStore;
}
