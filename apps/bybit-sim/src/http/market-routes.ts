// Public market endpoints: server time, instruments, tickers, order book and system status
// (docs/v5/market/*.mdx, docs/v5/system-status.mdx).
import { FastifyInstance } from 'fastify';
import { Dec, plain } from '../engine/decimal';
import { BybitError, RetCode, SYMBOL_INVALID_MSG } from '../engine/errors';
import { nextFundingMark } from '../engine/funding';
import { Instrument, formatPrice, formatQty } from '../engine/instruments';
import { maintenanceState } from '../engine/maintenance';
import { BookLevel, BookView, MAX_BOOK_DEPTH } from '../engine/order-book';
import { PriceEntry } from '../engine/prices';
import { ok } from './envelope';
import { optionalString, pageLimit, requiredCategory, requiredString } from './params';
import { SimContext, json, v5Route } from './v5-route';

/** What a ticker row shows beyond the price: the book's touch and the funding rate. */
export interface TickerExtras {
  readonly book: BookView;
  readonly fundingRate: Dec;
}

/** A /v5/market/tickers row for a linear perpetual (docs/v5/market/tickers.mdx); bid1/ask1 are the book's best levels. */
export function tickerRow(instrument: Instrument, price: PriceEntry, now: number, extras: TickerExtras): Record<string, unknown> {
  const fmt = (value: typeof price.markPrice): string => formatPrice(instrument, value);
  const bid = extras.book.bids[0];
  const ask = extras.book.asks[0];
  const change = price.markPrice.minus(price.openPrice).div(price.openPrice).toDecimalPlaces(6);
  return {
    symbol: instrument.symbol,
    lastPrice: fmt(price.markPrice),
    indexPrice: fmt(price.markPrice),
    markPrice: fmt(price.markPrice),
    prevPrice24h: fmt(price.openPrice),
    price24hPcnt: change.toFixed(),
    highPrice24h: fmt(price.highPrice),
    lowPrice24h: fmt(price.lowPrice),
    prevPrice1h: fmt(price.openPrice),
    openInterest: '0',
    openInterestValue: '0',
    turnover24h: '0',
    volume24h: '0',
    fundingRate: plain(extras.fundingRate),
    nextFundingTime: String(nextFundingMark(now)),
    predictedDeliveryPrice: '',
    basisRate: '',
    deliveryFeeRate: '',
    deliveryTime: '0',
    ask1Size: ask === undefined ? '0' : formatQty(instrument, ask.qty),
    bid1Price: bid === undefined ? '' : fmt(bid.price),
    ask1Price: ask === undefined ? '' : fmt(ask.price),
    bid1Size: bid === undefined ? '0' : formatQty(instrument, bid.qty),
    basis: '',
    preOpenPrice: '',
    preQty: '',
    curPreListingPhase: '',
    fundingIntervalHour: '8',
    basisRateYear: '',
    fundingCap: '0.005',
  };
}

/** The result of /v5/market/orderbook (docs/v5/market/orderbook.mdx): `b` descending, `a` ascending, [price, size] strings. */
export function orderBookResult(instrument: Instrument, book: BookView, updateId: number, now: number): Record<string, unknown> {
  const row = (level: BookLevel): [string, string] => [formatPrice(instrument, level.price), formatQty(instrument, level.qty)];
  return { s: instrument.symbol, b: book.bids.map(row), a: book.asks.map(row), ts: now, u: updateId, seq: updateId, cts: now };
}

