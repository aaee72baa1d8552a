import * as ccxt from 'ccxt';
import { Registry } from 'prom-client';
import { RateLimiterMemory, RateLimiterQueue } from 'rate-limiter-flexible';
import { CircuitOpenError, GuardedCall } from './guarded-call';

const settings = { errorThresholdPercentage: 50, resetTimeoutMs: 60_000, volumeThreshold: 4 };
const fail = (error: Error) => () => Promise.reject(error);

describe('GuardedCall (per-account circuit breaker)', () => {
  it('opens on transport and 5xx failures, then refuses calls without sending them', async () => {
    const registry = new Registry();
    const guard = new GuardedCall('account:a', registry, settings);
    for (let i = 0; i < 4; i += 1) {
      await expect(guard.write('order_create', fail(new ccxt.ExchangeNotAvailable('bybit 503')))).rejects.toThrow('503');
    }
    expect(guard.isOpen).toBe(true);
    let sent = false;
    await expect(guard.write('order_create', async () => (sent = true))).rejects.toBeInstanceOf(CircuitOpenError);
    expect(sent).toBe(false);
    const text = await registry.metrics();
    expect(text).toMatch(/exchange_circuit_breakers_open 1/);
    expect(text).toMatch(/exchange_requests_total\{endpoint="order_create",outcome="error"\} 4/);
    expect(text).toMatch(/exchange_requests_total\{endpoint="order_create",outcome="circuit_open"\} 1/);
  });

  it('does not count definitive rejections: a healthy exchange saying no keeps the breaker closed', async () => {
    const guard = new GuardedCall('account:b', new Registry(), settings);
    for (let i = 0; i < 10; i += 1) {
      await expect(guard.write('order_create', fail(new ccxt.InsufficientFunds('bybit {"retCode":110007}')))).rejects.toThrow();
    }
    expect(guard.isOpen).toBe(false);
  });

  it("turns read failures into the port's errors: unavailable is transient, refused is not", async () => {
    const guard = new GuardedCall('account:c', new Registry(), settings);
    await expect(guard.read('position_list', fail(new ccxt.RequestTimeout('timeout')))).rejects.toMatchObject({
      name: 'ExchangeUnavailableError',
      code: 'EXCHANGE.TIMEOUT',
    });
    await expect(guard.read('position_list', fail(new ccxt.AuthenticationError('bybit {"retCode":10003}')))).rejects.toMatchObject({
      name: 'ExchangeRequestRefusedError',
      code: 'EXCHANGE.AUTH',
    });
  });
});

describe('GuardedCall (the per-IP budget shared by every account)', () => {
  it('sends at once within the budget, and the calls past it in the next window', async () => {
    const ip = new RateLimiterQueue(new RateLimiterMemory({ points: 3, duration: 1 }));
    const a = new GuardedCall('account:a', new Registry(), settings, ip);
    const b = new GuardedCall('account:b', new Registry(), settings, ip);
    const started = Date.now();
    const sentAfterMs: number[] = [];
    const call = (guard: GuardedCall) => guard.read('position_list', async () => sentAfterMs.push(Date.now() - started));
    await Promise.all([call(a), call(b), call(a), call(b), call(a)]);
    expect(sentAfterMs).toHaveLength(5);
    // The two accounts share one budget of 3 per second: three calls at once, two a window later.
    expect(sentAfterMs.slice(0, 3).every((ms) => ms < 500)).toBe(true);
    expect(sentAfterMs.slice(3).every((ms) => ms >= 900)).toBe(true);
  });
});
