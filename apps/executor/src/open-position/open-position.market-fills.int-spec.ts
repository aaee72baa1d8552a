import Decimal from 'decimal.js';
import { startTestStack, TestStack } from '@legwork/devstack';

// A basket against an order book (issue 16): market legs take liquidity as a taker — at the ask
// or beyond, never at the mark price the basket was planned at — and a leg larger than the best
// level fills in several executions, each of which Legwork records exactly as the exchange did.
describe('a basket against the order book', () => {
  let t: TestStack;
  beforeAll(async () => {
    // Fixed prices: the ask read before the basket is the ask its legs meet.
    t = await startTestStack({ env: { BYBIT_SIM_PRICE_TICK_MS: '0' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const bestAsk = async (symbol: string): Promise<Decimal> => {
    const response = await fetch(`${t.sim.baseUrl}/v5/market/orderbook?category=linear&symbol=${symbol}&limit=1`);
    const body = (await response.json()) as { result: { a: [string, string][] } };
    return new Decimal((body.result.a[0] as [string, string])[0]);
  };
  const openLegs = (
    positionId: string,
  ): Promise<
    { symbol: string; order_link_id: string; id: string; planned_mark_price: string; average_price: string; filled_quantity: string }[]
  > =>
    t.db.query(
      `SELECT id, symbol, order_link_id, planned_mark_price, average_price, filled_quantity FROM orders WHERE position_id = $1 AND purpose = 'open' ORDER BY leg_index`,
      [positionId],
    );

  it('a 1,000 USDT long: every leg fills at or above the ask quoted at planning, with slippage against its planned mark price', async () => {
    const user = await t.newUser();
    const symbols = ['BTCUSDT', 'ETHUSDT', 'XRPUSDT', 'DOGEUSDT', 'LTCUSDT'];
    const asks = new Map(await Promise.all(symbols.map(async (s) => [s, await bestAsk(s)] as const)));
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const id = String(body['positionId']);
    await user.client.waitForStatus(id, ['ACTIVE']);

    const legs = await openLegs(id);
    expect(legs.map((l) => l.symbol)).toEqual(symbols);
    for (const leg of legs) {
      const average = new Decimal(leg.average_price);
      expect({ symbol: leg.symbol, atOrAboveAsk: average.gte(asks.get(leg.symbol) as Decimal) }).toEqual({
        symbol: leg.symbol,
        atOrAboveAsk: true,
      });
      expect({ symbol: leg.symbol, slippage: average.minus(leg.planned_mark_price).gt(0) }).toEqual({ symbol: leg.symbol, slippage: true });
    }
  });

  it('a leg larger than the best levels fills in several executions, recorded exactly (execId, quantity, price, fee)', async () => {
    const user = await t.newUser();
    // A thin BTCUSDT book: each level holds about the minimum order (0.001 BTC), so the 400 USDT
    // BTC leg walks several levels.
    await t.sim.configureOrderBook({ symbol: 'BTCUSDT', levelNotionalUsdt: '50' });
    const ask = await bestAsk('BTCUSDT');

    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const id = String(body['positionId']);
    await user.client.waitForStatus(id, ['ACTIVE']);
    const btc = (await openLegs(id)).find((l) => l.symbol === 'BTCUSDT');
    if (!btc) throw new Error('no BTCUSDT leg');

    const state = await t.sim.state<{ accounts: { apiKey: string; executions: Record<string, string>[] }[] }>();
    const simExecutions = (state.accounts.find((a) => a.apiKey === user.apiKey)?.executions ?? [])
      .filter((e) => e['orderLinkId'] === btc.order_link_id && e['execType'] === 'Trade')
      .map((e) => ({
        execId: e['execId'],
        quantity: new Decimal(String(e['execQty'])).toFixed(),
        price: new Decimal(String(e['execPrice'])).toFixed(),
        fee: new Decimal(String(e['execFee'])).toFixed(),
      }))
      .sort((a, b) => String(a.execId).localeCompare(String(b.execId)));
    const recorded = (
      await t.db.query<{ exec_id: string; quantity: string; price: string; fee: string }[]>(
        `SELECT exec_id, quantity, price, fee FROM trades WHERE order_id = $1`,
        [btc.id],
      )
    )
      .map((r) => ({
        execId: r.exec_id,
        quantity: new Decimal(r.quantity).toFixed(),
        price: new Decimal(r.price).toFixed(),
        fee: new Decimal(r.fee).toFixed(),
      }))
      .sort((a, b) => a.execId.localeCompare(b.execId));

    expect(simExecutions.length).toBeGreaterThan(1);
    expect(recorded).toEqual(simExecutions);
    // Several prices, the first at the ask, each level dearer: the average is above the ask.
    expect(new Set(recorded.map((r) => r.price)).size).toBeGreaterThan(1);
    expect(new Decimal(btc.average_price).gt(ask)).toBe(true);
    expect(recorded.reduce((sum, r) => sum.plus(r.quantity), new Decimal(0)).eq(btc.filled_quantity)).toBe(true);
  });
});
