import { randomUUID } from 'node:crypto';
import { DataSource, In } from 'typeorm';
import type { LegOrderStatus, LegSide, OrderPurpose, UnwindOutcome } from '@legwork/domain';
import { OrderRecord, TradeRecord } from '../records/position.records';
import { OutboxMessage, writeOutbox } from './outbox-writer';

export interface PlannedOrder {
  legIndex: number;
  orderLinkId: string;
  symbol: string;
  side: LegSide;
  quantity: string;
  reduceOnly: boolean;
  plannedMarkPrice: string | null;
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
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`leg:${accountId}:${symbol}`]);
      try {
        return await work();
      } finally {
        // Only the lock is in this transaction: a failed commit means the connection is gone, and
        // the lock with it; the leg's own outcome (returned or thrown by `work`) stands.
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

  list(positionId: string, purpose?: OrderPurpose, attempt?: number): Promise<OrderRecord[]> {
    return this.dataSource.getRepository(OrderRecord).find({
      where: { positionId, ...(purpose ? { purpose } : {}), ...(attempt !== undefined ? { attempt } : {}) },
      order: { purpose: 'ASC', attempt: 'ASC', legIndex: 'ASC' },
    });
  }

  trades(positionId: string): Promise<TradeRecord[]> {
    return this.dataSource.getRepository(TradeRecord).find({ where: { positionId }, order: { executedAt: 'ASC' } });
  }

  /**
   * Records that a request for this order is about to leave (before the HTTP call), with the
   * signed position size seen just before, which fill verification compares against.
   */
  async markSubmitted(orderId: string, positionSizeBefore: string | null): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .update(OrderRecord)
      .set({
        status: 'SUBMITTED',
        submitCount: () => 'submit_count + 1',
        // The size before the FIRST submit: a resend must compare against the same baseline.
        positionSizeBefore: () => 'COALESCE(position_size_before, CAST(:sizeBefore AS numeric))',
        submittedAt: new Date(),
        updatedAt: new Date(),
      })
      .where({ id: orderId, status: In(['PLANNED', 'SUBMITTED', 'UNCONFIRMED'] satisfies LegOrderStatus[]) })
      .setParameter('sizeBefore', positionSizeBefore)
      .execute();
  }

  /** Records the exchange's order id as soon as it is known (acknowledged, fills not yet verified). */
  async recordExchangeOrderId(orderId: string, exchangeOrderId: string): Promise<void> {
    await this.dataSource.getRepository(OrderRecord).update({ id: orderId }, { exchangeOrderId, updatedAt: new Date() });
  }

  /**
   * `FILLED` with its fills, in one transaction; a fill already recorded (same execId) is kept
   * once. `messages` (e.g. an alert about the fill) are committed with it.
   */
  async markFilled(
    order: OrderRecord,
    result: { exchangeOrderId: string; filledQuantity: string; averagePrice: string; fills: Fill[] },
    messages: OutboxMessage[] = [],
  ): Promise<void> {
    await this.dataSource.transaction(async (m) => {
      for (const message of messages) await writeOutbox(m, message);
      if (result.fills.length > 0) {
        await m
          .createQueryBuilder()
          .insert()
          .into(TradeRecord)
          .values(
            result.fills.map((f) => ({
              ...f,
              id: randomUUID(),
              orderId: order.id,
              positionId: order.positionId,
              symbol: order.symbol,
              side: order.side,
            })),
          )
          .orIgnore()
          .execute();
      }
      await m.update(
        OrderRecord,
        { id: order.id },
        {
          status: 'FILLED',
          exchangeOrderId: result.exchangeOrderId,
          filledQuantity: result.filledQuantity,
          averagePrice: result.averagePrice,
          settledAt: new Date(),
          updatedAt: new Date(),
        },
      );
    });
  }

  /** `REJECTED`: the exchange refused it, or it ended with zero fill. */
  async markRejected(orderId: string, reject: { code: string; reason: string; exchangeOrderId?: string }): Promise<void> {
    await this.dataSource.getRepository(OrderRecord).update(
      { id: orderId },
      {
        status: 'REJECTED',
        rejectCode: reject.code,
        rejectReason: reject.reason,
        exchangeOrderId: reject.exchangeOrderId ?? null,
        settledAt: new Date(),
        updatedAt: new Date(),
      },
    );
  }

  /**
   * Lowers a not-yet-sent unwind leg's quantity to what the exchange still holds (a manual
   * partial close): the ledger always shows exactly what is sent.
   */
  async adjustPlannedQuantity(orderId: string, quantity: string): Promise<void> {
    await this.dataSource.getRepository(OrderRecord).update({ id: orderId, status: 'PLANNED' }, { quantity, updatedAt: new Date() });
  }

  /** `SKIPPED`: an unwind leg deliberately not sent (already flat, or side mismatch), with why. */
  async markSkipped(orderId: string, outcome: UnwindOutcome, reason: string): Promise<void> {
    await this.dataSource
      .getRepository(OrderRecord)
      .update({ id: orderId }, { status: 'SKIPPED', unwindOutcome: outcome, rejectReason: reason, settledAt: new Date(), updatedAt: new Date() });
  }

  /** Records how an unwind leg ended (closed, still_open, failed). */
  async recordUnwindOutcome(orderId: string, outcome: UnwindOutcome): Promise<void> {
    await this.dataSource.getRepository(OrderRecord).update({ id: orderId }, { unwindOutcome: outcome, updatedAt: new Date() });
  }

  /** `UNCONFIRMED`: verification ran out of time with no definitive answer; never read as "not filled". */
  async markUnconfirmed(orderId: string, reason: string): Promise<void> {
    await this.dataSource
      .getRepository(OrderRecord)
      .update({ id: orderId }, { status: 'UNCONFIRMED', rejectReason: reason, updatedAt: new Date() });
  }
}
