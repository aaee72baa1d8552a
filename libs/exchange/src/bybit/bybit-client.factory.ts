import * as ccxt from 'ccxt';
import { RateLimiterMemory, RateLimiterQueue } from 'rate-limiter-flexible';
import type { Registry } from 'prom-client';
import type { ExchangePort, MarketDataPort } from '../exchange.port';
import { readError } from '../exchange-outcome';
import { BreakerSettings, DEFAULT_BREAKER, GuardedCall } from '../guarded-call';
import { CcxtBybitExchange } from './ccxt-bybit.exchange';

/** Breaker key of keyless public reads; account breakers are keyed by account id (a UUID). */
const PUBLIC_BREAKER = 'public';

/** Which Bybit to talk to; chosen by configuration (`BYBIT_ENV`), never by code. */
export type BybitEnv = 'sim' | 'testnet' | 'mainnet';

export interface BybitConnectionSettings {
  env: BybitEnv;
  /** Base URL of apps/bybit-sim, used when `env` is `sim` (e.g. http://127.0.0.1:8090). */
  simUrl: string;
  /** ccxt request timeout: past it an order's outcome is unknown and settled by `orderLinkId`. */
  requestTimeoutMs: number;
  breaker?: BreakerSettings;
  /**
   * Requests per 5 s this process may send to Bybit, shared by all accounts. Bybit's IP limit is
   * 600 / 5 s (then HTTP 403 for ≥ 10 min); default 300 keeps well under it with room for other
   * replicas behind the same egress IP.
   */
  ipRequestsPer5s?: number;
}

export interface AccountCredentials {
  accountId: string;
  apiKey: string;
  apiSecret: string;
}

/**
 * Creates ccxt `bybit` clients. Markets are loaded once per process by a public client and shared
 * (`setMarkets`), and so are its keep-alive connections (shareConnectionPool), so an account client
 * sends no request of its own to start; building one still costs ~3.4 ms of CPU (ccxt defines its
 * endpoint methods per instance). Keep it no longer than its account trades (the executor:
 * KeptAccountPorts; a scan: one per scan), and the decrypted secret with it. Circuit breakers
 * outlive clients (one per account, keyed by account id), and so does the one rate limiter per
 * egress IP that all accounts' requests go through.
 *
 * ccxt options (notes/ecosystem.md §3): linear markets only; unified account preset so ccxt skips
 * its UTA probing; for the simulator every `urls.api` entry points at it over plain HTTP.
 */
export class BybitClientFactory {
  private readonly breakers = new Map<string, GuardedCall>();
  private readonly ipLimiter: RateLimiterQueue;
  private readonly publicClient: ccxt.bybit;
  private marketsLoaded: Promise<unknown> | null = null;

  constructor(
    private readonly settings: BybitConnectionSettings,
    private readonly registry: Registry,
  ) {
    this.publicClient = this.newClient();
    const perWindow = settings.ipRequestsPer5s ?? 300;
    // rate-limiter-flexible's queue: FIFO, a window of `perWindow` requests per 5 s, and no timer
    // on a call within budget (Bottleneck, used before, added ~4.7 ms of timer hops to EVERY call).
    this.ipLimiter = new RateLimiterQueue(new RateLimiterMemory({ points: perWindow, duration: 5 }));
  }

  /** An {@link ExchangePort} for one account. @throws ExchangeUnavailableError when markets cannot be loaded. */
  async connect(credentials: AccountCredentials): Promise<ExchangePort> {
    await this.loadMarkets();
    const client = this.newClient(credentials);
    // Currencies are not needed for linear orders; ccxt loads them lazily if ever asked.
    client.setMarkets(this.publicClient.markets);
    shareConnectionPool(client, this.publicClient);
    return new CcxtBybitExchange(client, this.breakerFor(credentials.accountId));
  }

