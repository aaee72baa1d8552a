import { randomUUID } from 'node:crypto';
import { AlertMessage, OutboxMessage } from './envelope';
import { busNames } from './subjects';

export interface AlertInput {
  /** Dotted kind, also the subject suffix: `alerts.<kind>` (e.g. `rollback.side_mismatch`). */
  kind: string;
  severity: AlertMessage['severity'];
  /** One self-explanatory sentence for an on-call engineer who reads nothing else. */
  summary: string;
  positionId: string | null;
  accountId: string | null;
  details?: Record<string, unknown>;
  /** Makes the alert's msg id deterministic, so a retried transaction does not alert twice. */
  dedupeKey?: string;
}

/** Builds alert messages for the outbox (committed with the state change they report). */
export class AlertFactory {
  constructor(private readonly namespace: string) {}

  build(input: AlertInput): OutboxMessage {
    const alertId = input.dedupeKey ? `${input.kind}:${input.dedupeKey}` : randomUUID();
    const message: AlertMessage = {
      schemaVersion: 1,
      type: 'Alert',
      alertId,
      kind: input.kind,
      severity: input.severity,
      summary: input.summary,
      positionId: input.positionId,
      accountId: input.accountId,
      details: input.details ?? {},
      occurredAt: new Date().toISOString(),
    };
    return { msgId: alertId, subject: busNames(this.namespace).alertSubject(input.kind), payload: message };
  }
}
