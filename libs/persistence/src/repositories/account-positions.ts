import Decimal from 'decimal.js';
import type { DataSource } from 'typeorm';
import { hedgeSideOfLeg, slotKey, type HedgeSide, type LegSide, type PositionMode, type PositionStatus } from '@legwork/domain';
import type { OrderRecord } from '../records/position.records';
import { queryPrepared } from './prepared-query';

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
  /** The symbols of its deviations still open (`position_deviations` not cleared, any kind). */
  openDeviationSymbols: string[];
}

/** States a position's exposure counts in (everything else holds nothing or is settled flat). */
export const HOLDING: PositionStatus[] = ['EXECUTING', 'ACTIVE', 'CLOSING', 'FAILED', 'ROLLING_BACK'];

/**
 * States whose legs are what the basket recorded (its components) less its filled unwinds; in the
 * others a position holds what its open orders filled.
 */
const HELD_AS_RECORDED: PositionStatus[] = ['ACTIVE', 'CLOSING'];

/** One row of {@link readAccountPositions}' statement: a position, one of its components, or one of its orders. */
interface ViewRow {
  kind: 'position' | 'component' | 'order';
  positionId: string;
  /** The position's status, or the order's. */
  status: string;
  health: 'IN_SYNC' | 'ALTERED' | null;
  positionMode: PositionMode | null;
  leaseExpiresAt: Date | null;
  /**
   * A position's last change; when an order settled (its last change when no settlement time was
   * recorded); for a component, that time of its leg's filled open order (when the component was
   * recorded if none): the leg is held since then. One column: every date parsed costs the scans.
   */
  at: Date;
  openDeviationSymbols: string[] | null;
  legIndex: number;
  symbol: string;
  side: LegSide;
  /** A component's expected quantity, or an order's filled quantity. */
  quantity: string;
  /** A component's entry price, or an order's average price. */
  price: string | null;
  purpose: OrderRecord['purpose'];
  hedgeSide: HedgeSide | null;
  orderLinkId: string;
}

/**
 * The account's positions with what each holds now (the scans' and the unwind's view of the
 * account): ONE prepared statement, plain SQL, whatever the number of positions — every scan of
 * every account runs it. One statement is also one snapshot: a position's status, its components and
 * its orders are read as of the same instant.
 * @param inFlightWindowMs how long a working position without a live lease still counts as in flight
 */
