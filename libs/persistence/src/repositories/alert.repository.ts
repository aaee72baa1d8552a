import { DataSource } from 'typeorm';
import { AlertRecord } from '../records/scan.records';

/** What a pair of alert kinds is about: one position, or one orphan slot (account, symbol, hedge side). */
export type AlertSubject = 'position' | 'orphan_slot';

/** A firing kind and the kind that resolves it, and what both are about (e.g. `position.altered` / `position.in_sync` per position). */
export interface AlertPair {
  firing: string;
  resolution: string;
  subject: AlertSubject;
}

/** One subject of an {@link AlertPair}: a position, or an orphan slot (`hedgeSide` null on a one-way account). */
export type AlertSubjectKey = { positionId: string } | { accountId: string; symbol: string; hedgeSide: string | null };

/** Filters of {@link AlertRepository.list}; `userId` restricts to that user's positions and accounts (absent: every user's). */
export interface AlertListFilter {
  userId?: string;
  kind?: string;
  severity?: 'info' | 'warning' | 'critical';
  accountId?: string;
  /** Only alerts that occurred at or after this instant. */
  since?: Date;
  /** Keyset position: only alerts strictly older than this one in (occurredAt, id) order. */
  before?: { occurredAt: Date; id: string };
}

/** Reads stored alerts (written with the outbox, see `writeOutbox`). */
export class AlertRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Alerts about a user's own positions and exchange accounts, newest first. */
  forUser(userId: string, limit: number): Promise<AlertRecord[]> {
    return this.list({ userId }, limit);
  }

  /**
   * Alerts matching `filter`, newest first ((occurredAt, id) descending, so a keyset page never
   * skips or repeats an alert that shares its instant with another).
   * @param limit at most this many rows
   */
  list(filter: AlertListFilter, limit: number): Promise<AlertRecord[]> {
    const q = this.dataSource.getRepository(AlertRecord).createQueryBuilder('a');
    if (filter.userId !== undefined)
      q.andWhere(
        '(a.position_id IN (SELECT id FROM synthetic_positions WHERE user_id = :userId) OR a.account_id IN (SELECT id FROM exchange_accounts WHERE user_id = :userId))',
        { userId: filter.userId },
      );
    if (filter.kind !== undefined) q.andWhere('a.kind = :kind', { kind: filter.kind });
    if (filter.severity !== undefined) q.andWhere('a.severity = :severity', { severity: filter.severity });
    if (filter.accountId !== undefined) q.andWhere('a.account_id = :accountId', { accountId: filter.accountId });
    if (filter.since !== undefined) q.andWhere('a.occurred_at >= :since', { since: filter.since });
    if (filter.before !== undefined)
      q.andWhere('(a.occurred_at, a.id) < (:beforeAt, :beforeId)', { beforeAt: filter.before.occurredAt, beforeId: filter.before.id });
    return q.orderBy('a.occurred_at', 'DESC').addOrderBy('a.id', 'DESC').limit(limit).getMany();
  }

  /**
   * The newest alert of either kind of `pair` (`of: 'firing'`: of the firing kind only) for each
   * subject, or for `only` that subject: a subject whose newest alert is the firing kind is still
   * firing. Orphan slots are keyed by the alerts' `details.symbol` and `details.hedgeSide` (both kinds carry them).
   */
  async latestPerSubject(pair: AlertPair, only?: AlertSubjectKey, of: 'both' | 'firing' = 'both'): Promise<AlertRecord[]> {
    const subject =
      pair.subject === 'position'
        ? `a.position_id::text`
        : `a.account_id::text || ':' || coalesce(a.details->>'symbol', '') || ':' || coalesce(a.details->>'hedgeSide', '')`;
    const params: unknown[] = [pair.firing, of === 'firing' ? pair.firing : pair.resolution];
    let match = '';
    if (only && 'positionId' in only) {
      params.push(only.positionId);
      match = `AND a.position_id = $3`;
    } else if (only) {
      params.push(only.accountId, only.symbol, only.hedgeSide ?? '');
      match = `AND a.account_id = $3 AND a.details->>'symbol' = $4 AND coalesce(a.details->>'hedgeSide', '') = $5`;
    }
    const rows: {
      id: string;
      kind: string;
      severity: AlertRecord['severity'];
      summary: string;
      position_id: string | null;
      account_id: string | null;
      details: Record<string, unknown>;
      occurred_at: Date;
      recorded_at: Date;
    }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (subject) * FROM (SELECT a.*, ${subject} AS subject FROM alerts a WHERE a.kind IN ($1, $2) ${match}) s
       ORDER BY subject, occurred_at DESC, recorded_at DESC`,
      params,
    );
    return rows.map((r) =>
      Object.assign(new AlertRecord(), {
        id: r.id,
        kind: r.kind,
        severity: r.severity,
        summary: r.summary,
        positionId: r.position_id,
        accountId: r.account_id,
        details: r.details,
        occurredAt: r.occurred_at,
        recordedAt: r.recorded_at,
      }),
    );
  }
}
