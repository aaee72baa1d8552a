import CircuitBreaker from 'opossum';
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

const STATE = { closed: 0, half_open: 1, open: 2 } as const;

/**
 * Every exchange request of one account passes here: an opossum circuit breaker whose failures
 * count only transport errors and 5xx/unavailable answers (a definitive rejection is a healthy
 * exchange saying no), plus request metrics by endpoint and outcome and the breaker state gauge.
 */
export class GuardedCall {
  private readonly breaker: CircuitBreaker<[() => Promise<unknown>], unknown>;
  private readonly requests;
  private readonly duration;

  constructor(
    private readonly name: string,
    registry: Registry,
    settings: BreakerSettings = DEFAULT_BREAKER,
  ) {
    this.breaker = new CircuitBreaker((fn: () => Promise<unknown>) => fn(), {
      timeout: false, // ccxt's own request timeout applies
      errorThresholdPercentage: settings.errorThresholdPercentage,
      resetTimeout: settings.resetTimeoutMs,
      volumeThreshold: settings.volumeThreshold,
      errorFilter: (error: unknown) => classifyExchangeError(error).definitive,
    });
    this.requests = counter(registry, 'exchange_requests_total', 'Exchange HTTP requests by endpoint and outcome', ['endpoint', 'outcome']);
    this.duration = histogram(registry, 'exchange_request_duration_seconds', 'Exchange request latency', ['endpoint'], [
      0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]);
    const state = gauge(registry, 'circuit_breaker_state', 'Exchange circuit breaker state (0 closed, 1 half-open, 2 open)', ['breaker']);
    const events = counter(registry, 'circuit_breaker_events_total', 'Circuit breaker state changes', ['breaker', 'event']);
    // The breaker label is the account's *kind* of breaker, never an account id: ids do not go in labels.
    const label = { breaker: 'exchange_account' };
    this.breaker.on('open', () => (state.set(label, STATE.open), events.inc({ ...label, event: 'open' })));
    this.breaker.on('halfOpen', () => (state.set(label, STATE.half_open), events.inc({ ...label, event: 'half_open' })));
    this.breaker.on('close', () => (state.set(label, STATE.closed), events.inc({ ...label, event: 'close' })));
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
