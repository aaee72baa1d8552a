import { startTestStack, TestStack } from '@legwork/devstack';

type Leg = { symbol: string; purpose: string; status: string; unwindOutcome: string | null };
type Component = { symbol: string; expectedQuantity: string };

// Issue 11: one account holding several baskets. In one-way mode Bybit keeps ONE net position per
// symbol, so baskets sharing a symbol share one exchange position. Seen: a LONG basket's rollback,
// reduce-only, sold the BTC of a SHORT basket nobody touched.
describe('one account, many baskets (one-way mode)', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack({ services: ['bybit-sim', 'gateway', 'executor'] });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('refuses a basket opposite to a live position in a shared symbol: 409 naming symbols and position, nothing sent', async () => {
    const user = await t.newUser();
    const short = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '500', direction: 'short' });
    const shortId = String(short.body['positionId']);
    await user.client.waitForStatus(shortId, ['ACTIVE']);
    const ordersBefore = (await t.sim.orderCreates(user.apiKey)).length;

    const long = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '800', direction: 'long' });
    expect(long.status).toBe(409);
    const error = (long.body as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('POSITION.OPPOSITE_DIRECTION_ONE_WAY');
    expect(error.message).toContain(shortId);
    for (const symbol of ['BTCUSDT', 'ETHUSDT', 'XRPUSDT', 'DOGEUSDT', 'LTCUSDT']) expect(error.message).toContain(symbol);
    expect(error.message).toMatch(/hedge mode/);

    const listed = await user.client.request('GET', '/api/positions');
    expect((listed.body as { positions: unknown[] }).positions).toHaveLength(1); // no half-written row
    expect(await t.sim.orderCreates(user.apiKey)).toHaveLength(ordersBefore);

    // The same direction shares the symbols without netting against anything: accepted.
    const again = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '300', direction: 'short' });
    expect(again.status).toBe(202);
    await user.client.waitForStatus(String(again.body['positionId']), ['ACTIVE']);
  });

  it('a close never takes what another basket expects: the exchange short of both, the close sends only what is left for it and alerts naming both', async () => {
    const user = await t.newUser();
    const open = async () => {
      const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
      const id = String(body['positionId']);
      const position = await user.client.waitForStatus(id, ['ACTIVE']);
      const btc = (position['components'] as Component[]).find((c) => c.symbol === 'BTCUSDT')?.expectedQuantity as string;
      return { id, btc };
    };
    const a = await open();
    const b = await open();
    // By hand, as much BTC as A holds is sold: the exchange now holds only B's expected quantity,
    // and nothing on the exchange says whose BTC went.
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'BTCUSDT', side: 'Sell', qty: a.btc, reduceOnly: true });
    const creates = (await t.sim.orderCreates(user.apiKey)).length;

    expect((await user.client.request('POST', `/api/positions/${a.id}/close`)).status).toBe(202);
    const closedA = await user.client.waitForStatus(a.id, ['CLOSED', 'ACTIVE']);
    expect(closedA['status']).toBe('CLOSED');
    const btcLegA = (closedA['legs'] as Leg[]).find((l) => l.purpose === 'close' && l.symbol === 'BTCUSDT');
    expect(btcLegA).toMatchObject({ status: 'SKIPPED', unwindOutcome: 'already_flat' });
    const sentByA = (await t.sim.orderCreates(user.apiKey)).slice(creates);
    expect(sentByA.map((r) => r.symbol).sort()).toEqual(['DOGEUSDT', 'ETHUSDT', 'LTCUSDT', 'XRPUSDT']); // no BTC order
    const btc = (await t.sim.account(user.apiKey)).positions.find((p) => p.symbol === 'BTCUSDT');
    expect(btc?.size).toBe(b.btc); // B's BTC is still there

    const alerts = await t.alerts();
    const shortfall = alerts.find((x) => x.kind === 'close.shortfall' && x.positionId === a.id);
    expect(shortfall?.summary).toContain(b.id);
    for (const alert of alerts.filter((x) => x.positionId === a.id)) expect(alert.summary).not.toMatch(/by hand/);

    // B closes whole: its BTC was never taken.
    expect((await user.client.request('POST', `/api/positions/${b.id}/close`)).status).toBe(202);
    const closedB = await user.client.waitForStatus(b.id, ['CLOSED', 'ACTIVE']);
    expect((closedB['legs'] as Leg[]).filter((l) => l.purpose === 'close').every((l) => l.unwindOutcome === 'closed')).toBe(true);
    expect((await t.sim.account(user.apiKey)).positions).toEqual([]);
  });
});
