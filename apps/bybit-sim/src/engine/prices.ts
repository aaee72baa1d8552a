// Mark prices. Every tick moves each unpinned symbol by a seeded random step; a price set through
// the control API is pinned and never moves again (until reset), so tests can rely on it.
// Invariant: every stored price is a positive multiple of the instrument's tickSize within
// [minPrice, maxPrice].
import { Dec, roundToStep } from './decimal';
import { Instrument, InstrumentCatalogue } from './instruments';
import { SeededRandom } from './random';

/**
 * Starting mark prices (USDT), chosen to be realistic for the 8 simulated perpetuals.
 * Documented in apps/bybit-sim/README.md; change both together.
 */
export const DEFAULT_PRICES: Readonly<Record<string, string>> = {
  BTCUSDT: '65000.00',
  ETHUSDT: '3200.00',
  LTCUSDT: '85.00',
  ADAUSDT: '0.4500',
  XRPUSDT: '0.5500',
  DOGEUSDT: '0.12000',
  TRXUSDT: '0.12000',
  ZRXUSDT: '0.35000',
};

/** Largest relative move of one random-walk tick: 5 bps, i.e. ±0.05 %. */
export const WALK_MAX_STEP = new Dec('0.0005');
/** Resolution of the random step: the step is k / WALK_RESOLUTION × WALK_MAX_STEP, k integer. */
const WALK_RESOLUTION = 1_000_000;

/** Price state of one symbol. */
export interface PriceEntry {
  readonly symbol: string;
  readonly markPrice: Dec;
  /** True once set through the control API: the walk no longer moves it. */
  readonly pinned: boolean;
  /** First price of the session: our stand-in for "price 24 h ago" in tickers. */
  readonly openPrice: Dec;
  readonly highPrice: Dec;
  readonly lowPrice: Dec;
}

/** Mark prices of all instruments, with a seeded random walk and pinning. */
export class PriceBook {
  private readonly entries = new Map<string, PriceEntry>();
  private random: SeededRandom;

  /**
   * @param catalogue the instruments to price
   * @param seed random-walk seed; the same seed and the same sequence of tick/set calls give the same prices
   */
  constructor(
    private readonly catalogue: InstrumentCatalogue,
    private readonly seed: number,
  ) {
    this.random = new SeededRandom(seed);
    this.reset();
  }

  /** Back to the default prices, nothing pinned, walk restarted from the seed. */
  reset(): void {
    this.random = new SeededRandom(this.seed);
    this.entries.clear();
    for (const instrument of this.catalogue.all) {
      const start = this.clamp(instrument, new Dec(DEFAULT_PRICES[instrument.symbol] ?? instrument.minPrice.mul(1000)));
      this.entries.set(instrument.symbol, {
        symbol: instrument.symbol,
        markPrice: start,
        pinned: false,
        openPrice: start,
        highPrice: start,
        lowPrice: start,
      });
    }
  }

  /** @throws Error for a symbol outside the catalogue */
  mark(symbol: string): Dec {
    return this.entry(symbol).markPrice;
  }

  /** @throws Error for a symbol outside the catalogue */
  entry(symbol: string): PriceEntry {
    const entry = this.entries.get(symbol);
    if (entry === undefined) throw new Error(`no price for ${symbol}`);
    return entry;
  }

  all(): PriceEntry[] {
    return [...this.entries.values()];
  }

  /**
   * Sets and pins a mark price, rounded to the tick size and clamped to the price filter.
   *
   * @throws Error for an unknown symbol or a non-positive price
   */
  set(symbol: string, price: Dec): Dec {
    const instrument = this.catalogue.get(symbol);
    if (!price.isPositive() || price.isZero()) throw new Error(`price for ${symbol} must be positive`);
    const rounded = this.clamp(instrument, price);
    this.store(symbol, rounded, true);
    return rounded;
  }

  /**
   * One random-walk step for every unpinned symbol: price × (1 + u × 5 bps), u uniform in [-1, 1],
   * rounded to tick. A random number is drawn for every symbol, pinned or not, so pinning one
   * symbol does not change the path of the others.
   */
  tick(): void {
    for (const instrument of this.catalogue.all) {
      const k = this.random.nextInt(2 * WALK_RESOLUTION + 1) - WALK_RESOLUTION;
      const entry = this.entry(instrument.symbol);
      if (entry.pinned) continue;
      const factor = new Dec(1).plus(WALK_MAX_STEP.mul(k).div(WALK_RESOLUTION));
      this.store(instrument.symbol, this.clamp(instrument, entry.markPrice.mul(factor)), false);
    }
  }

  private store(symbol: string, price: Dec, pinned: boolean): void {
    const previous = this.entry(symbol);
    this.entries.set(symbol, {
      symbol,
      markPrice: price,
      pinned: pinned || previous.pinned,
      openPrice: previous.openPrice,
      highPrice: Dec.max(previous.highPrice, price),
      lowPrice: Dec.min(previous.lowPrice, price),
    });
  }

  private clamp(instrument: Instrument, price: Dec): Dec {
    const rounded = roundToStep(price, instrument.tickSize);
    return Dec.min(instrument.maxPrice, Dec.max(instrument.minPrice, rounded));
  }
}
