import { randomUUID } from 'node:crypto';
import { RENEW_LEASE_SQL } from './position-lease-sql';
import { queryPrepared } from './prepared-query';
import { DataSource, In } from 'typeorm';
import { legStatusPredecessors } from '@legwork/domain';
import type { HedgeSide, LegOrderStatus, LegSide, OrderPurpose, UnwindOutcome } from '@legwork/domain';
import { OrderRecord, TradeRecord } from '../records/position.records';
import { PersistenceError } from '../persistence-error';
import { OutboxMessage, writeOutbox } from '@legwork/outbox';

export interface PlannedOrder {
  legIndex: number;
  orderLinkId: string;
  symbol: string;
  side: LegSide;
  quantity: string;
  reduceOnly: boolean;
  plannedMarkPrice: string | null;
  /** See `hedgeSideOfOrder`: null (one-way mode) when absent. */
  hedgeSide?: HedgeSide | null;
}

/** One execution of an order, as recorded in `trades`. Decimal strings; `executedAt` from the exchange. */
export interface Fill {
  execId: string;
  exchangeOrderId: string;
  price: string;
  quantity: string;
  fee: string;
  feeCurrency: string;
  executedAt: Date;
}

/** `orders` columns under the property names of {@link OrderRecord}. */
export const ORDER_COLUMNS = `id, position_id AS "positionId", account_id AS "accountId", purpose, attempt, leg_index AS "legIndex",
  order_link_id AS "orderLinkId", symbol, side, quantity, reduce_only AS "reduceOnly", hedge_side AS "hedgeSide", planned_mark_price AS "plannedMarkPrice",
  position_size_before AS "positionSizeBefore", status, exchange_order_id AS "exchangeOrderId", filled_quantity AS "filledQuantity",
  average_price AS "averagePrice", reject_code AS "rejectCode", reject_reason AS "rejectReason", reject_exchange AS "rejectExchange", unwind_outcome AS "unwindOutcome",
  submit_count AS "submitCount", created_at AS "createdAt", submitted_at AS "submittedAt", settled_at AS "settledAt", updated_at AS "updatedAt"`;

/**
 * The order ledger. Invariant: a row exists (`PLANNED`) before its order is sent, and moves to
 * `SUBMITTED` before each request leaves, so after any crash Legwork knows which orders might
 * exist on the exchange and settles them by `orderLinkId` instead of sending again blindly.
 */
