import { startTestStack, TestStack } from '@legwork/devstack';

// Issue 11: a crash must not consume a retry. With three retries and one transient failure on
// each of legs 3, 4 and 5, a basket needs exactly all three; the executor is also SIGKILLed
// while leg 1 is in flight. The crash's redelivery is extra: the basket must still end ACTIVE,
// each leg placed once, with the schedule applied from its first delay.
const RETRY_DELAYS_MS = [500, 1000, 2000];

describe('a crash during a basket that then needs every retry', () => {
  let t: TestStack;
  beforeAll(async () => {
    // No resident executor: the doomed one and its replacement are started by the test.
    t = await startTestStack({
      services: ['bybit-sim', 'gateway'],
      env: { RETRY_DELAYS_MS: RETRY_DELAYS_MS.join(','), ACK_WAIT_MS: '1500', CRASH_REDELIVERIES: '5' },
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('killed during leg 1, then one 503 on each of legs 3, 4, 5: ends ACTIVE, one order per leg, delays 500, 1000, 2000', async () => {
    const user = await t.newUser();
    await t.sim.setFaults({
      apiKey: user.apiKey,
      positionVisibilityLagMs: 3000,
      orderCreate: ['XRPUSDT', 'DOGEUSDT', 'LTCUSDT'].map((symbol) => ({ effect: 'http503', count: 1, symbol })),
    });
    const doomed = await t.stack.startService('executor', { EXECUTOR_FAILPOINTS: 'leg_sent:0' });
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const positionId = String(body['positionId']);
    expect((await doomed.waitForExit()).signal).toBe('SIGKILL');

    const replacement = await t.stack.startService('executor');
    try {
      const position = await user.client.waitForStatus(positionId, ['ACTIVE', 'FAILED'], 90_000);
      expect([position['status'], position['failure']]).toEqual(['ACTIVE', null]);

      const creates = await t.sim.orderCreates(user.apiKey);
      expect(creates.filter((c) => c.httpStatus === 503).map((c) => c.symbol)).toEqual(['XRPUSDT', 'DOGEUSDT', 'LTCUSDT']);
      const accepted = creates.filter((c) => c.httpStatus === 200 && c.retCode === 0);
      expect(accepted.map((c) => c.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'XRPUSDT', 'DOGEUSDT', 'LTCUSDT']);
      expect(new Set(accepted.map((c) => c.orderLinkId)).size).toBe(5);
      const account = await t.sim.account(user.apiKey);
      expect(account.orders).toHaveLength(5);
      expect(account.positions).toHaveLength(5);

      // The replacement applied the whole schedule, from its first delay, to failures 1, 2, 3.
      const scheduled = replacement
        .output()
        .split('\n')
        .filter((line) => line.includes('"msg":"redelivery scheduled"'))
        .map((line) => JSON.parse(line) as { delayMs: number; failureCount: number });
      expect(scheduled.map((s) => [s.failureCount, s.delayMs])).toEqual([
        [1, 500],
        [2, 1000],
        [3, 2000],
      ]);
      // Counted durably: the three 503s, nothing for the killed delivery.
      const failures: { code: string }[] = await t.db.query('SELECT code FROM command_failures WHERE position_id = $1 ORDER BY id', [
        positionId,
      ]);
      expect(failures.map((f) => f.code)).toEqual(['EXCHANGE.UNAVAILABLE', 'EXCHANGE.UNAVAILABLE', 'EXCHANGE.UNAVAILABLE']);
    } finally {
      await replacement.stop();
    }
  });

  it('a failure the database cannot count is never a give-up: left to the ack-wait redelivery, then ACTIVE', async () => {
    const user = await t.newUser();
    // Five 503s in a row on leg 2, more than the three retries, while no failure can be recorded.
    await t.sim.setFaults({ apiKey: user.apiKey, orderCreate: [{ effect: 'http503', count: 5, symbol: 'ETHUSDT' }] });
    await t.db.query('ALTER TABLE command_failures RENAME TO command_failures_away');
    const executor = await t.stack.startService('executor');
    try {
      const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
      const position = await user.client.waitForStatus(String(body['positionId']), ['ACTIVE', 'FAILED'], 90_000);
      expect([position['status'], position['failure']]).toEqual(['ACTIVE', null]);
      const messages = executor
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => (JSON.parse(line) as { msg: string }).msg);
      expect(messages.filter((m) => m === 'could not count the failure; left to the ack-wait redelivery')).toHaveLength(5);
      expect(messages.filter((m) => m === 'redelivery scheduled' || m === 'retries exhausted')).toEqual([]);
      const accepted = (await t.sim.orderCreates(user.apiKey)).filter((c) => c.httpStatus === 200 && c.retCode === 0);
      expect(accepted.map((c) => c.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'XRPUSDT', 'DOGEUSDT', 'LTCUSDT']);
    } finally {
      await t.db.query('ALTER TABLE command_failures_away RENAME TO command_failures');
      await executor.stop();
    }
  });
});
