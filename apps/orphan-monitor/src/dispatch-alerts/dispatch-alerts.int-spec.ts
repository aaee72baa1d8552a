import { eventually, LocalAlertmanager, startAlertmanager, startTestStack, TestStack } from '@legwork/devstack';

// Application alerts reach a real Alertmanager (Debian's prometheus-alertmanager): a manual trade
// outside every index is one Alertmanager alert naming account, symbol, side and origin once the
// orphan is confirmed, and it resolves when the trade is closed; a position the reconciler finds
// ALTERED is one alert naming it, resolved when it is back IN_SYNC.
const RUNBOOK_BASE_URL = 'https://runbooks.example/legwork/docs/operations.md';

describe('alert dispatcher → Alertmanager', () => {
  let am: LocalAlertmanager;
  let t: TestStack;
  beforeAll(async () => {
    am = await startAlertmanager();
    t = await startTestStack({
      services: ['bybit-sim', 'gateway', 'executor', 'reconciler', 'orphan-monitor'],
      env: { RECONCILER_CRON: '0 0 1 1 *', ORPHAN_MONITOR_CRON: '0 0 1 1 *', ORPHAN_GRACE_MS: '500', SCAN_RETRY_DELAYS_MS: '300,600' },
      serviceEnv: {
        'orphan-monitor': {
          ALERTMANAGER_URL: am.url,
          RUNBOOK_BASE_URL,
          ALERTMANAGER_RETRY_DELAYS_MS: '200,500',
          ALERTMANAGER_REFRESH_MS: '1000',
        },
      },
    });
  });
  afterAll(async () => {
    await t?.stop();
    await am?.stop();
  });

  /** The value of the orphan monitor's first series starting with `prefix` in /metrics (0 when absent). */
  const metric = async (prefix: string) => {
    const text = await (await fetch(`${t.stack.urls['orphan-monitor']}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(prefix));
    return line ? Number(line.split(' ').pop()) : 0;
  };
  const alertsOf = async (accountId: string, label = 'account') => (await am.alerts()).filter((a) => a.labels[label] === accountId);
  /** The alerts Alertmanager holds with `label` = `value`, once there is one. */
  const firing = (value: string, label = 'account') =>
    eventually(
      async () => {
        const listed = await alertsOf(value, label);
        return listed.length > 0 ? listed : undefined;
      },
      { what: `an alert with ${label}=${value} in Alertmanager` },
    );
  /** Waits until Alertmanager holds no alert with `label` = `value`, then checks the refreshes do not bring one back. */
  const resolved = async (value: string, label = 'account') => {
    await eventually(async () => ((await alertsOf(value, label)).length === 0 ? true : undefined), { what: `${label}=${value} resolved` });
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await alertsOf(value, label)).toEqual([]);
  };
  /** The verdict lines (`msg` starting with `prefix`) a service logged about `id`. */
  const verdictLines = (service: 'orphan-monitor' | 'reconciler', id: string, prefix: string) =>
    (t.stack.services[service]?.output() ?? '')
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes(id) && line.includes(`"msg":"${prefix}`))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('a manual trade: one alert after confirmation, labelled with account, symbol, side and origin; resolved when closed', async () => {
    const user = await t.newUser();
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'TRXUSDT', side: 'Buy', qty: '500' });

    await t.scan('orphans'); // suspected: nothing reaches Alertmanager
    await t.scan('orphans'); // confirmed
    const [alert, ...others] = await firing(user.accountId);
    expect(others).toEqual([]);
    expect(alert?.labels).toEqual({
      alertname: 'LegworkOrphanDetected',
      kind: 'orphan.detected',
      severity: 'warning',
      account: user.accountId,
      symbol: 'TRXUSDT',
      side: 'long',
      origin: 'manual_trade',
    });
    expect(alert?.annotations['summary']).toMatch(
      /^Untracked long 500 TRXUSDT on account .*entry .*mark .*unrealised P&L .* USDT\. .*manual trade/,
    );
    expect(alert?.annotations['runbook_url']).toBe(`${RUNBOOK_BASE_URL}#legworkorphandetected`);
    expect(alert?.status.state).toBe('active');

    // A third scan, and several refresh periods (each re-posts it): still one alert.
    await t.scan('orphans');
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await alertsOf(user.accountId)).toHaveLength(1);

    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'TRXUSDT', side: 'Sell', qty: '500', reduceOnly: true });
    await t.scan('orphans');
    await resolved(user.accountId);

    // The orphan monitor logged each verdict change once, level as a word.
    const verdicts = verdictLines('orphan-monitor', user.accountId, 'orphan ');
    expect(verdicts.map((v) => [v['level'], v['msg'], v['symbol'], v['side']])).toEqual([
      ['info', 'orphan suspected', 'TRXUSDT', 'long'],
      ['warn', 'orphan confirmed', 'TRXUSDT', 'long'],
      ['info', 'orphan resolved', 'TRXUSDT', 'long'],
    ]);
  });

  it('Alertmanager down when the orphan is confirmed: the alert arrives once it is up; a restart (which forgets alerts) is repaired by the refresh', async () => {
    const user = await t.newUser();
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'XRPUSDT', side: 'Sell', qty: '100' });
    const port = am.port;
    await am.stop();
    await t.scan('orphans');
    await t.scan('orphans'); // confirmed while nobody answers: the post fails and is redelivered
    await eventually(
      async () => ((await t.alerts()).some((a) => a.accountId === user.accountId && a.kind === 'orphan.detected') ? true : undefined),
      { what: 'orphan.detected on the stream' },
    );
    await eventually(async () => ((await metric('alert_dispatch_total{outcome="unavailable"')) >= 2 ? true : undefined), {
      what: 'failed posts to the stopped Alertmanager',
    });

    am = await startAlertmanager({ port });
    const listed = await firing(user.accountId);
    expect(listed.map((a) => [a.labels['alertname'], a.labels['symbol'], a.labels['side'], a.labels['origin']])).toEqual([
      ['LegworkOrphanDetected', 'XRPUSDT', 'short', 'manual_trade'],
    ]);
    // The stream's message itself got through (not only the refresh): acked after the 2xx.
    await eventually(async () => ((await metric('alert_dispatch_total{outcome="fired"')) === 2 ? true : undefined), {
      what: 'the redelivered orphan.detected posted (one TRXUSDT before, this XRPUSDT)',
    });

    // Alertmanager keeps alerts in memory only: a restarted one knows nothing until the refresh re-posts.
    await am.stop();
    am = await startAlertmanager({ port });
    await eventually(async () => ((await alertsOf(user.accountId)).length === 1 ? true : undefined), {
      what: 'the orphan alert re-posted to a restarted Alertmanager',
    });
    expect(await metric('alert_refresh_firing')).toBeGreaterThanOrEqual(1);
  });

  it('fires LegworkPositionAltered with position and account, and resolves it when the leg is put back', async () => {
    const user = await t.newUser();
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const positionId = String(body['positionId']);
    await user.client.waitForStatus(positionId, ['ACTIVE']);
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'BTCUSDT', side: 'Sell', qty: '0.003', reduceOnly: true });
    await t.scan('reconcile');

    const [alert, ...others] = await firing(positionId, 'position');
    expect(others).toEqual([]);
    expect(alert?.labels).toEqual({
      alertname: 'LegworkPositionAltered',
      kind: 'position.altered',
      severity: 'warning',
      account: user.accountId,
      position: positionId,
    });
    expect(alert?.annotations['summary']).toContain('BTCUSDT: expected 0.006, actual 0.003');
    expect(alert?.annotations['runbook_url']).toBe(`${RUNBOOK_BASE_URL}#legworkpositionaltered`);

    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'BTCUSDT', side: 'Buy', qty: '0.003' });
    await t.scan('reconcile');
    await resolved(positionId, 'position');
    // The reconciler logged both verdict changes.
    const verdicts = verdictLines('reconciler', positionId, 'position ').map((l) => l['msg']);
    expect(verdicts).toEqual(['position ALTERED', 'position IN_SYNC']);
  });
});
