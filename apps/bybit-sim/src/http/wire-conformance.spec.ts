// Every /v5 answer carries at least the fields of Bybit's documented example, with the same JSON
// types (numbers as strings where Bybit sends strings). Runs the whole HTTP stack in-process
// through Fastify's inject (no sockets) with signed requests and a fixed clock.
import examples from '../testing/fixtures/bybit-v5-response-examples.json';
import { signedInject } from '../testing/signed-inject';
import { SimServer, buildSimServer } from './server';

const NOW = 1_700_000_000_000;
type Json = Record<string, unknown>;

/** Doc-example fields we knowingly do not serve, with the reason. */
const NOT_SERVED: Record<string, string> = {
  mmrSysUpdateTime: 'doc example typo; the field table (and we) say mmrSysUpdatedTime',
  symbolId: 'absent from the real rows ccxt recorded, which we serve verbatim',
  symbolType: 'absent from the real rows ccxt recorded, which we serve verbatim',
};

function kind(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

/** Lists doc fields missing from ours or of another JSON type, recursing into objects and first list items. */
function differences(doc: unknown, ours: unknown, path: string): string[] {
  if (kind(doc) !== kind(ours)) return [`${path}: doc ${kind(doc)}, ours ${kind(ours)}`];
  if (Array.isArray(doc) && Array.isArray(ours)) {
    return doc.length > 0 && ours.length > 0 ? differences(doc[0], ours[0], `${path}[0]`) : [];
  }
  if (kind(doc) !== 'object' || path.endsWith('permissions') || path.endsWith('cumFeeDetail')) return [];
  const docRecord = doc as Json;
  const ourRecord = ours as Json;
  return Object.keys(docRecord).flatMap((key) => {
    if (NOT_SERVED[key] !== undefined) return [];
    if (!(key in ourRecord)) return [`${path}.${key}: missing`];
    if (key === 'preListingInfo') return [];
    return differences(docRecord[key], ourRecord[key], `${path}.${key}`);
  });
}

describe('wire format against the Bybit docs examples', () => {
  let server: SimServer;

  const call = async (method: 'GET' | 'POST', url: string, payload?: Json): Promise<Json> => {
    const response = await signedInject(server, { apiKey: 'key', secret: 'secret', now: NOW }, method, url, payload);
    expect(response.statusCode).toBe(200);
    return response.json<Json>();
  };

  beforeAll(async () => {
    server = buildSimServer({ seed: 1, slippageBps: 0, priceTickMs: 0, fillAtMark: true, clock: () => NOW });
    await server.app.inject({
      method: 'POST',
      url: '/__sim/accounts',
      payload: { apiKey: 'key', apiSecret: 'secret', balanceUsdt: '10000' },
    });
    const created = await call('POST', '/v5/order/create', {
      category: 'linear',
      symbol: 'BTCUSDT',
      side: 'Buy',
      orderType: 'Market',
      qty: '0.01',
      orderLinkId: 'w-1',
    });
    expect(created['retCode']).toBe(0);
    // A past window, so /v5/system/status has a row and orders are not refused.
    await server.app.inject({
      method: 'POST',
      url: '/__sim/maintenance',
      payload: { beginTime: NOW - 7_200_000, endTime: NOW - 3_600_000 },
    });
    await server.app.inject({ method: 'POST', url: '/__sim/funding/settle', payload: {} });
  });
  afterAll(async () => {
    await server.close();
  });

  it.each([
    ['GET /v5/market/time', 'GET', '/v5/market/time'],
    ['GET /v5/market/instruments-info', 'GET', '/v5/market/instruments-info?category=linear&limit=1000'],
    ['GET /v5/market/tickers', 'GET', '/v5/market/tickers?category=linear&symbol=BTCUSDT'],
    ['GET /v5/order/realtime', 'GET', '/v5/order/realtime?category=linear&symbol=BTCUSDT&orderLinkId=w-1'],
    ['GET /v5/order/history', 'GET', '/v5/order/history?category=linear&symbol=BTCUSDT'],
    ['GET /v5/position/list', 'GET', '/v5/position/list?category=linear&symbol=BTCUSDT'],
    ['GET /v5/execution/list', 'GET', '/v5/execution/list?category=linear&symbol=BTCUSDT'],
    ['GET /v5/account/wallet-balance', 'GET', '/v5/account/wallet-balance?accountType=UNIFIED'],
    ['GET /v5/user/query-api', 'GET', '/v5/user/query-api'],
    ['GET /v5/account/info', 'GET', '/v5/account/info'],
    ['GET /v5/asset/coin/query-info', 'GET', '/v5/asset/coin/query-info?coin=USDT'],
    ['GET /v5/market/orderbook', 'GET', '/v5/market/orderbook?category=linear&symbol=BTCUSDT'],
    ['GET /v5/account/transaction-log', 'GET', '/v5/account/transaction-log?accountType=UNIFIED&category=linear&currency=USDT'],
    ['GET /v5/system/status', 'GET', '/v5/system/status'],
  ] as const)('%s has the documented fields and types', async (name, method, url) => {
    const doc = (examples.examples as Record<string, { response: Json }>)[name]?.response as Json;
    const ours = await call(method, url);
    expect(ours['retCode']).toBe(0);
    expect(differences({ ...doc, retExtInfo: {}, time: 0 }, ours, name)).toEqual([]);
  });

  it("serves the book in Bybit's shape, the funding in the transaction log, the maintenance window in the system status", async () => {
    const book = (await call('GET', '/v5/market/orderbook?category=linear&symbol=BTCUSDT&limit=2'))['result'] as Json;
    expect(book).toMatchObject({ s: 'BTCUSDT', ts: NOW, cts: NOW, u: 1, seq: 1 });
    expect((book['b'] as string[][]).map(([price]) => price)).toEqual(['64999.90', '64999.80']);
    expect((book['a'] as string[][]).map(([price]) => price)).toEqual(['65000.10', '65000.20']);
    expect(((await call('GET', '/v5/market/orderbook?category=linear&symbol=BTCUSDT&limit=9999'))['result'] as Json)['a']).toHaveLength(50);
    expect(await call('GET', '/v5/market/orderbook?category=linear&symbol=NOPEUSDT')).toMatchObject({ retCode: 10001 });
    expect(await call('GET', '/v5/market/orderbook?category=linear')).toMatchObject({ retCode: 10001 });

    const log = (await call('GET', '/v5/account/transaction-log?type=SETTLEMENT'))['result'] as { list: Json[] };
    expect(log.list).toEqual([
      expect.objectContaining({
        type: 'SETTLEMENT',
        symbol: 'BTCUSDT',
        side: 'Buy',
        qty: '0.010',
        size: '0.010',
        funding: '-0.065',
        fee: '0.00000000',
        cashFlow: '0',
        change: '-0.065',
        feeRate: '0.0001',
        tradePrice: '65000.00',
        orderLinkId: '',
        transactionTime: NOW,
      }),
    ]);
    const firstPage = (await call('GET', '/v5/account/transaction-log?limit=1'))['result'] as { list: Json[]; nextPageCursor: string };
    expect(firstPage.list.map((row) => row['type'])).toEqual(['SETTLEMENT']);
    const secondPage = (await call('GET', `/v5/account/transaction-log?limit=1&cursor=${firstPage.nextPageCursor}`))['result'] as {
      list: Json[];
    };
    expect(secondPage.list.map((row) => row['type'])).toEqual(['TRADE']);
    expect(await call('GET', '/v5/account/transaction-log?accountType=CONTRACT')).toMatchObject({ retCode: 10001 });

    const funding = (await call('GET', '/v5/execution/list?category=linear&execType=Funding'))['result'] as { list: Json[] };
    expect(funding.list).toEqual([
      expect.objectContaining({
        execType: 'Funding',
        side: 'Sell',
        execFee: '0.065',
        feeRate: '0.0001',
        execQty: '0.010',
        orderQty: '0.000',
        orderType: 'UNKNOWN',
        createType: '',
        feeCurrency: '',
      }),
    ]);

    const status = (await call('GET', '/v5/system/status?state=completed'))['result'] as { list: Json[] };
    expect(status.list).toEqual([
      expect.objectContaining({ state: 'completed', begin: String(NOW - 7_200_000), end: String(NOW - 3_600_000) }),
    ]);
    expect(((await call('GET', '/v5/system/status?state=ongoing'))['result'] as { list: Json[] }).list).toEqual([]);
  });

  it('POST /v5/order/create answers {orderId, orderLinkId}', async () => {
    const ours = await call('POST', '/v5/order/create', {
      category: 'linear',
      symbol: 'ETHUSDT',
      side: 'Sell',
      orderType: 'Market',
      qty: '0.01',
      orderLinkId: 'w-2',
    });
    const doc = examples.examples['POST /v5/order/create'].response;
    expect(differences(doc, ours, 'create')).toEqual([]);
    expect(ours).toMatchObject({ retCode: 0, retMsg: 'OK', result: { orderLinkId: 'w-2' }, retExtInfo: {}, time: NOW });
  });

  it('answers errors with the envelope, an empty result and HTTP 200', async () => {
    const ours = await call('POST', '/v5/order/create', {
      category: 'linear',
      symbol: 'BTCUSDT',
      side: 'Buy',
      orderType: 'Market',
      qty: '0.01',
      orderLinkId: 'w-1',
    });
    expect(ours).toEqual({ retCode: 110072, retMsg: 'OrderLinkedID is duplicate', result: {}, retExtInfo: {}, time: NOW });
  });

  it('prints quantities with the qtyStep decimals and prices with the tick decimals', async () => {
    const orders = (await call('GET', '/v5/order/realtime?category=linear&symbol=BTCUSDT&orderLinkId=w-1'))['result'] as { list: Json[] };
    expect(orders.list[0]).toMatchObject({
      qty: '0.010',
      cumExecQty: '0.010',
      leavesQty: '0.000',
      avgPrice: '65000.00',
      cumExecValue: '650',
      orderStatus: 'Filled',
    });
    const positions = (await call('GET', '/v5/position/list?category=linear&settleCoin=USDT'))['result'] as { list: Json[] };
    expect(
      positions.list.map((row) => [row['symbol'], row['side'], row['size'], row['avgPrice'], row['leverage'], row['positionIdx']]),
    ).toEqual([
      ['BTCUSDT', 'Buy', '0.010', '65000', '10', 0],
      ['ETHUSDT', 'Sell', '0.01', '3200', '10', 0],
    ]);
  });

  it('answers status=PreLaunch and the other categories with empty lists', async () => {
    const prelaunch = await call('GET', '/v5/market/instruments-info?category=linear&status=PreLaunch&limit=1000');
    expect(prelaunch['result']).toEqual({ category: 'linear', list: [], nextPageCursor: '' });
    const spot = await call('GET', '/v5/market/instruments-info?category=spot');
    expect(spot['result']).toEqual({ category: 'spot', list: [], nextPageCursor: '' });
  });

  it('POST /v5/order/create-batch answers result.list and retExtInfo.list in the documented shape', async () => {
    const entry = { symbol: 'ETHUSDT', side: 'Buy', orderType: 'Market', qty: '0.01' };
    const ours = await call('POST', '/v5/order/create-batch', {
      category: 'linear',
      request: [
        { ...entry, orderLinkId: 'wb-1' },
        { ...entry, orderLinkId: 'w-1' },
      ],
    });
    const doc = examples.examples['POST /v5/order/create-batch'].response;
    expect(differences(doc, ours, 'create-batch')).toEqual([]);
    expect(ours).toMatchObject({
      retCode: 0,
      retMsg: 'OK',
      result: {
        list: [
          { category: 'linear', symbol: 'ETHUSDT', orderLinkId: 'wb-1', createAt: String(NOW) },
          { category: 'linear', symbol: 'ETHUSDT', orderId: '', orderLinkId: 'w-1', createAt: '' },
        ],
      },
      retExtInfo: {
        list: [
          { code: 0, msg: 'OK' },
          { code: 110072, msg: 'OrderLinkedID is duplicate' },
        ],
      },
      time: NOW,
    });
  });
});
