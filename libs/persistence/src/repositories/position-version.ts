import type { EntityManager } from 'typeorm';
import type { PositionStatus } from '@legwork/domain';
import { PositionRecord } from '../records/position.records';
import { PersistenceError } from '../persistence-error';

/** Each `PositionRecord` property and its column in `synthetic_positions`. */
const POSITION_COLUMN_OF: Record<keyof PositionRecord, string> = {
  id: 'id',
  userId: 'user_id',
  accountId: 'account_id',
  indexId: 'index_id',
  direction: 'direction',
  notionalUsdt: 'notional_usdt',
  status: 'status',
  health: 'health',
  failureCode: 'failure_code',
  failureReason: 'failure_reason',
  onPartialFailure: 'on_partial_failure',
  legging: 'legging',
  positionMode: 'position_mode',
  closeAttempts: 'close_attempts',
  rollbackAttempts: 'rollback_attempts',
  restoreAttempts: 'restore_attempts',
  alteredSince: 'altered_since',
  idempotencyKey: 'idempotency_key',
  requestSha256: 'request_sha256',
  version: 'version',
  leaseOwner: 'lease_owner',
  leaseExpiresAt: 'lease_expires_at',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

/** The select list of a whole {@link PositionRecord} (plain SQL: the claim and the status writes run per basket). */
const POSITION_COLUMNS = Object.entries(POSITION_COLUMN_OF)
  .map(([property, column]) => `${column} AS "${property}"`)
  .join(', ');

/**
 * Writes `fields` to the position `read` came from only if nobody has written it since
 * (optimistic `version`), and bumps the version. Callers also hold the row lock, under which
 * Legwork's own writers cannot interleave; the version catches whatever the lock does not (a
 * writer that skipped it, a record read before the lock was taken), so a lost update fails
 * loudly instead of silently overwriting.
 * @returns the position as written
 * @throws PersistenceError `POSITION.VERSION_CONFLICT` naming the version read and the one found
 */
export async function updatePositionIfUnchanged(
  m: EntityManager,
  read: PositionRecord,
  fields: Partial<PositionRecord>,
): Promise<PositionRecord> {
  const written = { ...fields, version: read.version + 1, updatedAt: new Date() };
  const entries = Object.entries(written).filter(([, value]) => value !== undefined);
  const set = entries.map(([property], i) => `${POSITION_COLUMN_OF[property as keyof PositionRecord]} = $${i + 3}`).join(', ');
  const [rows] = (await m.query(`UPDATE synthetic_positions SET ${set} WHERE id = $1 AND version = $2 RETURNING ${POSITION_COLUMNS}`, [
    read.id,
    read.version,
    ...entries.map(([, value]) => value),
  ])) as [PositionRecord[], number];
  if (rows[0]) return rows[0];
  const current = await findPosition(m, read.id);
  throw new PersistenceError(
    'POSITION.VERSION_CONFLICT',
    `position ${read.id} changed since it was read (version ${read.version} read, ${current ? `${current.version} now, status ${current.status}` : 'row gone'}); the write was not applied`,
    { positionId: read.id, versionRead: read.version, versionNow: current?.version ?? null },
  );
}

async function findPosition(m: EntityManager, id: string): Promise<PositionRecord | null> {
  const rows = (await m.query(`SELECT ${POSITION_COLUMNS} FROM synthetic_positions WHERE id = $1`, [id])) as PositionRecord[];
  return rows[0] ?? null;
}

/** Locks the position row until the transaction ends (`SELECT … FOR UPDATE`); null when there is none. */
export async function lockPosition(m: EntityManager, id: string): Promise<PositionRecord | null> {
  const rows = (await m.query(`SELECT ${POSITION_COLUMNS} FROM synthetic_positions WHERE id = $1 FOR UPDATE`, [id])) as PositionRecord[];
  return rows[0] ?? null;
}

/** Locks a position row that must exist. @throws PersistenceError `POSITION.NOT_FOUND` when it does not */
export async function lockExistingPosition(m: EntityManager, id: string): Promise<PositionRecord> {
  const position = await lockPosition(m, id);
  if (!position) throw new PersistenceError('POSITION.NOT_FOUND', `position ${id} does not exist`);
  return position;
}

/** Appends one row to `position_status_changes` (the position's history), inside the caller's transaction. */
export async function appendStatusChange(
  m: EntityManager,
  positionId: string,
  from: PositionStatus | null,
  to: PositionStatus,
  reason: string,
): Promise<void> {
  await m.query('INSERT INTO position_status_changes (position_id, from_status, to_status, reason) VALUES ($1, $2, $3, $4)', [
    positionId,
    from,
    to,
    reason,
  ]);
}

/** A status change made only while the position is still in the state it is made from (see {@link changeStatusIfStill}). */
export interface StatusChangeIfStill {
  id: string;
  from: PositionStatus;
  to: PositionStatus;
  reason: string;
  /** Written with the status: the lease given (a claim) or released (null). */
  lease: { leaseOwner: string | null; leaseExpiresAt: Date | null };
  /** When given, the change is made only while the position is leased to it. */
  heldBy?: string;
}

/**
 * The status change `from` → `to` of a position in ONE statement (data-modifying CTEs), for the two
 * writes every basket makes — its claim and its ACTIVE: the row is updated only while it is still
 * `from` (and, with `heldBy`, still leased to it), the lease written, the version bumped and the
 * status change appended; `also` (a CTE body that reads `changed`, its parameters numbered from $8)
 * writes only with them. When the row is not in that state nothing is written and null is
 * returned: the caller's locked path then decides, and words, why. The UPDATE's row lock orders it
 * with every other writer as the locked path's SELECT … FOR UPDATE does; the trigger that logs the
 * status change for the user's event stream runs after the statement and sees the row written.
 * Callers check the transition (assertTransition) before.
 * @returns the position as written, or null when nothing was
 */
export async function changeStatusIfStill(
  m: EntityManager,
  change: StatusChangeIfStill,
  also?: { sql: string; params: unknown[] },
): Promise<PositionRecord | null> {
  const rows = (await m.query(
    `WITH changed AS (
       UPDATE synthetic_positions SET status = $3, lease_owner = $5, lease_expires_at = $6, version = version + 1, updated_at = now()
        WHERE id = $1 AND status = $2 AND ($7::text IS NULL OR lease_owner = $7)
       RETURNING ${POSITION_COLUMNS}
     ), logged AS (
       INSERT INTO position_status_changes (position_id, from_status, to_status, reason) SELECT "id", $2, $3, $4 FROM changed
     )${also ? `, also AS (${also.sql})` : ''}
     SELECT * FROM changed`,
    [
      change.id,
      change.from,
      change.to,
      change.reason,
      change.lease.leaseOwner,
      change.lease.leaseExpiresAt,
      change.heldBy ?? null,
      ...(also?.params ?? []),
    ],
  )) as PositionRecord[];
  return rows[0] ?? null;
}
