import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 14: the gateway's rate limit shared by every replica (three replicas no longer allow
 * three times the limit). One row per caller key (a bearer token's SHA-256 or `ip:<address>`):
 * the hits in its current window and when that window ends (the database's clock, the one clock
 * every replica shares).
 *
 * UNLOGGED: every API request increments a row, and an unlogged table writes no WAL, so the
 * increment neither waits for the synchronous standby (k8s/platform/postgres-cluster.yaml) nor
 * adds to replication traffic. The price: after a crash or a failover the counters start again
 * from zero, which a rate limit can afford (at most one window's extra requests).
 */
export class GatewayRateLimits1766500000000 implements MigrationInterface {
  name = 'GatewayRateLimits1766500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE UNLOGGED TABLE gateway_rate_limits (
        key text PRIMARY KEY,
        hits integer NOT NULL CONSTRAINT gateway_rate_limits_hits_check CHECK (hits >= 1),
        window_ends_at timestamptz NOT NULL
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE gateway_rate_limits;`);
  }
}
