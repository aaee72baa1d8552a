import { eventually, LocalAlertmanager, startAlertmanager, startTestStack, TestStack } from '@legwork/devstack';

// A position the reconciler finds ALTERED is one Alertmanager alert naming the position and its
// account; back IN_SYNC, it resolves. The reconciler publishes, the orphan monitor's dispatcher posts.
describe('alert dispatcher → Alertmanager: a position ALTERED, then IN_SYNC', () => {
  let am: LocalAlertmanager;
  let t: TestStack;
  beforeAll(async () => {
    am = await startAlertmanager();
    t = await startTestStack({
      services: ['bybit-sim', 'gateway', 'executor', 'reconciler', 'orphan-monitor'],
      env: { RECONCILER_CRON: '0 0 1 1 *', ORPHAN_MONITOR_CRON: '0 0 1 1 *', ORPHAN_GRACE_MS: '500', SCAN_RETRY_DELAYS_MS: '300,600' },
      serviceEnv: {
        'orphan-monitor': { ALERTMANAGER_URL: am.url, ALERTMANAGER_RETRY_DELAYS_MS: '200,500', ALERTMANAGER_REFRESH_MS: '1000' },
      },
    });
  });
  afterAll(async () => {
    await t?.stop();
    await am?.stop();
  });

  it('fires LegworkPositionAltered with position and account, and resolves it when the leg is put back', async () => {
    const user = await t.newUser();
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const positionId = String(body['positionId']);
    await user.client.waitForStatus(positionId, ['ACTIVE']);
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'BTCUSDT', side: 'Sell', qty: '0.003', reduceOnly: true });
    await t.scan('reconcile');

    const positionAlerts = async () => (await am.alerts()).filter((a) => a.labels['position'] === positionId);
    const [alert, ...others] = await eventually(
      async () => {
        const listed = await positionAlerts();
        return listed.length > 0 ? listed : undefined;
      },
      { what: 'the ALTERED alert in Alertmanager' },
    );
    expect(others).toEqual([]);
    expect(alert?.labels).toEqual({
      alertname: 'LegworkPositionAltered',
      kind: 'position.altered',
      severity: 'warning',
      account: user.accountId,
      position: positionId,
    });
    expect(alert?.annotations['summary']).toContain('BTCUSDT: expected 0.006, actual 0.003');
    expect(alert?.annotations['runbook_url']).toBe('docs/operations.md#legworkpositionaltered');

    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'BTCUSDT', side: 'Buy', qty: '0.003' });
    await t.scan('reconcile');
    await eventually(async () => ((await positionAlerts()).length === 0 ? true : undefined), { what: 'the ALTERED alert resolved' });
    await new Promise((r) => setTimeout(r, 2_500)); // refreshes do not bring it back
    expect(await positionAlerts()).toEqual([]);
    // The reconciler logged both verdict changes.
    const verdicts = (t.stack.services.reconciler?.output() ?? '')
      .split('\n')
      .filter((line) => line.startsWith('{') && line.includes(positionId) && line.includes('"msg":"position '))
      .map((line) => (JSON.parse(line) as { level: string; msg: string }).msg);
    expect(verdicts).toEqual(['position ALTERED', 'position IN_SYNC']);
  });
});