/** Registers /v5/market/time, /v5/market/instruments-info, /v5/market/tickers, /v5/market/orderbook and /v5/system/status. */
export function registerMarketRoutes(app: FastifyInstance, context: SimContext): void {
  const { exchange } = context;
  const bookOf = (instrument: Instrument, now: number, depth?: number): BookView =>
    exchange.books.view(instrument, exchange.prices.mark(instrument.symbol), now, depth);

  v5Route(app, context, 'GET', '/v5/market/time', 'public', ({ now }) =>
    json(ok({ timeSecond: String(Math.floor(now / 1000)), timeNano: `${now}000000` }, now)),
  );

  // Without `status` Bybit lists Trading symbols only (instrument.mdx); asked for by `symbol`, a
  // symbol is answered whatever its status (the simulator's reading, so a client can see why
  // its orders are refused), unless `status` is given too.
  v5Route(app, context, 'GET', '/v5/market/instruments-info', 'public', ({ now, params }) => {
    const category = requiredCategory(params);
    const symbol = optionalString(params, 'symbol');
    const status = optionalString(params, 'status') ?? (symbol === undefined ? 'Trading' : undefined);
    const list =
      category !== 'linear'
        ? []
        : exchange.catalogue.all
            .filter((instrument) => symbol === undefined || instrument.symbol === symbol)
            .map((instrument) => ({ ...instrument.raw, status: exchange.instrumentStatus(instrument.symbol) }))
            .filter((row) => status === undefined || row.status === status);
    return json(ok({ category, list, nextPageCursor: '' }, now));
  });

  v5Route(app, context, 'GET', '/v5/market/tickers', 'public', ({ now, params }) => {
    const category = requiredCategory(params);
    const symbol = optionalString(params, 'symbol');
    if (category !== 'linear') return json(ok({ category, list: [] }, now));
    exchange.settle(now);
    let instruments = exchange.catalogue.all;
    if (symbol !== undefined) {
      const instrument = exchange.catalogue.find(symbol);
      // Bybit's answer for an unlisted symbol; ccxt maps it to BadSymbol.
      if (instrument === undefined) throw new BybitError(RetCode.PARAMS_ERROR, 'Not supported symbols');
      instruments = [instrument];
    }
    const row = (instrument: Instrument): Record<string, unknown> =>
      tickerRow(instrument, exchange.prices.entry(instrument.symbol), now, {
        book: bookOf(instrument, now, 1),
        fundingRate: exchange.fundingRates.rate(instrument.symbol),
      });
    return json(ok({ category, list: instruments.map(row) }, now));
  });

  // limit: linear [1, 500], default 25 (ccxt 4.5.84 fetchOrderBook's comment; the docs' older
  // text says 200); out-of-range values are clamped like the other list limits.
  v5Route(app, context, 'GET', '/v5/market/orderbook', 'public', ({ now, params }) => {
    const category = requiredCategory(params);
    const symbol = requiredString(params, 'symbol');
    const limit = pageLimit(params, 25, MAX_BOOK_DEPTH);
    if (category !== 'linear') return json(ok({ s: symbol, b: [], a: [], ts: now, u: 0, seq: 0, cts: now }, now));
    exchange.settle(now);
    const instrument = exchange.catalogue.find(symbol);
    if (instrument === undefined) throw new BybitError(RetCode.PARAMS_ERROR, SYMBOL_INVALID_MSG);
    return json(ok(orderBookResult(instrument, bookOf(instrument, now, limit), exchange.books.updateId(symbol), now), now));
  });

  // Only exchange-wide windows: a symbol's maintenance is no platform event, and ccxt's
  // fetchStatus reports the whole exchange down for any "ongoing" row.
  v5Route(app, context, 'GET', '/v5/system/status', 'public', ({ now, params }) => {
    const id = optionalString(params, 'id');
    const state = optionalString(params, 'state');
    const list = exchange.maintenance
      .all()
      .filter((window) => window.symbol === undefined)
      .map((window) => ({
        id: window.id,
        title: window.title,
        state: maintenanceState(window, now),
        begin: String(window.begin),
        end: String(window.end),
        href: '',
        serviceTypes: [1, 2, 3, 4, 5],
        product: [1, 2, 3, 4],
        uidSuffix: [],
        maintainType: 3,
        env: 1,
      }))
      .filter((row) => (id === undefined || row.id === id) && (state === undefined || row.state === state));
    return json(ok({ list }, now, ''));
  });
}
