import { connectBus } from '@legwork/messaging';
import { startTestStack, TestStack, testNatsUrl } from '@legwork/devstack';

// The gateway holds no exchange client: a restore plan, its confirmation and the mark prices of
// P&L are bounded requests to the executor. With no executor answering, the gateway still
// answers at once: 503 EXECUTOR.UNAVAILABLE (the position itself is still served).
const TIMEOUT_MS = 1500;
const MARK_PRICE_TTL_MS = 200;

describe('the gateway when no executor answers', () => {
  let t: TestStack;
  beforeAll(async () => {
    // No resident executor: one is started to open the position, then stopped.
    t = await startTestStack({
      services: ['bybit-sim', 'gateway'],
      env: { GATEWAY_EXECUTOR_TIMEOUT_MS: String(TIMEOUT_MS), GATEWAY_MARK_PRICE_TTL_MS: String(MARK_PRICE_TTL_MS) },
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  /** An ACTIVE position, opened by an executor that is then stopped. */
  const activeWithoutExecutor = async () => {
    const user = await t.newUser();
    const executor = await t.stack.startService('executor');
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const id = String(body['positionId']);
    await user.client.waitForStatus(id, ['ACTIVE']);
    await executor.stop();
    return { user, id };
  };

  it('none running: 503 EXECUTOR.UNAVAILABLE at once for the plan; the position is answered without mark prices', async () => {
    const { user, id } = await activeWithoutExecutor();

    const started = Date.now();
    const plan = await user.client.request('GET', `/api/positions/${id}/restore-plan`);
    expect(plan.status).toBe(503);
    expect(plan.body).toEqual({ error: { code: 'EXECUTOR.UNAVAILABLE', message: 'no executor is running; try again shortly' } });
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);

    await new Promise((r) => setTimeout(r, MARK_PRICE_TTL_MS + 100)); // past the prices cached while it opened
    const view = await user.client.getPosition(id);
    expect(view.status).toBe(200);
    expect(view.body['pnl']).toMatchObject({
      unrealisedUsdt: null,
      unavailableReason: "the exchange's mark prices could not be read (EXECUTOR.UNAVAILABLE)",
    });
    // What the gateway decides alone is still decided: the plan of another position does not exist.
    const unknown = await user.client.request('POST', `/api/positions/${id}/restore`, { planId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'RESTORE.PLAN_NOT_FOUND', field: 'planId' } });
  });

  it('one that never answers: 503 EXECUTOR.UNAVAILABLE after the bound', async () => {
    const { user, id } = await activeWithoutExecutor();
    // A hung replica: in the queue group, takes every request, answers none.
    const bus = await connectBus(testNatsUrl(), t.namespace, 'hung-executor');
    bus.nc.subscribe(bus.names.executorRequestSubject('PlanRestore'), { queue: bus.names.executorRequestQueue });
    try {
      await bus.nc.flush();
      const started = Date.now();
      const plan = await user.client.request('GET', `/api/positions/${id}/restore-plan`);
      expect(plan.status).toBe(503);
      expect(plan.body).toEqual({
        error: { code: 'EXECUTOR.UNAVAILABLE', message: `no executor answered within ${TIMEOUT_MS} ms; try again shortly` },
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
    } finally {
      await bus.close();
    }
  });
});
