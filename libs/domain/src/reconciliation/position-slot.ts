import type { LegSide } from '../composition/compose-basket';
import { DomainError } from '../errors/domain-error';
import { HedgeSide, PositionMode, hedgeSideOfOrder } from '../position-mode/position-mode';

/**
 * Where one exchange position lives in an account: a symbol, and in hedge mode one of its two
 * sides. In one-way mode the exchange keeps ONE net position per symbol, so long and short
 * exposure in a symbol net out; in hedge mode it keeps a long side and a short side per symbol,
 * two independent positions that never net. Every exposure Legwork compares is keyed by slot.
 *
 * Invariant: the slot key of a one-way slot is the bare symbol, so every one-way map keyed by
 * slot is exactly the map keyed by symbol that it always was.
 */

/** `hedgeSide` null = one-way mode. */
export interface PositionSlot {
  symbol: string;
  hedgeSide: HedgeSide | null;
}

/**
 * The side a leg of a hedge-mode position occupies: a buy leg opens long exposure, so it lives on
 * the long side; a sell leg on the short side. One-way → undefined (the leg nets by symbol).
 * @throws DomainError `RECONCILIATION.INVALID_INPUT` for an unknown mode or side.
 */
export function hedgeSideOfLeg(positionMode: PositionMode, legSide: LegSide): HedgeSide | undefined {
  if (legSide !== 'buy' && legSide !== 'sell') {
    throw new DomainError('RECONCILIATION.INVALID_INPUT', `leg side ${String(legSide)} is neither buy nor sell`, { legSide });
  }
  // An open leg is never reduce-only: it lives on the side it opens.
  if (positionMode === 'one_way' || positionMode === 'hedge') return hedgeSideOfOrder(positionMode, legSide, false) ?? undefined;
  throw new DomainError('RECONCILIATION.INVALID_INPUT', `position mode ${String(positionMode)} is neither one_way nor hedge`, {
    positionMode,
  });
}

/** `BTCUSDT` (one-way) or `BTCUSDT:long` (hedge): a map key that never collides across slots. */
export function slotKey(symbol: string, hedgeSide: HedgeSide | null | undefined): string {
  return hedgeSide ? `${symbol}:${hedgeSide}` : symbol;
}

/** How texts name a slot: `BTCUSDT` (one-way) or `BTCUSDT long side` (hedge). */
export function slotLabel(symbol: string, hedgeSide: HedgeSide | null | undefined): string {
  return hedgeSide ? `${symbol} ${hedgeSide} side` : symbol;
}

/**
 * Whether a slot is in grace. `grace` may hold bare symbols (every slot of the symbol: e.g. one
 * of our orders went out in it and its side is not known here) and slot keys (that slot only).
 */
export function slotInGrace(grace: ReadonlySet<string>, symbol: string, hedgeSide: HedgeSide | null | undefined): boolean {
  return grace.has(symbol) || grace.has(slotKey(symbol, hedgeSide));
}

/** Slot order: by symbol, then one-way, long, short. */
export function compareSlots(a: PositionSlot, b: PositionSlot): number {
  if (a.symbol !== b.symbol) return a.symbol < b.symbol ? -1 : 1;
  return SIDE_ORDER[a.hedgeSide ?? 'none'] - SIDE_ORDER[b.hedgeSide ?? 'none'];
}

const SIDE_ORDER = { none: 0, long: 1, short: 2 } as const;

/**
 * Checks that a hedge side, when given, is one the exchange knows, and that a position on it
 * points the right way (the long side of a symbol is never short, and vice versa).
 * @throws DomainError `RECONCILIATION.INVALID_INPUT` naming `what`.
 */
export function assertHedgeSide(hedgeSide: unknown, direction: 'long' | 'short' | 'flat', what: string): void {
  if (hedgeSide === undefined || hedgeSide === null) return;
  if (hedgeSide !== 'long' && hedgeSide !== 'short') {
    throw new DomainError('RECONCILIATION.INVALID_INPUT', `${what} has unknown hedge side ${String(hedgeSide)}`, { hedgeSide });
  }
  if (direction !== 'flat' && direction !== hedgeSide) {
    throw new DomainError('RECONCILIATION.INVALID_INPUT', `${what} is ${direction} on the ${hedgeSide} side`, { hedgeSide, direction });
  }
}
