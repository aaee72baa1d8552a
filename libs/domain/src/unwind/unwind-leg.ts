import Decimal from 'decimal.js';
import type { LegSide } from '../composition/compose-basket';
import { oppositeSide } from '../basket/leg-order';

/** What Legwork holds in one leg: recorded side and quantity (decimal string, base coin). */
export interface HeldLeg {
  symbol: string;
  side: LegSide;
  quantity: string;
}

/** The account's position in that symbol as the exchange reports it right now. */
export interface ExchangeExposure {
  side: 'long' | 'short' | 'flat';
  /** Absolute size, decimal string. */
  size: string;
}

/** Per-leg result of a close / rollback; also the `outcome` label of `close_total` / `rollback_total`. */
export type UnwindOutcome = 'closed' | 'already_flat' | 'side_mismatch' | 'still_open' | 'failed';

export type UnwindDecision =
  | { action: 'send'; side: LegSide; quantity: string; exchangeShowedFlat: boolean }
  | { action: 'refuse'; outcome: 'side_mismatch'; reason: string };

/**
 * Decides the one order that unwinds a held leg, reduce-only.
 *
 * The close side comes from the RECORDED leg (a bought leg is closed by selling), and is then
 * cross-checked against the exchange: a position on the other side than we recorded means
 * something we do not understand happened — send nothing and raise it (seed 004: a rollback sent
 * a BUY instead of a SELL and doubled an orphaned position). Never a guess.
 *
 * The quantity is the recorded quantity, or less when the exchange holds less (a manual partial
 * close must not make the close fail); extra size beyond ours is left untouched.
 *
 * A position the exchange shows as FLAT is still closed with a reduce-only order for the recorded
 * quantity: a position list can lag behind fills (seed 003), and a stale "flat" must not leave
 * exposure open while the position is marked closed. Reduce-only cannot open anything; if nothing
 * is left, the exchange refuses the order, and that refusal is what says "already flat".
 */
export function decideUnwindLeg(held: HeldLeg, exchange: ExchangeExposure): UnwindDecision {
  const size = new Decimal(exchange.size);
  if (exchange.side === 'flat' || size.isZero()) {
    return { action: 'send', side: oppositeSide(held.side), quantity: held.quantity, exchangeShowedFlat: true };
  }
  const expected = held.side === 'buy' ? 'long' : 'short';
  if (exchange.side !== expected) {
    return {
      action: 'refuse',
      outcome: 'side_mismatch',
      reason: `${held.symbol}: we hold ${expected} ${held.quantity} but the exchange position is ${exchange.side} ${exchange.size}; nothing sent`,
    };
  }
  const quantity = Decimal.min(new Decimal(held.quantity), size);
  return { action: 'send', side: oppositeSide(held.side), quantity: quantity.toString(), exchangeShowedFlat: false };
}
