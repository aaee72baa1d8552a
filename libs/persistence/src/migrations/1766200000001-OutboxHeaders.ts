import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 13: a command keeps the NATS headers it is published with (the HTTP request's
 * `X-Request-Id`), so the executor's log lines about it name the request. Null for every
 * message written before, and for messages without headers.
 */
export class OutboxHeaders1766200000001 implements MigrationInterface {
  name = 'OutboxHeaders1766200000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox ADD COLUMN headers jsonb NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE outbox DROP COLUMN headers`);
  }
}
