// Test fixture: an Exchange on the bundled instruments with deterministic ids and chosen prices.
import { Dec } from '../engine/decimal';
import { BybitError } from '../engine/errors';
import { Exchange } from '../engine/exchange';
import { FaultBook } from '../engine/faults';
import { loadDefaultCatalogue } from '../engine/instruments';
import { MarketOrderRequest } from '../engine/matching';
import { BookSettings, OrderBooks } from '../engine/order-book';
import { PriceBook } from '../engine/prices';
import { Side } from '../engine/types';

/** Options of {@link newExchange}. */
export interface FixtureOptions {
  readonly slippageBps?: string;
  /** Pinned mark prices by symbol. */
  readonly prices?: Record<string, string>;
  readonly seed?: number;
  /**
   * Fill at the mark price (default true here: most engine tests pin exact prices); false walks
   * the order book, as the simulator does by default.
   */
  readonly fillAtMark?: boolean;
  /** Book settings in force for every symbol (book mode). */
  readonly book?: Partial<BookSettings>;
}

/** A fresh exchange whose ids are "id-1", "id-2", … */
export function newExchange(options: FixtureOptions = {}): Exchange {
  const catalogue = loadDefaultCatalogue();
  let next = 0;
  const exchange = new Exchange({
    catalogue,
    prices: new PriceBook(catalogue, options.seed ?? 1),
    faults: new FaultBook(),
    slippageBps: new Dec(options.slippageBps ?? '0'),
    books: new OrderBooks(catalogue, options.seed ?? 1),
    fillAtMark: options.fillAtMark ?? true,
    newId: () => `id-${++next}`,
  });
  if (options.book !== undefined) exchange.books.configure(options.book);
  for (const [symbol, price] of Object.entries(options.prices ?? {})) exchange.prices.set(symbol, new Dec(price));
  return exchange;
}

/** A market order request with defaults (no reduce-only, no orderLinkId). */
export function market(symbol: string, side: Side, qty: string, extra: Partial<MarketOrderRequest> = {}): MarketOrderRequest {
  return { symbol, side, qty: new Dec(qty), reduceOnly: false, closeOnTrigger: false, orderLinkId: '', ...extra };
}

/** The BybitError an action throws, or undefined when it succeeds; other errors propagate. */
export function bybitErrorOf(action: () => unknown): BybitError | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    if (error instanceof BybitError) return error;
    throw error;
  }
}

/** The retCode of the BybitError an action throws, or undefined when it succeeds. */
export function retCodeOf(action: () => unknown): number | undefined {
  return bybitErrorOf(action)?.retCode;
}
