import CircuitBreaker from 'opossum';
import type { RateLimiterQueue } from 'rate-limiter-flexible';
import type { Registry } from 'prom-client';
import { counter, gauge, histogram } from '@legwork/observability';
import { classifyExchangeError, readError } from './exchange-outcome';

/** Thrown instead of calling the exchange while an account's breaker is open. Ambiguous, transient. */
export class CircuitOpenError extends Error {
  constructor(readonly breaker: string) {
    super(`circuit breaker ${breaker} is open: exchange calls paused`);
    this.name = 'CircuitOpenError';
  }
}

export interface BreakerSettings {
  /** Failure percentage within the rolling window that opens the breaker. */
  errorThresholdPercentage: number;
  /** How long the breaker stays open before letting one trial call through. */
  resetTimeoutMs: number;
  /** Minimum calls in the window before the breaker may open. */
  volumeThreshold: number;
}

export const DEFAULT_BREAKER: BreakerSettings = { errorThresholdPercentage: 50, resetTimeoutMs: 30_000, volumeThreshold: 5 };

/**
 * Every exchange request of one account passes here: an opossum circuit breaker whose failures
 * count only transport errors and 5xx/unavailable answers (a definitive rejection is a healthy
 * exchange saying no), plus request metrics by endpoint and outcome and a gauge of open breakers.
 */
export class GuardedCall {
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;
  private readonly requests;
  private readonly duration;

  /**
   * @param ipLimiter the process-wide limiter every account's calls share (Bybit counts requests
   *   per egress IP: 600 per 5 s, docs/v5/rate-limit/rate-limit.mdx); none in unit tests.
   */
  constructor(
    private readonly name: string,
    registry: Registry,
    settings: BreakerSettings = DEFAULT_BREAKER,
    private readonly ipLimiter?: RateLimiterQueue,
  ) {
    this.breaker = new CircuitBreaker((fn: () => Promise<unknown>) => fn(), {
      timeout: false, // ccxt's own request timeout applies
      errorThresholdPercentage: settings.errorThresholdPercentage,
      resetTimeout: settings.resetTimeoutMs,
      volumeThreshold: settings.volumeThreshold,
      errorFilter: (error: unknown) => classifyExchangeError(error).definitive,
    });
    this.requests = counter(registry, 'exchange_requests_total', 'Exchange HTTP requests by endpoint and outcome', ['endpoint', 'outcome']);
    this.duration = histogram(
      registry,
      'exchange_request_duration_seconds',
      'Exchange request latency',
      ['endpoint'],
      [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    );
    // One breaker per account, but no account id in labels: the gauge counts open breakers.
    const open = gauge(registry, 'exchange_circuit_breakers_open', 'Exchange account circuit breakers currently open');
    const events = counter(registry, 'circuit_breaker_events_total', 'Circuit breaker state changes by event', ['event']);
    let isOpen = false;
    const track = (event: 'open' | 'half_open' | 'close') => {
      events.inc({ event });
      if (event === 'open' && !isOpen) open.inc();
      if (event !== 'open' && isOpen) open.dec();
      isOpen = event === 'open';
    };
    this.breaker.on('open', () => track('open'));
    this.breaker.on('halfOpen', () => track('half_open'));
    this.breaker.on('close', () => track('close'));
  }

  get isOpen(): boolean {
    return this.breaker.opened;
  }

  /** A read: failures become ExchangeUnavailableError / ExchangeRequestRefusedError. */
  async read<T>(endpoint: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await this.fire(endpoint, fn);
    } catch (error) {
      throw readError(error, endpoint);
    }
  }

  /** A write: the original error is rethrown for {@link classifyExchangeError} to judge. */
  write<T>(endpoint: string, fn: () => Promise<T>): Promise<T> {
    return this.fire(endpoint, fn);
  }

  private async fire<T>(endpoint: string, fn: () => Promise<T>): Promise<T> {
    if (this.breaker.opened) {
      this.requests.inc({ endpoint, outcome: 'circuit_open' });
      throw new CircuitOpenError(this.name);
    }
    const stop = this.duration.startTimer({ endpoint });
    try {
      // A token of the IP's budget first (waits for the next window when it is spent), then the call.
      if (this.ipLimiter) await this.ipLimiter.removeTokens(1);
      const result = (await this.breaker.fire(fn)) as T;
      this.requests.inc({ endpoint, outcome: 'ok' });
      return result;
    } catch (error) {
      this.requests.inc({ endpoint, outcome: classifyExchangeError(error).definitive ? 'rejected' : 'error' });
      throw error;
    } finally {
      stop();
    }
  }
}
