import type { LegSide } from '../composition/compose-basket';
import { compareText, Dec, decimalString, parseSigned, parseUnsigned } from '../reconciliation/decimal-input';

/** One recorded fill of a position (open, close, rollback or restore order). */
export interface PnlFill {
  symbol: string;
  side: LegSide;
  /** Fill price, USDT, positive decimal string. */
  price: string;
  /** Filled quantity, base coin, positive decimal string. */
  quantity: string;
  /** Fee paid in USDT (a negative fee is a maker rebate), signed decimal string. */
  feeUsdt: string;
}

/** P&L of one symbol of a position, USDT and base-coin decimal strings. */
export interface SymbolPnl {
  symbol: string;
  /** Bought − sold quantity: > 0 held long, < 0 held short, "0" flat. */
  netQuantity: string;
  /** Average price of the side still held (buys when long, sells when short); null when flat. */
  entryPrice: string | null;
  /** The mark price the held quantity is valued at; null when flat or when it is unknown. */
  markPrice: string | null;
  /** On the quantity bought AND sold: matched × (average sell − average buy). */
  realisedUsdt: string;
  /** netQuantity × (mark − entry); "0" when flat; null when held and no mark price is known. */
  unrealisedUsdt: string | null;
  feesUsdt: string;
}

export interface FillsPnl {
  /** Σ realised over symbols (before fees). */
  realisedUsdt: string;
  /** Σ unrealised; null when a held symbol has no mark price (never valued at 0, a made-up number). */
  unrealisedUsdt: string | null;
  /** Σ fees paid (rebates negative). */
  feesUsdt: string;
  /** realised + unrealised − fees; null when unrealised is. */
  totalUsdt: string | null;
  /** realised − fees: a closed position's result, whatever it may still hold outside Legwork. */
  netRealisedUsdt: string;
  /** Sorted by symbol. */
  perSymbol: SymbolPnl[];
  /** Held symbols with no mark price, sorted. */
  missingPrices: string[];
}

/** Money out is rounded to 8 decimals (Bybit's finest USDT unit) only where an average divides. */
const USDT_DECIMALS = 8;

/**
 * A position's P&L from its own recorded fills (average-cost method), against mark prices for
 * whatever it still holds. For a flat position (every opened quantity closed or rolled back by
 * Legwork) this is its realised P&L: Σ sell value − Σ buy value − fees, needing no mark price.
 * For a position still holding legs the held net quantity is valued at the mark price; the total
 * equals Σ sell value − Σ buy value + net × mark − fees.
 *
 * Unlike {@link pnlOnOpenedQuantities} (reconciliation's figure on the originally opened
 * quantities), this follows what Legwork actually traded for the position, fees included.
 *
 * @param markPrices symbol → mark price (USDT); only held symbols need one.
 * @throws DomainError `PNL.INVALID_INPUT` for a price or quantity that is not a positive decimal,
 *   or a fee that is not a decimal.
 */
export function pnlFromFills(fills: readonly PnlFill[], markPrices: ReadonlyMap<string, string> = new Map()): FillsPnl {
  const bySymbol = new Map<string, { bought: Dec; boughtUsdt: Dec; sold: Dec; soldUsdt: Dec; fees: Dec }>();
  for (const [i, fill] of fills.entries()) {
    const price = parseUnsigned(fill.price, `price of fill ${i}`, 'PNL.INVALID_INPUT', true);
    const quantity = parseUnsigned(fill.quantity, `quantity of fill ${i}`, 'PNL.INVALID_INPUT', true);
    const fee = parseSigned(fill.feeUsdt, `fee of fill ${i}`, 'PNL.INVALID_INPUT');
    const s = bySymbol.get(fill.symbol) ?? {
      bought: new Dec(0),
      boughtUsdt: new Dec(0),
      sold: new Dec(0),
      soldUsdt: new Dec(0),
      fees: new Dec(0),
    };
    if (fill.side === 'buy') {
      s.bought = s.bought.plus(quantity);
      s.boughtUsdt = s.boughtUsdt.plus(price.times(quantity));
    } else {
      s.sold = s.sold.plus(quantity);
      s.soldUsdt = s.soldUsdt.plus(price.times(quantity));
    }
    s.fees = s.fees.plus(fee);
    bySymbol.set(fill.symbol, s);
  }

  let realised = new Dec(0);
  let unrealised: Dec | null = new Dec(0);
  let fees = new Dec(0);
  const perSymbol: SymbolPnl[] = [];
  const missing: string[] = [];
  for (const [symbol, s] of [...bySymbol].sort(([a], [b]) => compareText(a, b))) {
    const matched = Dec.min(s.bought, s.sold);
    // Scaling each side's value to the matched quantity is exact when a side is fully matched
    // (the common case: a closed leg), so a flat position's figure is never rounded.
    const symbolRealised = matched.isZero()
      ? new Dec(0)
      : s.soldUsdt.times(matched).div(s.sold).minus(s.boughtUsdt.times(matched).div(s.bought));
    const net = s.bought.minus(s.sold);
    const entry = net.isZero() ? null : net.isPositive() ? s.boughtUsdt.div(s.bought) : s.soldUsdt.div(s.sold);
    const markText = net.isZero() ? undefined : markPrices.get(symbol);
    const mark = markText === undefined ? null : parseUnsigned(markText, `mark price of ${symbol}`, 'PNL.INVALID_INPUT', true);
    let symbolUnrealised: Dec | null = new Dec(0);
    if (entry) {
      symbolUnrealised = mark ? net.times(mark.minus(entry)) : null;
      if (!mark) missing.push(symbol);
    }
    realised = realised.plus(symbolRealised);
    unrealised = unrealised && symbolUnrealised ? unrealised.plus(symbolUnrealised) : null;
    fees = fees.plus(s.fees);
    perSymbol.push({
      symbol,
      netQuantity: decimalString(net),
      entryPrice: entry ? usdt(entry) : null,
      markPrice: mark ? decimalString(mark) : null,
      realisedUsdt: usdt(symbolRealised),
      unrealisedUsdt: symbolUnrealised ? usdt(symbolUnrealised) : null,
      feesUsdt: decimalString(s.fees),
    });
  }
  return {
    realisedUsdt: usdt(realised),
    unrealisedUsdt: unrealised ? usdt(unrealised) : null,
    feesUsdt: decimalString(fees),
    totalUsdt: unrealised ? usdt(realised.plus(unrealised).minus(fees)) : null,
    netRealisedUsdt: usdt(realised.minus(fees)),
    perSymbol,
    missingPrices: missing,
  };
}

function usdt(value: Dec): string {
  return decimalString(value.toDecimalPlaces(USDT_DECIMALS));
}
