import { DataSource } from 'typeorm';
import type { OutboxMessage } from '@legwork/messaging';
import { OutboxRecord } from './outbox.record';
import { writeOutbox } from './outbox-writer';

/**
 * Reads the transactional outbox. Rows are taken with `FOR UPDATE SKIP LOCKED`, so several relays
 * (gateway replicas) share the work without publishing a row twice at the same time; a row
 * published twice after a crash is deduplicated by JetStream through its `msg_id`.
 */
export class OutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Publishes up to `limit` unpublished messages, oldest first, with `publish`; marks each
   * published only after `publish` resolved. A failing publish is counted and left for the next pass.
   * @returns how many were published, and the error that stopped the pass, if any.
   */
  async relay(limit: number, publish: (row: OutboxRecord) => Promise<void>): Promise<{ published: number; error: unknown | null }> {
    return this.dataSource.transaction(async (m) => {
      // Plain SQL: a pass runs after every committed change.
      const rows = (await m.query(
        `SELECT id, msg_id AS "msgId", subject, payload, headers, created_at AS "createdAt", published_at AS "publishedAt",
                publish_attempts AS "publishAttempts", last_error AS "lastError"
         FROM outbox WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      )) as OutboxRecord[];
      const done: string[] = [];
      let failure: unknown | null = null;
      for (const row of rows) {
        try {
          await publish(row);
          done.push(row.id);
        } catch (error) {
          await m.update(OutboxRecord, { id: row.id }, { publishAttempts: row.publishAttempts + 1, lastError: String(error) });
          failure = error;
          break; // keep order: later messages wait for this one
        }
      }
      // One statement for the whole batch (a crash before it republishes, and JetStream dedupes).
      if (done.length > 0) {
        await m.query('UPDATE outbox SET published_at = now(), publish_attempts = publish_attempts + 1 WHERE id = ANY($1::bigint[])', [
          done,
        ]);
      }
      return { published: done.length, error: failure };
    });
  }

  /** Commits one message on its own (e.g. an alert that reports no state change). */
  async enqueue(message: OutboxMessage): Promise<void> {
    await this.dataSource.transaction((m) => writeOutbox(m, message));
  }

  /** Whether any committed message waits for the relay (one index probe, outside any transaction). */
  async anyUnpublished(): Promise<boolean> {
    const [row] = (await this.dataSource.query('SELECT EXISTS (SELECT 1 FROM outbox WHERE published_at IS NULL) AS waiting')) as {
      waiting: boolean;
    }[];
    return row?.waiting === true;
  }

  /** How many committed messages wait for the relay (the `outbox_unpublished` gauge). */
  countUnpublished(): Promise<number> {
    return this.dataSource.getRepository(OutboxRecord).createQueryBuilder('o').where('o.published_at IS NULL').getCount();
  }
}
