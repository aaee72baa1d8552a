import { startTestStack, TestStack } from '@legwork/devstack';

// A leg that fills and is then closed by the exchange (stop-out, liquidation): the fills are
// real and recorded, the position is flagged by an alert — and no unwind order is ever sent.
describe('a leg filled then closed by the exchange', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('records the fills, raises a critical alert, sends no unwind', async () => {
    const user = await t.newUser({ index: { components: [{ symbol: 'ETHUSDT', weight: '1' }] } });
    // The position list lags, and before it shows the fill the exchange has closed it again.
    await t.sim.setFaults({ apiKey: user.apiKey, closeAfterFillMs: 200, positionVisibilityLagMs: 1500 });
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '500', direction: 'long' });
    const position = await user.client.waitForStatus(String(body['positionId']), ['ACTIVE', 'FAILED'], 60_000);

    const [leg] = position['legs'] as { status: string; fills: unknown[]; orderLinkId: string }[];
    expect(leg?.status).toBe('FILLED');
    expect(leg?.fills.length).toBeGreaterThan(0);
    const creates = await t.sim.orderCreates(user.apiKey);
    expect(creates.map((c) => [c.side, c.reduceOnly === true])).toEqual([['Buy', false]]);
    expect((await t.sim.account(user.apiKey)).positions).toEqual([]);
    const alerts = await t.alerts();
    expect(alerts).toContainEqual(
      expect.objectContaining({
        kind: 'execution.leg_closed_by_exchange',
        severity: 'critical',
        positionId: position['id'],
        summary: expect.stringContaining('no unwind was sent'),
      }),
    );
  });
});
