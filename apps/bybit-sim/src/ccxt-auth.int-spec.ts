// Real ccxt against the simulator's HMAC authentication: unknown key, wrong secret and a clock
// outside the receive window map to ccxt's AuthenticationError / InvalidNonce.
import ccxt from 'ccxt';
import { BybitSim, startBybitSim } from './index';
import { control, createAccount, simBybit } from './testing/sim-client';

describe('bybit-sim authentication seen through ccxt', () => {
  let sim: BybitSim;

  beforeAll(async () => {
    sim = await startBybitSim({ priceTickMs: 0 });
    await createAccount(sim.url, 'key-1', 'secret-1', '1000');
  });
  afterAll(async () => {
    await sim.close();
  });

  it('accepts a correctly signed request', async () => {
    const balance = await simBybit(sim.url, { apiKey: 'key-1', secret: 'secret-1' }).fetchBalance();
    expect(balance['USDT']?.total).toBe(1000);
  });

  it('unknown API key → AuthenticationError (10003)', async () => {
    const client = simBybit(sim.url, { apiKey: 'nobody', secret: 'secret-1' });
    await expect(client.fetchBalance()).rejects.toBeInstanceOf(ccxt.AuthenticationError);
    await expect(client.privateGetV5UserQueryApi()).rejects.toThrow(/10003/);
  });

  it('wrong secret → AuthenticationError (10004)', async () => {
    const client = simBybit(sim.url, { apiKey: 'key-1', secret: 'not-the-secret' });
    await expect(client.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.001)).rejects.toBeInstanceOf(ccxt.AuthenticationError);
    await expect(client.privateGetV5UserQueryApi()).rejects.toThrow(/10004/);
    // createOrder stopped at loadMarkets: fetchCurrencies is the first private call and failed.
    const requests = (
      await control<{ requests: { apiKey: string; retCode: number }[] }>(sim.url, 'GET', '/__sim/requests?path=/v5/asset/coin/query-info')
    ).requests;
    expect(requests.map((entry) => [entry.apiKey, entry.retCode])).toContainEqual(['key-1', 10004]);
    expect((await control<{ requests: unknown[] }>(sim.url, 'GET', '/__sim/requests?path=/v5/order/create')).requests).toEqual([]);
  });

  it('a timestamp outside the receive window → InvalidNonce (10002)', async () => {
    const client = simBybit(sim.url, { apiKey: 'key-1', secret: 'secret-1' });
    // ccxt signs with milliseconds() − timeDifference: 6 s behind exceeds the 5 s window.
    client.options['timeDifference'] = 6000;
    await expect(client.privateGetV5UserQueryApi()).rejects.toBeInstanceOf(ccxt.InvalidNonce);
    client.options['timeDifference'] = -1500;
    await expect(client.privateGetV5UserQueryApi()).rejects.toThrow(/10002/);
  });

  it('public endpoints need no signature', async () => {
    const client = simBybit(sim.url, { apiKey: 'nobody', secret: 'x' });
    expect(await client.fetchTime()).toBeGreaterThan(0);
    const tickers = await client.publicGetV5MarketTickers({ category: 'linear', symbol: 'BTCUSDT' });
    expect(tickers).toMatchObject({ retCode: 0, result: { category: 'linear', list: [{ symbol: 'BTCUSDT' }] } });
  });
});
