// The order book of each symbol: resting liquidity around the mark price that a market order
// takes as a taker, level by level. The book is not a list of orders: it is derived from the mark
// price, the symbol's book settings and a seeded size per level, minus what trades consumed and
// has not yet refilled. Deriving it keeps the price walk and the book consistent at every read.
// Invariants: every level price is a multiple of the tickSize inside [minPrice, maxPrice]; every
// level qty is a positive multiple of the qtyStep, at least minOrderQty; bids strictly descend,
// asks strictly ascend, and bid1 < ask1.
import { Dec, ZERO } from './decimal';
import { Instrument, InstrumentCatalogue } from './instruments';
import { SeededRandom } from './random';
import { Side } from './types';

/** Bybit serves at most 500 levels per side for linear (docs/v5/market/orderbook.mdx `limit`). */
export const MAX_BOOK_DEPTH = 500;

/** How one symbol's book is shaped. */
export interface BookSettings {
  /** ask1 − bid1 in ticks, ≥ 1: ask1 = mark + ⌈spread/2⌉ ticks, bid1 = mark − ⌊spread/2⌋ ticks. */
  readonly spreadTicks: number;
  /** Levels per side, 1–500. */
  readonly depth: number;
  /** Ticks between two adjacent levels of a side, ≥ 1. */
  readonly levelStepTicks: number;
  /** Mean USDT notional of a level; each level holds 0.5–1.5 × this (seeded), on the lot size. */
  readonly levelNotionalUsdt: Dec;
  /**
   * How long liquidity taken by trades stays gone (ms after the last trade on that side, when all
   * of it comes back at once); 0 = the book is full again right after each trade.
   */
  readonly refillMs: number;
  /**
   * Market-order price protection: the largest deviation from the mark price a fill may have,
   * as a ratio (0.01 = 1 %). Undefined = the instrument's `priceLimitRatioX`.
   */
  readonly priceLimitRatio: Dec | undefined;
}

/**
 * Defaults: a 2-tick spread (bid1/ask1 = mark ∓ 1 tick, what the ticker always quoted), 50 levels
 * 1 tick apart, about 20 000 USDT per level: a basket leg of a few thousand USDT fills at the
 * touch, a larger one walks the book.
 */
export const DEFAULT_BOOK_SETTINGS: BookSettings = {
  spreadTicks: 2,
  depth: 50,
  levelStepTicks: 1,
  levelNotionalUsdt: new Dec(20_000),
  refillMs: 0,
  priceLimitRatio: undefined,
};

/** One price level: `qty` in base coin at `price` USDT. */
export interface BookLevel {
  readonly price: Dec;
  readonly qty: Dec;
}

/** Both sides of a book, best level first (bids descending, asks ascending). */
export interface BookView {
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
}

/** A part of a market order filled at one level. */
export interface BookFill {
  readonly price: Dec;
  readonly qty: Dec;
}

/** Seeded size factors of a level are k / 1000 with k in [500, 1500]. */
const SIZE_FACTOR_MIN = 500;
const SIZE_FACTOR_SPAN = 1001;

/**
 * The levels of one side. `sizeFactors[i]` (500–1500, per mille of levelNotionalUsdt) sizes
 * level i; `consumed` maps a level price (plain string) to the qty trades took from it.
 */
export function bookSide(
  instrument: Instrument,
  markPrice: Dec,
  side: 'bid' | 'ask',
  settings: BookSettings,
  sizeFactors: readonly number[],
  consumed: ReadonlyMap<string, Dec> = new Map(),
): BookLevel[] {
  const levels: BookLevel[] = [];
  const firstOffset = side === 'ask' ? Math.ceil(settings.spreadTicks / 2) : Math.floor(settings.spreadTicks / 2);
  for (let index = 0; index < settings.depth; index += 1) {
    const offset = instrument.tickSize.mul(firstOffset + index * settings.levelStepTicks);
    const price = side === 'ask' ? markPrice.plus(offset) : markPrice.minus(offset);
    if (price.greaterThan(instrument.maxPrice) || price.lessThan(instrument.minPrice)) break;
    const full = levelQty(instrument, markPrice, settings.levelNotionalUsdt, sizeFactors[index] ?? 1000);
    const left = full.minus(consumed.get(price.toFixed()) ?? ZERO);
    if (left.isPositive() && !left.isZero()) levels.push({ price, qty: left });
  }
  return levels;
}

