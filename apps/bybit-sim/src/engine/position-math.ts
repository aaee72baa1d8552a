// Position arithmetic, pure, for the net position of one-way mode (positionIdx 0) and for each
// side of hedge mode (1, 2): a hedge side is a position whose closing fills are clipped to its
// size, so the same rules apply without it ever flipping.
// Rules: a fill on the side of the position (or from flat) raises the size and moves the entry
// to the size-weighted average; an opposite fill first closes up to the open size, realising
// (fill − entry) × closed × direction, and leaves the entry unchanged; whatever exceeds the open
// size opens the other side at the fill price. Fees are charged on the whole fill.
import { DERIVED_DP, Dec, ZERO } from './decimal';
import { PositionIdx, PositionState, Side } from './types';

/** A fill to apply: qty > 0 in base coin, price and fee in USDT. */
export interface FillInput {
  readonly symbol: string;
  readonly side: Side;
  readonly qty: Dec;
  readonly price: Dec;
  readonly fee: Dec;
  readonly time: number;
  /** The cross seq the position takes with this fill (see CrossSeq in types.ts). */
  readonly seq: number;
}

/** Outcome of a fill on a position. */
export interface FillOutcome {
  readonly next: PositionState;
  /** Gross realised PnL of the closed part, before fees (USDT). */
  readonly realisedPnl: Dec;
  /** Qty of the fill that closed existing exposure. */
  readonly closedSize: Dec;
  /** Qty of the fill that opened new exposure (same side, from flat, or past zero). */
  readonly openedSize: Dec;
}

/** The flat position of a symbol (side) that never traded. */
export function flatPosition(symbol: string, time: number, positionIdx: PositionIdx = 0): PositionState {
  return {
    symbol,
    positionIdx,
    size: ZERO,
    entryPrice: ZERO,
    curRealisedPnl: ZERO,
    cumRealisedPnl: ZERO,
    createdTime: time,
    updatedTime: time,
    // Bybit's position list answers seq -1 for a symbol never traded (position.mdx).
    seq: -1,
  };
}

/** +qty for Buy, −qty for Sell. */
export function signedQty(side: Side, qty: Dec): Dec {
  return side === 'Buy' ? qty : qty.neg();
}

/** "Buy" for a long, "Sell" for a short, "" when flat (the position/list `side` field). */
export function positionSide(size: Dec): Side | '' {
  if (size.isZero()) return '';
  return size.isPositive() ? 'Buy' : 'Sell';
}

/**
 * Applies a fill to a position.
 *
 * @param position current state (use {@link flatPosition} for a symbol never traded)
 * @returns the next state, realised PnL, and how the fill split into closing and opening qty
 */
export function applyFill(position: PositionState, fill: FillInput): FillOutcome {
  const delta = signedQty(fill.side, fill.qty);
  const size = position.size;
  const common = {
    symbol: position.symbol,
    positionIdx: position.positionIdx,
    updatedTime: fill.time,
    seq: fill.seq,
    createdTime: position.createdTime,
  };

  if (size.isZero() || size.isPositive() === delta.isPositive()) {
    const absSize = size.abs();
    const entry = size.isZero()
      ? fill.price
      : absSize.mul(position.entryPrice).plus(fill.qty.mul(fill.price)).div(absSize.plus(fill.qty)).toDecimalPlaces(DERIVED_DP);
    const curRealisedPnl = size.isZero() ? fill.fee.neg() : position.curRealisedPnl.minus(fill.fee);
    return {
      next: {
        ...common,
        size: size.plus(delta),
        entryPrice: entry,
        curRealisedPnl,
        cumRealisedPnl: position.cumRealisedPnl.minus(fill.fee),
      },
      realisedPnl: ZERO,
      closedSize: ZERO,
      openedSize: fill.qty,
    };
  }

  const closedSize = Dec.min(size.abs(), fill.qty);
  const direction = size.isPositive() ? 1 : -1;
  const realisedPnl = fill.price.minus(position.entryPrice).mul(closedSize).mul(direction);
  const nextSize = size.plus(delta);
  const openedSize = fill.qty.minus(closedSize);
  const cumRealisedPnl = position.cumRealisedPnl.plus(realisedPnl).minus(fill.fee);
  if (nextSize.isZero()) {
    return {
      next: { ...common, size: ZERO, entryPrice: ZERO, curRealisedPnl: ZERO, cumRealisedPnl },
      realisedPnl,
      closedSize,
      openedSize,
    };
  }
  const flipped = nextSize.isPositive() !== size.isPositive();
  return {
    next: {
      ...common,
      size: nextSize,
      entryPrice: flipped ? fill.price : position.entryPrice,
      // A flip starts a new holding; Bybit's curRealisedPnl covers the current holding only.
      curRealisedPnl: flipped ? fill.fee.neg() : position.curRealisedPnl.plus(realisedPnl).minus(fill.fee),
      cumRealisedPnl,
    },
    realisedPnl,
    closedSize,
    openedSize,
  };
}

/**
 * Initial margin of a position: |size| × entry / leverage (USDT), the notional at entry over the
 * leverage of its side (docs/v5/position/leverage.mdx; Bybit's positionIM).
 */
export function initialMargin(position: PositionState, leverage: Dec): Dec {
  return position.size.abs().mul(position.entryPrice).div(leverage);
}

/** Unrealised PnL at a mark price: (mark − entry) × signed size (USDT). */
export function unrealisedPnl(position: PositionState, markPrice: Dec): Dec {
  if (position.size.isZero()) return ZERO;
  return markPrice.minus(position.entryPrice).mul(position.size);
}
