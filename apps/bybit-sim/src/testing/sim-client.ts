// Test helpers: a real ccxt bybit client pointed at a simulator, and small calls to the control
// API. Used by the *.int-spec.ts files; not part of the simulator itself.
import ccxt from 'ccxt';
import { Agent } from 'node:http';

/** Options of {@link simBybit}. */
export interface SimBybitOptions {
  readonly apiKey: string;
  readonly secret: string;
  /** ccxt request timeout in ms (ccxt's default is 10 000). */
  readonly timeoutMs?: number;
}

/**
 * A ccxt bybit instance configured the way Legwork configures it, with every API base URL
 * pointed at the simulator (ccxt builds https://api.{hostname} otherwise).
 */
export function simBybit(baseUrl: string, options: SimBybitOptions): InstanceType<typeof ccxt.bybit> {
  const exchange = new ccxt.bybit({
    apiKey: options.apiKey,
    secret: options.secret,
    timeout: options.timeoutMs ?? 10_000,
    // ccxt's client-side throttle (cost × 20 ms per call) only slows the tests; the sim has no limit.
    enableRateLimit: false,
    options: { defaultType: 'swap', fetchMarkets: { types: ['linear'] }, enableUnifiedAccount: true, enableUnifiedMargin: false },
  });
  exchange.urls['api'] = { spot: baseUrl, futures: baseUrl, v2: baseUrl, public: baseUrl, private: baseUrl };
  return exchange;
}

/**
 * A ccxt.pro bybit instance (ccxt 4.5.84 bundles it) with the REST URLs pointed at the simulator,
 * as {@link simBybit}, and every private WebSocket URL at its private stream (`ws://…/v5/private`);
 * ccxt picks `urls.api.ws.private.contract` for linear perpetuals (pro/bybit.js getUrlByMarketType).
 */
export function simBybitPro(baseUrl: string, privateStreamUrl: string, options: SimBybitOptions): InstanceType<typeof ccxt.pro.bybit> {
  const exchange = new ccxt.pro.bybit({
    apiKey: options.apiKey,
    secret: options.secret,
    timeout: options.timeoutMs ?? 10_000,
    enableRateLimit: false,
    options: { defaultType: 'swap', fetchMarkets: { types: ['linear'] }, enableUnifiedAccount: true, enableUnifiedMargin: false },
  });
  const privateUrls = {
    spot: { unified: privateStreamUrl, nonUnified: privateStreamUrl },
    contract: privateStreamUrl,
    usdc: privateStreamUrl,
    trade: privateStreamUrl.replace(/\/v5\/private$/, '/v5/trade'),
  };
  exchange.urls['api'] = { spot: baseUrl, futures: baseUrl, v2: baseUrl, public: baseUrl, private: baseUrl, ws: { private: privateUrls } };
  // ccxt refuses a ws:// (non-TLS) URL until it has an HTTP agent for it
  // (Exchange.getHttpAgentIfNeeded: "at first run `await exchange.loadHttpProxyAgent()`").
  exchange.httpAgent = new Agent();
  return exchange;
}

/** Calls the control API and returns the parsed JSON body. @throws Error on a non-2xx status */
export async function control<T = unknown>(baseUrl: string, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const response = await fetch(baseUrl + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Creates an account through the control API; `settings` adds e.g. `defaultLeverage`, `positionMode`. */
export async function createAccount(
  baseUrl: string,
  apiKey: string,
  apiSecret: string,
  balanceUsdt: string,
  canWithdraw = false,
  settings: { defaultLeverage?: string; positionMode?: 'OneWay' | 'Hedge' } = {},
): Promise<void> {
  await control(baseUrl, 'POST', '/__sim/accounts', { apiKey, apiSecret, balanceUsdt, canWithdraw, ...settings });
}

/**
 * Resets the simulator, creates one account at 1x, pins prices, and returns a ccxt client for it:
 * the usual start of an integration case.
 */
export async function freshAccount(
  baseUrl: string,
  account: { apiKey: string; secret: string; balanceUsdt: string; prices: Record<string, string> },
): Promise<InstanceType<typeof ccxt.bybit>> {
  await control(baseUrl, 'POST', '/__sim/reset');
  await createAccount(baseUrl, account.apiKey, account.secret, account.balanceUsdt, false, { defaultLeverage: '1' });
  await control(baseUrl, 'POST', '/__sim/prices', account.prices);
  return simBybit(baseUrl, { apiKey: account.apiKey, secret: account.secret });
}
