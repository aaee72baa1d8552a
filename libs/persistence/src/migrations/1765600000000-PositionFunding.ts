import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Funding settled on the exchange positions Legwork's positions hold (issue 16). The exchange
 * settles funding per exchange position, account-wide; reconciliation attributes each settlement
 * to the positions that held part of it (`attributeFunding`, libs/domain) and keeps one row per
 * (position, settlement): a re-read settlement is recorded once. Funding is never a fill: it stays
 * out of `trades`. `funding_cursors` says up to when each (account, symbol) was read.
 */
export class PositionFunding1765600000000 implements MigrationInterface {
  name = 'PositionFunding1765600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE position_funding (
        position_id uuid NOT NULL REFERENCES synthetic_positions(id),
        exec_id text NOT NULL,
        account_id uuid NOT NULL REFERENCES exchange_accounts(id),
        symbol text NOT NULL,
        side text NOT NULL CHECK (side IN ('buy', 'sell')),
        held_quantity numeric NOT NULL CHECK (held_quantity > 0),
        position_size numeric NOT NULL CHECK (position_size > 0),
        funding_rate numeric NOT NULL,
        funding_usdt numeric NOT NULL,
        settled_at timestamptz NOT NULL,
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (position_id, exec_id)
      )`);
    await q.query(`
      CREATE TABLE funding_cursors (
        account_id uuid NOT NULL REFERENCES exchange_accounts(id),
        symbol text NOT NULL,
        read_until timestamptz NOT NULL,
        PRIMARY KEY (account_id, symbol)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE funding_cursors`);
    await q.query(`DROP TABLE position_funding`);
  }
}
