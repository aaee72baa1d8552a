import { startTestStack, TestStack } from '@legwork/devstack';

// Maintenance (issue 16): while the exchange announces a maintenance window a basket is refused
// before its first order; a symbol whose trading pauses under a basket already under way is a
// transient refusal, retried on the schedule with the same orderLinkId.
describe('a basket during exchange maintenance', () => {
  let t: TestStack;
  beforeAll(async () => {
    // Retries slower than the symbol's window is long, so the window ends between two of them.
    t = await startTestStack({ env: { RETRY_DELAYS_MS: '1500,3000,6000' } });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('the whole exchange in maintenance: FAILED with EXCHANGE.MAINTENANCE naming the window, no order sent; opens again after it', async () => {
    const user = await t.newUser();
    const window = await t.sim.startMaintenance({ title: 'Derivatives upgrade', durationMs: 3_600_000 });
    try {
      const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
      const position = await user.client.waitForStatus(String(body['positionId']), ['ACTIVE', 'FAILED']);
      expect(position['status']).toBe('FAILED');
      const failure = position['failure'] as { code: string; reason: string };
      expect(failure.code).toBe('EXCHANGE.MAINTENANCE');
      const until = new Date(window.endTime).toISOString();
      expect(failure.reason).toContain(`the exchange is in maintenance "Derivatives upgrade" (ongoing,`);
      expect(failure.reason).toContain(`Open the basket again after ${until}`);
      expect(position['legs']).toEqual([]);
      expect(await t.sim.orderCreates(user.apiKey)).toEqual([]);
    } finally {
      await t.sim.endMaintenance();
    }
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    await user.client.waitForStatus(String(body['positionId']), ['ACTIVE']);
  });

  it('a symbol pausing under a basket under way: its refusal (110066) is transient, the same leg is sent again and the basket ends ACTIVE', async () => {
    const user = await t.newUser();
    await t.sim.startMaintenance({ symbol: 'XRPUSDT', durationMs: 2_500 });
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const id = String(body['positionId']);
    await user.client.waitForStatus(id, ['ACTIVE'], 30_000);

    const xrp = (await t.sim.orderCreates(user.apiKey)).filter((r) => r.symbol === 'XRPUSDT');
    expect(xrp.length).toBeGreaterThan(1);
    expect(xrp[0]?.retCode).toBe(110066);
    expect(xrp[xrp.length - 1]?.retCode).toBe(0);
    expect(new Set(xrp.map((r) => r.orderLinkId)).size).toBe(1);
    const failures: { code: string }[] = await t.db.query('SELECT code FROM command_failures WHERE position_id = $1', [id]);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.every((f) => f.code === 'EXCHANGE.MAINTENANCE')).toBe(true);
  });
});
