import { eventually, startTestStack, streamTestEnv, TestStack } from '@legwork/devstack';

// Drift from the private stream (issue 18): scheduled scans are kept out of the way, so only the stream can
// explain a suspicion within seconds; the confirmation is the scan job published at suspicion +
// ORPHAN_GRACE_MS, alerted once; funding changes nothing; a cut stream reconnects and its REST gap
// fill finds what the stream never delivered.
const GRACE_MS = 2000;
const STREAM_ENV = {
  ...streamTestEnv(GRACE_MS),
  // A silent stall is noticed within ping interval + pong timeout.
  STREAM_PING_INTERVAL_MS: '500',
  STREAM_PONG_TIMEOUT_MS: '1000',
};

describe('orphan monitor following the private streams', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack({ services: ['bybit-sim', 'gateway', 'executor', 'orphan-monitor'], env: STREAM_ENV });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const subscribed = (apiKey: string) => t.sim.streamConnections(apiKey);
  const orphanRows = (accountId: string): Promise<{ symbol: string; status: string; consecutive_scans: number }[]> =>
    t.db.query('SELECT symbol, status, consecutive_scans FROM orphan_observations WHERE account_id = $1 ORDER BY symbol', [accountId]);
  const orphanAlerts = async (accountId: string) =>
    (await t.alerts()).filter((a) => a.accountId === accountId && a.kind.startsWith('orphan.'));

  /** A user holding an ACTIVE basket (so its account is followed), its stream up and its own fills past the grace. */
  const followedUser = async () => {
    const user = await t.newUser();
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    await user.client.waitForStatus(String(body['positionId']), ['ACTIVE']);
    const [connection] = await eventually(async () => ((await subscribed(user.apiKey)).length > 0 ? subscribed(user.apiKey) : undefined), {
      what: 'the account followed on the stream',
      timeoutMs: 10_000,
    });
    await new Promise((r) => setTimeout(r, GRACE_MS + 200));
    return { ...user, connId: connection?.connId };
  };

  it('a manual trade outside every index: suspected within seconds, confirmed and alerted once after the grace', async () => {
    const user = await followedUser();
    const tradedAt = Date.now();
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'TRXUSDT', side: 'Buy', qty: '500' });

    const suspected = await eventually(async () => (await orphanRows(user.accountId)).find((r) => r.symbol === 'TRXUSDT') ?? undefined, {
      what: 'the TRXUSDT orphan suspected',
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    expect(Date.now() - tradedAt).toBeLessThan(5_000);
    expect(suspected).toEqual({ symbol: 'TRXUSDT', status: 'suspected', consecutive_scans: 1 });
    expect(await orphanAlerts(user.accountId)).toEqual([]);

    const confirmedAfter = await eventually(
      async () => ((await orphanAlerts(user.accountId)).length > 0 ? Date.now() - tradedAt : undefined),
      { what: 'the orphan alert', timeoutMs: GRACE_MS + 10_000, intervalMs: 100 },
    );
    expect(confirmedAfter).toBeGreaterThanOrEqual(GRACE_MS);
    expect(confirmedAfter).toBeLessThan(GRACE_MS + 5_000);
    await new Promise((r) => setTimeout(r, GRACE_MS + 1_000)); // nothing more comes
    const alerts = await orphanAlerts(user.accountId);
    expect(alerts.map((a) => [a.kind, a.severity, a.details['symbol'], a.details['origin']])).toEqual([
      ['orphan.detected', 'warning', 'TRXUSDT', 'manual_trade'],
    ]);
    expect(await orphanRows(user.accountId)).toEqual([{ symbol: 'TRXUSDT', status: 'confirmed', consecutive_scans: 2 }]);
  });

  it('a funding settlement on the held legs suspects nothing', async () => {
    const user = await followedUser();
    await t.sim.setFundingRates({ BTCUSDT: '0.0003', ETHUSDT: '-0.0002' });
    const settlements = await t.sim.settleFunding();
    expect(settlements.length).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, GRACE_MS + 1_000));
    expect(await orphanRows(user.accountId)).toEqual([]);
    expect(await orphanAlerts(user.accountId)).toEqual([]);
  });

  it('a cut stream reconnects, and its REST gap fill finds the trade the stream never delivered', async () => {
    const user = await followedUser();
    // The trade's execution message is held back, then the connection is cut: it is lost (no replay, as on Bybit).
    await t.sim.setStreamFaults({
      apiKey: user.apiKey,
      messages: [{ effect: 'delay', topic: 'execution', delayMs: 60_000 }],
    });
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'ZRXUSDT', side: 'Sell', qty: '100' });
    expect(await t.sim.dropStream(user.apiKey)).toEqual({ dropped: 1 });
    await t.sim.clearStreamFaults(user.apiKey);

    const [reopened] = await eventually(
      async () => {
        const connections = (await subscribed(user.apiKey)).filter((c) => c.connId !== user.connId);
        return connections.length > 0 ? connections : undefined;
      },
      { what: 'the stream reconnected', timeoutMs: 10_000 },
    );
    expect(reopened).toBeDefined();
    await eventually(async () => (await orphanRows(user.accountId)).find((r) => r.symbol === 'ZRXUSDT' && r.status === 'suspected'), {
      what: 'the ZRXUSDT orphan suspected by the gap fill',
      timeoutMs: 10_000,
    });
    await eventually(async () => ((await orphanAlerts(user.accountId)).length === 1 ? true : undefined), {
      what: 'the orphan alert',
      timeoutMs: GRACE_MS + 10_000,
    });
    expect((await orphanAlerts(user.accountId)).map((a) => a.details['symbol'])).toEqual(['ZRXUSDT']);

    const metrics = await (await fetch(`${t.stack.urls['orphan-monitor']}/metrics`)).text();
    const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(metrics)?.[1] ?? NaN);
    expect(value('exchange_stream_reconnects_total')).toBeGreaterThanOrEqual(1);
    expect(value('exchange_streams_connected')).toBeGreaterThanOrEqual(3);
    expect(value('exchange_stream_message_lag_seconds_count')).toBeGreaterThan(0);
    expect(value('orphan_stream_detection_seconds_count')).toBeGreaterThanOrEqual(1);
  });

  it('a silent stall (no pong, nothing sent) is noticed, cut and reopened; the next manual trade is suspected within seconds', async () => {
    const user = await followedUser();
    expect(await t.sim.stallStream(user.apiKey, 60_000)).toMatchObject({ stalled: 1 });
    const stalledAt = Date.now();
    await eventually(async () => ((await subscribed(user.apiKey)).some((c) => c.connId !== user.connId) ? true : undefined), {
      what: 'a new connection after the stall',
      timeoutMs: 10_000,
    });
    expect(Date.now() - stalledAt).toBeLessThan(5_000);
    const tradedAt = Date.now();
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'TRXUSDT', side: 'Sell', qty: '300' });
    await eventually(async () => (await orphanRows(user.accountId)).find((r) => r.symbol === 'TRXUSDT'), {
      what: 'the TRXUSDT orphan suspected',
      timeoutMs: 10_000,
      intervalMs: 50,
    });
    expect(Date.now() - tradedAt).toBeLessThan(5_000);
  });
});
