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
  /** Symbols of its deviations still open (`position_deviations`, not cleared), sorted. */
  openDeviationSymbols: string[];
}

/** States a position's exposure counts in (everything else holds nothing or is settled flat). */
export const HOLDING: PositionStatus[] = ['EXECUTING', 'ACTIVE', 'CLOSING', 'FAILED', 'ROLLING_BACK'];

/**
 * The account's positions with what each holds now (the scans' and the unwind's view of the
 * account): ONE statement, plain SQL, whatever the number of positions — every scan of every
 * account runs it.
 * @param inFlightWindowMs how long a working position without a live lease still counts as in flight
 */
export async function readAccountPositions(
  dataSource: DataSource,
  accountId: string,
  now: Date,
  inFlightWindowMs: number,
): Promise<AccountPosition[]> {
  // One statement (one round trip, one snapshot): each position with its components and orders
  // as JSON arrays, quantities and prices as text (never JSON numbers, which would lose digits).
  const rows = (await dataSource.query(
    `SELECT p.id, p.status, p.health, p.position_mode AS "positionMode", p.lease_expires_at AS "leaseExpiresAt", p.updated_at AS "updatedAt",
       (SELECT coalesce(json_agg(json_build_object('legIndex', c.leg_index, 'symbol', c.symbol, 'side', c.side,
                 'expectedQuantity', c.expected_quantity::text, 'entryPrice', c.entry_price::text, 'createdAt', c.created_at)), '[]')
        FROM position_components c WHERE c.position_id = p.id) AS components,
       (SELECT coalesce(json_agg(json_build_object('purpose', o.purpose, 'legIndex', o.leg_index, 'status', o.status,
                 'filledQuantity', o.filled_quantity::text, 'symbol', o.symbol, 'side', o.side, 'hedgeSide', o.hedge_side,
                 'orderLinkId', o.order_link_id, 'averagePrice', o.average_price::text, 'settledAt', o.settled_at, 'updatedAt', o.updated_at)
                 ORDER BY o.leg_index), '[]')
        FROM orders o WHERE o.position_id = p.id) AS orders,
       ARRAY(SELECT DISTINCT d.symbol FROM position_deviations d WHERE d.position_id = p.id AND d.cleared_at IS NULL) AS "openDeviationSymbols"
     FROM synthetic_positions p WHERE p.account_id = $1 AND p.status = ANY($2::text[])`,
    [accountId, HOLDING],
  )) as (Pick<PositionRecord, 'id' | 'status' | 'health' | 'positionMode' | 'leaseExpiresAt' | 'updatedAt'> & {
    components: Json<ComponentRow>[];
    orders: Json<OrderRow>[];
    openDeviationSymbols: string[];
  })[];
  return rows.map((p) => {
    const mine = p.orders.map((o) => ({ ...o, settledAt: dateOrNull(o.settledAt), updatedAt: new Date(o.updatedAt) }));
    const components = p.components.map((c) => ({ ...c, createdAt: new Date(c.createdAt) }));
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
        ? components.map((c) => ({
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
      openDeviationSymbols: p.openDeviationSymbols,
    };
  });
}

type ComponentRow = Pick<PositionComponentRecord, 'legIndex' | 'symbol' | 'side' | 'expectedQuantity' | 'entryPrice' | 'createdAt'>;
type OrderRow = Pick<
  OrderRecord,
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
>;
/** A row as `json_build_object` gives it: timestamps as ISO text. */
type Json<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

function dateOrNull(text: string | null): Date | null {
  return text === null ? null : new Date(text);
}
