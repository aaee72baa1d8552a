import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Orphans per (account, symbol, side): on a hedge-mode account the long and the short side of a
 * symbol are two exchange positions (Bybit `positionIdx` 1 / 2, docs/v5/position/position.mdx),
 * so each can hold an orphan of its own, followed and confirmed on its own. `hedge_side` is ''
 * for a one-way account (not NULL, so that the open-orphan unique index still allows exactly one
 * open row per one-way symbol); every existing row is one-way, which is what it was.
 *
 * `down` marks open hedge-side orphans dropped before restoring the one-row-per-symbol index,
 * which two open sides of one symbol would violate.
 */
export class OrphanHedgeSide1765500000000 implements MigrationInterface {
  name = 'OrphanHedgeSide1765500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
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
    `);
  }
}
