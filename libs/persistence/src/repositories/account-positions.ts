import Decimal from 'decimal.js';
import type { DataSource } from 'typeorm';
import { hedgeSideOfLeg, slotKey, type HedgeSide, type LegSide, type PositionMode, type PositionStatus } from '@legwork/domain';
import type { OrderRecord, PositionComponentRecord, PositionRecord } from '../records/position.records';

/** A leg Legwork believes it holds right now, net of filled close / rollback orders. */
export interface HeldLeg {
  legIndex: number;
  symbol: string;
  side: LegSide;
  /** Held quantity (decimal string, > 0). */
  quantity: string;
  /** Originally opened quantity (P&L is computed on it, seed 000). */
  openedQuantity: string;
  entryPrice: string;
  /** The side of a hedge-mode account the leg lives on (`hedgeSideOfLeg`); absent in one-way mode. */
  hedgeSide?: HedgeSide;
  /** When the leg's open order was settled filled: funding settled before it is not the position's. */
  heldSince: Date;
}

/** A position as reconciliation and orphan detection see it. */
export interface AccountPosition {
  id: string;
  status: PositionStatus;
  health: 'IN_SYNC' | 'ALTERED';
  /** Until when its executor's lease runs (null: none taken or released). */
  leaseExpiresAt: Date | null;
  /** The row's last change (a status change, a lease taken or released). */
  updatedAt: Date;
  /** The account's mode when the position was opened (`synthetic_positions.position_mode`). */
  positionMode: PositionMode;
  /**
   * Work in progress: executing / closing / rolling back with a live lease or a change younger
   * than the in-flight window. Its symbols are in grace (fills may not be recorded yet). A
   * position stuck past the window counts with what its ledger says it holds.
   */
  inFlight: boolean;
  legs: HeldLeg[];
  /**
   * Every slot (`slotKey`) one of the position's orders is for, sent or planned, filled or not:
   * what an in-flight position puts in grace — an order sent but not yet recorded filled may
   * already hold exposure on the exchange.
   */
  orderSlots: string[];
  /**
   * The position's close, rollback and restore orders sent but not yet settled (SUBMITTED or
   * UNCONFIRMED): the exchange may already hold less (or more) than `legs` say.
   */
  unsettledUnwinds: { symbol: string; hedgeSide: HedgeSide | null; orderLinkId: string }[];
}

/** States a position's exposure counts in (everything else holds nothing or is settled flat). */
export const HOLDING: PositionStatus[] = ['EXECUTING', 'ACTIVE', 'CLOSING', 'FAILED', 'ROLLING_BACK'];

/**
 * The account's positions with what each holds now (the scans' and the unwind's view of the
 * account): 3 queries, plain SQL, whatever the number of positions — every scan of every account
 * runs them.
 * @param inFlightWindowMs how long a working position without a live lease still counts as in flight
 */
