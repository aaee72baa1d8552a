import Decimal from 'decimal.js';
import { DomainError } from '../errors/domain-error';

/** `long` buys every leg, `short` sells every leg (1x, one-way mode). */
export type Direction = 'long' | 'short';
export type LegSide = 'buy' | 'sell';

/** One weighted constituent of an index; `weight` is a positive decimal string (relative, not %). */
export interface IndexWeight {
  symbol: string;
  weight: string;
}

/**
 * Whether an instrument takes orders now: only `trading` does. An exchange lists instruments
 * before launch and keeps listing them while they settle or after they close (Bybit
 * instruments-info `status`: PreLaunch, Trading, Settling, Delivering, Closed — docs/v5/enum.mdx,
 * mapped in libs/exchange); `other` is a status Legwork does not know, which is not `trading` either.
 */
export type InstrumentStatus = 'trading' | 'pre_launch' | 'settling' | 'delivering' | 'closed' | 'other';

/**
 * The exchange's rules for one listed instrument: its status, and its lot-size rules as decimal
 * strings in base-coin units (`minNotionalUsdt` in USDT). Source: Bybit instruments-info `status`
 * and `lotSizeFilter` (docs/v5/market/instrument.mdx), mapped in libs/exchange. An instrument the
 * exchange does not list has no rules at all.
 */
export interface InstrumentRules {
  symbol: string;
  status: InstrumentStatus;
  qtyStep: string;
  minOrderQty: string;
  maxMarketOrderQty: string;
  minNotionalUsdt: string;
}

/** A leg as planned before any order is sent; quantities are decimal strings in base coin. */
export interface PlannedLeg {
  legIndex: number;
  symbol: string;
  side: LegSide;
  /** The weight normalised so the legs sum to 1, as a decimal string. */
  weightFraction: string;
  targetNotionalUsdt: string;
  markPrice: string;
  quantity: string;
  /** quantity × markPrice: what the leg is expected to cost at 1x, in USDT. */
  estimatedNotionalUsdt: string;
}

export interface ComposeBasketInput {
  weights: readonly IndexWeight[];
  notionalUsdt: string;
  direction: Direction;
  instruments: ReadonlyMap<string, InstrumentRules>;
  markPrices: ReadonlyMap<string, string>;
}

/** Why one leg cannot be placed as requested. */
export interface LegViolation {
  symbol: string;
  rule: 'no_mark_price' | 'below_min_qty' | 'below_min_notional' | 'above_max_market_qty';
  message: string;
}

/**
 * Splits a basket notional into one market order per index constituent.
 *
 * Before any quantity is computed, every constituent must be listed and `trading`: an index may
 * outlive an instrument (delisted, settling), and such a basket is refused whole with its own
 * code, never as a lot-size problem and never after some legs were sent.
 *
 * Each leg gets `notionalUsdt × weight / Σweights`, divided by its mark price and rounded DOWN to
 * the instrument's qty step (never up: at 1x the basket must not cost more than the user asked).
 * A leg that then falls below the minimum quantity or minimum notional, or above the maximum
 * market order quantity, is not silently skipped: the whole basket is refused, naming each leg.
 *
 * @throws DomainError `COMPOSITION.INVALID_INPUT` for an empty basket, non-positive weight or
 *   notional; `COMPOSITION.INSTRUMENT_NOT_LISTED` (`details.symbols`) when the exchange does not
 *   list a constituent; `COMPOSITION.INSTRUMENT_NOT_TRADING` (`details.instruments: {symbol,
 *   status}[]`) when one is listed but not trading; `COMPOSITION.LEG_VIOLATES_LOT_SIZE` with
 *   `details.violations: LegViolation[]`.
 */