/** A level's full qty: notional × factor‰ / mark, down to the qtyStep, at least minOrderQty. */
export function levelQty(instrument: Instrument, markPrice: Dec, levelNotionalUsdt: Dec, sizeFactor: number): Dec {
  const raw = levelNotionalUsdt.mul(sizeFactor).div(1000).div(markPrice);
  const onStep = raw.div(instrument.qtyStep).floor().mul(instrument.qtyStep);
  return Dec.max(instrument.minOrderQty, onStep);
}

/**
 * The worst price a market order may fill at (docs/v5/order/create-order.mdx: Bybit turns a
 * market order into an IOC limit order at a price that deviates from the mark price by at most
 * the slippage threshold). Bybit's price-limit rule (announcement "Adjustments to Bybit's
 * Derivative Trading Price Limit Mechanism", 2024-12-27, linked from create-order.mdx): highest
 * buy = min(max(index, mark × (1 + x)), mark × (1 + y)), lowest sell = max(min(index, mark × (1 − x)),
 * mark × (1 − y)), x/y = instruments-info `priceLimitRatioX/Y`. The simulator's index price is the
 * mark price, so this is mark × (1 ± x), rounded inwards to the tick.
 */
export function protectionPrice(instrument: Instrument, markPrice: Dec, side: Side, ratio: Dec): Dec {
  const raw = side === 'Buy' ? markPrice.mul(new Dec(1).plus(ratio)) : markPrice.mul(new Dec(1).minus(ratio));
  const ticks = raw.div(instrument.tickSize);
  const onTick = (side === 'Buy' ? ticks.floor() : ticks.ceil()).mul(instrument.tickSize);
  return Dec.min(instrument.maxPrice, Dec.max(instrument.minPrice, onTick));
}

/**
 * Walks one side of the book for a taker order of `qty`: best level first, never past
 * `limitPrice` (the protection price). What the levels inside the limit cannot fill is left
 * unfilled (Bybit cancels it).
 *
 * @param levels asks for a Buy, bids for a Sell, best first
 * @returns the fills in the order they happen; empty when no level is inside the limit
 */
export function walkBook(levels: readonly BookLevel[], side: Side, qty: Dec, limitPrice: Dec): BookFill[] {
  const fills: BookFill[] = [];
  let remaining = qty;
  for (const level of levels) {
    if (remaining.isZero()) break;
    if (side === 'Buy' ? level.price.greaterThan(limitPrice) : level.price.lessThan(limitPrice)) break;
    const take = Dec.min(remaining, level.qty);
    fills.push({ price: level.price, qty: take });
    remaining = remaining.minus(take);
  }
  return fills;
}

interface Consumption {
  /** Time of the last trade that took liquidity from this side. */
  time: number;
  readonly byPrice: Map<string, Dec>;
}

/** The books of every symbol: settings (defaults and per-symbol overrides), seeded sizes, consumption. */
export class OrderBooks {
  private defaults: BookSettings;
  private readonly overrides = new Map<string, Partial<BookSettings>>();
  private readonly sizeFactors = new Map<string, number[]>();
  private readonly consumption = new Map<string, Consumption>();
  private readonly updateIds = new Map<string, number>();

