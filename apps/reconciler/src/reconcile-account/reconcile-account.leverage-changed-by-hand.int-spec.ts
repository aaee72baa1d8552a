import { startTestStack, TestStack } from '@legwork/devstack';

// Seed 001: a basket is opened at 1x. Someone raises ETHUSDT's leverage in the Bybit app while the
// position is live: the sizes still match, but the margin and the liquidation price do not. The
// next reconciliation flags it (its own deviation kind, not a quantity Δ); restore sets it back.
const SCAN_ENV = {
  RECONCILER_CRON: '0 0 1 1 *', // scans are triggered by the test
  ORPHAN_MONITOR_CRON: '0 0 1 1 *',
  ORPHAN_GRACE_MS: '500',
};

interface Deviation {
  symbol: string;
  kind: string;
  expectedLeverage: string | null;
  actualLeverage: string | null;
  delta: string | null;
  explanation: string;
  clearedAt: string | null;
}

describe('reconciliation: a leverage changed by hand', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack({ services: ['bybit-sim', 'gateway', 'executor', 'reconciler'], env: SCAN_ENV });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const simLeverage = async (apiKey: string, symbol: string): Promise<string | undefined> =>
    (await t.sim.account(apiKey)).positions.find((p) => p.symbol === symbol)?.leverage;

  it('ETHUSDT raised to 5x on a live position: ALTERED with a leverage deviation at the next scan; restore sets it back to 1x', async () => {
    const user = await t.newUser();
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const id = String(body['positionId']);
    await user.client.waitForStatus(id, ['ACTIVE']);
    await t.sim.setLeverage({ apiKey: user.apiKey, symbol: 'ETHUSDT', leverage: '5' });
    expect(await simLeverage(user.apiKey, 'ETHUSDT')).toBe('5');

    await t.scan('reconcile');
    const altered = (await user.client.getPosition(id)).body;
    expect(altered['health']).toBe('ALTERED');
    expect(altered['deviations']).toEqual([
      expect.objectContaining({
        symbol: 'ETHUSDT',
        kind: 'leverage',
        expectedLeverage: '1',
        actualLeverage: '5',
        delta: null,
        explanation: 'ETHUSDT: leverage expected 1x, actual 5x',
        clearedAt: null,
      }),
    ]);
    expect(await t.alerts()).toContainEqual(
      expect.objectContaining({
        kind: 'position.altered',
        positionId: id,
        summary: expect.stringContaining('ETHUSDT: leverage expected 1x, actual 5x'),
      }),
    );

    const plan = await user.client.request('GET', `/api/positions/${id}/restore-plan`);
    expect(plan.status).toBe(200);
    expect(plan.body['leverageResets']).toEqual([{ symbol: 'ETHUSDT', fromLeverage: '5', description: 'Set ETHUSDT leverage 5x → 1x' }]);
    expect(plan.body['trades']).toEqual([]);
    const ordersBefore = (await t.sim.orderCreates(user.apiKey)).length;
    expect((await user.client.request('POST', `/api/positions/${id}/restore`, { planId: plan.body['planId'] })).status).toBe(202);

    let view: Record<string, unknown> = {};
    for (let i = 0; i < 100 && view['health'] !== 'IN_SYNC'; i += 1) {
      await new Promise((r) => setTimeout(r, 200));
      view = (await user.client.getPosition(id)).body;
    }
    expect(view['health']).toBe('IN_SYNC');
    expect((view['deviations'] as Deviation[]).map((d) => [d.kind, d.clearedAt === null])).toEqual([['leverage', false]]);
    expect(await simLeverage(user.apiKey, 'ETHUSDT')).toBe('1');
    // Setting leverage is not a trade: no order was sent.
    expect((await t.sim.orderCreates(user.apiKey)).length).toBe(ordersBefore);
  });
});