export class OrderLedgerRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Runs `work` while holding the account's lock on `symbol`, so that legs of one account in one
   * symbol are sent and verified one at a time across every executor: a leg's fill is verified
   * by the position size moving by exactly its quantity (Bybit one-way mode: one position per
   * symbol per account), which a concurrent leg in the same symbol would blur.
   *
   * A transaction-scoped advisory lock (`pg_advisory_xact_lock`) held on its own connection: it
   * cannot outlive the transaction, and a lost connection releases it (the leg then carries on
   * unlocked: verification may be slower, never wrong).
   * @throws the database error when the lock cannot be taken (the database is unreachable).
   */
  async withSymbolLock<T>(accountId: string, symbol: string, work: () => Promise<T>): Promise<T> {
    return this.withSymbolLocks(accountId, [symbol], work);
  }

  /**
   * {@link withSymbolLock} over several symbols at once, for work that spans them (a basket whose
   * position check runs once at its end against sizes read before its first leg; a batch of legs
   * sent in one request), in one transaction on one connection. The locks are taken in sorted
   * order, so two such baskets sharing symbols cannot deadlock; held until `work` ends.
   * @throws the database error when a lock cannot be taken (the database is unreachable).
   */
  async withSymbolLocks<T>(accountId: string, symbols: readonly string[], work: () => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      // One statement: unnest yields the keys in the array's (sorted) order, and each lock is
      // taken as its row is scanned, so the order holds as with one statement per lock.
      await runner.query('SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) FROM unnest($1::text[]) AS k', [
        [...new Set(symbols)].sort().map((symbol) => `leg:${accountId}:${symbol}`),
      ]);
      try {
        return await work();
      } finally {
        // Only the locks are in this transaction: a failed commit means the connection is gone, and
        // the locks with it; the legs' own outcome (returned or thrown by `work`) stands.
        await runner.commitTransaction().catch(() => undefined);
      }
    } finally {
      await runner.release();
    }
  }

  /**
   * Writes the plan for one purpose/attempt of a position once: a second call (a redelivery)
   * keeps the first plan — quantities are never recomputed mid-basket.
   * @returns the ledger rows for that purpose/attempt, by leg index.
   */
  async plan(
    position: { id: string; accountId: string },
    purpose: OrderPurpose,
    attempt: number,
    orders: PlannedOrder[],
  ): Promise<OrderRecord[]> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(OrderRecord)
      .values(
        orders.map((o) => ({
          ...o,
          hedgeSide: o.hedgeSide ?? null,
          id: randomUUID(),
          positionId: position.id,
          accountId: position.accountId,
          purpose,
          attempt,
          status: 'PLANNED' as const,
          filledQuantity: '0',
          submitCount: 0,
        })),
      )
      .orIgnore()
      .execute();
    return this.list(position.id, purpose, attempt);
  }

  /** A position's ledger rows (of one purpose/attempt when given), by purpose, attempt and leg index. */
  async list(positionId: string, purpose?: OrderPurpose, attempt?: number): Promise<OrderRecord[]> {
    // Plain SQL: read after every leg, it was the executor's largest TypeORM cost (bench/RESULTS.md).
    const rows: OrderRecord[] = await this.dataSource.query(
      `SELECT ${ORDER_COLUMNS} FROM orders
       WHERE position_id = $1 AND ($2::text IS NULL OR purpose = $2) AND ($3::int IS NULL OR attempt = $3)
       ORDER BY purpose, attempt, leg_index`,
      [positionId, purpose ?? null, attempt ?? null],
    );
    return rows.map((row) => Object.assign(new OrderRecord(), row));
  }

  /**
   * The basket's ledger rows (as {@link list}) and the position's lease extended to
   * `lease.expiresAt` if `lease.owner` still holds it, in ONE statement: the executor reads the
   * ledger after every leg and must renew the lease before the next (BasketRunner).
   * @returns the rows, and whether the lease was held (and is now extended)
   */
  async listRenewingLease(
    positionId: string,
    purpose: OrderPurpose,
    attempt: number,
    lease: { owner: string; expiresAt: Date },
  ): Promise<{ legs: OrderRecord[]; leaseHeld: boolean }> {
    // One row per order, or one row of NULL order columns when there is none: the lease's answer
    // always comes back. Prepared (parsed and planned once per connection): it runs after every leg.
    const rows = await queryPrepared<OrderRecord & { leaseHeld: boolean }>(
      this.dataSource,
      'legwork_ledger_list_renewing_lease',
      `WITH renewed AS (${RENEW_LEASE_SQL})
       SELECT o.*, EXISTS (SELECT 1 FROM renewed) AS "leaseHeld"
       FROM (SELECT 1) AS one
       LEFT JOIN LATERAL (SELECT ${ORDER_COLUMNS} FROM orders WHERE position_id = $1 AND purpose = $4 AND attempt = $5) AS o ON true
       ORDER BY o."legIndex"`,
      [positionId, lease.owner, lease.expiresAt, purpose, attempt],
    );
    return {
      legs: rows.filter((row) => row.id !== null).map(({ leaseHeld: _held, ...row }) => Object.assign(new OrderRecord(), row)),
      leaseHeld: rows[0]?.leaseHeld === true,
    };
  }

  /** Fills of several positions at once (a list page's P&L), oldest first. */
  tradesOf(positionIds: readonly string[]): Promise<TradeRecord[]> {
    if (positionIds.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(TradeRecord).find({ where: { positionId: In([...positionIds]) }, order: { executedAt: 'ASC' } });
  }

  async trades(positionId: string): Promise<TradeRecord[]> {
    return (await this.dataSource.query(
      `SELECT id, order_id AS "orderId", position_id AS "positionId", exec_id AS "execId", exchange_order_id AS "exchangeOrderId", symbol, side,
              price, quantity, fee, fee_currency AS "feeCurrency", executed_at AS "executedAt", recorded_at AS "recordedAt"
       FROM trades WHERE position_id = $1 ORDER BY executed_at`,
      [positionId],
    )) as TradeRecord[];
  }

  /**
   * Records that a request for this order is about to leave (before the HTTP call), with the
   * signed position size seen just before, which fill verification compares against.
   * @throws PersistenceError `LEG.STATUS_CONFLICT` when the leg is already settled (see {@link writeStatus})
   */
  async markSubmitted(orderId: string, positionSizeBefore: string | null): Promise<void> {
    // The size before the FIRST submit: a resend must compare against the same baseline.
    await this.writeStatus(
      this.dataSource,
      orderId,
      'SUBMITTED',
      'submit_count = submit_count + 1, position_size_before = COALESCE(position_size_before, $4::numeric), submitted_at = now()',
      [positionSizeBefore],
    );
  }

  /** Records the exchange's order id as soon as it is known (acknowledged, fills not yet verified). */
  async recordExchangeOrderId(orderId: string, exchangeOrderId: string): Promise<void> {
    await this.dataSource.query('UPDATE orders SET exchange_order_id = $2, updated_at = now() WHERE id = $1', [orderId, exchangeOrderId]);
  }

  /**
   * `FILLED` with its fills, in one transaction; a fill already recorded (same execId) is kept
   * once. `messages` (e.g. an alert about the fill) are committed with it.
   * @throws PersistenceError `LEG.STATUS_CONFLICT` when the leg is already settled: nothing is written
   */
  async markFilled(
    order: OrderRecord,
    result: { exchangeOrderId: string; filledQuantity: string; averagePrice: string; fills: Fill[] },
    messages: OutboxMessage[] = [],
  ): Promise<void> {
    if (messages.length === 0) return this.markFilledInOneStatement(order.id, result);
    await this.dataSource.transaction(async (m) => {
      await this.writeStatus(
        m,
        order.id,
        'FILLED',
        'exchange_order_id = $4, filled_quantity = $5, average_price = $6, settled_at = now()',
        [result.exchangeOrderId, result.filledQuantity, result.averagePrice],
      );
      for (const message of messages) await writeOutbox(m, message);
      for (const f of result.fills) {
        await m.query(
          `INSERT INTO trades (id, order_id, position_id, exec_id, exchange_order_id, symbol, side, price, quantity, fee, fee_currency, executed_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (order_id, exec_id) DO NOTHING`,
          [
            randomUUID(),
            order.id,
            order.positionId,
            f.execId,
            f.exchangeOrderId,
            order.symbol,
            order.side,
            f.price,
            f.quantity,
            f.fee,
            f.feeCurrency,
            f.executedAt,
          ],
        );
      }
    });
  }

  /**
   * The common case of {@link markFilled} (no message): the status and every fill in ONE
   * statement, one round trip on every leg instead of BEGIN, UPDATE, an INSERT per fill, COMMIT.
   * Atomic as the transaction is: the fills are inserted only from the row the guarded UPDATE
   * wrote, so a leg already settled otherwise gets no fill and the conflict is thrown.
   */
  private async markFilledInOneStatement(
    orderId: string,
    result: { exchangeOrderId: string; filledQuantity: string; averagePrice: string; fills: Fill[] },
  ): Promise<void> {
    const column = <K extends keyof Fill>(key: K) => result.fills.map((f) => f[key]);
    // Prepared (parsed and planned once per connection): it runs for every leg.
    const [row] = await queryPrepared<{ updated: number }>(
      this.dataSource,
      'legwork_ledger_mark_filled',
      `WITH filled AS (
         UPDATE orders SET status = 'FILLED', exchange_order_id = $3, filled_quantity = $4, average_price = $5, settled_at = now(), updated_at = now()
         WHERE id = $1 AND status = ANY($2) RETURNING id, position_id, symbol, side
       ), recorded AS (
         INSERT INTO trades (id, order_id, position_id, exec_id, exchange_order_id, symbol, side, price, quantity, fee, fee_currency, executed_at)
         SELECT f.id, o.id, o.position_id, f.exec_id, f.exchange_order_id, o.symbol, o.side, f.price, f.quantity, f.fee, f.fee_currency, f.executed_at
         FROM filled o,
           unnest($6::uuid[], $7::text[], $8::text[], $9::numeric[], $10::numeric[], $11::numeric[], $12::text[], $13::timestamptz[])
             AS f (id, exec_id, exchange_order_id, price, quantity, fee, fee_currency, executed_at)
         ON CONFLICT (order_id, exec_id) DO NOTHING
       )
       SELECT count(*)::int AS updated FROM filled`,
      [
        orderId,
        legStatusPredecessors('FILLED'),
        result.exchangeOrderId,
        result.filledQuantity,
        result.averagePrice,
        result.fills.map(() => randomUUID()),
        column('execId'),
        column('exchangeOrderId'),
        column('price'),
        column('quantity'),
        column('fee'),
        column('feeCurrency'),
        column('executedAt'),
      ],
    );
    if ((row?.updated ?? 0) === 0) await this.throwStatusConflict(this.dataSource, orderId, 'FILLED');
  }

  /**
   * `REJECTED`: the exchange refused it, or it ended with zero fill.
   * @throws PersistenceError `LEG.STATUS_CONFLICT` when the leg is already settled
   */
  async markRejected(
    orderId: string,
    reject: { code: string; reason: string; exchangeOrderId?: string; exchange?: { retCode: number; retMsg: string } },
  ): Promise<void> {
    await this.writeStatus(
      this.dataSource,
      orderId,
      'REJECTED',
      'reject_code = $4, reject_reason = $5, exchange_order_id = $6, reject_exchange = $7, settled_at = now()',
      [reject.code, reject.reason, reject.exchangeOrderId ?? null, reject.exchange ? JSON.stringify(reject.exchange) : null],
    );
  }

  /**
   * Lowers a not-yet-sent unwind leg's quantity to what the exchange still holds (a manual
   * partial close): the ledger always shows exactly what is sent.
   */
  async adjustPlannedQuantity(orderId: string, quantity: string): Promise<void> {
    await this.dataSource.getRepository(OrderRecord).update({ id: orderId, status: 'PLANNED' }, { quantity, updatedAt: new Date() });
  }

  /**
   * `SKIPPED`: an unwind leg deliberately not sent (already flat, or side mismatch), with why.
   * @throws PersistenceError `LEG.STATUS_CONFLICT` when the leg is already settled
   */
  async markSkipped(orderId: string, outcome: UnwindOutcome, reason: string): Promise<void> {
    await this.writeStatus(this.dataSource, orderId, 'SKIPPED', 'unwind_outcome = $4, reject_reason = $5, settled_at = now()', [
      outcome,
      reason,
    ]);
  }

  /** Records how an unwind leg ended (closed, still_open, failed). */
  async recordUnwindOutcome(orderId: string, outcome: UnwindOutcome): Promise<void> {
    await this.dataSource.query('UPDATE orders SET unwind_outcome = $2, updated_at = now() WHERE id = $1', [orderId, outcome]);
  }

  /**
   * `UNCONFIRMED`: verification ran out of time with no definitive answer; never read as "not filled".
   * @throws PersistenceError `LEG.STATUS_CONFLICT` when the leg is already settled
   */
  async markUnconfirmed(orderId: string, reason: string): Promise<void> {
    await this.writeStatus(this.dataSource, orderId, 'UNCONFIRMED', 'reject_reason = $4', [reason]);
  }

  /**
   * The one place `orders.status` is written: `to` only from its predecessors in the domain's
   * table (`legStatusPredecessors`), so a racing or late writer can never overwrite a settled leg.
   * `assignments` use `$4…` for `params` ($1 id, $2 status, $3 predecessors).
   * @throws PersistenceError `LEG.STATUS_CONFLICT` naming the leg, its current status and the
   *   refused transition; `LEG.NOT_FOUND` when no such leg exists
   */
  private async writeStatus(run: Queryable, orderId: string, to: LegOrderStatus, assignments: string, params: unknown[]): Promise<void> {
    const [, affected] = (await run.query(
      `UPDATE orders SET status = $2, ${assignments}, updated_at = now() WHERE id = $1 AND status = ANY($3)`,
      [orderId, to, legStatusPredecessors(to), ...params],
    )) as [unknown, number];
    if (affected > 0) return;
    await this.throwStatusConflict(run, orderId, to);
  }

  /** Why a guarded status write changed nothing. @throws PersistenceError `LEG.NOT_FOUND` or `LEG.STATUS_CONFLICT`, always */
  private async throwStatusConflict(run: Queryable, orderId: string, to: LegOrderStatus): Promise<never> {
    const [current] = (await run.query('SELECT status, order_link_id AS "orderLinkId" FROM orders WHERE id = $1', [orderId])) as {
      status: LegOrderStatus;
      orderLinkId: string;
    }[];
    if (!current) throw new PersistenceError('LEG.NOT_FOUND', `leg ${orderId} does not exist; cannot mark it ${to}`, { orderId, to });
    throw new PersistenceError(
      'LEG.STATUS_CONFLICT',
      `leg ${current.orderLinkId} (${orderId}) is ${current.status}; it cannot go to ${to}`,
      {
        orderId,
        orderLinkId: current.orderLinkId,
        from: current.status,
        to,
      },
    );
  }
}

/** A connection or a transaction's entity manager: both run plain SQL. */
interface Queryable {
  query(sql: string, params?: unknown[]): Promise<unknown>;
}
