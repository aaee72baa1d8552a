import type { AlertPair } from '@legwork/persistence';

/**
 * One alert as Alertmanager's API v2 takes it (`POST /api/v2/alerts`, body: an array of these;
 * https://github.com/prometheus/alertmanager/blob/main/api/v2/openapi.yaml `postableAlert`).
 * Alertmanager identifies an alert by its whole label set: posting the same labels again updates
 * that alert (its annotations, its `endsAt`) instead of adding one.
 */
export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** RFC 3339. */
  startsAt: string;
  /** RFC 3339; in the past = resolved. */
  endsAt: string;
}

/** An application alert, from the ALERTS stream or the `alerts` table. */
export interface ApplicationAlert {
  id: string;
  kind: string;
  severity: 'info' | 'warning' | 'critical';
  summary: string;
  positionId: string | null;
  accountId: string | null;
  details: Record<string, unknown>;
  occurredAt: Date;
}

/**
 * The alert kinds the application itself resolves, each with the kind that resolves it and what
 * both are about. Every other kind is a one-off event (a partial fill, a poison message…): it
 * fires once and ends after the event TTL.
 */
export const RESOLVABLE_PAIRS: readonly AlertPair[] = [
  { firing: 'orphan.detected', resolution: 'orphan.resolved', subject: 'orphan_slot' },
  { firing: 'position.altered', resolution: 'position.in_sync', subject: 'position' },
];

/** What an alert kind does in Alertmanager: fires until resolved, resolves another, or fires once. */
export type AlertRole = { role: 'firing'; pair: AlertPair } | { role: 'resolution'; pair: AlertPair } | { role: 'event' };

/** The role of `kind` (see {@link RESOLVABLE_PAIRS}). */
export function alertRole(kind: string): AlertRole {
  for (const pair of RESOLVABLE_PAIRS) {
    if (pair.firing === kind) return { role: 'firing', pair };
    if (pair.resolution === kind) return { role: 'resolution', pair };
  }
  return { role: 'event' };
}

/** `orphan.detected` → `LegworkOrphanDetected`, `close.retries_exhausted` → `LegworkCloseRetriesExhausted`. */
export function alertName(kind: string): string {
  return `Legwork${kind
    .split(/[._]/)
    .filter((word) => word.length > 0)
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join('')}`;
}

/** Kinds with their own section in docs/operations.md; the others share "Application alerts". */
const OWN_RUNBOOK_SECTION = new Set(['orphan.detected', 'position.altered']);

/** `<base>#<section>`: the runbook section of `kind` (base: absolute from configuration, or relative `docs/operations.md`). */
export function runbookUrl(kind: string, runbookBaseUrl: string): string {
  return `${runbookBaseUrl}#${OWN_RUNBOOK_SECTION.has(kind) ? alertName(kind).toLowerCase() : 'application-alerts'}`;
}

/**
 * `alert` as Alertmanager's alert: labels `alertname`, `kind`, `severity` and, when the alert has
 * them, `account`, `position`, and from its details `symbol`, `side`, `origin` (an orphan's); annotations
 * `summary` (the application's sentence: size, prices, P&L), `runbook_url`, `alert_id`.
 * @param endsAt when Alertmanager considers it resolved (never before `startsAt`: Alertmanager
 *   refuses such an alert with 400)
 */
export function toAlertmanagerAlert(alert: ApplicationAlert, runbookBaseUrl: string, endsAt: Date): AlertmanagerAlert {
  const labels: Record<string, string> = { alertname: alertName(alert.kind), kind: alert.kind, severity: alert.severity };
  if (alert.accountId) labels['account'] = alert.accountId;
  if (alert.positionId) labels['position'] = alert.positionId;
  for (const [label, key] of [
    ['symbol', 'symbol'],
    ['side', 'side'],
    ['origin', 'origin'],
  ] as const) {
    const value = alert.details[key];
    if (typeof value === 'string' && value.length > 0) labels[label] = value;
  }
  const startsAt = alert.occurredAt;
  return {
    labels,
    annotations: { summary: alert.summary, runbook_url: runbookUrl(alert.kind, runbookBaseUrl), alert_id: alert.id },
    startsAt: startsAt.toISOString(),
    endsAt: new Date(Math.max(endsAt.getTime(), startsAt.getTime() + 1)).toISOString(),
  };
}
