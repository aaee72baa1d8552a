import Decimal from 'decimal.js';
import type { InstrumentRules, LegSide } from '../composition/compose-basket';
import type { HedgeSide } from '../position-mode/position-mode';
import { slotKey, slotLabel } from '../reconciliation/position-slot';
import { BASKET_LEVERAGE, isOneX } from '../leverage/one-x-leverage';

/**
 * One component of the position to restore: recorded side and quantity (decimal string, base
 * coin); `hedgeSide` the side of a hedge-mode account it lives on (absent = one-way mode).
 */
export interface ComponentToRestore {
  legIndex: number;
  symbol: string;
  side: LegSide;
  quantity: string;
  hedgeSide?: HedgeSide;
}

export interface RestoreTrade {
  legIndex: number;
  symbol: string;
  /** The side of a hedge-mode account the trade must go to; null in one-way mode. */
  hedgeSide: HedgeSide | null;
  side: LegSide;
  /** Rounded to the instrument's qty step. */
  quantity: string;
  /** True when the trade only brings an existing position back toward zero. */
  reduceOnly: boolean;
  /** e.g. "Buy 0.050 BTCUSDT", in hedge mode "Sell 0.030 BTCUSDT long side". */
  description: string;
}

export interface RestorePlan {
  trades: RestoreTrade[];
  /** Deviations too small to trade (below the lot-size rules), with why. */
  skipped: { symbol: string; reason: string }[];
}

/**
 * The exact trades that bring one altered position back to its recorded components ("Restore
 * balance", seed 000), leaving every other position's exposure in the same symbols where it is:
 *
 *   need = (this position's component + what the account's other positions expect) − exchange
 *
 * signed (+ long / − short), per slot: per symbol in one-way mode, per (symbol, side) in hedge
 * mode, where the other side of the symbol is another position and is left alone. Each need is rounded to the nearest qty step; a need that rounds
 * below the minimum order quantity, or (for a trade that is not reduce-only) below the minimum
 * notional at the mark price, is skipped and named rather than silently dropped.
 *
 * @param actual slot key (`slotKey`: the symbol in one-way mode) → the exchange's signed size (absent = flat)
 * @param others slot key → other positions' expected signed quantity (absent = none)
 * @param instruments, markPrices by symbol
 */
export function planRestore(
  components: readonly ComponentToRestore[],
  actual: ReadonlyMap<string, string>,
  others: ReadonlyMap<string, string>,
  instruments: ReadonlyMap<string, InstrumentRules>,
  markPrices: ReadonlyMap<string, string>,
): RestorePlan {
  const trades: RestoreTrade[] = [];
  const skipped: RestorePlan['skipped'] = [];
  for (const c of [...components].sort((a, b) => a.legIndex - b.legIndex)) {
    const key = slotKey(c.symbol, c.hedgeSide);
    const label = slotLabel(c.symbol, c.hedgeSide);
    const own = new Decimal(c.quantity).mul(c.side === 'buy' ? 1 : -1);
    const now = new Decimal(actual.get(key) ?? 0);
    const need = own.plus(others.get(key) ?? 0).minus(now);
    if (need.isZero()) continue;
    const rules = instruments.get(c.symbol);
    if (!rules) {
      skipped.push({ symbol: c.symbol, reason: `${c.symbol} is not a tradable instrument` });
      continue;
    }
    const step = new Decimal(rules.qtyStep);
    const quantity = need.abs().div(step).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).mul(step);
    const side: LegSide = need.isPositive() ? 'buy' : 'sell';
    const reduceOnly = (side === 'sell' && now.gt(0) && quantity.lte(now)) || (side === 'buy' && now.lt(0) && quantity.lte(now.abs()));
    const shown = quantity.toFixed(step.decimalPlaces());
    if (quantity.lt(rules.minOrderQty)) {
      skipped.push({
        symbol: c.symbol,
        reason: `${label}: Δ ${need.abs().toString()} rounds to ${shown}, below the minimum order quantity ${rules.minOrderQty}`,
      });
      continue;
    }
    const price = markPrices.get(c.symbol);
    if (!reduceOnly && price && quantity.mul(price).lt(rules.minNotionalUsdt)) {
      skipped.push({ symbol: c.symbol, reason: `${label}: ${shown} is below the minimum notional ${rules.minNotionalUsdt} USDT` });
      continue;
    }
    trades.push({
      legIndex: c.legIndex,
      symbol: c.symbol,
      hedgeSide: c.hedgeSide ?? null,
      side,
      quantity: shown,
      reduceOnly,
      description: `${side === 'buy' ? 'Buy' : 'Sell'} ${shown} ${label}`,
    });
  }
  return { trades, skipped };
}

/** A symbol to set back to 1x before the restore's trades. */
export interface LeverageReset {
  symbol: string;
  /** The leverage the exchange reports now, e.g. "5". */
  fromLeverage: string;
  /** e.g. "Set ETHUSDT leverage 5x → 1x". */
  description: string;
}

/**
 * The "set leverage back to 1x" steps of a restore (seed 001: every leg at 1x): one per symbol of
 * the position that the exchange holds at another leverage (someone changed it by hand). A flat
 * symbol or one without a reported leverage needs none. Lowering the leverage of a held position
 * raises its margin: the exchange may refuse it (Bybit 110044), which the restore then reports.
 *
 * @param leverages symbol → the exchange's leverage for the symbol's open position (absent or null = flat / unknown)
 */
export function planLeverageResets(
  components: readonly ComponentToRestore[],
  leverages: ReadonlyMap<string, string | null>,
): LeverageReset[] {
  const symbols = [...new Set([...components].sort((a, b) => a.legIndex - b.legIndex).map((c) => c.symbol))];
  return symbols.flatMap((symbol) => {
    const from = leverages.get(symbol) ?? null;
    if (from === null || from === '' || isOneX(from)) return [];
    return [{ symbol, fromLeverage: from, description: `Set ${symbol} leverage ${from}x → ${BASKET_LEVERAGE}x` }];
  });
}
