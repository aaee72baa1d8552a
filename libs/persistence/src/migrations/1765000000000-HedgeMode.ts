import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bybit position modes (docs/v5/position/position-mode.mdx): an account in one-way mode holds one
 * net position per symbol, in hedge mode a long and a short side per symbol. The account's mode is
 * stored as read (or switched) by `account:add`; a position keeps the mode it was accepted under,
 * and each order records the side of a hedge-mode account it went to (null in one-way mode), so a
 * resumed or unwound leg is sent to exactly the same exchange position.
 */
export class HedgeMode1765000000000 implements MigrationInterface {
  name = 'HedgeMode1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE exchange_accounts ADD COLUMN position_mode text NOT NULL DEFAULT 'one_way' CHECK (position_mode IN ('one_way', 'hedge'));
      ALTER TABLE synthetic_positions ADD COLUMN position_mode text NOT NULL DEFAULT 'one_way' CHECK (position_mode IN ('one_way', 'hedge'));
      ALTER TABLE orders ADD COLUMN hedge_side text CHECK (hedge_side IN ('long', 'short'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE orders DROP COLUMN hedge_side;
      ALTER TABLE synthetic_positions DROP COLUMN position_mode;
      ALTER TABLE exchange_accounts DROP COLUMN position_mode;
    `);
  }
}