  /**
   * Public market data through the keyless client: no account secret is read or decrypted. Its
   * requests go through the process's IP limiter and a breaker of their own (`public`). Mark prices
   * for the gateway's P&L ({@link MarketDataPort}); instruments with their status and lot-size rules
   * for checks made before any account is involved (`index:create`).
   */
  publicMarketData(): MarketDataPort & Pick<ExchangePort, 'instrumentRules'> {
    return new CcxtBybitExchange(this.publicClient, this.breakerFor(PUBLIC_BREAKER));
  }

  private loadMarkets(): Promise<unknown> {
    this.marketsLoaded ??= this.publicClient.loadMarkets().catch((error: unknown) => {
      this.marketsLoaded = null; // try again on the next call
      throw readError(error, 'load_markets');
    });
    return this.marketsLoaded;
  }

  private breakerFor(accountId: string): GuardedCall {
    let guard = this.breakers.get(accountId);
    if (!guard) {
      guard = new GuardedCall(`account:${accountId}`, this.registry, this.settings.breaker ?? DEFAULT_BREAKER, this.ipLimiter);
      this.breakers.set(accountId, guard);
    }
    return guard;
  }

  private newClient(credentials?: AccountCredentials): ccxt.bybit {
    const client = new ccxt.bybit({
      apiKey: credentials?.apiKey,
      secret: credentials?.apiSecret,
      timeout: this.settings.requestTimeoutMs,
      // ccxt's own throttle is per client instance, and clients are per unit of work: it cannot
      // enforce Bybit's per-account limits (two baskets on one account have two clients) and it
      // cost ~0.5 s per leg (a five-leg basket: 2.85 s → 0.5 s without it). The process-wide
      // IP limiter enforces the IP limit; a per-account limit hit (10006) is an
      // ambiguous outcome, settled and retried like any other.
      enableRateLimit: false,
      options: {
        defaultType: 'swap',
        fetchMarkets: { types: ['linear'] },
        enableUnifiedAccount: true,
        enableUnifiedMargin: false,
      },
    });
    if (this.settings.env === 'testnet') client.setSandboxMode(true);
    if (this.settings.env === 'sim') {
      const base = this.settings.simUrl.replace(/\/$/, '');
      client.urls['api'] = { spot: base, futures: base, v2: base, public: base, private: base };
    }
    return client;
  }
}

/**
 * Makes `client` send through `from`'s HTTP connection pool (its keep-alive undici Agent) once
 * `from` has set one up (its first request, the markets' load), instead of opening — and against
 * Bybit, TLS-handshaking — connections of its own for each unit of work: a new account client's
 * first requests no longer wait for a connect. Only transport is shared (requests are signed by
 * each client with its own key). ccxt (4.5, Exchange.loadFetchImplementation) sets its transport
 * up once per instance into these public fields and skips that when they are set.
 */
function shareConnectionPool(client: ccxt.bybit, from: ccxt.bybit): void {
  if (!from.fetchIsNative || from.fetchDispatcher === undefined || from.fetchImplementationLoading === undefined) return;
  client.fetchImplementation = from.fetchImplementation;
  client.fetchImplementationLoading = from.fetchImplementationLoading;
  client.fetchIsNative = true;
  client.fetchDispatcher = from.fetchDispatcher;
  client.undiciModule = from.undiciModule;
  client.zlibModule = from.zlibModule;
  client.httpStatusTexts = from.httpStatusTexts;
  client.AbortError = from.AbortError;
  client.FetchError = from.FetchError;
}

/** Connection settings from a service's parsed environment (see `exchangeEnv`). */
export function bybitSettingsFrom(env: {
  BYBIT_ENV: BybitEnv;
  BYBIT_SIM_URL: string;
  EXCHANGE_REQUEST_TIMEOUT_MS: number;
  EXCHANGE_IP_REQUESTS_PER_5S: number;
}): BybitConnectionSettings {
  return {
    env: env.BYBIT_ENV,
    simUrl: env.BYBIT_SIM_URL,
    requestTimeoutMs: env.EXCHANGE_REQUEST_TIMEOUT_MS,
    ipRequestsPer5s: env.EXCHANGE_IP_REQUESTS_PER_5S,
  };
}
