// Public market endpoints: server time, instruments and tickers (docs/v5/market/*.mdx).
import { FastifyInstance } from 'fastify';
import { BybitError, RetCode } from '../engine/errors';
import { Instrument, formatPrice } from '../engine/instruments';
import { PriceEntry } from '../engine/prices';
import { ok } from './envelope';
import { optionalString, requiredCategory } from './params';
import { SimContext, json, v5Route } from './v5-route';

/** Funding happens every 8 hours on the simulated perpetuals (fundingInterval 480 min). */
const FUNDING_INTERVAL_MS = 8 * 60 * 60 * 1000;

/** A /v5/market/tickers row for a linear perpetual (docs/v5/market/tickers.mdx). */
export function tickerRow(instrument: Instrument, price: PriceEntry, now: number): Record<string, unknown> {
  const fmt = (value: typeof price.markPrice): string => formatPrice(instrument, value);
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
    fundingRate: '0.0001',
    nextFundingTime: String(Math.ceil((now + 1) / FUNDING_INTERVAL_MS) * FUNDING_INTERVAL_MS),
    predictedDeliveryPrice: '',
    basisRate: '',
    deliveryFeeRate: '',
    deliveryTime: '0',
    ask1Size: '1',
    bid1Price: fmt(price.markPrice.minus(instrument.tickSize)),
    ask1Price: fmt(price.markPrice.plus(instrument.tickSize)),
    bid1Size: '1',
    basis: '',
    preOpenPrice: '',
    preQty: '',
    curPreListingPhase: '',
    fundingIntervalHour: '8',
    basisRateYear: '',
    fundingCap: '0.005',
  };
}

/** Registers /v5/market/time, /v5/market/instruments-info and /v5/market/tickers. */
export function registerMarketRoutes(app: FastifyInstance, context: SimContext): void {
  const { exchange } = context;

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
    return json(ok({ category, list: instruments.map((instrument) => tickerRow(instrument, exchange.prices.entry(instrument.symbol), now)) }, now));
  });
}
