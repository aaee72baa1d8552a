import fs from 'node:fs/promises';
import { parse } from 'yaml';
import {
  eventually,
  legworkRuleFiles,
  LocalAlertmanager,
  LocalPrometheus,
  PrometheusAlert,
  startAlertmanager,
  startPrometheus,
  startTestStack,
  TestStack,
} from '@legwork/devstack';

// The production rule files (ops/prometheus/rules, as ops/prometheus/prometheus.yml loads them) on
// a real Prometheus (Debian's) scraping the real services every second, sending to a real
// Alertmanager: every rule evaluates without error on real series, a confirmed manual trade is a
// LegworkOrphanedPosition naming account, symbol, side and origin, and LegworkScanMissing is quiet
// once scans ran. promtool's unit tests (scripts/check-ops.sh) cover each rule's logic on synthetic series.
const RUNBOOK_BASE_URL = 'https://runbooks.example/legwork/docs/operations.md';
const SCAN_ENV = {
  RECONCILER_CRON: '0 0 1 1 *',
  ORPHAN_MONITOR_CRON: '0 0 1 1 *',
  ORPHAN_GRACE_MS: '500',
  SCAN_RETRY_DELAYS_MS: '300,600',
};
const SCRAPED = ['gateway', 'executor', 'reconciler', 'orphan-monitor'] as const;

