import type { EntityManager } from 'typeorm';
import type { OutboxMessage } from '@legwork/messaging';

/**
 * Writes one outbox message inside the caller's transaction. An alert (payload `type: 'Alert'`)
 * is also kept in `alerts` — same transaction, so what users and on-call see in the database and
 * on the bus never disagree. The single writer of the outbox; idempotent by `msg_id`.
 */
export async function writeOutbox(m: EntityManager, message: OutboxMessage): Promise<void> {
  const insert = outboxInsert(message, 1);
  await m.query(insert.sql, insert.params);
  const p = message.payload;
  if (p['type'] === 'Alert') {
    // The same alert id twice (a retried transaction) is kept once.
    await m.query(
      `INSERT INTO alerts (id, kind, severity, summary, position_id, account_id, details, occurred_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING`,
      [
        p['alertId'],
        p['kind'],
        p['severity'],
        p['summary'],
        p['positionId'] ?? null,
        p['accountId'] ?? null,
        JSON.stringify(p['details'] ?? {}),
        p['occurredAt'],
      ],
    );
  }
}

/**
 * The outbox INSERT of `message` alone (no `alerts` row: for a command, never an alert), its
 * parameters numbered from `$first`, so that a caller's statement can carry it as a CTE (the
 * accept path writes its position and its command in one statement). The same msg_id twice (an
 * alert raised again by a later scan, a retried transaction) is one message.
 */
export function outboxInsert(message: OutboxMessage, first: number): { sql: string; params: unknown[] } {
  return {
    sql: `INSERT INTO outbox (msg_id, subject, payload, headers) VALUES ($${first}, $${first + 1}, $${first + 2}, $${first + 3}) ON CONFLICT (msg_id) DO NOTHING`,
    params: [message.msgId, message.subject, JSON.stringify(message.payload), message.headers ? JSON.stringify(message.headers) : null],
  };
}
