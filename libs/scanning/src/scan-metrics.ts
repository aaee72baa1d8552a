import { counter, gauge, histogram, Registry } from '@legwork/observability';

/**
 * Metrics of the reconciler and the orphan monitor. The label is `scan` (reconcile | orphans),
 * not `job`: `job` belongs to the Prometheus scrape job.
 */
export class ScanMetrics {
  readonly duration;
  readonly lastSuccess;
  readonly accounts;
  readonly altered;
  readonly orphaned;
  readonly alerts;
  readonly keyRefused;
  readonly scheduled;

  constructor(registry: Registry) {
    this.duration = histogram(
      registry,
      'scan_duration_seconds',
      'Time to scan one account',
      ['scan'],
      [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    );
    this.lastSuccess = gauge(registry, 'scan_last_success_timestamp_seconds', 'Unix time of the last account scan that succeeded', [
      'scan',
    ]);
    this.accounts = counter(registry, 'accounts_scanned_total', 'Account scans by outcome (ok, failed, skipped: API key refused)', [
      'scan',
      'outcome',
    ]);
    this.altered = gauge(registry, 'positions_altered', 'Positions whose legs differ from the exchange (health ALTERED)');
    // Labelled per orphan (orphans are rare: the cardinality is the handful confirmed right now), so
    // LegworkOrphanedPosition names the account, symbol, side and origin.
    this.orphaned = gauge(registry, 'orphaned_positions', 'Confirmed orphaned exchange positions, by account, symbol, side and origin', [
      'account',
      'symbol',
      'side',
      'origin',
    ]);
    this.alerts = counter(registry, 'alerts_published_total', 'Alerts raised by scans, by kind', ['kind']);
    this.scheduled = gauge(
      registry,
      'scan_accounts_scheduled',
      'Accounts this process scheduled a scan job for in its latest window (0: nothing to scan)',
      ['scan'],
    );
    this.keyRefused = gauge(
      registry,
      'exchange_accounts_key_refused',
      'Exchange accounts whose API key the exchange refused (not scanned until the key is rotated)',
    );
  }

  /** Starts this service's series at 0, so the first failure is an increase alerts can see. */
  initialise(scan: 'reconcile' | 'orphans'): void {
    this.accounts.inc({ scan, outcome: 'ok' }, 0);
    this.accounts.inc({ scan, outcome: 'failed' }, 0);
    this.accounts.inc({ scan, outcome: 'skipped' }, 0);
  }
}
