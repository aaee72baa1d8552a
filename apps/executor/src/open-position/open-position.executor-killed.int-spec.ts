import { openThroughKilledExecutor, startTestStack, TestStack } from '@legwork/devstack';

// The executor is SIGKILLed at each step of a five-leg basket in turn (a failpoint kills the
// process exactly there, as `kill -9` would), then a fresh executor takes the redelivered command.
// Every basket must end ACTIVE with exactly one exchange order per leg: never a duplicate,
// never stuck.
const STEPS = [
  'claimed',
  'planned',
  ...[0, 1, 2, 3, 4].flatMap((leg) => [`leg_submitted:${leg}`, `leg_sent:${leg}`, `leg_recorded:${leg}`]),
  'before_active',
];

describe('the executor killed at every step of a basket', () => {
  let t: TestStack;
  beforeAll(async () => {
    // No resident executor: each case starts its own doomed one, then its replacement.
    t = await startTestStack({ services: ['bybit-sim', 'gateway'], env: { ACK_WAIT_MS: '1500', CRASH_REDELIVERIES: '5' } });
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
      const accepted = (await t.sim.orderCreates(user.apiKey)).filter((c) => c.httpStatus === 200 && c.retCode === 0);
      expect(accepted).toHaveLength(5);
    });
  });
});
