// Assembles the simulator's Fastify server: the exchange engine, the /v5 routes, the control API
// and the price-walk timer.
import Fastify, { FastifyInstance } from 'fastify';
import { BatchBudget, BatchLimitSetting } from '../engine/batch-budget';
import { Dec } from '../engine/decimal';
import { Exchange } from '../engine/exchange';
import { FaultBook } from '../engine/faults';
import { loadDefaultCatalogue } from '../engine/instruments';
import { LatencyBook, LatencySetting } from '../engine/latency';
import { BookSettings, DEFAULT_BOOK_SETTINGS, OrderBooks } from '../engine/order-book';
import { PriceBook } from '../engine/prices';
import { PrivateStream } from '../stream/private-stream';
import { registerStreamControlRoutes } from '../stream/stream-control-routes';
import { registerAccountRoutes } from './account-routes';
import { registerBatchOrderRoutes } from './batch-routes';
import { registerControlMarketRoutes } from './control-market-routes';
import { registerControlRoutes } from './control-routes';
import { Hangs } from './hangs';
import { registerMarketRoutes } from './market-routes';
import { registerOrderRoutes } from './order-routes';
import { registerPositionRoutes } from './position-routes';
import { RequestLog } from './request-log';
import { SimContext, registerRawJsonBody } from './v5-route';

/** Settings of one simulator instance. */
export interface SimSettings {
  /** Random-walk seed. */
  readonly seed: number;
  /** Slippage of market fills against the taker, in basis points (≥ 0). */
  readonly slippageBps: number;
  /** Interval of the price walk in ms; 0 disables it. */
  readonly priceTickMs: number;
  /** Fill market orders at mark ± slippageBps instead of walking the book; default false. */
  readonly fillAtMark?: boolean;
  /** Book settings of every symbol; fields not given keep DEFAULT_BOOK_SETTINGS. */
  readonly book?: Partial<BookSettings>;
  /** Network latency of every account until the control API changes it; default none. */
  readonly latency?: LatencySetting;
  /** create-batch limits of every account until the control API changes them; default Bybit's for linear. */
  readonly batchLimits?: BatchLimitSetting;
  readonly clock?: () => number;
}

/** A built, not yet listening simulator. */
export interface SimServer {
  readonly app: FastifyInstance;
  readonly context: SimContext;
  /** Bybit's private WebSocket stream at /v5/private on the same server. */
  readonly stream: PrivateStream;
  /** Stops the timer, releases hanging requests and closes the server. */
  close(): Promise<void>;
}

/**
 * Builds the simulator server (call `app.listen` to serve).
 *
 * @throws LatencySettingError, BatchLimitSettingError for settings out of range
 */
export function buildSimServer(settings: SimSettings): SimServer {
  const catalogue = loadDefaultCatalogue();
  const exchange = new Exchange({
    catalogue,
    prices: new PriceBook(catalogue, settings.seed),
    faults: new FaultBook(),
    slippageBps: new Dec(settings.slippageBps),
    books: new OrderBooks(catalogue, settings.seed, { ...DEFAULT_BOOK_SETTINGS, ...settings.book }),
    fillAtMark: settings.fillAtMark ?? false,
    latency: new LatencyBook(settings.seed, settings.latency),
    batchBudget: new BatchBudget(settings.batchLimits),
  });
  const context: SimContext = { exchange, requestLog: new RequestLog(), hangs: new Hangs(), clock: settings.clock ?? Date.now };
  // forceCloseConnections: a hung request must not keep close() waiting for its hangMs.
  const app = Fastify({ logger: false, forceCloseConnections: true });
  registerRawJsonBody(app);
  registerMarketRoutes(app, context);
  registerAccountRoutes(app, context);
  registerOrderRoutes(app, context);
  registerBatchOrderRoutes(app, context);
  registerPositionRoutes(app, context);
  registerControlRoutes(app, context);
  registerControlMarketRoutes(app, context);
  const stream = new PrivateStream(app.server, context);
  registerStreamControlRoutes(app, context, stream);

  const timer = settings.priceTickMs > 0 ? setInterval(() => exchange.tick(context.clock()), settings.priceTickMs) : undefined;
  timer?.unref();
  return {
    app,
    context,
    stream,
    close: async () => {
      if (timer !== undefined) clearInterval(timer);
      context.hangs.releaseAll();
      stream.close();
      await app.close();
    },
  };
}
