import { BATCH_WINDOW_MS, BatchBudget, BatchLimitSettingError, checkBatchLimits } from './batch-budget';

const T0 = 1_700_000_000_000;

describe('the create-batch rate budget', () => {
  it("defaults to Bybit's linear limits: 10 orders per rolling second, 20 orders per request", () => {
    expect(new BatchBudget().limits('k')).toEqual({ ordersPerSecond: 10, maxOrdersPerRequest: 20 });
  });

  it('grants what is left of the rolling second and frees each unit one window after it was used', () => {
    const budget = new BatchBudget();
    expect(budget.take('k', 4, T0)).toBe(4);
    expect(budget.take('k', 4, T0 + 300)).toBe(4);
    expect(budget.take('k', 4, T0 + 600)).toBe(2);
    expect(budget.status('k', T0 + 600)).toEqual({ limit: 10, remaining: 0, resetTimestamp: T0 + BATCH_WINDOW_MS });
    expect(budget.take('k', 1, T0 + 999)).toBe(0);
    expect(budget.status('k', T0 + 1000)).toEqual({ limit: 10, remaining: 4, resetTimestamp: T0 + 1000 });
    expect(budget.take('k', 5, T0 + 1000)).toBe(4);
    expect(budget.status('k', T0 + 1000).resetTimestamp).toBe(T0 + 300 + BATCH_WINDOW_MS);
  });

  it('reports the reset time of the unit whose leaving frees one when the limit was lowered below the units held', () => {
    const budget = new BatchBudget();
    budget.take('k', 3, T0);
    budget.take('k', 3, T0 + 100);
    budget.set({ ordersPerSecond: 4, maxOrdersPerRequest: 20 }, 'k');
    // 6 held, 4 allowed: one is free once 3 have left — the three taken at T0, one window later.
    expect(budget.status('k', T0 + 200)).toEqual({ limit: 4, remaining: 0, resetTimestamp: T0 + BATCH_WINDOW_MS });
    expect(budget.status('k', T0 + BATCH_WINDOW_MS).remaining).toBe(1);
  });

  it('validates limits: integers ≥ 1 within the bounds', () => {
    expect(() => checkBatchLimits({ ordersPerSecond: 0, maxOrdersPerRequest: 20 })).toThrow(BatchLimitSettingError);
    expect(() => checkBatchLimits({ ordersPerSecond: 10, maxOrdersPerRequest: 101 })).toThrow(/maxOrdersPerRequest/);
    expect(() => checkBatchLimits({ ordersPerSecond: 2.5, maxOrdersPerRequest: 10 })).toThrow(/ordersPerSecond/);
    expect(() => new BatchBudget({ ordersPerSecond: 10, maxOrdersPerRequest: 0 })).toThrow(BatchLimitSettingError);
  });
});
