import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `command_failures`: one row per delivery of a trade command that ended in a transient failure.
 * The executor's retry schedule is chosen from the number of rows of a command (issue 11): a
 * redelivery after a crash or an ack timeout adds none, so it never costs a retry. The delivery's
 * stream sequence and delivery count are kept for the record, not as a key: nats-server 2.9
 * reported delivery count 1 both to a killed executor and to its replacement's redelivery.
 */
export class CommandFailures1765200000000 implements MigrationInterface {
  name = 'CommandFailures1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE command_failures (
        id bigserial PRIMARY KEY,
        command_id uuid NOT NULL,
        stream_sequence bigint NOT NULL,
        delivery_count int NOT NULL CHECK (delivery_count >= 1),
        command_type text NOT NULL,
        position_id uuid NOT NULL,
        code text NOT NULL,
        reason text NOT NULL,
        failed_at timestamptz NOT NULL DEFAULT now()
      );
      CREATE INDEX command_failures_command ON command_failures (command_id);
      CREATE INDEX command_failures_position ON command_failures (position_id, id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE command_failures');
  }
}
