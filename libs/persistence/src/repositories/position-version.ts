import type { EntityManager } from 'typeorm';
import type { PositionStatus } from '@legwork/domain';
import { PositionRecord } from '../records/position.records';
import { PersistenceError } from '../persistence-error';

/**
 * Writes `fields` to the position `read` came from only if nobody has written it since
 * (optimistic `version`), and bumps the version. Callers also hold the row lock, under which
 * Legwork's own writers cannot interleave; the version catches whatever the lock does not (a
 * writer that skipped it, a record read before the lock was taken), so a lost update fails
 * loudly instead of silently overwriting.
 * @throws PersistenceError `POSITION.VERSION_CONFLICT` naming the version read and the one found
 */
export async function updatePositionIfUnchanged(m: EntityManager, read: PositionRecord, fields: Partial<PositionRecord>): Promise<void> {
  const result = await m.update(
    PositionRecord,
    { id: read.id, version: read.version },
    { ...fields, version: read.version + 1, updatedAt: new Date() },
  );
  if ((result.affected ?? 0) > 0) return;
  const current = await m.findOneBy(PositionRecord, { id: read.id });
  throw new PersistenceError(
    'POSITION.VERSION_CONFLICT',
    `position ${read.id} changed since it was read (version ${read.version} read, ${current ? `${current.version} now, status ${current.status}` : 'row gone'}); the write was not applied`,
    { positionId: read.id, versionRead: read.version, versionNow: current?.version ?? null },
  );
}

/** `SELECT … FOR UPDATE` of one position row, inside the caller's transaction. */
function positionForUpdate(m: EntityManager, id: string) {
  return m.getRepository(PositionRecord).createQueryBuilder('p').setLock('pessimistic_write').where('p.id = :id', { id });
}

/** Locks the position row until the transaction ends; null when there is none. */
export function lockPosition(m: EntityManager, id: string): Promise<PositionRecord | null> {
  return positionForUpdate(m, id).getOne();
}

/** Locks a position row that must exist. @throws TypeORM's EntityNotFoundError when it does not */
export function lockExistingPosition(m: EntityManager, id: string): Promise<PositionRecord> {
  return positionForUpdate(m, id).getOneOrFail();
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
