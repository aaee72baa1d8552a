import type { Logger } from 'pino';
import type { AlertPair, AlertRecord, AlertRepository, AlertSubjectKey } from '@legwork/persistence';
import { AlertmanagerAlert, alertRole, ApplicationAlert, RESOLVABLE_PAIRS, toAlertmanagerAlert } from './alertmanager-alert';
import type { AlertmanagerClient } from './alertmanager.client';

/** How application alerts live in Alertmanager. Durations in milliseconds. */
export interface AlertDispatchSettings {
  /** Base of every `runbook_url` (the URL of docs/operations.md; relative `docs/operations.md` when unset). */
  runbookBaseUrl: string;
  /**
   * A firing alert the application resolves (an orphan, an ALTERED position) is posted ending
   * this long from now, and re-posted from the database every `refreshMs` while it fires: it
   * never lapses through Alertmanager's `resolve_timeout`, survives an Alertmanager restart
   * (which forgets alerts), and one whose resolution raced ahead of it ends by itself.
   */
  firingTtlMs: number;
  refreshMs: number;
  /** A one-off event (a partial fill, a poison message…) ends this long after it is posted. */
  eventTtlMs: number;
}

export type DispatchOutcome = 'fired' | 'resolved' | 'nothing-to-resolve' | 'fired-again-since';

/**
 * Posts one application alert to Alertmanager: a firing kind or a one-off event as itself; a
 * resolution kind (`orphan.resolved`, `position.in_sync`) as the newest firing alert of the same
 * subject from the `alerts` table, with `endsAt` now (Alertmanager matches it by its labels).
 * Idempotent: a redelivery posts the same labels again. Throws what the client throws (the
 * caller retries); never swallows a failed post.
 */
export class DispatchAlertUseCase {
  constructor(
    private readonly alerts: AlertRepository,
    private readonly alertmanager: AlertmanagerClient,
    private readonly settings: AlertDispatchSettings,
    private readonly log: Logger,
  ) {}

  async execute(alert: ApplicationAlert, now = new Date()): Promise<DispatchOutcome> {
    const role = alertRole(alert.kind);
    if (role.role !== 'resolution') {
      const ttl = role.role === 'firing' ? this.settings.firingTtlMs : this.settings.eventTtlMs;
      await this.post(toAlertmanagerAlert(alert, this.settings.runbookBaseUrl, new Date(now.getTime() + ttl)), alert, 'fired');
      return 'fired';
    }
    const subject = subjectOf(alert, role.pair);
    if (!subject) return 'nothing-to-resolve';
    const [newest] = await this.alerts.latestPerSubject(role.pair, subject);
    // The subject fired again after this resolution (a late redelivery): that alert stands.
    if (newest?.kind === role.pair.firing) return 'fired-again-since';
    const [firing] = await this.alerts.latestPerSubject(role.pair, subject, 'firing');
    if (!firing) return 'nothing-to-resolve';
    await this.post(toAlertmanagerAlert(fromRecord(firing), this.settings.runbookBaseUrl, now), alert, 'resolved');
    return 'resolved';
  }

  /** Re-posts every alert still firing per the database (newest alert of its subject is the firing kind). @returns how many */
  async refresh(now = new Date()): Promise<number> {
    const endsAt = new Date(now.getTime() + this.settings.firingTtlMs);
    const firing: AlertmanagerAlert[] = [];
    for (const pair of RESOLVABLE_PAIRS)
      for (const record of await this.alerts.latestPerSubject(pair))
        if (record.kind === pair.firing) firing.push(toAlertmanagerAlert(fromRecord(record), this.settings.runbookBaseUrl, endsAt));
    await this.alertmanager.post(firing);
    return firing.length;
  }

  private async post(posted: AlertmanagerAlert, cause: ApplicationAlert, outcome: DispatchOutcome): Promise<void> {
    await this.alertmanager.post([posted]);
    this.log.info(
      { alertId: cause.id, kind: cause.kind, labels: posted.labels, endsAt: posted.endsAt, outcome },
      outcome === 'resolved' ? 'alert resolved in Alertmanager' : 'alert posted to Alertmanager',
    );
  }
}

function subjectOf(alert: ApplicationAlert, pair: AlertPair): AlertSubjectKey | null {
  if (pair.subject === 'position') return alert.positionId ? { positionId: alert.positionId } : null;
  const symbol = alert.details['symbol'];
  const hedgeSide = alert.details['hedgeSide'];
  if (!alert.accountId || typeof symbol !== 'string') return null;
  return { accountId: alert.accountId, symbol, hedgeSide: typeof hedgeSide === 'string' ? hedgeSide : null };
}

function fromRecord(r: AlertRecord): ApplicationAlert {
  const { id, kind, severity, summary, positionId, accountId, details, occurredAt } = r;
  return { id, kind, severity, summary, positionId, accountId, details, occurredAt };
}
