import type { ExecutorClient } from '../executor-requests/executor-client';

/** Where mark prices come from: symbol → mark price (decimal string). Throws an error with a `code` when they cannot be read. */
export interface MarkPriceSource {
  markPrices(): Promise<ReadonlyMap<string, string>>;
}

/**
 * Mark prices as the executor reads them (public market data, no API key): the gateway holds no
 * exchange client. A failed read throws with the exchange's code (`EXCHANGE.NETWORK`), or
 * `EXECUTOR.UNAVAILABLE` when no executor answered in time.
 */
export function executorMarkPrices(executor: ExecutorClient): MarkPriceSource {
  return {
    async markPrices() {
      const { prices } = await executor.ask({ schemaVersion: 1, type: 'ReadMarkPrices' });
      return new Map(Object.entries(prices));
    },
  };
}

/** Mark prices as a P&L reader gets them: from the exchange now (read by the executor), or reused from a read `ttlMs` old at most. */
export type MarkPriceRead =
  { ok: true; prices: ReadonlyMap<string, string>; at: Date; source: 'exchange' | 'cache' } | { ok: false; reason: string };

/**
 * Every linear mark price (public market data, no API key), read at most once per `ttlMs` for all
 * positions and symbols together: a trader polling a position page must not turn into one ticker
 * request per poll. Concurrent readers share the request in flight. A failed read is answered as
 * such (never an empty map, which would look like "no prices") and is not cached, so the next
 * reader tries again.
 */
export class MarkPriceCache {
  private last: { prices: ReadonlyMap<string, string>; at: Date } | null = null;
  private inFlight: Promise<MarkPriceRead> | null = null;

  constructor(
    private readonly market: MarkPriceSource,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Never throws: a failure is `{ok: false, reason}`. */
  read(): Promise<MarkPriceRead> {
    if (this.last && this.now() - this.last.at.getTime() < this.ttlMs) {
      return Promise.resolve({ ok: true, prices: this.last.prices, at: this.last.at, source: 'cache' });
    }
    this.inFlight ??= this.fetch().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async fetch(): Promise<MarkPriceRead> {
    try {
      const prices = await this.market.markPrices();
      this.last = { prices, at: new Date(this.now()) };
      return { ok: true, prices, at: this.last.at, source: 'exchange' };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      return {
        ok: false,
        reason: `the exchange's mark prices could not be read (${typeof code === 'string' ? code : 'EXCHANGE.UNKNOWN_ERROR'})`,
      };
    }
  }
}
