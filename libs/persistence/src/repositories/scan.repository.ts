import { randomUUID } from 'node:crypto';
import { DataSource, In, IsNull } from 'typeorm';
import { slotKey, type HedgeSide } from '@legwork/domain';
import { OrderRecord, PositionRecord } from '../records/position.records';
import { ORDER_COLUMNS } from './order-ledger.repository';
import { AccountPosition, HOLDING, readAccountPositions } from './account-positions';
import { queryPrepared } from './prepared-query';
import { lockExistingPosition } from './position-version';
import { DeviationKind, OrphanObservationRecord, PositionDeviationRecord, PositionPnlRecord } from '../records/scan.records';
import { OutboxMessage, writeOutbox } from '@legwork/outbox';

/**
 * One deviation to record: `quantity` with its Δ (`delta` set, leverages null), or `leverage` (the
 * symbol held at `actualLeverage` instead of `expectedLeverage`; `delta` null, the quantities for context).
 */
export interface DeviationInput {
  symbol: string;
  kind: DeviationKind;
  expectedQuantity: string;
  actualQuantity: string | null;
  delta: string | null;
  expectedLeverage: string | null;
  actualLeverage: string | null;
  sharedWith: string[];
  explanation: string;
}

/**
 * What the reconciler and the orphan monitor read and write. Every read of one account is a
 * fixed number of queries (positions, components, orders), whatever its number of positions.
 */
