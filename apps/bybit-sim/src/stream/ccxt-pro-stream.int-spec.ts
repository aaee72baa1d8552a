// Real ccxt.pro (bundled in ccxt 4.5.84) against the simulator's private stream, pointed at it by
// configuration only: watchOrders, watchMyTrades and watchPositions see what REST orders, manual
// trades, funding and liquidations do; a dropped connection surfaces as a network error and the
// next watch reconnects; a wrong secret is refused.
import ccxt from 'ccxt';
import { BybitSim, startBybitSim } from '../index';
import { control, createAccount, simBybit, simBybitPro } from '../testing/sim-client';

const BTC = 'BTC/USDT:USDT';

/** Waits until the account's stream connection has subscribed `topics` (the watch is then live). */
async function subscribedTo(sim: BybitSim, topics: string[]): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const state = await control<{ connections: { apiKey: string | null; topics: string[] }[] }>(sim.url, 'GET', '/__sim/stream');
    if (state.connections.some((connection) => topics.every((topic) => connection.topics.includes(topic)))) return;
    if (Date.now() > deadline) throw new Error(`no connection subscribed to ${topics.join(', ')}: ${JSON.stringify(state)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('private stream driven by ccxt.pro', () => {
  let sim: BybitSim;
  let pro: InstanceType<typeof ccxt.pro.bybit>;

  beforeAll(async () => {
    sim = await startBybitSim({ port: 0, priceTickMs: 0, seed: 5, fillAtMark: true });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(async () => {
    await control(sim.url, 'POST', '/__sim/reset');
    await createAccount(sim.url, 'key-1', 'secret-1', '10000', false, { defaultLeverage: '1' });
    await control(sim.url, 'POST', '/__sim/prices', { BTCUSDT: '65000', ETHUSDT: '3200' });
    pro = simBybitPro(sim.url, sim.privateStreamUrl, { apiKey: 'key-1', secret: 'secret-1' });
  });
  afterEach(async () => {
    await pro.close();
  });

  it('watchOrders and watchMyTrades see an order placed over REST', async () => {
    const rest = simBybit(sim.url, { apiKey: 'key-1', secret: 'secret-1' });
    const orders = pro.watchOrders();
    const trades = pro.watchMyTrades();
    await subscribedTo(sim, ['order', 'execution']);
    await rest.createOrder(BTC, 'market', 'buy', 0.01, undefined, { clientOrderId: 'leg-1' });
    const [order] = await orders;
    expect(order).toMatchObject({ symbol: BTC, clientOrderId: 'leg-1', status: 'closed', side: 'buy', filled: 0.01, average: 65000 });
    const [fill] = await trades;
    expect(fill).toMatchObject({ symbol: BTC, order: order?.id, side: 'buy', amount: 0.01, price: 65000, takerOrMaker: 'taker' });
    expect(fill?.fee).toMatchObject({ cost: 0.3575, currency: 'USDT' });
  });

  it('watchPositions gives the REST snapshot, then the change a manual trade makes', async () => {
    const rest = simBybit(sim.url, { apiKey: 'key-1', secret: 'secret-1' });
    await rest.createOrder(BTC, 'market', 'buy', 0.02, undefined, { clientOrderId: 'leg-2' });
    const snapshot = await pro.watchPositions();
    expect(snapshot.map((position) => [position.symbol, position.side, position.contracts])).toEqual([[BTC, 'long', 0.02]]);
    const update = pro.watchPositions();
    await subscribedTo(sim, ['position']);
    await control(sim.url, 'POST', '/__sim/trade', { apiKey: 'key-1', symbol: 'BTCUSDT', side: 'Sell', qty: '0.005' });
    const [position] = await update;
    expect(position).toMatchObject({ symbol: BTC, side: 'long', contracts: 0.015, entryPrice: 65000 });
  });

  it('shows a liquidation as a CreateByLiq order, and funding not as a trade', async () => {
    const rest = simBybit(sim.url, { apiKey: 'key-1', secret: 'secret-1' });
    await rest.createOrder(BTC, 'market', 'buy', 0.01, undefined, { clientOrderId: 'leg-3' });
    const afterFunding = pro.watchMyTrades();
    await subscribedTo(sim, ['execution']);
    await control(sim.url, 'POST', '/__sim/funding/settle', { symbol: 'BTCUSDT' });
    // ccxt's watchMyTrades keeps Trade, AdlTrade, BustTrade and Settle executions (option
    // watchMyTrades.execType): the Funding message still wakes the watcher, with no trade in it.
    expect(await afterFunding).toEqual([]);
    const afterLiquidation = pro.watchMyTrades();
    const orders = pro.watchOrders();
    await subscribedTo(sim, ['order']);
    await control(sim.url, 'POST', '/__sim/liquidate', { apiKey: 'key-1', symbol: 'BTCUSDT' });
    const [liquidation] = await orders;
    expect(liquidation).toMatchObject({ symbol: BTC, side: 'sell', reduceOnly: true, status: 'closed', filled: 0.01 });
    expect(liquidation?.info).toMatchObject({ createType: 'CreateByLiq' });
    const fills = await afterLiquidation;
    expect(fills.map((fill) => fill.info['execType'])).toEqual(['BustTrade']);
  });

  it('surfaces a dropped connection as a network error; the next watch reconnects and sees only new events', async () => {
    const first = pro.watchOrders();
    await subscribedTo(sim, ['order']);
    await control(sim.url, 'POST', '/__sim/stream/drop', { apiKey: 'key-1' });
    await expect(first).rejects.toBeInstanceOf(ccxt.NetworkError);
    await control(sim.url, 'POST', '/__sim/trade', {
      apiKey: 'key-1',
      symbol: 'BTCUSDT',
      side: 'Buy',
      qty: '0.01',
      orderLinkId: 'manual-gap',
    });
    const second = pro.watchOrders();
    await subscribedTo(sim, ['order']);
    await control(sim.url, 'POST', '/__sim/trade', {
      apiKey: 'key-1',
      symbol: 'BTCUSDT',
      side: 'Buy',
      qty: '0.01',
      orderLinkId: 'manual-next',
    });
    const orders = await second;
    expect(orders.map((order) => order.clientOrderId)).toEqual(['manual-next']);
  });

  it('refuses a stream auth signed with a wrong secret', async () => {
    const wrong = simBybitPro(sim.url, sim.privateStreamUrl, { apiKey: 'key-1', secret: 'secret-1' });
    try {
      // The REST calls ccxt makes first (markets, isUnifiedEnabled) are cached with the right
      // secret; only the stream's auth is signed with the wrong one.
      await wrong.loadMarkets();
      await wrong.isUnifiedEnabled();
      wrong.secret = 'not-the-secret';
      await expect(wrong.watchOrders()).rejects.toThrow(/Params Error/);
    } finally {
      await wrong.close();
    }
  });
});
