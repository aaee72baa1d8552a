// POST /v5/order/create-batch over the whole HTTP stack (in-process, fixed clock): the budget
// headers, the request log's entries, whole-request refusals, per-entry parsing, and the control
// API that sets the batch limits and the network latency.
import { Signer, signedInject } from '../testing/signed-inject';
import { SimServer, buildSimServer } from './server';

const NOW = 1_700_000_000_000;
const SIGNER: Signer = { apiKey: 'key', secret: 'secret', now: NOW };
type Json = Record<string, unknown>;

function dogeBuys(count: number, prefix: string): Json[] {
  return Array.from({ length: count }, (_, index) => ({
    symbol: 'DOGEUSDT',
    side: 'Buy',
    orderType: 'Market',
    qty: '100',
    orderLinkId: `${prefix}-${index}`,
  }));
}

describe('POST /v5/order/create-batch over HTTP', () => {
  let server: SimServer;

  const control = async (method: 'POST' | 'DELETE', url: string, payload?: Json): Promise<{ status: number; body: Json }> => {
    const response = await server.app.inject({ method, url, ...(payload === undefined ? {} : { payload }) });
    return { status: response.statusCode, body: response.json<Json>() };
  };
  const batch = (request: unknown, category = 'linear') =>
    signedInject(server, SIGNER, 'POST', '/v5/order/create-batch', { category, request });
  const codes = (body: Json): number[] => ((body['retExtInfo'] as { list: { code: number }[] }).list ?? []).map((entry) => entry.code);

  beforeEach(async () => {
    server = buildSimServer({ seed: 1, slippageBps: 0, priceTickMs: 0, fillAtMark: true, clock: () => NOW });
    await control('POST', '/__sim/accounts', { apiKey: 'key', apiSecret: 'secret', balanceUsdt: '100000', defaultLeverage: '1' });
    await control('POST', '/__sim/prices', { DOGEUSDT: '0.12' });
  });
  afterEach(async () => {
    await server.close();
  });

  it('charges one unit per order and says so in the X-Bapi-Limit* headers; entries past the budget fail with 10006', async () => {
    const first = await batch(dogeBuys(6, 'a'));
    expect(first.headers).toMatchObject({ 'x-bapi-limit': '10', 'x-bapi-limit-status': '4', 'x-bapi-limit-reset-timestamp': String(NOW) });
    const second = await batch(dogeBuys(6, 'b'));
    expect(second.json<Json>()).toMatchObject({ retCode: 0, retMsg: 'OK' });
    expect(codes(second.json<Json>())).toEqual([0, 0, 0, 0, 10006, 10006]);
    expect(second.headers).toMatchObject({ 'x-bapi-limit-status': '0', 'x-bapi-limit-reset-timestamp': String(NOW + 1000) });
  });

  it('logs every entry of the request as sent', async () => {
    await batch([...dogeBuys(1, 'log'), { symbol: 'BTCUSDT', side: 'Sell', qty: '0.01', reduceOnly: true, positionIdx: 0 }]);
    const requests = (await server.app.inject({ method: 'GET', url: '/__sim/requests?path=/v5/order/create-batch' })).json<{
      requests: Json[];
    }>().requests;
    expect(requests).toEqual([
      expect.objectContaining({
        apiKey: 'key',
        symbol: null,
        retCode: 0,
        orders: [
          { symbol: 'DOGEUSDT', side: 'Buy', qty: '100', orderLinkId: 'log-0', reduceOnly: null, positionIdx: null },
          { symbol: 'BTCUSDT', side: 'Sell', qty: '0.01', orderLinkId: null, reduceOnly: true, positionIdx: 0 },
        ],
      }),
    ]);
  });

  it('judges a malformed entry on its own (10001, echoing what it could read), the others go ahead', async () => {
    const response = await batch([
      'not an order',
      { symbol: 'DOGEUSDT', side: 'Up', orderType: 'Market', qty: '100', orderLinkId: 'bad-side' },
      ...dogeBuys(1, 'ok'),
    ]);
    const body = response.json<{ result: { list: Json[] }; retExtInfo: { list: Json[] } }>();
    expect(body.result.list.map((entry) => [entry['symbol'], entry['orderLinkId'], entry['orderId'] === ''])).toEqual([
      ['', '', true],
      ['DOGEUSDT', 'bad-side', true],
      ['DOGEUSDT', 'ok-0', false],
    ]);
    expect(body.retExtInfo.list.map((entry) => [entry['code'], entry['msg']])).toEqual([
      [10001, 'params error: each request entry must be an object'],
      [10001, 'params error: side invalid'],
      [0, 'OK'],
    ]);
  });

  it('refuses the whole request past the limit, without a list or a category other than linear, with the error envelope', async () => {
    for (const [request, category] of [
      [dogeBuys(21, 'x'), 'linear'],
      [{ symbol: 'DOGEUSDT' }, 'linear'],
      [dogeBuys(1, 'y'), 'spot'],
    ] as const) {
      const response = await batch(request, category);
      expect(response.json<Json>()).toMatchObject({ retCode: 10001, result: {}, retExtInfo: {} });
    }
    await control('POST', '/__sim/batch-limits', { ordersPerSecond: 50, maxOrdersPerRequest: 10 });
    expect((await batch(dogeBuys(11, 'z'))).json<Json>()).toMatchObject({ retCode: 10001 });
    expect(codes((await batch(dogeBuys(10, 'z'))).json<Json>())).toHaveLength(10);
  });

  it('sets batch limits per account or globally through the control API, refusing bad values', async () => {
    expect(await control('POST', '/__sim/batch-limits', { apiKey: 'key', ordersPerSecond: 3 })).toEqual({
      status: 200,
      body: {
        batchLimits: {
          global: { ordersPerSecond: 10, maxOrdersPerRequest: 20 },
          perAccount: { key: { ordersPerSecond: 3, maxOrdersPerRequest: 20 } },
        },
      },
    });
    expect(codes((await batch(dogeBuys(4, 'c'))).json<Json>())).toEqual([0, 0, 0, 10006]);
    expect((await control('POST', '/__sim/batch-limits', { ordersPerSecond: 0 })).status).toBe(400);
    expect((await control('POST', '/__sim/batch-limits', {})).status).toBe(400);
    expect((await control('POST', '/__sim/batch-limits', { ordersPerSecond: 5, typo: 1 })).status).toBe(400);
    expect((await control('POST', '/__sim/batch-limits', { apiKey: 'nobody', ordersPerSecond: 5 })).status).toBe(404);
  });

  it('sets latency through the control API and waits it on every /v5 request', async () => {
    expect((await control('POST', '/__sim/latency', { roundTripMs: 10, jitterMs: 11 })).status).toBe(400);
    expect((await control('POST', '/__sim/latency', { jitterMs: 1 })).status).toBe(400);
    expect((await control('POST', '/__sim/latency', { apiKey: 'nobody', roundTripMs: 10 })).status).toBe(404);
    expect(await control('POST', '/__sim/latency', { apiKey: 'key', roundTripMs: 300, jitterMs: 0 })).toEqual({
      status: 200,
      body: { latency: { global: { roundTripMs: 0, jitterMs: 0 }, perAccount: { key: { roundTripMs: 300, jitterMs: 0 } } } },
    });
    const timed = async (send: () => Promise<unknown>): Promise<number> => {
      const start = performance.now();
      await send();
      return performance.now() - start;
    };
    expect(await timed(() => signedInject(server, SIGNER, 'GET', '/v5/account/info'))).toBeGreaterThanOrEqual(295);
    // A public call has no account: it follows the global setting.
    expect(await timed(() => server.app.inject({ method: 'GET', url: '/v5/market/time' }))).toBeLessThan(200);
    const state = (await server.app.inject({ method: 'GET', url: '/__sim/state' })).json<Json>();
    expect(state['latency']).toEqual({ global: { roundTripMs: 0, jitterMs: 0 }, perAccount: { key: { roundTripMs: 300, jitterMs: 0 } } });
    expect((await control('DELETE', '/__sim/latency?apiKey=key')).body).toEqual({
      latency: { global: { roundTripMs: 0, jitterMs: 0 }, perAccount: {} },
    });
    expect(await timed(() => signedInject(server, SIGNER, 'GET', '/v5/account/info'))).toBeLessThan(200);
  });
});
