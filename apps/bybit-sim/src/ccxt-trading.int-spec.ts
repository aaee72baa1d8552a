// Real ccxt against the simulator: markets, tickers, balance, a market order and every way
// Legwork looks it up afterwards, positions, and the order-rule rejections.
import ccxt from 'ccxt';
import { BybitSim, startBybitSim } from './index';
import { control, createAccount, simBybit } from './testing/sim-client';

describe('bybit-sim driven by ccxt', () => {
  let sim: BybitSim;
  let bybit: ReturnType<typeof simBybit>;

  beforeAll(async () => {
    sim = await startBybitSim({ port: 0, priceTickMs: 0, seed: 7, fillAtMark: true });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    await control(sim.url, 'POST', '/__sim/reset');
    // These cases pin 1x margin figures (650.005 used, 110007 on 1 BTC); the default is 10x.
    await createAccount(sim.url, 'key-1', 'secret-1', '10000', false, { defaultLeverage: '1' });
    await control(sim.url, 'POST', '/__sim/prices', { BTCUSDT: '65000.5', ETHUSDT: '3200' });
    bybit = simBybit(sim.url, { apiKey: 'key-1', secret: 'secret-1' });
  });

  it('loadMarkets sees the 8 USDT perpetuals with their real precision and limits', async () => {
    const markets = await bybit.loadMarkets();
    const symbols = Object.keys(markets).sort();
    expect(symbols).toEqual([
      'ADA/USDT:USDT',
      'BTC/USDT:USDT',
      'DOGE/USDT:USDT',
      'ETH/USDT:USDT',
      'LTC/USDT:USDT',
      'TRX/USDT:USDT',
      'XRP/USDT:USDT',
      'ZRX/USDT:USDT',
    ]);
    const btc = markets['BTC/USDT:USDT'];
    expect(btc).toMatchObject({
      id: 'BTCUSDT',
      type: 'swap',
      linear: true,
      settle: 'USDT',
      active: true,
      contractSize: 1,
      precision: { amount: 0.001, price: 0.1 },
      limits: { amount: { min: 0.001, max: 1190 }, cost: { min: 5 }, leverage: { min: 1, max: 100 } },
    });
    expect(markets['DOGE/USDT:USDT']).toMatchObject({ precision: { amount: 1, price: 0.00001 }, limits: { amount: { min: 1 } } });
    expect(markets['ETH/USDT:USDT']).toMatchObject({ precision: { amount: 0.01, price: 0.01 }, limits: { amount: { min: 0.01 } } });
  });

  it('fetchTickers returns the pinned mark prices', async () => {
    const tickers = await bybit.fetchTickers(['BTC/USDT:USDT', 'ETH/USDT:USDT']);
    expect(tickers['BTC/USDT:USDT']?.markPrice).toBe(65000.5);
    expect(tickers['ETH/USDT:USDT']?.last).toBe(3200);
    expect(Object.keys(tickers).sort()).toEqual(['BTC/USDT:USDT', 'ETH/USDT:USDT']);
  });

  it('fetchBalance shows the USDT wallet, and the margin in use after a trade', async () => {
    const before = await bybit.fetchBalance();
    expect(before['USDT']).toMatchObject({ total: 10000, free: 10000, used: 0 });
    await bybit.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01, undefined, { clientOrderId: 'bal-1' });
    const after = await bybit.fetchBalance();
    // 0.01 × 65000.5 = 650.005 of margin at 1x; the taker fee 0.35750275 leaves the wallet.
    expect(after['USDT']?.used).toBeCloseTo(650.005, 6);
    expect(after['USDT']?.total).toBeCloseTo(10000 - 0.35750275, 6);
  });

  it('a market buy is Filled, has its execution, and makes a long position', async () => {
    const created = await bybit.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01, undefined, {
      clientOrderId: 'leg-a-1',
      reduceOnly: false,
    });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.clientOrderId).toBe('leg-a-1');
    const orderId = String(created.id);

    const closed = await bybit.fetchCanceledAndClosedOrders('BTC/USDT:USDT', undefined, undefined, { orderLinkId: 'leg-a-1' });
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({
      id: created.id,
      clientOrderId: 'leg-a-1',
      status: 'closed',
      filled: 0.01,
      remaining: 0,
      average: 65000.5,
      side: 'buy',
      type: 'market',
    });
    expect(closed[0]?.info['orderStatus']).toBe('Filled');

    const open = await bybit.fetchOpenOrders('BTC/USDT:USDT', undefined, undefined, { orderLinkId: 'leg-a-1' });
    expect(open.map((order) => order.info['orderStatus'])).toEqual(['Filled']);

    const fetched = await bybit.fetchOrder(orderId, 'BTC/USDT:USDT', { acknowledged: true });
    expect(fetched).toMatchObject({ id: created.id, status: 'closed', filled: 0.01, cost: 650.005 });

    const byLink = await bybit.fetchMyTrades('BTC/USDT:USDT', undefined, undefined, { orderLinkId: 'leg-a-1' });
    const byId = await bybit.fetchMyTrades('BTC/USDT:USDT', Date.now() - 60_000, 50, { orderId });
    for (const trades of [byLink, byId]) {
      expect(trades).toHaveLength(1);
      expect(trades[0]).toMatchObject({
        order: created.id,
        side: 'buy',
        amount: 0.01,
        price: 65000.5,
        cost: 650.005,
        takerOrMaker: 'taker',
      });
      expect(trades[0]?.fee).toMatchObject({ cost: 0.35750275, currency: 'USDT', rate: 0.00055 });
    }

    const positions = await bybit.fetchPositions(['BTC/USDT:USDT']);
    expect(positions).toHaveLength(1);
    expect(positions[0]).toMatchObject({
      symbol: 'BTC/USDT:USDT',
      side: 'long',
      contracts: 0.01,
      entryPrice: 65000.5,
      leverage: 1,
      hedged: false,
    });
  });

  it('fetchPositions without symbols lists only open positions, and reduce-only closes them', async () => {
    expect(await bybit.fetchPositions()).toEqual([]);
    await bybit.createOrder('ETH/USDT:USDT', 'market', 'sell', 1, undefined, { clientOrderId: 'short-1' });
    const open = await bybit.fetchPositions();
    expect(open.map((position) => [position.symbol, position.side, position.contracts])).toEqual([['ETH/USDT:USDT', 'short', 1]]);
    // 2 ETH reduce-only against a 1 ETH short is clipped to 1.
    const close = await bybit.createOrder('ETH/USDT:USDT', 'market', 'buy', 2, undefined, { clientOrderId: 'close-1', reduceOnly: true });
    const [order] = await bybit.fetchCanceledAndClosedOrders('ETH/USDT:USDT', undefined, undefined, { orderLinkId: 'close-1' });
    expect(order).toMatchObject({ id: close.id, filled: 1, reduceOnly: true });
    expect(await bybit.fetchPositions()).toEqual([]);
    const [flat] = await bybit.fetchPositions(['ETH/USDT:USDT']);
    expect(flat?.contracts).toBe(0);
  });

  it('refuses a reused orderLinkId with 110072 and places nothing', async () => {
    await bybit.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'dup-1' });
    const second = bybit.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'dup-1' });
    await expect(second).rejects.toBeInstanceOf(ccxt.InvalidOrder);
    await expect(bybit.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'dup-1' })).rejects.toThrow(
      /110072/,
    );
    const orders = await bybit.fetchCanceledAndClosedOrders('BTC/USDT:USDT', undefined, undefined, { orderLinkId: 'dup-1' });
    expect(orders).toHaveLength(1);
  });

  it('maps the order rules to ccxt errors', async () => {
    await expect(bybit.createOrder('BTC/USDT:USDT', 'market', 'buy', 1, undefined, { clientOrderId: 'too-big' })).rejects.toBeInstanceOf(
      ccxt.InsufficientFunds,
    );
    await expect(bybit.createOrder('ZRX/USDT:USDT', 'market', 'buy', 1, undefined, { clientOrderId: 'tiny' })).rejects.toThrow(/110094/);
    await expect(bybit.createOrder('ZRX/USDT:USDT', 'market', 'buy', 1, undefined, { clientOrderId: 'tiny-2' })).rejects.toBeInstanceOf(
      ccxt.InvalidOrder,
    );
    await expect(
      bybit.createOrder('BTC/USDT:USDT', 'market', 'sell', 0.001, undefined, { clientOrderId: 'ro-1', reduceOnly: true }),
    ).rejects.toBeInstanceOf(ccxt.InvalidOrder);
    await expect(
      bybit.createOrder('BTC/USDT:USDT', 'market', 'sell', 0.001, undefined, { clientOrderId: 'ro-2', reduceOnly: true }),
    ).rejects.toThrow(/110017/);
  });

  it('maps an unlisted symbol in raw calls: tickers → BadSymbol, order/create → BadRequest (10001)', async () => {
    await expect(bybit.publicGetV5MarketTickers({ category: 'linear', symbol: 'FOOUSDT' })).rejects.toBeInstanceOf(ccxt.BadSymbol);
    const order = bybit.privatePostV5OrderCreate({ category: 'linear', symbol: 'FOOUSDT', side: 'Buy', orderType: 'Market', qty: '1' });
    await expect(order).rejects.toBeInstanceOf(ccxt.BadRequest);
    await expect(
      bybit.privatePostV5OrderCreate({ category: 'linear', symbol: 'FOOUSDT', side: 'Buy', orderType: 'Market', qty: '1' }),
    ).rejects.toThrow(/params error: symbol invalid/);
  });

  it('answers setLeverage(1) on a 1x symbol and one-way setPositionMode on a one-way symbol with "not modified"', async () => {
    await expect(bybit.setLeverage(1, 'BTC/USDT:USDT')).rejects.toThrow(/110043/);
    await expect(bybit.setPositionMode(false, 'BTC/USDT:USDT')).rejects.toBeInstanceOf(ccxt.NoChange);
    await expect(bybit.setPositionMode(true, 'BTC/USDT:USDT')).resolves.toMatchObject({ retCode: 0 });
  });

  it('answers the raw query-api call with the key and its permissions', async () => {
    await createAccount(sim.url, 'key-w', 'secret-w', '1', true);
    const response = (await bybit.privateGetV5UserQueryApi()) as {
      retCode: number;
      result: { apiKey: string; readOnly: number; permissions: Record<string, string[]> };
    };
    expect(response.retCode).toBe(0);
    expect(response.result.apiKey).toBe('key-1');
    expect(response.result.permissions['Wallet']).not.toContain('Withdraw');
    const withdrawing = simBybit(sim.url, { apiKey: 'key-w', secret: 'secret-w' });
    const other = (await withdrawing.privateGetV5UserQueryApi()) as { result: { permissions: Record<string, string[]> } };
    expect(other.result.permissions['Wallet']).toContain('Withdraw');
  });
});