export function composeBasket(input: ComposeBasketInput): PlannedLeg[] {
  const notional = positive(input.notionalUsdt, 'notionalUsdt');
  if (input.weights.length === 0) {
    throw new DomainError('COMPOSITION.INVALID_INPUT', 'the index has no components');
  }
  assertTradable(
    input.weights.map((w) => w.symbol),
    input.instruments,
  );
  const weights = input.weights.map((w) => positive(w.weight, `weight of ${w.symbol}`));
  const totalWeight = Decimal.sum(...weights);
  const side: LegSide = input.direction === 'long' ? 'buy' : 'sell';

  const legs: PlannedLeg[] = [];
  const violations: LegViolation[] = [];
  input.weights.forEach((component, legIndex) => {
    const { symbol } = component;
    const rules = input.instruments.get(symbol) as InstrumentRules; // listed: assertTradable checked
    const price = input.markPrices.get(symbol);
    if (!price || !new Decimal(price).isPositive()) {
      violations.push({ symbol, rule: 'no_mark_price', message: `${symbol} has no mark price` });
      return;
    }
    const fraction = (weights[legIndex] as Decimal).div(totalWeight);
    const target = notional.mul(fraction);
    const step = new Decimal(rules.qtyStep);
    const quantity = target.div(price).div(step).floor().mul(step);
    const estimated = quantity.mul(price);
    const violation = checkLotSize(symbol, quantity, estimated, rules);
    if (violation) violations.push(violation);
    legs.push({
      legIndex,
      symbol,
      side,
      weightFraction: fraction.toSignificantDigits(12).toString(),
      targetNotionalUsdt: target.toFixed(8),
      markPrice: new Decimal(price).toString(),
      quantity: quantity.toFixed(step.decimalPlaces()),
      estimatedNotionalUsdt: estimated.toFixed(8),
    });
  });

  if (violations.length > 0) {
    throw new DomainError('COMPOSITION.LEG_VIOLATES_LOT_SIZE', `basket cannot be placed: ${violations.map((v) => v.message).join('; ')}`, {
      violations,
    });
  }
  return legs;
}

/** @throws DomainError `COMPOSITION.INSTRUMENT_NOT_LISTED` / `COMPOSITION.INSTRUMENT_NOT_TRADING` */
function assertTradable(symbols: readonly string[], instruments: ReadonlyMap<string, InstrumentRules>): void {
  const unlisted = symbols.filter((symbol) => !instruments.has(symbol));
  if (unlisted.length > 0) {
    throw new DomainError(
      'COMPOSITION.INSTRUMENT_NOT_LISTED',
      `basket cannot be placed: ${unlisted.map((s) => `${s} is not listed by the exchange as a USDT linear perpetual`).join('; ')}`,
      { symbols: unlisted },
    );
  }
  const halted = symbols.flatMap((symbol) => {
    const status = instruments.get(symbol)?.status;
    return status && status !== 'trading' ? [{ symbol, status }] : [];
  });
  if (halted.length > 0) {
    throw new DomainError(
      'COMPOSITION.INSTRUMENT_NOT_TRADING',
      `basket cannot be placed: ${halted.map((h) => `${h.symbol} is not trading (status ${h.status})`).join('; ')}`,
      { instruments: halted },
    );
  }
}

function checkLotSize(symbol: string, qty: Decimal, notional: Decimal, rules: InstrumentRules): LegViolation | null {
  if (qty.lt(rules.minOrderQty)) {
    return {
      symbol,
      rule: 'below_min_qty',
      message: `${symbol} quantity ${qty.toString()} is below the minimum order quantity ${rules.minOrderQty}`,
    };
  }
  if (notional.lt(rules.minNotionalUsdt)) {
    return {
      symbol,
      rule: 'below_min_notional',
      message: `${symbol} notional ${notional.toFixed(2)} USDT is below the minimum ${rules.minNotionalUsdt} USDT`,
    };
  }
  if (qty.gt(rules.maxMarketOrderQty)) {
    return {
      symbol,
      rule: 'above_max_market_qty',
      message: `${symbol} quantity ${qty.toString()} is above the maximum market order quantity ${rules.maxMarketOrderQty}`,
    };
  }
  return null;
}

function positive(value: string, field: string): Decimal {
  let d: Decimal;
  try {
    d = new Decimal(value);
  } catch {
    throw new DomainError('COMPOSITION.INVALID_INPUT', `${field} is not a decimal number: ${value}`, { field });
  }
  if (!d.isFinite() || !d.isPositive() || d.isZero()) {
    throw new DomainError('COMPOSITION.INVALID_INPUT', `${field} must be a positive number, got ${value}`, { field });
  }
  return d;
}
