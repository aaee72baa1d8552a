import { startTestStack, TestStack } from '@legwork/devstack';

// Ambiguity is not failure: a timeout or a 5xx on order placement means "unknown", settled by
// orderLinkId before anything is sent again; only a definitive rejection halts.
describe('ambiguous order outcomes', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(async () => {
    await t?.stop();
  });

  const open = async (fault: Record<string, unknown>) => {
    const user = await t.newUser();
    await t.sim.setFaults({ apiKey: user.apiKey, ...fault });
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const position = await user.client.waitForStatus(String(body['positionId']), ['ACTIVE', 'FAILED'], 60_000);
    return { user, position, creates: await t.sim.orderCreates(user.apiKey), account: await t.sim.account(user.apiKey) };
  };

  it('timeoutAfterAccept on the middle leg: the order existed, it is found by orderLinkId, never sent again', async () => {
    const { position, creates, account } = await open({ orderCreate: [{ effect: 'timeoutAfterAccept', count: 1, symbol: 'XRPUSDT' }] });
    expect(position['status']).toBe('ACTIVE');
    const xrp = creates.filter((c) => c.symbol === 'XRPUSDT');
    expect(xrp).toHaveLength(1);
    expect(xrp[0]?.fault).toBe('timeoutAfterAccept');
    expect(account.orders).toHaveLength(5);
    expect(new Set(account.orders.map((o) => o.orderLinkId)).size).toBe(5);
  });

  it('two http503 then success: resumes at that leg with the same orderLinkId; earlier legs are not re-sent', async () => {
    const { position, creates, account } = await open({ orderCreate: [{ effect: 'http503', count: 2, symbol: 'ETHUSDT' }] });
    expect(position['status']).toBe('ACTIVE');
    const bySymbol = (s: string) => creates.filter((c) => c.symbol === s);
    expect(bySymbol('BTCUSDT')).toHaveLength(1);
    expect(bySymbol('ETHUSDT').map((c) => c.httpStatus)).toEqual([503, 503, 200]);
    expect(new Set(bySymbol('ETHUSDT').map((c) => c.orderLinkId)).size).toBe(1);
    expect(account.orders).toHaveLength(5);
  });

  it('5xx forever: FAILED after the retries ("retries exhausted", legs held listed) and a critical alert', async () => {
    const { position, creates, account } = await open({ orderCreate: [{ effect: 'http500', count: 1000, symbol: 'XRPUSDT' }] });
    expect(position['status']).toBe('FAILED');
    expect(position['failure']).toEqual({
      code: 'EXECUTION.RETRIES_EXHAUSTED',
      reason: expect.stringMatching(/^retries exhausted: .*Legs held: BTCUSDT buy \S+, ETHUSDT buy \S+/),
    });
    // First delivery + 3 retries (RETRY_DELAYS_MS has three delays), all with one orderLinkId.
    const xrp = creates.filter((c) => c.symbol === 'XRPUSDT');
    expect(xrp.length).toBeGreaterThanOrEqual(4);
    expect(new Set(xrp.map((c) => c.orderLinkId)).size).toBe(1);
    expect(creates.filter((c) => c.symbol === 'DOGEUSDT')).toEqual([]);
    expect(account.orders.map((o) => o.symbol).sort()).toEqual(['BTCUSDT', 'ETHUSDT']);
    const alerts = await t.alerts();
    expect(alerts).toContainEqual(
      expect.objectContaining({
        kind: 'execution.retries_exhausted',
        severity: 'critical',
        positionId: position['id'],
        summary: expect.stringContaining('FAILED after every retry'),
      }),
    );
  });
});
