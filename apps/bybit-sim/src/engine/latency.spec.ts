import { LatencyBook, LatencySettingError, NO_LATENCY, checkLatencySetting, waitOneWay } from './latency';

function draws(book: LatencyBook, apiKey: string | undefined, count: number): number[] {
  return Array.from({ length: count }, () => book.drawRoundTripMs(apiKey));
}

describe('simulated network latency', () => {
  it('draws round trips uniformly in [rtt − jitter, rtt + jitter], the same for the same seed', () => {
    const book = new LatencyBook(7, { roundTripMs: 20, jitterMs: 5 });
    const drawn = draws(book, undefined, 2000);
    expect(Math.min(...drawn)).toBe(15);
    expect(Math.max(...drawn)).toBe(25);
    expect(new Set(drawn).size).toBe(11);
    expect(drawn.every(Number.isInteger)).toBe(true);
    expect(draws(new LatencyBook(7, { roundTripMs: 20, jitterMs: 5 }), undefined, 2000)).toEqual(drawn);
    expect(draws(new LatencyBook(8, { roundTripMs: 20, jitterMs: 5 }), undefined, 2000)).not.toEqual(drawn);
  });

  it('splits a round trip into a request leg (lower half) and a response leg', () => {
    const book = new LatencyBook(1, { roundTripMs: 25, jitterMs: 0 });
    expect(book.drawLegs('k')).toEqual({ requestMs: 12, responseMs: 13 });
    expect(book.drawOneWayMs('k')).toBe(13);
    expect(new LatencyBook(1).drawLegs(undefined)).toEqual({ requestMs: 0, responseMs: 0 });
  });

  it('applies an account setting over the global one; a global setting drops the account ones; reset restores the initial', () => {
    const book = new LatencyBook(1, { roundTripMs: 10, jitterMs: 0 });
    book.set({ roundTripMs: 200, jitterMs: 0 }, 'k1');
    expect([book.drawRoundTripMs('k1'), book.drawRoundTripMs('k2'), book.drawRoundTripMs(undefined)]).toEqual([200, 10, 10]);
    book.clear('k1');
    expect(book.drawRoundTripMs('k1')).toBe(10);
    book.set({ roundTripMs: 200, jitterMs: 0 }, 'k1');
    book.set({ roundTripMs: 50, jitterMs: 0 });
    expect(book.snapshot()).toEqual({ global: { roundTripMs: 50, jitterMs: 0 }, perAccount: {} });
    book.clear();
    expect(book.forAccount('k1')).toEqual(NO_LATENCY);
    book.set({ roundTripMs: 80, jitterMs: 0 }, 'k1');
    book.reset();
    expect(book.snapshot()).toEqual({ global: { roundTripMs: 10, jitterMs: 0 }, perAccount: {} });
  });

  it('refuses fractions, negatives, a jitter above the round trip and more than a minute', () => {
    expect(checkLatencySetting({ roundTripMs: 20, jitterMs: 20 })).toEqual({ roundTripMs: 20, jitterMs: 20 });
    for (const bad of [
      { roundTripMs: 1.5, jitterMs: 0 },
      { roundTripMs: -1, jitterMs: 0 },
      { roundTripMs: 10, jitterMs: 11 },
      { roundTripMs: 60_001, jitterMs: 0 },
    ]) {
      expect(() => checkLatencySetting(bad)).toThrow(LatencySettingError);
    }
    expect(() => new LatencyBook(1).set({ roundTripMs: 5, jitterMs: 6 }, 'k')).toThrow(/jitterMs/);
  });

  it('waits half a round trip for a pushed message', async () => {
    const book = new LatencyBook(1);
    book.set({ roundTripMs: 100, jitterMs: 0 }, 'k');
    const start = performance.now();
    await waitOneWay(book, 'k');
    expect(performance.now() - start).toBeGreaterThanOrEqual(45);
  });
});
