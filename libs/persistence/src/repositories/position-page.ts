import type { DataSource } from 'typeorm';
import { PositionRecord } from '../records/position.records';

/**
 * Where a page of a user's positions starts: after the position created at `createdAt` (ISO 8601
 * with the database's microseconds, so two positions in one millisecond are never skipped) with
 * id `id`. The order is `created_at DESC, id DESC`: stable, whatever is inserted meanwhile.
 */
export interface PositionPageKey {
  createdAt: string;
  id: string;
}

/** The database's own `created_at` text, to the microsecond, UTC. */
const CREATED_AT_TEXT = `to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * One page of a user's positions, newest first, after `after` (the first page when null).
 * @returns at most `limit` positions and the key of the next page (null when this is the last one).
 */
export async function positionPage(
  dataSource: DataSource,
  userId: string,
  limit: number,
  after: PositionPageKey | null,
): Promise<{ positions: PositionRecord[]; next: PositionPageKey | null }> {
  const query = dataSource
    .getRepository(PositionRecord)
    .createQueryBuilder('p')
    .addSelect(CREATED_AT_TEXT, 'page_created_at')
    .where('p.user_id = :userId', { userId })
    .orderBy('p.created_at', 'DESC')
    .addOrderBy('p.id', 'DESC')
    // One more than asked: whether a next page exists, without a count.
    .limit(limit + 1);
  if (after)
    query.andWhere('(p.created_at, p.id) < (CAST(:afterAt AS timestamptz), CAST(:afterId AS uuid))', {
      afterAt: after.createdAt,
      afterId: after.id,
    });
  const { entities, raw } = await query.getRawAndEntities<{ page_created_at: string }>();
  const positions = entities.slice(0, limit);
  const last = positions[positions.length - 1];
  const lastRaw = raw[positions.length - 1];
  return { positions, next: entities.length > limit && last && lastRaw ? { createdAt: lastRaw.page_created_at, id: last.id } : null };
}