describe('Prometheus rules on a real Prometheus', () => {
  let am: LocalAlertmanager;
  let t: TestStack;
  let prom: LocalPrometheus;
  beforeAll(async () => {
    am = await startAlertmanager();
    t = await startTestStack({ services: ['bybit-sim', ...SCRAPED], env: SCAN_ENV });
    prom = await startPrometheus({
      scrapeTargets: Object.fromEntries(SCRAPED.map((service) => [service, t.stack.urls[service] ?? ''])),
      ruleFiles: await legworkRuleFiles(),
      alertmanagerUrl: am.url,
      externalLabels: { environment: 'test', runbook_base_url: RUNBOOK_BASE_URL },
    });
  });
  afterAll(async () => {
    await prom?.stop();
    await t?.stop();
    await am?.stop();
  });

  const alertsNamed = async (alertname: string): Promise<PrometheusAlert[]> =>
    (await prom.alerts()).filter((a) => a.labels['alertname'] === alertname);

  it('a confirmed manual trade is a LegworkOrphanedPosition naming it, firing into Alertmanager and resolved when closed; every rule evaluates healthy; LegworkScanMissing quiet once scans ran', async () => {
    // Before any scan the net is live: LegworkScanMissing is pending for both scans (so its
    // silence below is the rule's verdict, not a rule that never evaluates).
    await eventually(async () => ((await alertsNamed('LegworkScanMissing')).length === 2 ? true : undefined), {
      what: 'LegworkScanMissing pending for both scans before any scan',
    });
    expect((await alertsNamed('LegworkScanMissing')).map((a) => a.labels['scan']).sort()).toEqual(['orphans', 'reconcile']);

    const user = await t.newUser();
    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    await user.client.waitForStatus(String(body['positionId']), ['ACTIVE']);
    await new Promise((r) => setTimeout(r, 600)); // past the grace for our own fresh fills
    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'TRXUSDT', side: 'Buy', qty: '500' });
    await t.scan('orphans');
    await t.scan('orphans'); // confirmed on the second consecutive scan
    await t.scan('reconcile');

    // The gauge as Prometheus scraped it: one series naming the orphan.
    const series = await eventually(
      async () => {
        const result = await prom.query(`orphaned_positions{account="${user.accountId}"}`);
        return result.length > 0 ? result : undefined;
      },
      { what: 'orphaned_positions scraped' },
    );
    expect(series).toEqual([
      {
        metric: expect.objectContaining({
          job: 'orphan-monitor',
          account: user.accountId,
          symbol: 'TRXUSDT',
          side: 'long',
          origin: 'manual_trade',
        }),
        value: '1',
      },
    ]);

    // The rule: pending (its `for:` is 1m) with the orphan's labels, the application's severity
    // for a manual trade, and an absolute runbook URL from the external label.
    const [orphan] = await eventually(
      async () => {
        const listed = (await alertsNamed('LegworkOrphanedPosition')).filter((a) => a.labels['account'] === user.accountId);
        return listed.length > 0 ? listed : undefined;
      },
      { what: 'LegworkOrphanedPosition for the manual trade' },
    );
    expect(orphan?.labels).toEqual({
      alertname: 'LegworkOrphanedPosition',
      account: user.accountId,
      symbol: 'TRXUSDT',
      side: 'long',
      origin: 'manual_trade',
      severity: 'warning',
    });
    expect(['pending', 'firing']).toContain(orphan?.state);
    expect(orphan?.annotations).toMatchObject({
      summary: `Untracked long TRXUSDT on account ${user.accountId} (manual_trade)`,
      runbook_url: `${RUNBOOK_BASE_URL}#legworkorphanedposition`,
    });

    // Every group of the production rule files is loaded, and every rule's last evaluation on
    // these real series succeeded (what promtool cannot see: e.g. duplicate label sets, many-to-many matches).
    const expectedGroups: string[] = [];
    for (const file of await legworkRuleFiles()) {
      const { groups } = parse(await fs.readFile(file, 'utf8')) as { groups: { name: string; rules: unknown[] }[] };
      expectedGroups.push(...groups.map((g) => `${g.name}: ${g.rules.length} rules`));
    }
    const loaded = await prom.ruleGroups();
    expect(loaded.map((g) => `${g.name}: ${g.rules.length} rules`).sort()).toEqual(expectedGroups.sort());
    const unhealthy = loaded.flatMap((g) =>
      g.rules
        .filter((r) => r.health !== 'ok' || (r.lastError ?? '') !== '')
        .map((r) => `${g.name}/${r.name}: ${r.health} ${r.lastError ?? ''}`),
    );
    expect(unhealthy).toEqual([]);

    // Both scans succeeded on accounts: LegworkScanMissing goes quiet; every scraped service is up.
    await eventually(async () => ((await alertsNamed('LegworkScanMissing')).length === 0 ? true : undefined), {
      what: 'LegworkScanMissing quiet after the scans',
    });
    // Up, and LegworkServiceDown quiet: one scrape past its 1 s timeout on a loaded machine makes
    // it pending until the next scrape answers (seen in CI); a service really down never gets here.
    const allUp = SCRAPED.map((job) => `${job} 1`).sort();
    await eventually(
      async () => {
        const up = (await prom.query('up')).map((s) => `${s.metric['job']} ${s.value}`).sort();
        return JSON.stringify(up) === JSON.stringify(allUp) && (await alertsNamed('LegworkServiceDown')).length === 0 ? true : undefined;
      },
      { what: `every scraped service up (${allUp.join(', ')}) and LegworkServiceDown quiet` },
    );

    // After its `for:` (1m) it fires and reaches the Alertmanager started above, with the external
    // labels; closing the trade resolves it there.
    expect(await prom.alertmanagers()).toEqual([`${am.url}/api/v2/alerts`]);
    const inAlertmanager = async () =>
      (await am.alerts()).filter((a) => a.labels['alertname'] === 'LegworkOrphanedPosition' && a.labels['account'] === user.accountId);
    const [received] = await eventually(async () => ((await inAlertmanager()).length > 0 ? inAlertmanager() : undefined), {
      what: 'LegworkOrphanedPosition firing in Alertmanager',
      timeoutMs: 80_000,
      intervalMs: 1_000,
    });
    expect(received?.labels).toEqual({
      ...orphan?.labels,
      environment: 'test',
      runbook_base_url: RUNBOOK_BASE_URL,
    });
    expect(received?.annotations['runbook_url']).toBe(`${RUNBOOK_BASE_URL}#legworkorphanedposition`);

    await t.sim.manualTrade({ apiKey: user.apiKey, symbol: 'TRXUSDT', side: 'Sell', qty: '500', reduceOnly: true });
    await t.scan('orphans');
    await eventually(async () => ((await inAlertmanager()).length === 0 ? true : undefined), {
      what: 'LegworkOrphanedPosition resolved in Alertmanager',
      timeoutMs: 20_000,
    });
    expect(await alertsNamed('LegworkOrphanedPosition')).toEqual([]);
  });
});
