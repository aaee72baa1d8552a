import { randomUUID } from 'node:crypto';
import { BybitClientFactory, encodeOrderLinkId, ExchangePort, MarketOrderRequest } from '@legwork/exchange';
import { startTestStack, TestStack } from '@legwork/devstack';
import { createRegistry } from '@legwork/observability';

// ExchangePort.placeMarketOrders through the real ccxt adapter (createOrders → POST
// /v5/order/create-batch) to the simulator: one outcome per order, in request order, classified
// by exchange-outcome.ts.
describe('placeMarketOrders: ccxt createOrders against the simulator', () => {
  let t: TestStack;
  let factory: BybitClientFactory;
  beforeAll(async () => {
    t = await startTestStack({ services: ['bybit-sim', 'gateway'] });
    factory = new BybitClientFactory({ env: 'sim', simUrl: t.stack.simUrl, requestTimeoutMs: 2000 }, createRegistry('test'));
  });
  afterAll(async () => {
    await t?.stop();
  });

  const connect = async (balanceUsdt = '10000'): Promise<{ port: ExchangePort; apiKey: string }> => {
    const user = await t.newUser({ balanceUsdt });
    return {
      port: await factory.connect({ accountId: user.accountId, apiKey: user.apiKey, apiSecret: user.apiSecret }),
      apiKey: user.apiKey,
    };
  };
  const order = (symbol: string, quantity: string, legIndex: number, ownerId = randomUUID()): MarketOrderRequest => ({
    symbol,
    side: 'buy',
    quantity,
    reduceOnly: false,
    orderLinkId: encodeOrderLinkId({ ownerId, purpose: 'open', attempt: 0, legIndex }),
  });

  it('one request: placed orders accepted with their id, a reused orderLinkId is a duplicate, the others unaffected', async () => {
    const { port, apiKey } = await connect();
    const eth = order('ETHUSDT', '0.1', 1);
    expect((await port.placeMarketOrder(eth)).kind).toBe('accepted');
    const outcomes = await port.placeMarketOrders([order('BTCUSDT', '0.001', 0), eth, order('XRPUSDT', '20', 2)]);
    expect(outcomes).toEqual([
      { kind: 'accepted', exchangeOrderId: expect.any(String) },
      expect.objectContaining({ kind: 'duplicate', code: 'EXCHANGE.DUPLICATE_ORDER_LINK_ID' }),
      { kind: 'accepted', exchangeOrderId: expect.any(String) },
    ]);
    const batches = await t.sim.batchCreates(apiKey);
    expect(batches).toHaveLength(1);
  });

  it('past the batch budget: the first orders placed, the rest not_placed (10006), nothing else changed', async () => {
    const { port, apiKey } = await connect();
    await t.sim.setBatchLimits({ apiKey, ordersPerSecond: 2 });
    const outcomes = await port.placeMarketOrders([order('BTCUSDT', '0.001', 0), order('ETHUSDT', '0.1', 1), order('XRPUSDT', '20', 2)]);
    expect(outcomes.map((o) => o.kind)).toEqual(['accepted', 'accepted', 'not_placed']);
    expect(outcomes[2]).toMatchObject({ code: 'EXCHANGE.RATE_LIMITED' });
    expect((await t.sim.account(apiKey)).orders).toHaveLength(2);
  });

  it('a definitive refusal of one entry (110007) is rejected with the retCode; the entries before it are placed', async () => {
    const { port } = await connect('100');
    const outcomes = await port.placeMarketOrders([order('XRPUSDT', '20', 0), order('BTCUSDT', '1', 1)]);
    expect(outcomes).toEqual([
      { kind: 'accepted', exchangeOrderId: expect.any(String) },
      expect.objectContaining({
        kind: 'rejected',
        code: 'EXCHANGE.INSUFFICIENT_MARGIN',
        exchange: { retCode: 110007, retMsg: expect.any(String) },
      }),
    ]);
  });

  it('the whole request failing (503; answer lost after placement) leaves every order unknown', async () => {
    const { port, apiKey } = await connect();
    await t.sim.setFaults({ apiKey, orderCreateBatch: [{ effect: 'http503', count: 1 }] });
    const refused = await port.placeMarketOrders([order('BTCUSDT', '0.001', 0), order('ETHUSDT', '0.1', 1)]);
    expect(refused.map((o) => o.kind)).toEqual(['unknown', 'unknown']);

    await t.sim.setFaults({ apiKey, orderCreateBatch: [{ effect: 'timeoutAfterAccept', count: 1, hangMs: 5000 }] });
    const lost = await port.placeMarketOrders([order('BTCUSDT', '0.001', 0), order('ETHUSDT', '0.1', 1)]);
    expect(lost).toEqual([
      expect.objectContaining({ kind: 'unknown', code: 'EXCHANGE.TIMEOUT' }),
      expect.objectContaining({ kind: 'unknown', code: 'EXCHANGE.TIMEOUT' }),
    ]);
    // They exist: an unknown outcome is never "not placed".
    expect((await t.sim.account(apiKey)).orders).toHaveLength(2);
  });
});
