import path from 'node:path';
import { eventually, LocalAlertmanager, repoRoot, startAlertmanager } from '@legwork/devstack';

// The production Alertmanager config (ops/prometheus/alertmanager.yml) on a real Alertmanager: one
// orphan pages once. The application's alert (the dispatcher's LegworkOrphanDetected) silences the
// Prometheus rule's LegworkOrphanedPosition for the same account, symbol and side; the rule's
// alert for another slot, which the application did not post, still fires.
describe('ops/prometheus/alertmanager.yml', () => {
  let alertmanager: LocalAlertmanager;
  beforeAll(async () => {
    alertmanager = await startAlertmanager({ configFile: path.join(repoRoot(), 'ops/prometheus/alertmanager.yml') });
  });
  afterAll(async () => {
    await alertmanager?.stop();
  });

  const post = async (alerts: { labels: Record<string, string> }[]) => {
    const response = await fetch(`${alertmanager.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts.map((a) => ({ ...a, annotations: { summary: 'test' } }))),
    });
    expect(response.status).toBe(200);
  };

  it('the application’s orphan alert inhibits the rule’s alert for the same account, symbol and side only', async () => {
    const slot = { account: 'acc-1', symbol: 'TRXUSDT', side: 'long' };
    await post([
      { labels: { alertname: 'LegworkOrphanDetected', kind: 'orphan.detected', severity: 'warning', origin: 'manual_trade', ...slot } },
      { labels: { alertname: 'LegworkOrphanedPosition', severity: 'warning', job: 'orphan-monitor', origin: 'manual_trade', ...slot } },
      {
        labels: {
          alertname: 'LegworkOrphanedPosition',
          severity: 'warning',
          job: 'orphan-monitor',
          origin: 'manual_trade',
          ...slot,
          symbol: 'ZRXUSDT',
        },
      },
    ]);
    const states = await eventually(
      async () => {
        const listed = await alertmanager.alerts();
        const state = (alertname: string, symbol: string) =>
          listed.find((a) => a.labels['alertname'] === alertname && a.labels['symbol'] === symbol)?.status.state;
        const seen = [
          state('LegworkOrphanDetected', 'TRXUSDT'),
          state('LegworkOrphanedPosition', 'TRXUSDT'),
          state('LegworkOrphanedPosition', 'ZRXUSDT'),
        ];
        return seen.includes('unprocessed') || seen.includes(undefined) ? undefined : seen;
      },
      { what: 'the three alerts processed' },
    );
    expect(states).toEqual(['active', 'suppressed', 'active']);
  });
});
