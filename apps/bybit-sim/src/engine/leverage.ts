// Leverage and margin (docs/v5/position/leverage.mdx, docs/v5/market/instrument.mdx
// leverageFilter), pure. Every position's initial margin is its notional at entry over the
// leverage of its side; an account's available balance is its wallet balance minus the sum.
import { Dec, ZERO, roundToStep } from './decimal';
import { BybitError, RetCode } from './errors';
import { Instrument } from './instruments';
import { initialMargin } from './position-math';
import { LeverageSetting, PositionMode, PositionState } from './types';

/** Bybit's common default leverage for a new symbol on a new account. */
export const DEFAULT_LEVERAGE = new Dec(10);

/** Maintenance margin rate: Bybit's lowest risk tier for majors (0.5 %), flat for every symbol. */
export const MAINTENANCE_MARGIN_RATE = new Dec('0.005');

/**
 * The leverage a position uses: hedge side 1 and a one-way long (or flat) use buyLeverage,
 * hedge side 2 and a one-way short sellLeverage.
 */
export function leverageOf(setting: LeverageSetting, position: PositionState): Dec {
  if (position.positionIdx === 1) return setting.buyLeverage;
  if (position.positionIdx === 2) return setting.sellLeverage;
  return position.size.isNegative() ? setting.sellLeverage : setting.buyLeverage;
}

/** Σ initial margin of positions (USDT), each at the leverage of its symbol and side. */
export function totalInitialMargin(positions: Iterable<PositionState>, leverage: (position: PositionState) => Dec): Dec {
  let total = ZERO;
  for (const position of positions) total = total.plus(initialMargin(position, leverage(position)));
  return total;
}

/** A new symbol's setting from the account default, capped to the instrument's leverageFilter. */
export function initialLeverage(instrument: Instrument, defaultLeverage: Dec): LeverageSetting {
  const leverage = Dec.max(instrument.minLeverage, Dec.min(instrument.maxLeverage, defaultLeverage));
  return { buyLeverage: leverage, sellLeverage: leverage };
}

function checkInFilter(instrument: Instrument, name: string, leverage: Dec): void {
  const { minLeverage, maxLeverage, leverageStep } = instrument;
  if (leverage.lessThan(minLeverage) || leverage.greaterThan(maxLeverage)) {
    throw BybitError.params(
      `${name} ${leverage.toFixed()} must be between minLeverage ${minLeverage.toFixed()} and maxLeverage ${maxLeverage.toFixed()}`,
    );
  }
  if (!leverage.mod(leverageStep).isZero())
    throw BybitError.params(`${name} ${leverage.toFixed()} is not a multiple of leverageStep ${leverageStep.toFixed()}`);
}

/**
 * Checks a set-leverage request against the instrument and the symbol's state.
 *
 * @throws BybitError 10001 outside leverageFilter (the message names the bound) or, in one-way
 *   mode, buyLeverage ≠ sellLeverage; 110043 when both equal the current setting
 */
export function checkLeverageRequest(
  instrument: Instrument,
  mode: PositionMode,
  current: LeverageSetting,
  requested: LeverageSetting,
): void {
  checkInFilter(instrument, 'buyLeverage', requested.buyLeverage);
  checkInFilter(instrument, 'sellLeverage', requested.sellLeverage);
  if (mode === 'OneWay' && !requested.buyLeverage.equals(requested.sellLeverage)) {
    throw BybitError.params('buyLeverage must equal sellLeverage in one-way mode');
  }
  if (requested.buyLeverage.equals(current.buyLeverage) && requested.sellLeverage.equals(current.sellLeverage)) {
    throw BybitError.of(RetCode.LEVERAGE_NOT_MODIFIED);
  }
}

/**
 * A leverage change that raises initial margin must leave it covered by the wallet balance.
 * Bybit also refuses while orders are open; the simulator never has resting orders.
 *
 * @param marginBefore Σ initial margin of the account's positions now
 * @param marginAfter the same with the new leverage
 * @throws BybitError 110044 "Available margin is insufficient."
 */
export function checkLeverageMargin(walletBalance: Dec, marginBefore: Dec, marginAfter: Dec): void {
  if (marginAfter.greaterThan(marginBefore) && walletBalance.lessThan(marginAfter))
    throw BybitError.of(RetCode.LEVERAGE_MARGIN_INSUFFICIENT);
}

/**
 * Liquidation price, the isolated-margin approximation (no fees, no funding, flat maintenance
 * rate): long entry × (1 − 1/leverage + MMR), short entry × (1 + 1/leverage − MMR), on the tick
 * grid. Bybit prints "" when flat and when the price would pass maxPrice (position.mdx liqPrice).
 *
 * @returns the price, or undefined where Bybit prints ""
 */
export function liquidationPrice(instrument: Instrument, position: PositionState, leverage: Dec): Dec | undefined {
  if (position.size.isZero()) return undefined;
  const move = new Dec(1).div(leverage).minus(MAINTENANCE_MARGIN_RATE);
  const factor = position.size.isPositive() ? new Dec(1).minus(move) : new Dec(1).plus(move);
  const price = roundToStep(position.entryPrice.mul(factor), instrument.tickSize);
  if (price.greaterThan(instrument.maxPrice)) return undefined;
  return Dec.max(instrument.minPrice, price);
}
