import { startTestStack, TestStack } from '@legwork/devstack';

// Reconciliation against the simulator: drift is explained, never traded away.
const SCAN_ENV = {
  RECONCILER_CRON: '0 0 1 1 *', // scans are triggered by the test, one window at a time
  ORPHAN_MONITOR_CRON: '0 0 1 1 *',
  ORPHAN_GRACE_MS: '500',
  SCAN_RETRY_DELAYS_MS: '300,600',
};

describe('reconciliation', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack({ services: ['bybit-sim', 'gateway', 'executor', 'reconciler'], env: SCAN_ENV });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const openActive = async (user: Awaited<ReturnType<TestStack['newUser']>>, notionalUsdt = '1000') => {
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt, direction: 'long' });
    return user.client.waitForStatus(String(body['positionId']), ['ACTIVE']);
  };
  const component = (p: Record<string, unknown>, symbol: string) =>
    (p['components'] as { symbol: string; expectedQuantity: string }[]).find((c) => c.symbol === symbol) as { expectedQuantity: string };

  it('a leg reduced by hand: ALTERED with the per-leg delta; P&L still on the original quantities; cleared when put back', async () => {
    const user = await t.newUser();
    const position = await openActive(user);
    const id = String(position['id']);
    const btc = Number(component(position, 'BTCUSDT').expectedQuantity); // 0.006
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'BTCUSDT', side: 'Sell', qty: '0.003', reduceOnly: true });

    const { runs } = await t.scan('reconcile');
    expect(runs).toEqual([expect.objectContaining({ status: 'done' })]);
    const altered = (await user.client.getPosition(id)).body;
    expect(altered['health']).toBe('ALTERED');
    expect(altered['deviations']).toEqual([
      expect.objectContaining({
        symbol: 'BTCUSDT',
        expected: '0.006',
        actual: '0.003',
        delta: '-0.003',
        explanation: 'BTCUSDT: expected 0.006, actual 0.003, Δ −0.003',
        clearedAt: null,
      }),
    ]);
    const pnl = (altered['pnl'] as { lastScan: { pnlUsdt: string; perLeg: { symbol: string }[] } }).lastScan;
    expect(pnl.perLeg.map((l) => l.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'XRPUSDT', 'DOGEUSDT', 'LTCUSDT']);
    expect(Number.isFinite(Number(pnl.pnlUsdt))).toBe(true);
    // P&L is on the ORIGINAL 0.006 BTC: pin prices and check the BTC leg exactly.
    const btcEntry = Number(
      (altered['components'] as { symbol: string; entryPrice: string }[]).find((c) => c.symbol === 'BTCUSDT')?.entryPrice,
    );
    await t.sim.setPrices({ BTCUSDT: String(btcEntry + 1000) });
    await t.scan('reconcile');
    const repriced = ((await user.client.getPosition(id)).body['pnl'] as { lastScan: { perLeg: { symbol: string; pnlUsdt: string }[] } })
      .lastScan;
    expect(Number(repriced.perLeg.find((l) => l.symbol === 'BTCUSDT')?.pnlUsdt)).toBeCloseTo(btc * 1000, 6);
    expect(await t.alerts()).toContainEqual(
      expect.objectContaining({
        kind: 'position.altered',
        positionId: id,
        summary: expect.stringContaining('BTCUSDT: expected 0.006, actual 0.003, Δ −0.003'),
      }),
    );

    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'BTCUSDT', side: 'Buy', qty: '0.003' });
    await t.scan('reconcile');
    const healed = (await user.client.getPosition(id)).body;
    expect(healed['health']).toBe('IN_SYNC');
    expect((healed['deviations'] as { clearedAt: string | null }[])[0]?.clearedAt).not.toBeNull();
    expect((await t.alerts()).filter((a) => a.positionId === id).map((a) => a.kind)).toEqual(['position.altered', 'position.in_sync']);
    // Reconciliation never trades: the only orders are the basket's five.
    expect((await t.sim.orderCreates(user.apiKey)).length).toBe(5);
  });

  it('two positions sharing BTCUSDT, one reduced: both flagged, the explanation says the figure is shared', async () => {
    const user = await t.newUser({ balanceUsdt: '20000' });
    const a = await openActive(user);
    const b = await openActive(user);
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'BTCUSDT', side: 'Sell', qty: '0.002', reduceOnly: true });
    await t.scan('reconcile');
    for (const p of [a, b]) {
      const view = (await user.client.getPosition(String(p['id']))).body;
      expect(view['health']).toBe('ALTERED');
      expect(view['deviations']).toEqual([
        expect.objectContaining({
          symbol: 'BTCUSDT',
          actual: null,
          delta: '-0.002',
          sharedWith: [String((p === a ? b : a)['id'])],
          explanation: expect.stringMatching(/^BTCUSDT \(shared by 2 positions/),
        }),
      ]);
    }
  });

  it('a FAILED three-of-five basket shows which components were acquired and which are missing', async () => {
    const user = await t.newUser();
    await t.sim.setFaults({ apiKey: user.apiKey, orderCreate: [{ effect: 'insufficientMargin', count: 1, symbol: 'DOGEUSDT' }] });
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const id = String(body['positionId']);
    await user.client.waitForStatus(id, ['FAILED']);
    await t.scan('reconcile');
    const view = (await user.client.getPosition(id)).body;
    const composition = view['composition'] as { acquired: { symbol: string }[]; missing: { symbol: string }[] };
    expect(composition.acquired.map((l) => l.symbol)).toEqual(['BTCUSDT', 'ETHUSDT', 'XRPUSDT']);
    expect(composition.missing.map((l) => l.symbol)).toEqual(['DOGEUSDT', 'LTCUSDT']);
    expect(view['health']).toBe('IN_SYNC'); // what it holds matches the exchange
  });

  it('a position left EXECUTING by an executor that is gone: reported stuck once per episode, a live one never', async () => {
    const user = await t.newUser();
    const stuck = String((await openActive(user))['id']);
    const live = String((await openActive(user))['id']);
    // Its executor's lease ran out 31 minutes ago (STUCK_EXECUTING_AFTER_MS is 30); the other's still runs.
    await t.db.query(
      `UPDATE synthetic_positions SET status = 'EXECUTING', lease_expires_at = now() - interval '31 minutes' WHERE id = $1`,
      [stuck],
    );
    await t.db.query(`UPDATE synthetic_positions SET status = 'EXECUTING', lease_expires_at = now() + interval '1 minute' WHERE id = $1`, [
      live,
    ]);
    const stuckAlerts = async () => (await t.alerts()).filter((a) => a.kind === 'execution.stuck' && a.accountId === user.accountId);

    await t.scan('reconcile');
    expect(await stuckAlerts()).toEqual([
      expect.objectContaining({
        positionId: stuck,
        severity: 'critical',
        summary: expect.stringContaining('its command may have been lost'),
      }),
    ]);
    await t.scan('reconcile');
    expect(await stuckAlerts()).toHaveLength(1);
  });

  it('a position-list outage on one account: the scan fails and changes nothing (no false alteration)', async () => {
    const user = await t.newUser();
    const position = await openActive(user);
    await t.sim.setFaults({ apiKey: user.apiKey, positionList: [{ effect: 'http500', count: 1000 }] });
    const before = (await t.alerts()).length;
    const { runs } = await t.scan('reconcile');
    expect(runs.find((r) => r.accountId === user.accountId)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/position_list/),
    });
    expect((await user.client.getPosition(String(position['id']))).body['health']).toBe('IN_SYNC');
    expect((await t.alerts()).length).toBe(before);
    await t.sim.clearFaults();
  });

  it('restore balance: a plan of exact trades, executed on confirmation, back IN_SYNC; a stale plan is refused', async () => {
    const user = await t.newUser();
    const position = await openActive(user);
    const id = String(position['id']);
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'BTCUSDT', side: 'Sell', qty: '0.003', reduceOnly: true });
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'ETHUSDT', side: 'Buy', qty: '0.02' });
    await t.scan('reconcile');

    const stale = await user.client.request('GET', `/api/positions/${id}/restore-plan`);
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'XRPUSDT', side: 'Sell', qty: '10', reduceOnly: true });
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'BTCUSDT', side: 'Sell', qty: '0.001', reduceOnly: true });
    const refused = await user.client.request('POST', `/api/positions/${id}/restore`, { planId: stale.body['planId'] });
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      error: { code: 'RESTORE.PLAN_STALE', message: expect.stringContaining('BTCUSDT: 0.003 then, 0.002 now'), field: 'planId' },
    });

    const plan = await user.client.request('GET', `/api/positions/${id}/restore-plan`);
    expect(plan.status).toBe(200);
    expect((plan.body['trades'] as { description: string }[]).map((x) => x.description)).toEqual([
      'Buy 0.004 BTCUSDT',
      'Sell 0.02 ETHUSDT',
      'Buy 10 XRPUSDT',
    ]);
    const ordersBefore = (await t.sim.orderCreates(user.apiKey)).length;
    const accepted = await user.client.request('POST', `/api/positions/${id}/restore`, { planId: plan.body['planId'] });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({
      positionId: id,
      status: 'ACTIVE',
      restore: { planId: plan.body['planId'], state: 'executing', leverageResets: [], trades: plan.body['trades'] },
    });
    const reused = await user.client.request('POST', `/api/positions/${id}/restore`, { planId: plan.body['planId'] });
    expect(reused.status).toBe(409); // a plan executes once

    // The executor places the three trades, then asks for a reconciliation of the account.
    let view: Record<string, unknown> = {};
    for (let i = 0; i < 100 && view['health'] !== 'IN_SYNC'; i += 1) {
      await new Promise((r) => setTimeout(r, 200));
      view = (await user.client.getPosition(id)).body;
    }
    expect(view['health']).toBe('IN_SYNC');
    const restoreLegs = (view['legs'] as { purpose: string; status: string; orderLinkId: string }[]).filter((l) => l.purpose === 'restore');
    expect(restoreLegs.map((l) => l.status)).toEqual(['FILLED', 'FILLED', 'FILLED']);
    expect((await t.sim.orderCreates(user.apiKey)).length).toBe(ordersBefore + 3);
  });

  it('two replicas, each ticking the same window: each account is scanned once, alerts are not doubled', async () => {
    const second = await t.stack.startService('reconciler');
    try {
      const user = await t.newUser();
      const position = await openActive(user);
      await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'ETHUSDT', side: 'Sell', qty: '0.01', reduceOnly: true });
      const window = new Date(Math.floor(Date.now() / 1000) * 1000);
      await Promise.all([t.scan('reconcile', { window }), t.scan('reconcile', { window })]);
      const [run] = await t.db.query('SELECT attempts FROM scan_runs WHERE job = $1 AND account_id = $2 AND window_start = $3', [
        'reconcile',
        user.accountId,
        window,
      ]);
      expect(run.attempts).toBe(1);
      expect((await t.alerts()).filter((a) => a.positionId === position['id'] && a.kind === 'position.altered')).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });
});