export class ScanRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Accounts holding exposure Legwork tracks (for the reconciler). */
  async accountsWithExposure(): Promise<string[]> {
    const rows: { account_id: string }[] = await this.dataSource.query(
      `SELECT DISTINCT p.account_id FROM synthetic_positions p WHERE p.status = ANY($1)`,
      [HOLDING],
    );
    return rows.map((r) => r.account_id);
  }

  /** Every registered exchange account (for the orphan monitor: a manual trade may be on any). */
  async allAccounts(): Promise<string[]> {
    const rows: { id: string }[] = await this.dataSource.query('SELECT id FROM exchange_accounts ORDER BY id');
    return rows.map((r) => r.id);
  }

  /** The account's positions with what each holds now ({@link readAccountPositions}). */
  accountPositions(accountId: string, now: Date, inFlightWindowMs: number): Promise<AccountPosition[]> {
    return readAccountPositions(this.dataSource, accountId, now, inFlightWindowMs);
  }

  /**
   * Slots (`slotKey`) of this account with one of our fills, or one of our orders sent, at or
   * after `since` (orphan grace): a leg still being verified may have filled before Legwork
   * recorded it, even when its position lost its lease (a database restart stops the lease's
   * renewal, not the leg). An order on a side of a hedge-mode account puts only that side in
   * grace; a one-way order (or one recorded before hedge mode) the whole symbol.
   */
  async slotsTradedSince(accountId: string, since: Date): Promise<Set<string>> {
    const rows = await queryPrepared<{ symbol: string; hedge_side: HedgeSide | null }>(
      this.dataSource,
      'legwork_slots_traded_since',
      `SELECT t.symbol, o.hedge_side FROM trades t JOIN orders o ON o.id = t.order_id WHERE o.account_id = $1 AND t.executed_at >= $2
       UNION
       SELECT o.symbol, o.hedge_side FROM orders o WHERE o.account_id = $1 AND o.submitted_at >= $2`,
      [accountId, since],
    );
    return new Set(rows.map((r) => slotKey(r.symbol, r.hedge_side)));
  }

  /**
   * The exchange's time (`trades.executed_at`, Bybit `execTime`) of the latest execution of any
   * Legwork order of the account in one slot — symbol, and hedge side (null on a one-way
   * account) — or null when none: what a position list must be at least as new as to hold them all.
   */
  async latestFillAt(accountId: string, symbol: string, hedgeSide: HedgeSide | null): Promise<Date | null> {
    const [row] = (await this.dataSource.query(
      `SELECT max(t.executed_at) AS at FROM trades t JOIN orders o ON o.id = t.order_id
       WHERE o.account_id = $1 AND t.symbol = $2 AND o.hedge_side IS NOT DISTINCT FROM $3`,
      [accountId, symbol, hedgeSide],
    )) as { at: Date | null }[];
    return row?.at ?? null;
  }

  /** Which of these `orderLinkId`s the order ledger of this account knows (tracked orders). */
  async knownOrderLinkIds(accountId: string, orderLinkIds: string[]): Promise<Set<string>> {
    if (orderLinkIds.length === 0) return new Set();
    const rows: { order_link_id: string }[] = await this.dataSource.query(
      'SELECT order_link_id FROM orders WHERE account_id = $1 AND order_link_id = ANY($2)',
      [accountId, orderLinkIds],
    );
    return new Set(rows.map((r) => r.order_link_id));
  }

  /**
   * Which of these tracked `orderLinkId`s belong to a position settled flat (CLOSED, ROLLED_BACK)
   * whose own fills in that order's slot (symbol, hedge side) do not net to zero: a position Legwork
   * calls flat that left exposure on the exchange — our own order's exposure, untracked.
   */
  async ordersOfPositionsLeftOpen(accountId: string, orderLinkIds: string[]): Promise<Set<string>> {
    if (orderLinkIds.length === 0) return new Set();
    const rows: { order_link_id: string }[] = await this.dataSource.query(
      `SELECT o.order_link_id FROM orders o JOIN synthetic_positions p ON p.id = o.position_id
       WHERE o.account_id = $1 AND o.order_link_id = ANY($2) AND p.status IN ('CLOSED', 'ROLLED_BACK')
         AND (SELECT coalesce(sum(CASE WHEN t.side = 'buy' THEN t.quantity ELSE -t.quantity END), 0)
              FROM trades t JOIN orders f ON f.id = t.order_id
              WHERE f.position_id = o.position_id AND f.symbol = o.symbol AND f.hedge_side IS NOT DISTINCT FROM o.hedge_side) <> 0`,
      [accountId, orderLinkIds],
    );
    return new Set(rows.map((r) => r.order_link_id));
  }

  /**
   * Starts a scan run; null when this (job, account, window) already completed — a redelivered
   * or duplicated job must not count a scan twice.
   */
  async beginRun(job: 'reconcile' | 'orphans', accountId: string, windowStart: Date): Promise<'started' | null> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO scan_runs (job, account_id, window_start, status) VALUES ($1, $2, $3, 'running')
       ON CONFLICT (job, account_id, window_start) DO UPDATE SET attempts = scan_runs.attempts + 1, status = 'running', started_at = now()
       WHERE scan_runs.status NOT IN ('done', 'skipped')
       RETURNING job`,
      [job, accountId, windowStart],
    );
    return rows.length > 0 ? 'started' : null;
  }

  async finishRun(job: 'reconcile' | 'orphans', accountId: string, windowStart: Date, error: string | null): Promise<void> {
    await this.dataSource.query(
      `UPDATE scan_runs SET status = $4, finished_at = now(), error = $5 WHERE job = $1 AND account_id = $2 AND window_start = $3`,
      [job, accountId, windowStart, error ? 'failed' : 'done', error],
    );
  }

  /** Ends a run without scanning (the account's API key is refused): done for this window, with why. */
  async skipRun(job: 'reconcile' | 'orphans', accountId: string, windowStart: Date, reason: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE scan_runs SET status = 'skipped', finished_at = now(), error = $4 WHERE job = $1 AND account_id = $2 AND window_start = $3`,
      [job, accountId, windowStart, reason],
    );
  }

  /**
   * Records one position's reconciliation verdict: health (with `altered_since`), the open
   * deviations (kept as history: first seen, last seen, cleared), and — only when the health
   * changes — `onHealthChange` (the alert saying so), in one transaction.
   * @returns the health before this verdict.
   */
  async recordVerdict(
    positionId: string,
    health: 'IN_SYNC' | 'ALTERED',
    deviations: DeviationInput[],
    at: Date,
    /** Symbols in grace this scan: their open deviations are neither updated nor cleared. */
    skipSymbols: ReadonlySet<string>,
    onHealthChange: OutboxMessage[],
  ): Promise<'IN_SYNC' | 'ALTERED'> {
    return this.dataSource.transaction(async (m) => {
      const position = await lockExistingPosition(m, positionId);
      const previous = position.health;
      if (previous !== health) {
        await m.update(
          PositionRecord,
          { id: positionId },
          { health, alteredSince: health === 'ALTERED' ? at : null, updatedAt: new Date() },
        );
      }
      const current = await m.getRepository(PositionDeviationRecord).find({ where: { positionId, clearedAt: IsNull() } });
      for (const d of deviations) {
        const existing = current.find((c) => c.symbol === d.symbol && c.kind === d.kind);
        if (existing) {
          await m.update(PositionDeviationRecord, { id: existing.id }, { ...d, lastSeenAt: at });
        } else {
          await m.insert(PositionDeviationRecord, { ...d, positionId, firstSeenAt: at, lastSeenAt: at, clearedAt: null });
        }
      }
      for (const gone of current.filter(
        (c) => !skipSymbols.has(c.symbol) && !deviations.some((d) => d.symbol === c.symbol && d.kind === c.kind),
      )) {
        await m.update(PositionDeviationRecord, { id: gone.id }, { clearedAt: at });
      }
      if (previous !== health) for (const message of onHealthChange) await writeOutbox(m, message);
      return previous;
    });
  }

  async deviations(positionId: string): Promise<PositionDeviationRecord[]> {
    return this.dataSource.getRepository(PositionDeviationRecord).find({ where: { positionId }, order: { id: 'ASC' } });
  }

  /** Upserts the P&L of several positions in one statement (plain SQL: every scan writes it). */
  async recordPnl(
    rows: { positionId: string; pnlUsdt: string; perLeg: { symbol: string; pnlUsdt: string }[]; missingPrices: string[] }[],
    at: Date,
  ): Promise<void> {
    if (rows.length === 0) return;
    await queryPrepared(
      this.dataSource,
      'legwork_record_pnl',
      `INSERT INTO position_pnl (position_id, pnl_usdt, per_leg, missing_prices, computed_at)
       SELECT r.position_id, r.pnl_usdt, r.per_leg, ARRAY(SELECT jsonb_array_elements_text(r.missing_prices)), $2
       FROM jsonb_to_recordset($1::jsonb) AS r (position_id uuid, pnl_usdt numeric, per_leg jsonb, missing_prices jsonb)
       ON CONFLICT (position_id) DO UPDATE SET pnl_usdt = EXCLUDED.pnl_usdt, per_leg = EXCLUDED.per_leg,
         missing_prices = EXCLUDED.missing_prices, computed_at = EXCLUDED.computed_at`,
      [
        JSON.stringify(
          rows.map((r) => ({ position_id: r.positionId, pnl_usdt: r.pnlUsdt, per_leg: r.perLeg, missing_prices: r.missingPrices })),
        ),
        at,
      ],
    );
  }

  pnl(positionId: string): Promise<PositionPnlRecord | null> {
    return this.dataSource.getRepository(PositionPnlRecord).findOneBy({ positionId });
  }

  /** Orphans being followed on this account (suspected or confirmed). */
  openOrphans(accountId: string): Promise<OrphanObservationRecord[]> {
    return this.dataSource.getRepository(OrphanObservationRecord).find({ where: { accountId, status: In(['suspected', 'confirmed']) } });
  }

  confirmedOrphans(accountId?: string): Promise<OrphanObservationRecord[]> {
    return this.dataSource
      .getRepository(OrphanObservationRecord)
      .find({ where: { status: 'confirmed', ...(accountId ? { accountId } : {}) } });
  }

  async countConfirmedOrphans(): Promise<number> {
    return this.dataSource.getRepository(OrphanObservationRecord).countBy({ status: 'confirmed' });
  }

  async countAltered(): Promise<number> {
    return this.dataSource.getRepository(PositionRecord).countBy({ health: 'ALTERED', status: In(HOLDING) });
  }

  /**
   * Writes the orphan states after a scan — followed ones upserted, ended ones closed with their
   * final status — and `messages`, in one transaction. An orphan is one row per (account, symbol,
   * hedge side), `hedgeSide` '' in one-way mode.
   */
  async recordOrphans(
    accountId: string,
    following: Omit<OrphanObservationRecord, 'id' | 'accountId' | 'resolvedAt'>[],
    ended: { symbol: string; hedgeSide: OrphanObservationRecord['hedgeSide']; status: 'resolved' | 'dropped'; at: Date }[],
    messages: OutboxMessage[],
  ): Promise<void> {
    if (following.length === 0 && ended.length === 0 && messages.length === 0) return;
    const sameSlot = (a: { symbol: string; hedgeSide: string }, b: { symbol: string; hedgeSide: string }) =>
      a.symbol === b.symbol && a.hedgeSide === b.hedgeSide;
    await this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(OrphanObservationRecord);
      const open = await repo.find({ where: { accountId, status: In(['suspected', 'confirmed']) } });
      for (const end of ended) {
        const row = open.find((o) => sameSlot(o, end));
        if (row) await repo.update({ id: row.id }, { status: end.status, resolvedAt: end.at });
      }
      for (const state of following) {
        const row = open.find((o) => sameSlot(o, state) && !ended.some((e) => sameSlot(e, o)));
        if (row) await repo.update({ id: row.id }, state);
        else await repo.insert({ ...state, id: randomUUID(), accountId, resolvedAt: null });
      }
      for (const message of messages) await writeOutbox(m, message);
    });
  }

  /** Open legs an execution left unknown, whose position is no longer being worked on. */
  async unsettledLegs(accountId: string, now = new Date()): Promise<OrderRecord[]> {
    return queryPrepared<OrderRecord>(
      this.dataSource,
      'legwork_unsettled_legs',
      `SELECT ${ORDER_COLUMNS} FROM orders
       WHERE account_id = $1 AND status IN ('SUBMITTED', 'UNCONFIRMED')
         AND position_id IN (SELECT id FROM synthetic_positions WHERE account_id = $1 AND (lease_expires_at IS NULL OR lease_expires_at < $2))`,
      [accountId, now],
    );
  }
}
