import { eventually, startTestStack, streamTestEnv, TestStack } from '@legwork/devstack';

// Drift from the private stream, the held side (issue 18): scheduled scans are kept out of the way, so only
// the stream can flag a held position ALTERED within seconds. A close from the Bybit app and a
// liquidation are explained as such in the deviation and the alert; funding changes nothing.
const GRACE_MS = 2000;
const STREAM_ENV = streamTestEnv(GRACE_MS);

type Deviation = { symbol: string; expected: string; actual: string; explanation: string };

describe('a held position moved on the exchange, seen on the private stream', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack({ services: ['bybit-sim', 'gateway', 'executor', 'reconciler', 'orphan-monitor'], env: STREAM_ENV });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const followed = async (apiKey: string) => (await t.sim.streamConnections(apiKey)).length > 0;
  const alteredAlerts = async (positionId: string) =>
    (await t.alerts()).filter((a) => a.positionId === positionId && a.kind === 'position.altered');

  /** A user holding an ACTIVE basket, its stream followed and its own fills past the grace. */
  const activeBasket = async () => {
    const user = await t.newUser();
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const positionId = String(body['positionId']);
    await user.client.waitForStatus(positionId, ['ACTIVE']);
    await eventually(async () => ((await followed(user.apiKey)) ? true : undefined), {
      what: 'the account followed on the stream',
      timeoutMs: 10_000,
    });
    await new Promise((r) => setTimeout(r, GRACE_MS + 200));
    return { user, positionId };
  };
  /** The position once ALTERED, and how long after `since` it was seen so. */
  /** A partial close of 0.003 BTC from the Bybit app (reduce-only, `createType` CreateByClosing). */
  const closeBtcInApp = (apiKey: string) =>
    t.sim.manualTrade({ apiKey, symbol: 'BTCUSDT', side: 'Sell', qty: '0.003', reduceOnly: true, createType: 'CreateByClosing' });

  const alteredWithin = async (user: Awaited<ReturnType<TestStack['newUser']>>, positionId: string, since: number) => {
    const view = await eventually(
      async () => {
        const body = (await user.client.getPosition(positionId)).body;
        return body['health'] === 'ALTERED' ? body : undefined;
      },
      { what: 'the position ALTERED', timeoutMs: 15_000, intervalMs: 100 },
    );
    return { view, afterMs: Date.now() - since };
  };

  it('a partial close from the Bybit app: ALTERED within seconds, explained as closed by hand', async () => {
    const { user, positionId } = await activeBasket();
    const closedAt = Date.now();
    await closeBtcInApp(user.apiKey);

    const { view, afterMs } = await alteredWithin(user, positionId, closedAt);
    expect(afterMs).toBeLessThan(5_000);
    expect(view['deviations']).toEqual([
      expect.objectContaining({
        symbol: 'BTCUSDT',
        expected: '0.006',
        actual: '0.003',
        explanation: 'BTCUSDT: expected 0.006, actual 0.003, Δ −0.003 (closed by hand in the Bybit app)',
      }),
    ]);
    const alerts = await eventually(async () => ((await alteredAlerts(positionId)).length > 0 ? alteredAlerts(positionId) : undefined), {
      what: 'the position.altered alert',
      timeoutMs: 5_000,
    });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.summary).toContain('closed by hand in the Bybit app');
    expect(alerts[0]?.details['causes']).toEqual([{ symbol: 'BTCUSDT', cause: 'manual_close' }]);

    // The next scheduled scan names no cause: the unchanged deviation keeps it; no second alert.
    await t.scan('reconcile');
    expect(((await user.client.getPosition(positionId)).body['deviations'] as Deviation[]).map((d) => d.explanation)).toEqual([
      'BTCUSDT: expected 0.006, actual 0.003, Δ −0.003 (closed by hand in the Bybit app)',
    ]);
    expect(await alteredAlerts(positionId)).toHaveLength(1);
  });

  it('a liquidated leg: ALTERED within seconds, explained as a liquidation', async () => {
    const { user, positionId } = await activeBasket();
    const liquidatedAt = Date.now();
    await t.sim.liquidate(user.apiKey, 'ETHUSDT');

    const { view, afterMs } = await alteredWithin(user, positionId, liquidatedAt);
    expect(afterMs).toBeLessThan(5_000);
    const deviations = view['deviations'] as Deviation[];
    expect(deviations.map((d) => [d.symbol, Number(d.actual)])).toEqual([['ETHUSDT', 0]]);
    expect(deviations[0]?.explanation).toMatch(/^ETHUSDT: expected .*, actual .*, Δ −.* \(liquidated by the exchange\)$/);
    const alerts = await eventually(async () => ((await alteredAlerts(positionId)).length > 0 ? alteredAlerts(positionId) : undefined), {
      what: 'the position.altered alert',
      timeoutMs: 5_000,
    });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.summary).toContain('liquidated by the exchange');
    expect(alerts[0]?.details['causes']).toEqual([{ symbol: 'ETHUSDT', cause: 'liquidation' }]);

    const metrics = await (await fetch(`${t.stack.urls['orphan-monitor']}/metrics`)).text();
    const count = Number(/^drift_stream_detection_seconds_count(?:\{[^}]*\})? (\S+)$/m.exec(metrics)?.[1] ?? NaN);
    expect(count).toBeGreaterThanOrEqual(2);
  });

  it('a close from the app while the stream is cut: ALTERED with its cause from the REST gap fill once it reconnects', async () => {
    const { user, positionId } = await activeBasket();
    const [before] = await t.sim.streamConnections(user.apiKey);
    // The close's execution message is held back, then the connection is cut: lost, as on Bybit.
    await t.sim.setStreamFaults({ apiKey: user.apiKey, messages: [{ effect: 'delay', topic: 'execution', delayMs: 60_000 }] });
    const closedAt = Date.now();
    await closeBtcInApp(user.apiKey);
    expect(await t.sim.dropStream(user.apiKey)).toEqual({ dropped: 1 });
    await t.sim.clearStreamFaults(user.apiKey);
    await eventually(
      async () => ((await t.sim.streamConnections(user.apiKey)).some((c) => c.connId !== before?.connId) ? true : undefined),
      { what: 'the stream reconnected', timeoutMs: 10_000 },
    );

    const { view, afterMs } = await alteredWithin(user, positionId, closedAt);
    expect(afterMs).toBeLessThan(10_000); // no scheduled scan runs here: only the gap fill can have done it
    expect((view['deviations'] as Deviation[]).map((d) => d.explanation)).toEqual([
      'BTCUSDT: expected 0.006, actual 0.003, Δ −0.003 (closed by hand in the Bybit app)',
    ]);
    const alerts = await eventually(async () => ((await alteredAlerts(positionId)).length > 0 ? alteredAlerts(positionId) : undefined), {
      what: 'the position.altered alert',
      timeoutMs: 5_000,
    });
    expect(alerts.map((a) => a.details['causes'])).toEqual([[{ symbol: 'BTCUSDT', cause: 'manual_close' }]]);
  });

  it('a funding settlement on the held legs: stays IN_SYNC, no alert', async () => {
    const { user, positionId } = await activeBasket();
    await t.sim.setFundingRates({ BTCUSDT: '0.0003', ETHUSDT: '-0.0002' });
    expect((await t.sim.settleFunding()).length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 3_000));
    expect((await user.client.getPosition(positionId)).body['health']).toBe('IN_SYNC');
    expect(await alteredAlerts(positionId)).toEqual([]);
  });
});
