import { DataSource } from 'typeorm';

/** A caller's standing in its current rate-limit window, after counting one more hit. */
export interface RateLimitHit {
  /** Hits in the current window, this one included (≥ 1; past the limit it keeps counting). */
  hits: number;
  /** Milliseconds until the window ends (0 ≤ ttlMs ≤ windowMs), by the database's clock. */
  ttlMs: number;
}

/**
 * The gateway's shared rate-limit counters (table `gateway_rate_limits`, one row per caller key),
 * so that every gateway replica counts against one limit.
 *
 * Invariant: one window per key at a time; every hit is counted exactly once, in one atomic
 * statement (`INSERT … ON CONFLICT DO UPDATE` locks the key's row: concurrent hits from any
 * replica are serialised, none is lost, no two see the same count). A window starts at the
 * key's first hit after the previous one ended and lasts `windowMs` (the semantics of
 * @fastify/rate-limit's in-memory store), measured with the database's `now()`, so replicas
 * with skewed clocks still agree.
 */
export class RateLimitWindowRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Counts one hit of `key` in its current window, opening a new `windowMs` window when none is
   * open.
   * @throws the database error when the hit cannot be counted (nothing is counted then)
   */
  async hit(key: string, windowMs: number): Promise<RateLimitHit> {
    // now() is each transaction's start: a hit that waited on the row lock can see a window
    // opened by a transaction that started after it, ending up to that wait past its own
    // now() + windowMs, hence the clamp (a window never has more than windowMs left).
    const [row] = (await this.dataSource.query(
      `INSERT INTO gateway_rate_limits AS r (key, hits, window_ends_at)
       VALUES ($1, 1, now() + $2 * interval '1 millisecond')
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN r.window_ends_at <= now() THEN 1 ELSE r.hits + 1 END,
         window_ends_at = CASE WHEN r.window_ends_at <= now() THEN EXCLUDED.window_ends_at ELSE r.window_ends_at END
       RETURNING hits,
         least($2::double precision, greatest(0, ceil(extract(epoch FROM window_ends_at - now()) * 1000)))::bigint AS "ttlMs"`,
      [key, windowMs],
    )) as { hits: number; ttlMs: string }[];
    if (!row) throw new Error(`rate limit: the upsert of ${key} returned no row`);
    return { hits: Number(row.hits), ttlMs: Number(row.ttlMs) };
  }

  /**
   * Deletes the rows of windows that ended more than `graceMs` ago (callers not seen since).
   * @returns how many rows were deleted
   * @throws the database error
   */
  async pruneEnded(graceMs: number): Promise<number> {
    // In a CTE so the statement is a SELECT (TypeORM returns [rows, count] for a bare DELETE).
    const [row] = (await this.dataSource.query(
      `WITH ended AS (DELETE FROM gateway_rate_limits WHERE window_ends_at < now() - $1 * interval '1 millisecond' RETURNING 1)
       SELECT count(*)::int AS deleted FROM ended`,
      [graceMs],
    )) as { deleted: number }[];
    return Number(row?.deleted ?? 0);
  }
}
