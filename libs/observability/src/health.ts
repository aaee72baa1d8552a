/** A named readiness check (database reachable, bus connected, …): resolves when it passes, rejects with why not. */
export type HealthCheck = () => Promise<void>;

/**
 * What a failing check means for readiness: `required` (the service cannot do its work: not ready)
 * or `degraded` (it still serves, with the consequence named in `detail`, e.g. "commands queue in
 * the outbox").
 */
export type HealthCheckImpact = { kind: 'required' } | { kind: 'degraded'; detail: string };

/**
 * A readiness report. `checks` maps each check's name to `ok`, its error message (a required check
 * failing) or `degraded, <detail> (<error message>)` (a degraded check failing).
 * `status`: `ok` when every check passes, `degraded` when only degraded checks fail (still ready),
 * `unavailable` when a required check fails (not ready).
 */
export interface HealthReport {
  status: 'ok' | 'degraded' | 'unavailable';
  checks: Record<string, 'ok' | string>;
}

/**
 * Collects the checks of a service's dependencies for its readiness (`/health/ready`, `/health`).
 * Liveness (`/health/live`) checks none of them. The report names each check and its error
 * message only: no user data, no secrets.
 */
export class HealthRegistry {
  private readonly checks = new Map<string, { check: HealthCheck; impact: HealthCheckImpact }>();

  /** Adds a check; a `required` one (the default) makes the service unready when it fails. */
  register(name: string, check: HealthCheck, impact: HealthCheckImpact = { kind: 'required' }): void {
    this.checks.set(name, { check, impact });
  }

  /** Runs every check at once, each bounded by `timeoutMs` (a check still pending then counts as failed). */
  async report(timeoutMs = 2000): Promise<HealthReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, { check, impact }]) => {
        try {
          await Promise.race([
            check(),
            new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs).unref()),
          ]);
          return { name, result: 'ok', failed: null };
        } catch (error) {
          const message = (error as Error).message;
          return impact.kind === 'required'
            ? { name, result: message, failed: 'required' as const }
            : { name, result: `degraded, ${impact.detail} (${message})`, failed: 'degraded' as const };
        }
      }),
    );
    const checks = Object.fromEntries(entries.map((e) => [e.name, e.result]));
    const status = entries.some((e) => e.failed === 'required') ? 'unavailable' : entries.some((e) => e.failed) ? 'degraded' : 'ok';
    return { status, checks };
  }
}