  /**
   * @param seed the seed of the level sizes; the same seed gives the same book for the same mark price
   * @param defaults settings of every symbol without an override
   */
  constructor(
    private readonly catalogue: InstrumentCatalogue,
    seed: number,
    private readonly initialDefaults: BookSettings = DEFAULT_BOOK_SETTINGS,
  ) {
    this.defaults = initialDefaults;
    // A separate stream from the price walk's, so book sizes never shift the walk's path.
    const random = new SeededRandom((seed ^ 0x9e3779b9) >>> 0);
    for (const symbol of catalogue.symbols()) {
      for (const side of ['bid', 'ask'] as const) {
        this.sizeFactors.set(
          `${symbol}/${side}`,
          Array.from({ length: MAX_BOOK_DEPTH }, () => SIZE_FACTOR_MIN + random.nextInt(SIZE_FACTOR_SPAN)),
        );
      }
    }
  }

  /** The settings in force for a symbol. */
  settings(symbol: string): BookSettings {
    return { ...this.defaults, ...this.overrides.get(symbol) };
  }

  /** Changes the defaults (no symbol) or one symbol's settings; fields not given keep their value. */
  configure(patch: Partial<BookSettings>, symbol?: string): BookSettings {
    if (symbol === undefined) {
      this.defaults = { ...this.defaults, ...patch };
      return this.defaults;
    }
    this.catalogue.get(symbol);
    this.overrides.set(symbol, { ...this.overrides.get(symbol), ...patch });
    return this.settings(symbol);
  }

  /** The price-protection ratio of a symbol: its override, else the instrument's priceLimitRatioX. */
  priceLimitRatio(instrument: Instrument): Dec {
    return this.settings(instrument.symbol).priceLimitRatio ?? instrument.priceLimitRatioX;
  }

  /** The book of a symbol at `now` around `markPrice`, at most `depth` levels per side. */
  view(instrument: Instrument, markPrice: Dec, now: number, depth?: number): BookView {
    const settings = this.settings(instrument.symbol);
    const shaped = depth === undefined ? settings : { ...settings, depth: Math.min(depth, settings.depth) };
    const side = (bookSideName: 'bid' | 'ask'): BookLevel[] =>
      bookSide(
        instrument,
        markPrice,
        bookSideName,
        shaped,
        this.sizeFactors.get(`${instrument.symbol}/${bookSideName}`) ?? [],
        this.consumed(instrument.symbol, bookSideName, now, settings.refillMs),
      );
    return { bids: side('bid'), asks: side('ask') };
  }

  /** Removes what a taker order filled from the side it traded against (asks for a Buy). */
  take(symbol: string, takerSide: Side, fills: readonly BookFill[], now: number): void {
    if (fills.length === 0) return;
    const key = `${symbol}/${takerSide === 'Buy' ? 'ask' : 'bid'}`;
    const current = this.consumption.get(key);
    const entry: Consumption =
      current === undefined || now - current.time >= this.settings(symbol).refillMs ? { time: now, byPrice: new Map() } : current;
    entry.time = now;
    for (const fill of fills) entry.byPrice.set(fill.price.toFixed(), (entry.byPrice.get(fill.price.toFixed()) ?? ZERO).plus(fill.qty));
    this.consumption.set(key, entry);
    this.updateIds.set(symbol, this.updateId(symbol) + 1);
  }

  /** The book's update id `u`: grows with every trade against it (orderbook.mdx "always in sequence"). */
  updateId(symbol: string): number {
    return this.updateIds.get(symbol) ?? 1;
  }

  /** Back to the settings given at construction and full books. */
  reset(): void {
    this.defaults = this.initialDefaults;
    this.overrides.clear();
    this.consumption.clear();
    this.updateIds.clear();
  }

  private consumed(symbol: string, side: 'bid' | 'ask', now: number, refillMs: number): ReadonlyMap<string, Dec> {
    const entry = this.consumption.get(`${symbol}/${side}`);
    // A refill interval of 0 means the book is full again from the next read on.
    if (entry === undefined || now - entry.time >= refillMs) return new Map();
    return entry.byPrice;
  }
}
