import { openThroughKilledExecutor, startTestStack, TestStack } from '@legwork/devstack';

// The batch variant of open-position.executor-killed: the executor is SIGKILLed at each step of a
// five-leg batch basket (before the create-batch request, after its answer, while legs are
// recorded), then a fresh executor takes the redelivered command. Every basket must end ACTIVE
// with exactly one exchange order per leg and one create-batch request in all.
const STEPS = ['claimed', 'planned', 'batch_submitted', 'batch_sent', 'leg_sent:2', 'leg_recorded:0', 'leg_recorded:4', 'before_active'];

describe('the executor killed at every step of a batch basket', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack({
      services: ['bybit-sim', 'gateway'],
      env: { ACK_WAIT_MS: '1500', CRASH_REDELIVERIES: '5', DEFAULT_LEGGING: 'batch' },
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  it.each(STEPS)('killed at %s: ends ACTIVE, each leg placed exactly once', async (step) => {
    await openThroughKilledExecutor(t, step, async (user, position, exitSignal) => {
      expect(exitSignal).toBe('SIGKILL');
      expect(position['status']).toBe('ACTIVE');
      const legs = position['legs'] as { orderLinkId: string; status: string }[];
      const account = await t.sim.account(user.apiKey);
      expect(account.orders.map((o) => o.orderLinkId).sort()).toEqual(legs.map((l) => l.orderLinkId).sort());
      expect(account.positions).toHaveLength(5);
      // Killed before the request left: the resumed delivery sends the batch (one request in all);
      // after: it settles every leg by orderLinkId and sends nothing.
      const batches = (await t.sim.batchCreates(user.apiKey)).filter((b) => b.httpStatus === 200 && b.retCode === 0);
      expect(batches).toHaveLength(1);
      expect(await t.sim.orderCreates(user.apiKey)).toEqual([]);
    });
  });
});