export async function readAccountPositions(
  dataSource: DataSource,
  accountId: string,
  now: Date,
  inFlightWindowMs: number,
): Promise<AccountPosition[]> {
  // Three row shapes in one result (plain rows: building JSON in the database cost more than it saved).
  const rows = await queryPrepared<ViewRow>(
    dataSource,
    'legwork_account_view',
    `WITH p AS MATERIALIZED (
       SELECT id, status, health, position_mode, lease_expires_at, updated_at FROM synthetic_positions
       WHERE account_id = $1 AND status = ANY($2::text[]))
     SELECT 'position' AS kind, p.id AS "positionId", p.status, p.health, p.position_mode AS "positionMode",
            p.lease_expires_at AS "leaseExpiresAt", p.updated_at AS at,
            ARRAY(SELECT DISTINCT d.symbol FROM position_deviations d WHERE d.position_id = p.id AND d.cleared_at IS NULL)
              AS "openDeviationSymbols",
            NULL::int AS "legIndex", NULL::text AS symbol, NULL::text AS side, NULL::numeric AS quantity, NULL::numeric AS price,
            NULL::text AS purpose, NULL::text AS "hedgeSide", NULL::text AS "orderLinkId"
     FROM p
     UNION ALL
     SELECT 'component', c.position_id, NULL, NULL, NULL, NULL,
            COALESCE((SELECT COALESCE(o.settled_at, o.updated_at) FROM orders o
                      WHERE o.position_id = c.position_id AND o.purpose = 'open' AND o.leg_index = c.leg_index AND o.status = 'FILLED'
                      ORDER BY o.attempt LIMIT 1), c.created_at),
            NULL, c.leg_index, c.symbol, c.side, c.expected_quantity, c.entry_price, NULL, NULL, NULL
     FROM position_components c JOIN p ON p.id = c.position_id
     WHERE p.status = ANY($3::text[])
     UNION ALL
     SELECT 'order', o.position_id, o.status, NULL, NULL, NULL, COALESCE(o.settled_at, o.updated_at), NULL, o.leg_index, o.symbol,
            o.side, o.filled_quantity, o.average_price, o.purpose, o.hedge_side, o.order_link_id
     FROM orders o JOIN p ON p.id = o.position_id
     WHERE NOT (p.status = ANY($3::text[]) AND o.purpose = 'open' AND o.status = 'FILLED')
     ORDER BY "legIndex"`,
    [accountId, HOLDING, HELD_AS_RECORDED],
  );
  const positions: ViewRow[] = [];
  const componentsOf = new Map<string, ViewRow[]>();
  const ordersOf = new Map<string, ViewRow[]>();
  for (const r of rows) {
    if (r.kind === 'position') positions.push(r);
    else {
      const of = r.kind === 'component' ? componentsOf : ordersOf;
      const mine = of.get(r.positionId) ?? [];
      mine.push(r);
      of.set(r.positionId, mine);
    }
  }
  return positions.map((row) => {
    // A position row carries every position column (the other kinds leave them null).
    const p = {
      id: row.positionId,
      status: row.status as PositionStatus,
      health: row.health as 'IN_SYNC' | 'ALTERED',
      positionMode: row.positionMode as PositionMode,
      leaseExpiresAt: row.leaseExpiresAt,
      updatedAt: row.at,
      openDeviationSymbols: row.openDeviationSymbols as string[],
    };
    const mine = ordersOf.get(p.id) ?? [];
    // Per leg: what its filled close / rollback orders took off.
    const unwound = new Map<number, Decimal>();
    for (const o of mine) {
      if (o.status === 'FILLED' && (o.purpose === 'close' || o.purpose === 'rollback'))
        unwound.set(o.legIndex, (unwound.get(o.legIndex) ?? new Decimal(0)).plus(o.quantity));
    }
    // Components are read only for the states held as recorded (whose filled open orders are not read).
    const components = componentsOf.get(p.id);
    const legs: HeldLeg[] = [];
    for (const l of components ?? mine.filter((o) => o.purpose === 'open' && o.status === 'FILLED')) {
      const off = unwound.get(l.legIndex);
      const held = off ? new Decimal(l.quantity).minus(off) : new Decimal(l.quantity);
      if (!held.gt(0)) continue;
      const leg: HeldLeg = {
        legIndex: l.legIndex,
        symbol: l.symbol,
        side: l.side,
        quantity: held.toString(),
        openedQuantity: l.quantity,
        entryPrice: l.price ?? '0',
        heldSince: l.at,
      };
      const hedgeSide = hedgeSideOfLeg(p.positionMode, l.side);
      if (hedgeSide) leg.hedgeSide = hedgeSide;
      legs.push(leg);
    }
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
      // The components stand for the filled open orders not read (each is for its component's slot).
      orderSlots: [
        ...new Set([
          ...mine.map((o) => slotKey(o.symbol, o.hedgeSide)),
          ...(components ?? []).map((c) => slotKey(c.symbol, hedgeSideOfLeg(p.positionMode, c.side))),
        ]),
      ],
      unsettledUnwinds: mine
        .filter((o) => o.purpose !== 'open' && (o.status === 'SUBMITTED' || o.status === 'UNCONFIRMED'))
        .map((o) => ({ symbol: o.symbol, hedgeSide: o.hedgeSide, orderLinkId: o.orderLinkId })),
      openDeviationSymbols: p.openDeviationSymbols,
    };
  });
}
