// Real ccxt against the simulator's market fidelity: the order book (fetchOrderBook, the ticker's
// bid/ask, market orders walking it, the protection cut), funding (fetchFundingHistory, the
// transaction log) and maintenance (fetchStatus, refused orders).
import ccxt from 'ccxt';
import { BybitSim, startBybitSim } from './index';
import { control, freshAccount, simBybit } from './testing/sim-client';

const BTC = 'BTC/USDT:USDT';

type Row = Record<string, unknown>;

describe('bybit-sim market fidelity driven by ccxt', () => {
  let sim: BybitSim;
  let bybit: ReturnType<typeof simBybit>;

  beforeAll(async () => (sim = await startBybitSim({ port: 0, priceTickMs: 0, seed: 7 })));
  afterAll(() => sim.close());
  beforeEach(async () => {
    bybit = await freshAccount(sim.url, {
      apiKey: 'key-m',
      secret: 'secret-m',
      balanceUsdt: '100000',
      prices: { BTCUSDT: '65000', ETHUSDT: '3200' },
    });
  });

  it('fetchOrderBook: levels on the tick around the mark price, bids descending, asks ascending; the ticker quotes its touch', async () => {
    const book = await bybit.fetchOrderBook(BTC, 5);
    expect(book.symbol).toBe(BTC);
    expect(book.bids.map(([price]) => price)).toEqual([64999.9, 64999.8, 64999.7, 64999.6, 64999.5]);
    expect(book.asks.map(([price]) => price)).toEqual([65000.1, 65000.2, 65000.3, 65000.4, 65000.5]);
    expect(book.asks.every(([, size]) => Number.isInteger(Math.round((size ?? 0) * 1000)) && (size ?? 0) >= 0.001)).toBe(true);
    expect(typeof book.timestamp).toBe('number');
    expect((await bybit.fetchOrderBook(BTC)).asks).toHaveLength(25);
    const ticker = await bybit.fetchTicker(BTC);
    expect([ticker.bid, ticker.ask, ticker.bidVolume, ticker.askVolume]).toEqual([64999.9, 65000.1, book.bids[0]?.[1], book.asks[0]?.[1]]);
  });

  it('a market buy fills at the ask or beyond; a large one walks the book in several executions (fetchMyTrades), avgPrice from them', async () => {
    const small = await bybit.createOrder(BTC, 'market', 'buy', 0.001, undefined, { clientOrderId: 'touch-1' });
    const touch = await bybit.fetchOrder(String(small.id), BTC, { acknowledged: true });
    expect(touch.average).toBe(65000.1);

    await control(sim.url, 'POST', '/__sim/order-book', { symbol: 'BTCUSDT', levelNotionalUsdt: '1000' });
    const book = await bybit.fetchOrderBook(BTC, 3);
    const qty = Math.round(((book.asks[0]?.[1] ?? 0) + (book.asks[1]?.[1] ?? 0) + 0.001) * 1000) / 1000;
    const big = await bybit.createOrder(BTC, 'market', 'buy', qty, undefined, { clientOrderId: 'walk-1' });
    const trades = (await bybit.fetchMyTrades(BTC, undefined, 50)).filter((trade) => trade.order === big.id);
    expect(trades.map((trade) => trade.price).sort()).toEqual([65000.1, 65000.2, 65000.3]);
    expect(new Set(trades.map((trade) => trade.id)).size).toBe(3);
    for (const trade of trades) expect(trade.fee?.rate).toBe(0.00055);
    const order = await bybit.fetchOrder(String(big.id), BTC, { acknowledged: true });
    const value = trades.reduce((sum, trade) => sum + (trade.cost ?? 0), 0);
    expect(order.status).toBe('closed');
    expect(order.filled).toBe(qty);
    expect(order.average).toBeCloseTo(value / qty, 6);
    expect(order.average).toBeGreaterThan(65000.1);
  });

  it('a market order the book cannot fill inside the protection price is partly filled and the rest cancelled', async () => {
    await control(sim.url, 'POST', '/__sim/order-book', { symbol: 'BTCUSDT', depth: 2, levelNotionalUsdt: '1000' });
    const book = await bybit.fetchOrderBook(BTC);
    expect(book.asks).toHaveLength(2);
    const available = Math.round(((book.asks[0]?.[1] ?? 0) + (book.asks[1]?.[1] ?? 0)) * 1000) / 1000;
    const placed = await bybit.createOrder(BTC, 'market', 'buy', 0.5, undefined, { clientOrderId: 'thin-1' });
    const order = await bybit.fetchOrder(String(placed.id), BTC, { acknowledged: true });
    expect(order.info['orderStatus']).toBe('Cancelled');
    expect(order.status).toBe('canceled');
    expect(order.filled).toBe(available);
    expect(order.remaining).toBe(0);
    expect((await bybit.fetchPositions([BTC]))[0]?.contracts).toBe(available);
  });

  it('fetchFundingHistory returns the funding settled on a position; it moves the wallet, not the position or the fills', async () => {
    await bybit.createOrder(BTC, 'market', 'buy', 0.01, undefined, { clientOrderId: 'fund-1' });
    await control(sim.url, 'POST', '/__sim/funding/rates', { BTCUSDT: '0.0002' });
    const walletBefore = (await bybit.fetchBalance())['USDT']?.total ?? 0;
    const settled = await control<{ settlements: Row[] }>(sim.url, 'POST', '/__sim/funding/settle', {});
    expect(settled.settlements).toMatchObject([
      { apiKey: 'key-m', symbol: 'BTCUSDT', execQty: '0.01', feeRate: '0.0002', execFee: '0.13' },
    ]);

    const history = await bybit.fetchFundingHistory(BTC);
    expect(history.map((entry) => [entry.symbol, entry.amount, (entry as unknown as { rate: number }).rate, entry.code])).toEqual([
      [BTC, 0.13, 0.0002, 'USDT'],
    ]);
    expect(history[0]?.info).toMatchObject({
      execType: 'Funding',
      orderLinkId: '',
      orderType: 'UNKNOWN',
      execQty: '0.010',
      execPrice: '65000.00',
      side: 'Sell',
    });
    expect((await bybit.fetchBalance())['USDT']?.total).toBeCloseTo(walletBefore - 0.13, 8);
    expect((await bybit.fetchPositions([BTC]))[0]?.contracts).toBe(0.01);
    expect((await bybit.fetchMyTrades(BTC)).map((trade) => trade.amount)).toEqual([0.01]);
    expect((await bybit.fetchTicker(BTC)).info['fundingRate']).toBe('0.0002');

    const log = (await bybit.privateGetV5AccountTransactionLog({ accountType: 'UNIFIED', category: 'linear', currency: 'USDT' })) as {
      result: { list: Row[] };
    };
    expect(log.result.list.map((row) => [row['type'], row['funding'], row['change']])).toEqual([
      ['SETTLEMENT', '-0.13', '-0.13'],
      ['TRADE', '', '-0.35750055'],
    ]);
    expect(log.result.list[0]).toMatchObject({ symbol: 'BTCUSDT', side: 'Buy', size: '0.010', feeRate: '0.0002', tradePrice: '65000.00' });
  });

  it('fetchStatus reports maintenance while a window is ongoing; orders are refused with 10016, or 110066 for a symbol in maintenance', async () => {
    expect((await bybit.fetchStatus()).status).toBe('ok');
    const window = await control<{ id: string; endTime: number; state: string }>(sim.url, 'POST', '/__sim/maintenance', {
      durationMs: 60_000,
    });
    expect(window.state).toBe('ongoing');
    const status = await bybit.fetchStatus();
    expect(status).toMatchObject({ status: 'maintenance', eta: window.endTime });
    await expect(bybit.createOrder(BTC, 'market', 'buy', 0.001)).rejects.toThrow(/10016/);
    await expect(bybit.createOrder(BTC, 'market', 'buy', 0.001)).rejects.toBeInstanceOf(ccxt.ExchangeError);
    expect((await bybit.fetchPositions([BTC]))[0]?.contracts ?? 0).toBe(0);
    await control(sim.url, 'DELETE', '/__sim/maintenance');
    expect((await bybit.fetchStatus()).status).toBe('ok');

    await control(sim.url, 'POST', '/__sim/maintenance', { symbol: 'BTCUSDT', durationMs: 60_000 });
    expect((await bybit.fetchStatus()).status).toBe('ok');
    await expect(bybit.createOrder(BTC, 'market', 'buy', 0.001)).rejects.toThrow(/110066/);
    const eth = await bybit.createOrder('ETH/USDT:USDT', 'market', 'buy', 0.01);
    expect(eth.id).toBeTruthy();
    await control(sim.url, 'DELETE', '/__sim/maintenance?symbol=BTCUSDT');
    expect((await bybit.createOrder(BTC, 'market', 'buy', 0.001)).id).toBeTruthy();
  });

  it('refuses bad control bodies with 400 naming the field', async () => {
    const bad = async (path: string, body: unknown): Promise<string> => {
      const response = await fetch(sim.url + path, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(400);
      return ((await response.json()) as { error: string }).error;
    };
    expect(await bad('/__sim/order-book', { depth: 501 })).toMatch(/depth/);
    expect(await bad('/__sim/order-book', { symbol: 'NOPEUSDT', depth: 5 })).toMatch(/NOPEUSDT/);
    expect(await bad('/__sim/fill-mode', { fillAtMark: 'yes' })).toMatch(/fillAtMark/);
    expect(await bad('/__sim/funding/rates', { BTCUSDT: 'x' })).toMatch(/BTCUSDT/);
    expect(await bad('/__sim/maintenance', { beginTime: 10, endTime: 5 })).toMatch(/endTime/);
  });
});
