import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Leverage (issue 15, seed 001: every leg at 1x). A deviation now has a `kind`: `quantity` (the
 * exchange holds a different size: `delta` set) or `leverage` (the symbol is held at another
 * leverage than 1x: `expected_leverage` / `actual_leverage` set, no quantity Δ). One open
 * deviation per (position, symbol, kind), so a symbol may be off in size and in leverage at once.
 * A restore plan may also reset symbols to 1x (`leverage_resets`).
 */
export class LeverageDeviations1765100000000 implements MigrationInterface {
  name = 'LeverageDeviations1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE position_deviations ADD COLUMN kind text NOT NULL DEFAULT 'quantity' CHECK (kind IN ('quantity', 'leverage'));
      ALTER TABLE position_deviations ADD COLUMN expected_leverage numeric(30, 10);
      ALTER TABLE position_deviations ADD COLUMN actual_leverage numeric(30, 10);
      ALTER TABLE position_deviations ALTER COLUMN delta DROP NOT NULL;
      ALTER TABLE position_deviations ADD CONSTRAINT position_deviations_kind_fields CHECK (
        (kind = 'quantity' AND delta IS NOT NULL) OR
        (kind = 'leverage' AND delta IS NULL AND expected_leverage IS NOT NULL AND actual_leverage IS NOT NULL)
      );
      DROP INDEX position_deviations_open;
      CREATE UNIQUE INDEX position_deviations_open ON position_deviations (position_id, symbol, kind) WHERE cleared_at IS NULL;
      ALTER TABLE restore_plans ADD COLUMN leverage_resets jsonb NOT NULL DEFAULT '[]';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE restore_plans DROP COLUMN leverage_resets;
      DELETE FROM position_deviations WHERE kind = 'leverage';
      DROP INDEX position_deviations_open;
      CREATE UNIQUE INDEX position_deviations_open ON position_deviations (position_id, symbol) WHERE cleared_at IS NULL;
      ALTER TABLE position_deviations DROP CONSTRAINT position_deviations_kind_fields;
      ALTER TABLE position_deviations ALTER COLUMN delta SET NOT NULL;
      ALTER TABLE position_deviations DROP COLUMN actual_leverage;
      ALTER TABLE position_deviations DROP COLUMN expected_leverage;
      ALTER TABLE position_deviations DROP COLUMN kind;
    `);
  }
}
