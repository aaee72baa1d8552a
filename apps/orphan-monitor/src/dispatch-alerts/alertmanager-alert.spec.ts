import { alertName, alertRole, ApplicationAlert, runbookUrl, toAlertmanagerAlert } from './alertmanager-alert';

const detected: ApplicationAlert = {
  id: 'orphan.detected:a:TRXUSDT:t',
  kind: 'orphan.detected',
  severity: 'warning',
  summary: 'Untracked long 500 TRXUSDT on account a …',
  positionId: null,
  accountId: '5b0c2c55-8d7e-4c0e-9a57-1f6f9b1e2a10',
  details: { symbol: 'TRXUSDT', side: 'long', size: '500', origin: 'manual_trade', hedgeSide: null, entryPrice: '0.1' },
  occurredAt: new Date('2026-11-29T10:00:00.000Z'),
};

describe('application alert → Alertmanager alert', () => {
  it('names the alert after its kind', () => {
    expect(alertName('orphan.detected')).toBe('LegworkOrphanDetected');
    expect(alertName('close.retries_exhausted')).toBe('LegworkCloseRetriesExhausted');
  });

  it('knows which kinds fire until resolved, which resolve, and which are one-off events', () => {
    expect(alertRole('orphan.detected')).toMatchObject({ role: 'firing', pair: { resolution: 'orphan.resolved' } });
    expect(alertRole('position.in_sync')).toMatchObject({ role: 'resolution', pair: { firing: 'position.altered' } });
    expect(alertRole('execution.partial_fill')).toEqual({ role: 'event' });
  });

  it('labels an orphan with account, symbol, side and origin; the summary and an absolute runbook URL as annotations', () => {
    const posted = toAlertmanagerAlert(detected, 'https://runbooks.example/ops.md', new Date('2026-11-29T10:04:00.000Z'));
    expect(posted).toEqual({
      labels: {
        alertname: 'LegworkOrphanDetected',
        kind: 'orphan.detected',
        severity: 'warning',
        account: detected.accountId,
        symbol: 'TRXUSDT',
        side: 'long',
        origin: 'manual_trade',
      },
      annotations: {
        summary: detected.summary,
        runbook_url: 'https://runbooks.example/ops.md#legworkorphandetected',
        alert_id: detected.id,
      },
      startsAt: '2026-11-29T10:00:00.000Z',
      endsAt: '2026-11-29T10:04:00.000Z',
    });
  });

  it('labels a position alert with its position; no label for a detail it lacks', () => {
    const altered = {
      ...detected,
      kind: 'position.altered',
      positionId: '0d7f3c1e-1111-4a4a-8b8b-222233334444',
      details: { deviations: [] },
    };
    expect(toAlertmanagerAlert(altered, 'docs/operations.md', new Date('2026-11-29T11:00:00.000Z')).labels).toEqual({
      alertname: 'LegworkPositionAltered',
      kind: 'position.altered',
      severity: 'warning',
      account: detected.accountId,
      position: altered.positionId,
    });
  });

  it('never ends an alert before it starts (Alertmanager refuses that with 400)', () => {
    const posted = toAlertmanagerAlert(detected, 'docs/operations.md', new Date('2026-11-29T09:00:00.000Z'));
    expect(posted.endsAt).toBe('2026-11-29T10:00:00.001Z');
  });

  it('sends kinds without their own runbook section to the shared one', () => {
    expect(runbookUrl('execution.partial_fill', 'docs/operations.md')).toBe('docs/operations.md#application-alerts');
    expect(runbookUrl('position.altered', 'https://x/ops.md')).toBe('https://x/ops.md#legworkpositionaltered');
  });
});
