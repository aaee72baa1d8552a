import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The exchange's own code and message for a refused order (`{"retCode": 110007, "retMsg": "..."}`),
 * kept as fields beside the plain-sentence `reject_reason`, so that no reader has to parse venue
 * JSON out of a text. Null for rejections the exchange did not word (not filled, local refusals).
 */
export class OrderRejectExchange1765400000000 implements MigrationInterface {
  name = 'OrderRejectExchange1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders ADD COLUMN reject_exchange jsonb`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE orders DROP COLUMN reject_exchange`);
  }
}
