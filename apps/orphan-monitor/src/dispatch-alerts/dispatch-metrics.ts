import { counter, gauge, Registry } from '@legwork/observability';

/** What became of one alert from the stream (the `outcome` label of `alert_dispatch_total`). */
export type DispatchMetricOutcome =
  'fired' | 'resolved' | 'nothing_to_resolve' | 'fired_again_since' | 'unavailable' | 'refused' | 'undecodable';

/** The alert dispatcher's metrics (docs/metrics.md, "Alert dispatcher"). */
export class DispatchMetrics {
  /** Alerts from the ALERTS stream handled, by outcome; `unavailable` counts each failed post (redelivered later). */
  readonly dispatched;
  /** Refreshes of the firing alerts, by outcome (`ok`, `failed`). */
  readonly refreshes;
  /** Firing alerts (orphans, ALTERED positions) re-posted by the latest successful refresh. */
  readonly firing;

  constructor(registry: Registry) {
    this.dispatched = counter(registry, 'alert_dispatch_total', 'Application alerts handled by the Alertmanager dispatcher', ['outcome']);
    this.refreshes = counter(registry, 'alert_refresh_total', 'Re-posts of the firing application alerts to Alertmanager', ['outcome']);
    this.firing = gauge(registry, 'alert_refresh_firing', 'Firing application alerts re-posted by the latest successful refresh');
  }
}
