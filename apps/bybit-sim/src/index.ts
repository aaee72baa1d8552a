// Public entry point of the Bybit V5 simulator: start one in-process on a port and get its URL.
// Used by integration tests, the dev stack and main.ts.
import { BYBIT_LINEAR_BATCH_LIMITS, BatchLimitSetting } from './engine/batch-budget';
import { Dec } from './engine/decimal';
import { LatencySetting } from './engine/latency';
import { BookSettings } from './engine/order-book';
import { parseBookSettings } from './http/control-market-parse';
import { buildSimServer } from './http/server';
import { PRIVATE_STREAM_PATH } from './stream/private-stream';

/** @throws Error naming the first option out of range */
function bookSettings(options: BookOptions): Partial<BookSettings> {
  const { levelNotionalUsdt, priceLimitRatio, ...rest } = options;
  const parsed = parseBookSettings({
    ...rest,
    ...(levelNotionalUsdt === undefined ? {} : { levelNotionalUsdt: new Dec(levelNotionalUsdt).toFixed() }),
    ...(priceLimitRatio === undefined ? {} : { priceLimitRatio: new Dec(priceLimitRatio).toFixed() }),
  });
  return parsed.settings;
}

function latencySetting(latency: { roundTripMs: number; jitterMs?: number }): LatencySetting {
  return { roundTripMs: latency.roundTripMs, jitterMs: latency.jitterMs ?? 0 };
}

/** Options of {@link startBybitSim}; every field optional. */
export interface BybitSimOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Seed of the mark-price random walk; default 1. */
  seed?: number;
  /** Slippage of market fills against the taker in basis points; default 0. */
  slippageBps?: number;
  /** Price-walk interval in ms; 0 disables the walk; default 1000. */
  priceTickMs?: number;
  /**
   * Fill every market order whole at mark ± slippageBps (one execution) instead of walking the
   * order book; default false. For tests that need exact prices (also per account: POST /__sim/fill-mode).
   */
  fillAtMark?: boolean;
  /** Order-book shape of every symbol (see apps/bybit-sim/README.md "Order book"); default DEFAULT_BOOK_SETTINGS. */
  book?: BookOptions;
  /**
   * Network latency of every account until the control API changes it (POST /__sim/latency):
   * a round trip of `roundTripMs` ± `jitterMs` (whole ms, jitter ≤ round trip) on every /v5
   * request; default none.
   */
  latency?: { roundTripMs: number; jitterMs?: number };
  /**
   * Limits of POST /v5/order/create-batch for every account until changed (POST /__sim/batch-limits):
   * orders per rolling second (default 10, Bybit's linear limit) and orders per request (default 20).
   */
  batchLimits?: Partial<BatchLimitSetting>;
}

/** Book settings as plain numbers; `levelNotionalUsdt` and `priceLimitRatio` may be decimal strings. */
export interface BookOptions {
  spreadTicks?: number;
  depth?: number;
  levelStepTicks?: number;
  levelNotionalUsdt?: number | string;
  refillMs?: number;
  priceLimitRatio?: number | string;
}

/** A running simulator. */
export interface BybitSim {
  /** Base URL, e.g. "http://127.0.0.1:41234" — point every ccxt `urls.api` entry at it. */
  url: string;
  /** Bybit's private stream, e.g. "ws://127.0.0.1:41234/v5/private" — ccxt.pro's `urls.api.ws.private` entries. */
  privateStreamUrl: string;
  port: number;
  /** Stops the price walk, drops hanging requests and closes the server. */
  close(): Promise<void>;
}

/**
 * Starts a Bybit V5 simulator (USDT linear perpetuals) speaking the REST endpoints ccxt's bybit
 * class uses, plus the control API under /__sim/ (see apps/bybit-sim/README.md).
 *
 * @throws Error when the port cannot be bound or an option is out of range
 */
export async function startBybitSim(options: BybitSimOptions = {}): Promise<BybitSim> {
  const host = options.host ?? '127.0.0.1';
  const slippageBps = options.slippageBps ?? 0;
  const priceTickMs = options.priceTickMs ?? 1000;
  if (!Number.isFinite(slippageBps) || slippageBps < 0) throw new Error(`slippageBps must be ≥ 0, got ${slippageBps}`);
  if (!Number.isSafeInteger(priceTickMs) || priceTickMs < 0) throw new Error(`priceTickMs must be an integer ≥ 0, got ${priceTickMs}`);
  const server = buildSimServer({
    seed: options.seed ?? 1,
    slippageBps,
    priceTickMs,
    fillAtMark: options.fillAtMark ?? false,
    book: bookSettings(options.book ?? {}),
    ...(options.latency === undefined ? {} : { latency: latencySetting(options.latency) }),
    batchLimits: { ...BYBIT_LINEAR_BATCH_LIMITS, ...options.batchLimits },
  });
  await server.app.listen({ port: options.port ?? 0, host });
  const address = server.app.server.address();
  if (address === null || typeof address === 'string') {
    await server.close();
    throw new Error('bybit-sim: the server has no TCP address');
  }
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${urlHost}:${address.port}`,
    privateStreamUrl: `ws://${urlHost}:${address.port}${PRIVATE_STREAM_PATH}`,
    port: address.port,
    close: () => server.close(),
  };
}

export { buildSimServer } from './http/server';
export type { SimServer, SimSettings } from './http/server';
