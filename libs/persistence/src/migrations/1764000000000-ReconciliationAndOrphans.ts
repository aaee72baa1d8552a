import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reconciliation, orphan detection, alerts and restore plans. Deviations and orphans are kept as
 * history (first seen, last seen, cleared / resolved), never deleted. `scan_runs` makes a scan
 * job idempotent across replicas and redeliveries: a (job, account, window) runs to completion once.
 */
export class ReconciliationAndOrphans1764000000000 implements MigrationInterface {
  name = 'ReconciliationAndOrphans1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE position_deviations (
        id bigserial PRIMARY KEY,
        position_id uuid NOT NULL REFERENCES synthetic_positions(id),
        symbol text NOT NULL,
        expected_quantity numeric(30, 10) NOT NULL,
        actual_quantity numeric(30, 10),
        delta numeric(30, 10) NOT NULL,
        shared_with uuid[] NOT NULL DEFAULT '{}',
        explanation text NOT NULL,
        first_seen_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        cleared_at timestamptz
      );
      CREATE UNIQUE INDEX position_deviations_open ON position_deviations (position_id, symbol) WHERE cleared_at IS NULL;
      CREATE INDEX position_deviations_position ON position_deviations (position_id, id);
      CREATE TABLE position_pnl (
        position_id uuid PRIMARY KEY REFERENCES synthetic_positions(id),
        pnl_usdt numeric(30, 10) NOT NULL,
        per_leg jsonb NOT NULL,
        missing_prices text[] NOT NULL DEFAULT '{}',
        computed_at timestamptz NOT NULL
      );
      CREATE TABLE orphan_observations (
        id uuid PRIMARY KEY,
        account_id uuid NOT NULL REFERENCES exchange_accounts(id),
        symbol text NOT NULL,
        side text NOT NULL CHECK (side IN ('long', 'short')),
        size numeric(30, 10) NOT NULL,
        status text NOT NULL CHECK (status IN ('suspected', 'confirmed', 'resolved', 'dropped')),
        consecutive_scans int NOT NULL,
        origin text CHECK (origin IN ('legwork_order', 'manual_trade')),
        entry_price numeric(30, 10),
        mark_price numeric(30, 10),
        unrealised_pnl_usdt numeric(30, 10),
        first_seen_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        last_window timestamptz NOT NULL,
        confirmed_at timestamptz,
        resolved_at timestamptz
      );
      CREATE UNIQUE INDEX orphan_observations_open ON orphan_observations (account_id, symbol) WHERE status IN ('suspected', 'confirmed');
      CREATE TABLE alerts (
        id text PRIMARY KEY,
        kind text NOT NULL,
        severity text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
        summary text NOT NULL,
        position_id uuid,
        account_id uuid,
        details jsonb NOT NULL,
        occurred_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX alerts_position ON alerts (position_id, occurred_at DESC);
      CREATE INDEX alerts_account ON alerts (account_id, occurred_at DESC);
      CREATE TABLE scan_runs (
        job text NOT NULL CHECK (job IN ('reconcile', 'orphans')),
        account_id uuid NOT NULL REFERENCES exchange_accounts(id),
        window_start timestamptz NOT NULL,
        status text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
        attempts int NOT NULL DEFAULT 1,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        error text,
        PRIMARY KEY (job, account_id, window_start)
      );
      CREATE TABLE restore_plans (
        id uuid PRIMARY KEY,
        position_id uuid NOT NULL REFERENCES synthetic_positions(id),
        trades jsonb NOT NULL,
        exchange_snapshot jsonb NOT NULL,
        status text NOT NULL CHECK (status IN ('proposed', 'executing', 'executed', 'refused')),
        attempt int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        UNIQUE (position_id, attempt)
      );
      ALTER TABLE synthetic_positions ADD COLUMN restore_attempts int NOT NULL DEFAULT 0;
      ALTER TABLE synthetic_positions ADD COLUMN altered_since timestamptz;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE synthetic_positions DROP COLUMN altered_since;
      ALTER TABLE synthetic_positions DROP COLUMN restore_attempts;
      DROP TABLE restore_plans;
      DROP TABLE scan_runs;
      DROP TABLE alerts;
      DROP TABLE orphan_observations;
      DROP TABLE position_pnl;
      DROP TABLE position_deviations;
    `);
  }
}