export async function readAccountPositions(
  dataSource: DataSource,
  accountId: string,
  now: Date,
  inFlightWindowMs: number,
): Promise<AccountPosition[]> {
  const positions = (await dataSource.query(
    `SELECT id, status, health, position_mode AS "positionMode", lease_expires_at AS "leaseExpiresAt", updated_at AS "updatedAt"
     FROM synthetic_positions WHERE account_id = $1 AND status = ANY($2::text[])`,
    [accountId, HOLDING],
  )) as Pick<PositionRecord, 'id' | 'status' | 'health' | 'positionMode' | 'leaseExpiresAt' | 'updatedAt'>[];
  if (positions.length === 0) return [];
  const ids = positions.map((p) => p.id);
  const [components, orders] = (await Promise.all([
    dataSource.query(
      `SELECT position_id AS "positionId", leg_index AS "legIndex", symbol, side, expected_quantity AS "expectedQuantity",
              entry_price AS "entryPrice", created_at AS "createdAt"
       FROM position_components WHERE position_id = ANY($1::uuid[])`,
      [ids],
    ),
    dataSource.query(
      `SELECT position_id AS "positionId", purpose, leg_index AS "legIndex", status, filled_quantity AS "filledQuantity", symbol, side,
              hedge_side AS "hedgeSide", order_link_id AS "orderLinkId", average_price AS "averagePrice",
              settled_at AS "settledAt", updated_at AS "updatedAt"
       FROM orders WHERE position_id = ANY($1::uuid[]) ORDER BY leg_index`,
      [ids],
    ),
  ])) as [
    Pick<PositionComponentRecord, 'positionId' | 'legIndex' | 'symbol' | 'side' | 'expectedQuantity' | 'entryPrice' | 'createdAt'>[],
    Pick<
      OrderRecord,
      | 'positionId'
      | 'purpose'
      | 'legIndex'
      | 'status'
      | 'filledQuantity'
      | 'symbol'
      | 'side'
      | 'hedgeSide'
      | 'orderLinkId'
      | 'averagePrice'
      | 'settledAt'
      | 'updatedAt'
    >[],
  ];
  return positions.map((p) => {
    const mine = orders.filter((o) => o.positionId === p.id);
    const unwound = (legIndex: number) =>
      mine
        .filter((o) => (o.purpose === 'close' || o.purpose === 'rollback') && o.legIndex === legIndex && o.status === 'FILLED')
        .reduce((sum, o) => sum.plus(o.filledQuantity), new Decimal(0));
    const filledOpen = mine.filter((o) => o.purpose === 'open' && o.status === 'FILLED');
    const heldSince = (legIndex: number, fallback: Date) => {
      const order = filledOpen.find((o) => o.legIndex === legIndex);
      return order?.settledAt ?? order?.updatedAt ?? fallback;
    };
    const opened =
      p.status === 'ACTIVE' || p.status === 'CLOSING'
        ? components
            .filter((c) => c.positionId === p.id)
            .map((c) => ({
              legIndex: c.legIndex,
              symbol: c.symbol,
              side: c.side,
              quantity: c.expectedQuantity,
              entryPrice: c.entryPrice,
              heldSince: heldSince(c.legIndex, c.createdAt),
            }))
        : filledOpen.map((o) => ({
            legIndex: o.legIndex,
            symbol: o.symbol,
            side: o.side,
            quantity: o.filledQuantity,
            entryPrice: o.averagePrice ?? '0',
            heldSince: o.settledAt ?? o.updatedAt,
          }));
    const legs = opened
      .map((l): HeldLeg => {
        const hedgeSide = hedgeSideOfLeg(p.positionMode, l.side);
        return {
          ...l,
          openedQuantity: l.quantity,
          quantity: new Decimal(l.quantity).minus(unwound(l.legIndex)).toString(),
          ...(hedgeSide ? { hedgeSide } : {}),
        };
      })
      .filter((l) => new Decimal(l.quantity).gt(0));
    const leaseLive = p.leaseExpiresAt !== null && p.leaseExpiresAt.getTime() > now.getTime();
    const working = p.status === 'EXECUTING' || p.status === 'CLOSING' || p.status === 'ROLLING_BACK';
    return {
      id: p.id,
      status: p.status,
      health: p.health,
      leaseExpiresAt: p.leaseExpiresAt,
      updatedAt: p.updatedAt,
      positionMode: p.positionMode,
      inFlight: leaseLive || (working && p.updatedAt.getTime() > now.getTime() - inFlightWindowMs),
      legs,
      orderSlots: [...new Set(mine.map((o) => slotKey(o.symbol, o.hedgeSide)))],
      unsettledUnwinds: mine
        .filter((o) => o.purpose !== 'open' && (o.status === 'SUBMITTED' || o.status === 'UNCONFIRMED'))
        .map((o) => ({ symbol: o.symbol, hedgeSide: o.hedgeSide, orderLinkId: o.orderLinkId })),
    };
  });
}
