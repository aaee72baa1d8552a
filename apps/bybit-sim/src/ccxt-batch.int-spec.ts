// Real ccxt 4.5.84 against the simulator: createOrders over /v5/order/create-batch (per-order
// outcomes, the budget, 110072), executions with execTime and seq as fetchMyTrades and
// fetchPositions read them, and the simulated network latency as a client measures it.
import ccxt from 'ccxt';
import { BybitSim, startBybitSim } from './index';
import { control, freshAccount, simBybit } from './testing/sim-client';

const ACCOUNT = {
  apiKey: 'key-b',
  secret: 'secret-b',
  balanceUsdt: '10000',
  prices: { BTCUSDT: '65000', ETHUSDT: '3200', XRPUSDT: '0.55' },
};

describe('bybit-sim batch orders, executions and latency driven by ccxt', () => {
  let sim: BybitSim;
  let bybit: ReturnType<typeof simBybit>;

  beforeAll(async () => {
    sim = await startBybitSim({ port: 0, priceTickMs: 0, seed: 11, fillAtMark: true });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    bybit = await freshAccount(sim.url, ACCOUNT);
  });

  it('createOrders places a basket in one request: placed entries come back without a status, refused ones rejected with their code', async () => {
    await bybit.createOrder('ETH/USDT:USDT', 'market', 'buy', 0.1, undefined, { clientOrderId: 'basket-1-eth' });
    const orders = await bybit.createOrders([
      { symbol: 'BTC/USDT:USDT', type: 'market', side: 'buy', amount: 0.01, params: { clientOrderId: 'basket-1-btc' } },
      { symbol: 'ETH/USDT:USDT', type: 'market', side: 'buy', amount: 0.1, params: { clientOrderId: 'basket-1-eth' } },
      { symbol: 'XRP/USDT:USDT', type: 'market', side: 'buy', amount: 20, params: { clientOrderId: 'basket-1-xrp' } },
    ]);
    expect(orders.map((order) => [order.clientOrderId, order.status, order.symbol])).toEqual([
      // ccxt#19928: the batch answer carries no status, so a placed order parses with none.
      ['basket-1-btc', undefined, 'BTC/USDT:USDT'],
      ['basket-1-eth', 'rejected', 'ETH/USDT:USDT'],
      ['basket-1-xrp', undefined, 'XRP/USDT:USDT'],
    ]);
    expect(orders[0]?.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(orders[1]?.info).toMatchObject({ code: 110072, msg: 'OrderLinkedID is duplicate', orderId: '' });

    // The status is found the usual way, by orderLinkId.
    const [btc] = await bybit.fetchCanceledAndClosedOrders('BTC/USDT:USDT', undefined, undefined, { orderLinkId: 'basket-1-btc' });
    expect(btc).toMatchObject({ id: orders[0]?.id, status: 'closed', filled: 0.01 });
    const requests = await control<{ requests: { orders: { orderLinkId: string }[] }[] }>(
      sim.url,
      'GET',
      '/__sim/requests?path=/v5/order/create-batch',
    );
    expect(requests.requests.map((request) => request.orders.map((order) => order.orderLinkId))).toEqual([
      ['basket-1-btc', 'basket-1-eth', 'basket-1-xrp'],
    ]);
  });

  it('orders past the account batch budget come back rejected with 10006 while the first ones are placed', async () => {
    await control(sim.url, 'POST', '/__sim/batch-limits', { apiKey: ACCOUNT.apiKey, ordersPerSecond: 2 });
    const orders = await bybit.createOrders(
      ['a', 'b', 'c'].map((leg) => ({
        symbol: 'XRP/USDT:USDT',
        type: 'market',
        side: 'buy',
        amount: 20,
        params: { clientOrderId: `budget-${leg}` },
      })),
    );
    expect(orders.map((order) => [order.clientOrderId, order.status, (order.info as { code?: number }).code])).toEqual([
      ['budget-a', undefined, undefined],
      ['budget-b', undefined, undefined],
      ['budget-c', 'rejected', 10006],
    ]);
    expect(await bybit.fetchMyTrades('XRP/USDT:USDT')).toHaveLength(2);
  });

  it('fetchMyTrades gives each fill its execTime as timestamp and the cross seq the position then carries', async () => {
    const before = Date.now();
    await bybit.createOrders([
      { symbol: 'BTC/USDT:USDT', type: 'market', side: 'buy', amount: 0.01, params: { clientOrderId: 'seq-btc' } },
      { symbol: 'ETH/USDT:USDT', type: 'market', side: 'buy', amount: 0.1, params: { clientOrderId: 'seq-eth' } },
    ]);
    await bybit.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01, undefined, { clientOrderId: 'seq-btc-2' });
    const trades = await bybit.fetchMyTrades('BTC/USDT:USDT');
    expect(trades.map((trade) => [(trade.info as { orderLinkId: string }).orderLinkId, (trade.info as { seq: number }).seq])).toEqual([
      ['seq-btc', 1],
      ['seq-btc-2', 2],
    ]);
    for (const trade of trades) {
      const execTime = (trade.info as { execTime: string }).execTime;
      expect(execTime).toMatch(/^\d{13}$/);
      expect(trade.timestamp).toBe(Number(execTime));
      expect(trade.timestamp).toBeGreaterThanOrEqual(before);
    }
    const [position] = await bybit.fetchPositions(['BTC/USDT:USDT']);
    expect((position?.info as { seq: number }).seq).toBe(2);
    const [eth] = await bybit.fetchMyTrades('ETH/USDT:USDT');
    expect((eth?.info as { seq: number }).seq).toBe(1);
  });

  it('waits the account round trip on every request, the request leg before the order executes', async () => {
    await bybit.loadMarkets();
    const timed = async <T>(call: () => Promise<T>): Promise<{ result: T; startMs: number; elapsedMs: number }> => {
      const startMs = Date.now();
      const result = await call();
      return { result, startMs, elapsedMs: Date.now() - startMs };
    };
    const fast = await timed(() => bybit.fetchBalance());
    await control(sim.url, 'POST', '/__sim/latency', { apiKey: ACCOUNT.apiKey, roundTripMs: 400, jitterMs: 20 });
    const slow = await timed(() => bybit.fetchBalance());
    expect(slow.elapsedMs).toBeGreaterThanOrEqual(380);
    expect(slow.elapsedMs).toBeGreaterThan(fast.elapsedMs + 300);

    const placed = await timed(() =>
      bybit.createOrders([{ symbol: 'XRP/USDT:USDT', type: 'market', side: 'buy', amount: 20, params: { clientOrderId: 'late-1' } }]),
    );
    expect(placed.elapsedMs).toBeGreaterThanOrEqual(380);
    const [trade] = await bybit.fetchMyTrades('XRP/USDT:USDT', undefined, undefined, { orderLinkId: 'late-1' });
    // The order reached the exchange half a round trip (190–210 ms) after it was sent.
    expect(Number(trade?.timestamp) - placed.startMs).toBeGreaterThanOrEqual(185);
    expect(Number(trade?.timestamp) - placed.startMs).toBeLessThan(placed.elapsedMs);
  });

  it('orderCreateBatch faults: a lost answer after the orders were placed, a whole-request 10006 or 503 with nothing placed', async () => {
    const legs = (prefix: string) =>
      ['BTC', 'ETH'].map((coin) => ({
        symbol: `${coin}/USDT:USDT`,
        type: 'market' as const,
        side: 'buy' as const,
        amount: coin === 'BTC' ? 0.01 : 0.1,
        params: { clientOrderId: `${prefix}-${coin}` },
      }));
    const impatient = simBybit(sim.url, { apiKey: ACCOUNT.apiKey, secret: ACCOUNT.secret, timeoutMs: 500 });
    await control(sim.url, 'POST', '/__sim/faults', {
      orderCreateBatch: [
        { effect: 'timeoutAfterAccept', count: 1, symbol: 'ETHUSDT' },
        { effect: 'rateLimit', count: 1 },
        { effect: 'http503', count: 1 },
      ],
    });
    await expect(impatient.createOrders(legs('lost'))).rejects.toBeInstanceOf(ccxt.RequestTimeout);
    const [eth] = await bybit.fetchCanceledAndClosedOrders('ETH/USDT:USDT', undefined, undefined, { orderLinkId: 'lost-ETH' });
    expect(eth).toMatchObject({ clientOrderId: 'lost-ETH', status: 'closed', filled: 0.1 });

    await expect(bybit.createOrders(legs('limited'))).rejects.toBeInstanceOf(ccxt.RateLimitExceeded);
    await expect(bybit.createOrders(legs('down'))).rejects.toBeInstanceOf(ccxt.ExchangeNotAvailable);
    const placed = await bybit.fetchCanceledAndClosedOrders('BTC/USDT:USDT');
    expect(placed.map((order) => order.clientOrderId)).toEqual(['lost-BTC']);
    // Retrying the lost batch: both legs are already there.
    const retried = await bybit.createOrders(legs('lost'));
    expect(retried.map((order) => (order.info as { code?: number }).code)).toEqual([110072, 110072]);
  });
});
