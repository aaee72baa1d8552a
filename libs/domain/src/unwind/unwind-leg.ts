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
  /**
   * When the exchange last changed this position (epoch ms, the exchange's clock: Bybit
   * `/v5/position/list` `updatedTime`); absent when not reported. A list that lags shows an
   * earlier state with that state's time.
   */
  updatedAtMs?: number;
}

/** Per-leg result of a close / rollback; also the `outcome` label of `close_total` / `rollback_total`. */
export type UnwindOutcome = 'closed' | 'already_flat' | 'side_mismatch' | 'still_open' | 'failed';

/**
 * What the account's OTHER live positions expect in the same exchange position (same symbol, and
 * in hedge mode the same side): base coin, in the direction of the held leg (a long leg counts
 * other longs as +, other shorts as −), with each contributor for the alert.
 */
export interface OthersExpectation {
  quantity: string;
  positions: { positionId: string; quantity: string }[];
  /**
   * Their unwind (close, rollback, restore) orders in this exchange position that were sent and
   * are not settled yet: the exchange may already show what they took while `quantity` does not.
   */
  unsettledUnwinds?: { positionId: string; orderLinkId: string }[];
}

/** The unwind sends (or skips) less than recorded because the rest belongs to other positions. */
export interface UnwindShortfall {
  recorded: string;
  /** What is left for this leg: exchange size − what the others expect (never below 0). */
  available: string;
  exchangeSize: string;
  others: OthersExpectation['positions'];
}

export type UnwindDecision =
  | { action: 'send'; side: LegSide; quantity: string; exchangeShowedFlat: boolean; shortfall?: UnwindShortfall }
  | { action: 'refuse'; outcome: 'side_mismatch'; reason: string }
  | { action: 'skip'; outcome: 'already_flat'; reason: string; shortfall: UnwindShortfall }
  /** The view contradicts what the other positions hold (most likely a lagging list): read again later. */
  | { action: 'wait'; reason: string };

const NO_OTHERS: OthersExpectation = { quantity: '0', positions: [] };

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
 *
 * An unwind never takes what another position expects (issue 11: a rollback's reduce-only sell
 * took a neighbouring basket's BTC). Several positions of one account can share one exchange
 * position (one-way mode: same symbol and direction; hedge mode: same symbol and side), and a
 * reduce-only order reduces that shared position whoever's it was. So the quantity is capped by
 * the exchange size minus what the `others` expect; a cap below the recorded quantity comes with
 * the {@link UnwindShortfall} to alert on (naming every position), and when nothing is left for
 * this leg nothing is sent. A flat view while others expect exposure there contradicts them: it is
 * not trusted either way — `wait` and read again.
 *
 * Nor is a view older than the account's latest fill in this slot (`latestFillAtMs`, the
 * exchange's execution time of any Legwork order there) when it would cap the leg: the soak with
 * a 1–10 s position-list lag closed a basket as `already_flat` because the lagging list did not
 * yet hold a neighbouring basket's fills that the `others` already counted — the basket's whole
 * exposure was left on the exchange, untracked. A view that leaves the whole recorded quantity is
 * used however old: sending at most what we recorded cannot take what a fill since then added.
 * Likewise while another position's unwind order in this slot is sent but not settled: the soak
 * (exchange timeouts after accept) capped two closes by a neighbour's 0.005 BTC that its close,
 * filled but not yet verified, had already sold — so the others' part is known only once it settles.
 */
export function decideUnwindLeg(
  held: HeldLeg,
  exchange: ExchangeExposure,
  others: OthersExpectation = NO_OTHERS,
  latestFillAtMs: number | null = null,
): UnwindDecision {
  const size = new Decimal(exchange.size);
  const othersQuantity = new Decimal(others.quantity);
  const expected = held.side === 'buy' ? 'long' : 'short';
  if (exchange.side === 'flat' || size.isZero()) {
    if (othersQuantity.gt(0)) {
      return {
        action: 'wait',
        reason: `${held.symbol}: the exchange shows flat while ${describeOthers(others)} expect ${expected} ${othersQuantity.toString()}`,
      };
    }
    return { action: 'send', side: oppositeSide(held.side), quantity: held.quantity, exchangeShowedFlat: true };
  }
  if (exchange.side !== expected) {
    return {
      action: 'refuse',
      outcome: 'side_mismatch',
      reason: `${held.symbol}: we hold ${expected} ${held.quantity} but the exchange position is ${exchange.side} ${exchange.size}; nothing sent`,
    };
  }
  const recorded = new Decimal(held.quantity);
  const available = Decimal.max(size.minus(Decimal.max(othersQuantity, 0)), 0);
  const quantity = Decimal.min(recorded, available);
  const capped = others.positions.length > 0 && available.lt(recorded);
  const shortfall = { recorded: held.quantity, available: available.toString(), exchangeSize: size.toString(), others: others.positions };
  if (available.lt(recorded) && exchange.updatedAtMs !== undefined && latestFillAtMs !== null && exchange.updatedAtMs < latestFillAtMs) {
    return {
      action: 'wait',
      reason:
        `${held.symbol}: the exchange's ${expected} ${size.toString()} was last updated at ${new Date(exchange.updatedAtMs).toISOString()}, ` +
        `before the account's fill at ${new Date(latestFillAtMs).toISOString()}: the list lags, so it cannot say what is left`,
    };
  }
  const unsettled = others.unsettledUnwinds ?? [];
  if (available.lt(recorded) && unsettled.length > 0) {
    return {
      action: 'wait',
      reason:
        `${held.symbol}: the exchange holds ${expected} ${size.toString()}, less than this leg and the others expect, while ` +
        `${unsettled.map((u) => `position ${u.positionId}'s order ${u.orderLinkId}`).join(', ')} is not settled: what it took is not known yet`,
    };
  }
  if (quantity.isZero()) {
    return {
      action: 'skip',
      outcome: 'already_flat',
      reason: `${held.symbol}: the exchange's ${expected} ${size.toString()} is all expected by ${describeOthers(others)}; nothing sent`,
      shortfall,
    };
  }
  return {
    action: 'send',
    side: oppositeSide(held.side),
    quantity: quantity.toString(),
    exchangeShowedFlat: false,
    ...(capped ? { shortfall } : {}),
  };
}

function describeOthers(others: OthersExpectation): string {
  return others.positions.map((p) => `position ${p.positionId} (${p.quantity})`).join(', ');
}
