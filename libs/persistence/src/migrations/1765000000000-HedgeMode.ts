import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hedge mode (Bybit `positionIdx` 1 = long side, 2 = short side; docs/v5/position/position.mdx):
 * an account, and every position opened in it, is `one_way` or `hedge`. Existing rows are one-way,
 * which is what they were. An orphan is followed per (account, symbol, side): `hedge_side` is ''
 * in one-way mode (not NULL, so that the open-orphan unique index still allows one row per
 * one-way symbol) and 'long' / 'short' for a side of a hedge-mode account.
 *
 * `down` marks open hedge-side orphans dropped before restoring the one-row-per-symbol index,
 * which two open sides of one symbol would violate.
 */
export class HedgeMode1765000000000 implements MigrationInterface {
  name = 'HedgeMode1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE synthetic_positions ADD COLUMN position_mode text NOT NULL DEFAULT 'one_way' CHECK (position_mode IN ('one_way','hedge'));
      ALTER TABLE exchange_accounts ADD COLUMN position_mode text NOT NULL DEFAULT 'one_way' CHECK (position_mode IN ('one_way','hedge'));
      ALTER TABLE orphan_observations ADD COLUMN hedge_side text NOT NULL DEFAULT '' CHECK (hedge_side IN ('', 'long', 'short'));
      DROP INDEX orphan_observations_open;
      CREATE UNIQUE INDEX orphan_observations_open ON orphan_observations (account_id, symbol, hedge_side) WHERE status IN ('suspected', 'confirmed');
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE orphan_observations SET status = 'dropped', resolved_at = now() WHERE hedge_side <> '' AND status IN ('suspected', 'confirmed');
      DROP INDEX orphan_observations_open;
      CREATE UNIQUE INDEX orphan_observations_open ON orphan_observations (account_id, symbol) WHERE status IN ('suspected', 'confirmed');
      ALTER TABLE orphan_observations DROP COLUMN hedge_side;
      ALTER TABLE exchange_accounts DROP COLUMN position_mode;
      ALTER TABLE synthetic_positions DROP COLUMN position_mode;
    `);
  }
}
