import Decimal from 'decimal.js';
import { findFreePort, FAST_EXECUTOR_ENV, GatewayClient, startTestStack, TestStack } from '@legwork/devstack';

// What a trader reads as P&L: live from the fills and the mark price as soon as ACTIVE (no scan
// needed), realised from the fills once CLOSED; mark prices are public market data, read once per
// cache window; a mark-price outage still answers the position.
const TTL_MS = 1500;
const Dec = Decimal.clone({ precision: 60 });

type Fill = { price: string; quantity: string; fee: string };
type Leg = { symbol: string; side: 'buy' | 'sell'; fills: Fill[] };
type Pnl = Record<string, unknown> & { totalUsdt: string | null; unrealisedUsdt: string | null; feesUsdt: string; perSymbol?: unknown[] };

/** Σ (sell − buy) value + Σ net quantity × mark − fees, from the position's legs as the API shows them. */
function expectedTotal(legs: Leg[], marks: Map<string, string>): { total: string; fees: string } {
  let cash = new Dec(0);
  let fees = new Dec(0);
  const net = new Map<string, Decimal>();
  for (const leg of legs) {
    for (const f of leg.fills) {
      const sign = leg.side === 'buy' ? 1 : -1;
      cash = cash.minus(new Dec(f.price).times(f.quantity).times(sign));
      fees = fees.plus(f.fee);
      net.set(leg.symbol, (net.get(leg.symbol) ?? new Dec(0)).plus(new Dec(f.quantity).times(sign)));
    }
  }
  const held = [...net].reduce((sum, [symbol, q]) => (q.isZero() ? sum : sum.plus(q.times(marks.get(symbol) ?? 'NaN'))), new Dec(0));
  return { total: cash.plus(held).minus(fees).toDecimalPlaces(8).toFixed(), fees: fees.toFixed() };
}

describe('P&L a trader reads', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack({
      services: ['bybit-sim', 'gateway', 'executor'],
      env: { ...FAST_EXECUTOR_ENV, BYBIT_SIM_PRICE_TICK_MS: '0', GATEWAY_MARK_PRICE_TTL_MS: String(TTL_MS) },
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const simMarks = async () => {
    const response = (await (await fetch(`${t.stack.simUrl}/v5/market/tickers?category=linear`)).json()) as {
      result: { list: { symbol: string; markPrice: string }[] };
    };
    return new Map(response.result.list.map((r) => [r.symbol, r.markPrice]));
  };
  const openActive = async (notionalUsdt: string, direction: 'long' | 'short') => {
    const user = await t.newUser();
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt, direction });
    const id = String(body['positionId']);
    return { user, id, active: await user.client.waitForStatus(id, ['ACTIVE']) };
  };
  const tickerReads = async () => (await t.sim.requests({ path: '/v5/market/tickers' })).filter((r) => r.apiKey === null).length;

  it('ACTIVE: unrealised P&L from the fills and the mark price at once, one ticker read per cache window, in the list too', async () => {
    const { user, id, active } = await openActive('1000', 'long');
    const btcFill = (active['legs'] as Leg[])[0]?.fills[0]?.price ?? '0';
    await t.sim.setPrices({ BTCUSDT: new Dec(btcFill).plus(1000).toFixed() });
    await new Promise((r) => setTimeout(r, TTL_MS + 100));

    const readsBefore = await tickerReads();
    const first = (await user.client.getPosition(id)).body;
    const second = (await user.client.getPosition(id)).body;
    const listed = (await user.client.request('GET', '/api/positions')).body['positions'] as { id: string; pnl: Pnl }[];
    expect((await tickerReads()) - readsBefore).toBe(1); // the list and both reads shared one fetch

    const pnl = first['pnl'] as Pnl;
    const expected = expectedTotal(first['legs'] as Leg[], await simMarks());
    expect(pnl).toMatchObject({
      source: 'mark-price',
      totalUsdt: expected.total,
      feesUsdt: expected.fees,
      markPricesCached: false,
      unavailableReason: null,
      lastScan: null,
    });
    expect(new Dec(pnl.unrealisedUsdt ?? 'NaN').gt(5)).toBe(true); // 0.006 BTC × +1000
    expect(Date.parse(String(pnl['markPricesAt']))).toBeGreaterThan(Date.now() - 10_000);
    expect((second['pnl'] as Pnl)['markPricesCached']).toBe(true);
    expect((second['pnl'] as Pnl)['markPricesAt']).toBe(pnl['markPricesAt']);
    expect(listed.find((p) => p.id === id)?.pnl).toMatchObject({ source: 'mark-price', totalUsdt: expected.total });
    expect(listed.find((p) => p.id === id)?.pnl.perSymbol).toBeUndefined();
  });

  it('CLOSED: realised P&L from the open and close fills, fees included, no mark price', async () => {
    const { user, id } = await openActive('1000', 'short');
    const marks = await simMarks();
    await t.sim.setPrices({ ETHUSDT: new Dec(marks.get('ETHUSDT') ?? '0').minus(50).toFixed() });
    expect((await user.client.request('POST', `/api/positions/${id}/close`)).status).toBe(202);
    const closed = await user.client.waitForStatus(id, ['CLOSED']);
    const expected = expectedTotal(closed['legs'] as Leg[], new Map());
    expect(closed['pnl']).toMatchObject({
      source: 'fills',
      totalUsdt: expected.total,
      feesUsdt: expected.fees,
      unrealisedUsdt: null,
      markPricesAt: null,
      unavailableReason: null,
    });
    expect(new Dec(expected.fees).gt(0)).toBe(true);
  });

  it('mark prices unreadable: the position is answered, unrealised P&L null with the reason', async () => {
    const { user, id } = await openActive('500', 'long');
    // A second gateway whose executor's exchange address answers nothing (the pair on a bus
    // namespace of their own): its mark-price read fails.
    const port = await findFreePort();
    const blindNamespace = `${t.namespace}blind`;
    await t.stack.startService('executor', { BUS_NAMESPACE: blindNamespace, BYBIT_SIM_URL: `http://127.0.0.1:${await findFreePort()}` });
    await t.stack.startService('gateway', { GATEWAY_PORT: String(port), BUS_NAMESPACE: blindNamespace });
    const blind = new GatewayClient(`http://127.0.0.1:${port}`, user.token);
    const res = await blind.getPosition(id);
    expect(res.status).toBe(200);
    expect(res.body['pnl']).toMatchObject({
      source: 'mark-price',
      unrealisedUsdt: null,
      totalUsdt: null,
      markPricesAt: null,
      unavailableReason: expect.stringMatching(/^the exchange's mark prices could not be read \(EXCHANGE\./),
    });
  });
});
