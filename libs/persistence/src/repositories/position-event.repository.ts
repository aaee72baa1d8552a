import { DataSource } from 'typeorm';
import type { PositionEventKind } from '../records/position-event.record';
import { queryInOneTransaction } from './prepared-query';

/** `NOTIFY` channel of the triggers: a change was recorded, the sequencer has work. */
export const POSITION_EVENTS_PENDING_CHANNEL = 'legwork_position_events_pending';
/** `NOTIFY` channel of the sequencer: payload = the comma-separated user ids just numbered, or `*`. */
export const POSITION_EVENTS_CHANNEL = 'legwork_position_events';

/** Arbitrary constant key of the sequencer's advisory lock (one sequencer at a time, any replica). */
const SEQUENCER_LOCK_KEY = 4_179_302;
/** PostgreSQL refuses a NOTIFY payload past 8000 bytes: past this many users, wake every stream. */
const MAX_NOTIFY_PAYLOAD = 7_000;

/** One numbered event of a user's log; `seq` is a decimal integer string (the SSE event id). */
export interface PositionEvent {
  seq: string;
  kind: PositionEventKind;
  positionId: string | null;
  data: Record<string, unknown>;
}

/**
 * The per-user event log behind `GET /api/positions/events` (migration 1766000000000 writes it).
 * Invariant: `seq` is given in commit order by one sequencer at a time, so once a reader has seen
 * `seq` N it will never see a new event with a `seq` ≤ N: `after(user, N)` resumes exactly.
 */
export class PositionEventRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Numbers up to `limit` committed, unnumbered events, oldest first, and notifies
   * {@link POSITION_EVENTS_CHANNEL} with their users on commit. Several replicas may call it at
   * once: the advisory lock makes them take turns, and each numbers from the last `seq` committed.
   * @returns how many were numbered (fewer than `limit`: nothing is left), and their users.
   */
  async sequence(limit: number): Promise<{ numbered: number; userIds: string[] }> {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`sequence: limit must be a positive integer, got ${limit}`);
    // One round trip (the lock, then the numbering, in one implicit transaction): a pass runs up to
    // ten times a second while positions trade. The numbering statement's snapshot is taken after
    // the lock, so it sees every seq the previous holder committed; the NOTIFY of the users it
    // numbered for is delivered at commit. Every value is a constant of this file or a checked integer.
    const [row] = await queryInOneTransaction<{ numbered: number; ids: string | null }>(
      this.dataSource,
      `SELECT pg_advisory_xact_lock(${SEQUENCER_LOCK_KEY});
       WITH pending AS (
         SELECT id FROM position_events WHERE seq IS NULL ORDER BY id LIMIT ${limit} FOR UPDATE
       ), numbered AS (
         SELECT p.id, (SELECT COALESCE(MAX(seq), 0) FROM position_events) + row_number() OVER (ORDER BY p.id) AS seq FROM pending p
       ), updated AS (
         UPDATE position_events e SET seq = n.seq FROM numbered n WHERE e.id = n.id RETURNING e.user_id
       ), users AS (
         SELECT count(*)::int AS numbered, string_agg(DISTINCT user_id::text, ',') AS ids FROM updated
       )
       SELECT numbered, ids, CASE WHEN ids IS NOT NULL
         THEN pg_notify('${POSITION_EVENTS_CHANNEL}', CASE WHEN length(ids) > ${MAX_NOTIFY_PAYLOAD} THEN '*' ELSE ids END) END AS notified
       FROM users`,
    );
    return { numbered: row?.numbered ?? 0, userIds: row?.ids ? row.ids.split(',') : [] };
  }

  /** The user's numbered events after `afterSeq` (a decimal integer string), oldest first, at most `limit`. */
  async after(userId: string, afterSeq: string, limit: number): Promise<PositionEvent[]> {
    const rows: { seq: string; kind: PositionEventKind; position_id: string | null; data: Record<string, unknown> }[] =
      await this.dataSource.query(
        // Ordered by the bigint column (e.seq), not by the text output column of the same name.
        `SELECT e.seq::text AS seq, e.kind, e.position_id, e.data FROM position_events e
         WHERE e.user_id = $1 AND e.seq > $2::bigint ORDER BY e.seq LIMIT $3`,
        [userId, afterSeq, limit],
      );
    return rows.map((r) => ({ seq: r.seq, kind: r.kind, positionId: r.position_id, data: r.data }));
  }

  /** The `seq` of the user's latest numbered event, `'0'` when there is none: where a new stream starts. */
  async latestSeq(userId: string): Promise<string> {
    const [row] = (await this.dataSource.query(
      'SELECT COALESCE(MAX(seq), 0)::text AS seq FROM position_events WHERE user_id = $1 AND seq IS NOT NULL',
      [userId],
    )) as { seq: string }[];
    return row?.seq ?? '0';
  }
}
