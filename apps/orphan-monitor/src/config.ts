import { z } from 'zod';
import { msList, parseEnv, positiveInt } from '@legwork/observability';
import type { AlertDispatchSettings } from './dispatch-alerts/dispatch-alert.use-case';

/**
 * The orphan monitor's own settings, beyond the scan host's (`loadScanServiceConfig`,
 * libs/scanning): where alerts go. An empty variable counts as unset.
 */
const schema = z.object({
  /** Alertmanager to post application alerts to (`http://alertmanager:9093`); unset: no dispatcher. */
  ALERTMANAGER_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional()),
  /** The URL of docs/operations.md, base of every alert's `runbook_url` (Prometheus' `runbook_base_url` external label: the same value). */
  RUNBOOK_BASE_URL: z.preprocess((v) => (v === '' ? undefined : v), z.string().url().optional()),
  ALERTMANAGER_TIMEOUT_MS: positiveInt.default(5_000),
  ALERTMANAGER_REFRESH_MS: positiveInt.default(60_000),
  ALERTMANAGER_EVENT_TTL_MS: positiveInt.default(3_600_000),
  /** Redelivery delays of a post Alertmanager did not take; the last one repeats for as long as it takes. */
  ALERTMANAGER_RETRY_DELAYS_MS: msList.default([1_000, 5_000, 30_000, 60_000]),
});

export interface AlertDispatchConfig {
  /** Null: the dispatcher is off. */
  alertmanagerUrl: string | null;
  timeoutMs: number;
  retryDelaysMs: number[];
  settings: AlertDispatchSettings;
}

/**
 * Reads the dispatcher's configuration once. A firing alert's TTL is 4 refresh periods (three
 * missed refreshes before it lapses). @throws Error listing every bad variable.
 */
export function loadAlertDispatchConfig(env: NodeJS.ProcessEnv = process.env): AlertDispatchConfig {
  const parsed = parseEnv(schema, env);
  return {
    alertmanagerUrl: parsed.ALERTMANAGER_URL ?? null,
    timeoutMs: parsed.ALERTMANAGER_TIMEOUT_MS,
    retryDelaysMs: parsed.ALERTMANAGER_RETRY_DELAYS_MS,
    settings: {
      runbookBaseUrl: parsed.RUNBOOK_BASE_URL ?? 'docs/operations.md',
      refreshMs: parsed.ALERTMANAGER_REFRESH_MS,
      firingTtlMs: 4 * parsed.ALERTMANAGER_REFRESH_MS,
      eventTtlMs: parsed.ALERTMANAGER_EVENT_TTL_MS,
    },
  };
}
