import type { Direction, LegSide } from '../composition/compose-basket';
import type { PositionStatus } from '../position/position-status';

/**
 * How the exchange keeps an account's positions in a symbol. `one_way`: one net position per
 * symbol, so a long and a short basket sharing a symbol net out and cannot be told apart (issue
 * 11: a long basket's rollback sold the short basket's BTC). `hedge`: a long side and a short side
 * per symbol, independent of each other.
 */
export type PositionMode = 'one_way' | 'hedge';

/** One side of a hedge-mode position. */
export type HedgeSide = 'long' | 'short';

/**
 * The hedge-mode side an order goes to: an opening buy adds to the long side and an opening sell
 * to the short side; a reduce-only order reduces the side opposite to its own (a reduce-only sell
 * closes long exposure). `null` in one-way mode, where there is one net position.
 */
export function hedgeSideOfOrder(mode: PositionMode, side: LegSide, reduceOnly: boolean): HedgeSide | null {
  if (mode === 'one_way') return null;
  const buysLong = side === 'buy';
  return buysLong !== reduceOnly ? 'long' : 'short';
}

/** Statuses in which a position may hold, or is about to hold, exchange exposure. */
const LIVE_STATUSES: ReadonlySet<PositionStatus> = new Set(['PENDING', 'EXECUTING', 'ACTIVE', 'CLOSING', 'ROLLING_BACK']);

/** Another position of the same account, as far as the one-way rule needs to know it. */
export interface LiveBasket {
  positionId: string;
  status: PositionStatus;
  direction: Direction;
  /** The symbols of its basket. */
  symbols: readonly string[];
  /** True when it has filled open legs (a FAILED basket then still holds exposure). */
  holdsLegs: boolean;
}

/** A position whose exposure would net with the new basket's in one-way mode. */
export interface OppositeDirectionConflict {
  positionId: string;
  direction: Direction;
  /** Shared symbols, sorted. */
  symbols: string[];
}

/**
 * In one-way mode, the live positions of the account whose direction is opposite to the new
 * basket's and that share a symbol with it. Such a basket must be refused: its fills would net
 * against theirs on the exchange, and a later reduce-only unwind of one would take the other's
 * exposure (issue 11). `PENDING` counts as live too: it is about to trade, and refusing only once
 * it executes would let two opposite requests accepted together both through.
 * A `FAILED` position counts only while it holds legs. Empty in hedge mode, where each direction
 * has its own side.
 */
export function oppositeDirectionConflicts(
  mode: PositionMode,
  basket: { direction: Direction; symbols: readonly string[] },
  live: readonly LiveBasket[],
): OppositeDirectionConflict[] {
  if (mode === 'hedge') return [];
  const wanted = new Set(basket.symbols);
  return live
    .filter((p) => p.direction !== basket.direction && (LIVE_STATUSES.has(p.status) || (p.status === 'FAILED' && p.holdsLegs)))
    .map((p) => ({
      positionId: p.positionId,
      direction: p.direction,
      symbols: [...new Set(p.symbols.filter((s) => wanted.has(s)))].sort(),
    }))
    .filter((c) => c.symbols.length > 0)
    .sort((a, b) => (a.positionId < b.positionId ? -1 : a.positionId > b.positionId ? 1 : 0));
}

/**
 * The basket's pre-check of the account's position mode: the symbols whose mode on the exchange
 * differs from the one the position was accepted under (a mode switched behind Legwork's back
 * would send every leg to the wrong exchange position, or have it refused). Sorted; empty when
 * every symbol agrees. A symbol missing from `modes` counts as differing: unknown is not agreement.
 */
export function positionModeMismatches(
  expected: PositionMode,
  symbols: readonly string[],
  modes: ReadonlyMap<string, PositionMode>,
): string[] {
  return [...new Set(symbols)].filter((s) => modes.get(s) !== expected).sort();
}
