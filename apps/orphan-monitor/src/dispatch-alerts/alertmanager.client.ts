import type { AlertmanagerAlert } from './alertmanager-alert';

/** Alertmanager did not take the alerts (down, timed out, 5xx, 429): worth retrying. */
export class AlertmanagerUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlertmanagerUnavailableError';
  }
}

/** Alertmanager refused the alerts as invalid (4xx other than 429): the same post would be refused again. */
export class AlertmanagerRefusedError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AlertmanagerRefusedError';
  }
}

/**
 * Posts alerts to one Alertmanager's API v2 (`POST <url>/api/v2/alerts`, 200 on success; see
 * https://prometheus.io/docs/alerting/latest/clients/). For several Alertmanager replicas, post to
 * each (as Prometheus does) by giving each its own client; a clustered pair gossips alerts anyway.
 */
export class AlertmanagerClient {
  /**
   * @param baseUrl e.g. `http://alertmanager:9093` (no trailing `/api/...`)
   * @param timeoutMs how long one post may take before it counts as unavailable
   */
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  /**
   * @throws AlertmanagerUnavailableError on a network error, a timeout, 429 or 5xx
   * @throws AlertmanagerRefusedError on any other non-2xx answer (its body in the message)
   */
  async post(alerts: readonly AlertmanagerAlert[]): Promise<void> {
    if (alerts.length === 0) return;
    let response: Response;
    try {
      response = await fetch(new URL('/api/v2/alerts', this.baseUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new AlertmanagerUnavailableError(`POST ${this.baseUrl}/api/v2/alerts failed: ${(error as Error).message}`);
    }
    if (response.ok) {
      await response.body?.cancel();
      return;
    }
    const body = (await response.text().catch(() => '')).slice(0, 300);
    const message = `Alertmanager answered ${response.status} to POST /api/v2/alerts: ${body}`;
    if (response.status === 429 || response.status >= 500) throw new AlertmanagerUnavailableError(message);
    throw new AlertmanagerRefusedError(response.status, message);
  }
}
