import { retryDecision } from './retry-schedule';

describe('retryDecision: the retry schedule from a count of transient failures', () => {
  const delays = [500, 1000, 2000];

  it('gives the n-th delay after the n-th failure, then exhausts', () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDecision(delays, n))).toEqual([
      { kind: 'redeliver', delayMs: 500 },
      { kind: 'redeliver', delayMs: 1000 },
      { kind: 'redeliver', delayMs: 2000 },
      { kind: 'exhausted' },
      { kind: 'exhausted' },
    ]);
  });

  it('depends on failures only: the same count gives the same decision whatever the delivery', () => {
    // The story: a crash redelivery made this the 4th delivery but only the 3rd failure.
    expect(retryDecision(delays, 3)).toEqual({ kind: 'redeliver', delayMs: 2000 });
  });

  it('exhausts at the first failure when no retry is configured', () => {
    expect(retryDecision([], 1)).toEqual({ kind: 'exhausted' });
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a failure count of %p instead of deciding on it', (count) => {
    expect(() => retryDecision(delays, count)).toThrow(RangeError);
  });
});
