import { ConfigError, readConfig } from './config';

describe('simulator configuration', () => {
  it('has the documented defaults', () => {
    expect(readConfig({})).toEqual({
      port: 8090,
      host: '127.0.0.1',
      seed: 1,
      slippageBps: 0,
      priceTickMs: 1000,
      fillAtMark: false,
      book: { spreadTicks: 2, depth: 50, levelStepTicks: 1, levelNotionalUsdt: 20_000, refillMs: 0 },
    });
  });

  it('reads every variable', () => {
    expect(
      readConfig({
        BYBIT_SIM_PORT: '0',
        BYBIT_SIM_HOST: '0.0.0.0',
        BYBIT_SIM_SEED: '42',
        BYBIT_SIM_SLIPPAGE_BPS: '5',
        BYBIT_SIM_PRICE_TICK_MS: '0',
      }),
    ).toMatchObject({ port: 0, host: '0.0.0.0', seed: 42, slippageBps: 5, priceTickMs: 0 });
  });

  it('reads the fill mode and the book shape', () => {
    expect(
      readConfig({
        BYBIT_SIM_FILL_AT_MARK: 'true',
        BYBIT_SIM_BOOK_SPREAD_TICKS: '4',
        BYBIT_SIM_BOOK_DEPTH: '10',
        BYBIT_SIM_BOOK_LEVEL_STEP_TICKS: '3',
        BYBIT_SIM_BOOK_LEVEL_NOTIONAL_USDT: '500',
        BYBIT_SIM_BOOK_REFILL_MS: '2000',
      }),
    ).toMatchObject({ fillAtMark: true, book: { spreadTicks: 4, depth: 10, levelStepTicks: 3, levelNotionalUsdt: 500, refillMs: 2000 } });
    expect(() => readConfig({ BYBIT_SIM_FILL_AT_MARK: 'yes', BYBIT_SIM_BOOK_DEPTH: '501' })).toThrow(
      /BYBIT_SIM_FILL_AT_MARK.*BYBIT_SIM_BOOK_DEPTH/,
    );
  });

  it('lists every invalid variable at once', () => {
    let error: unknown;
    try {
      readConfig({ BYBIT_SIM_PORT: '70000', BYBIT_SIM_SEED: 'x', BYBIT_SIM_SLIPPAGE_BPS: '-1', BYBIT_SIM_PRICE_TICK_MS: '1.5' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((problem) => problem.split('=')[0])).toEqual([
      'BYBIT_SIM_PORT',
      'BYBIT_SIM_SEED',
      'BYBIT_SIM_SLIPPAGE_BPS',
      'BYBIT_SIM_PRICE_TICK_MS',
    ]);
  });

  it('reads the network latency and the batch limits, absent unless set', () => {
    expect(readConfig({})).not.toHaveProperty('latency');
    expect(readConfig({})).not.toHaveProperty('batchLimits');
    expect(
      readConfig({
        BYBIT_SIM_LATENCY_RTT_MS: '20',
        BYBIT_SIM_LATENCY_JITTER_MS: '5',
        BYBIT_SIM_BATCH_ORDERS_PER_SECOND: '50',
      }),
    ).toMatchObject({ latency: { roundTripMs: 20, jitterMs: 5 }, batchLimits: { ordersPerSecond: 50, maxOrdersPerRequest: 20 } });
    expect(readConfig({ BYBIT_SIM_BATCH_MAX_ORDERS: '10' }).batchLimits).toEqual({ ordersPerSecond: 10, maxOrdersPerRequest: 10 });
    expect(() =>
      readConfig({ BYBIT_SIM_LATENCY_RTT_MS: '10', BYBIT_SIM_LATENCY_JITTER_MS: '11', BYBIT_SIM_BATCH_MAX_ORDERS: '0' }),
    ).toThrow(/BYBIT_SIM_BATCH_MAX_ORDERS.*BYBIT_SIM_LATENCY_JITTER_MS|BYBIT_SIM_LATENCY_JITTER_MS.*BYBIT_SIM_BATCH_MAX_ORDERS/);
  });
});
