import { ExecutorRequestFailedError } from '../executor-requests/executor-client';
import { MarkPriceCache, MarkPriceSource } from './mark-price-cache';

/** An in-memory market: counts its ticker reads and fails while `down` (as the executor reports the exchange's failure). */
class CountingMarket implements MarkPriceSource {
  reads = 0;
  down = false;
  price = '100';
  async markPrices(): Promise<Map<string, string>> {
    this.reads += 1;
    await Promise.resolve();
    if (this.down) throw new ExecutorRequestFailedError('EXCHANGE.NETWORK', 'market_tickers: network error: connect ECONNREFUSED');
    return new Map([['BTCUSDT', this.price]]);
  }
}

describe('MarkPriceCache', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('reads once per window for every reader, shares the request in flight, and says which reads were cached', async () => {
    const market = new CountingMarket();
    const cache = new MarkPriceCache(market, 3000, clock);
    const [a, b] = await Promise.all([cache.read(), cache.read()]);
    expect(market.reads).toBe(1);
    expect(a).toEqual({ ok: true, prices: new Map([['BTCUSDT', '100']]), at: new Date(now), source: 'exchange' });
    expect(b).toBe(a);
    now += 2999;
    expect(await cache.read()).toMatchObject({ ok: true, source: 'cache', at: new Date(now - 2999) });
    market.price = '101';
    now += 1;
    expect(await cache.read()).toMatchObject({ ok: true, source: 'exchange', prices: new Map([['BTCUSDT', '101']]) });
    expect(market.reads).toBe(2);
  });

  it('a failed read is answered with the reason (no throw), not cached: the next reader tries again', async () => {
    const market = new CountingMarket();
    market.down = true;
    const cache = new MarkPriceCache(market, 3000, clock);
    expect(await cache.read()).toEqual({ ok: false, reason: "the exchange's mark prices could not be read (EXCHANGE.NETWORK)" });
    market.down = false;
    expect(await cache.read()).toMatchObject({ ok: true, source: 'exchange' });
    expect(market.reads).toBe(2);
  });
});
