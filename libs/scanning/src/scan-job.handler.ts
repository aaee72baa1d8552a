import type { Logger } from 'pino';
import { ExchangeRequestRefusedError, ExchangeUnavailableError } from '@legwork/exchange';
import { decodeScanJob, DeliveryContext, Disposition, ScanJobKind } from '@legwork/messaging';
import type { ScanRepository } from '@legwork/persistence';
import type { ScanMetrics } from './scan-metrics';

/** A symbol and the drift cause the stream named for it (`DriftCause` of libs/exchange, as the job carried it). */
export interface ScanCause {
  symbol: string;
  cause: string;
}

/**
 * One verdict a scan changed (an orphan suspected, confirmed, resolved or dropped; a position
 * turned ALTERED or back IN_SYNC), logged by the job host as one line: `message`, at `level`, with
 * `fields` (ids, symbol, side, sizes) besides the job, account and window.
 */
export interface ScanVerdict {
  level: 'info' | 'warn';
  message: string;
  fields: Record<string, unknown>;
}

/**
 * Runs one account's scan; throws when the exchange could not be read (nothing is changed).
 * `skipped`: the account was not scanned because the exchange refused its API key
 * (`newlyRefused`: this scan saw the refusal first, marked the account and alerted its owner).
 */
export type AccountScan = (
  accountId: string,
  at: Date,
  window: Date,
  /** Per symbol, why the exchange moved it, when the job was asked for by the stream ([] for a scheduled job). */
  causes: readonly ScanCause[],
) => Promise<{ alerts: { payload: Record<string, unknown> }[]; verdicts?: ScanVerdict[] } | { skipped: string; newlyRefused: boolean }>;

/**
 * Thin transport for scan jobs (served by ScanJobsController): decode, run the account's scan
 * once per window (scan_runs), ack, or redeliver on the retry schedule when the exchange could not
 * be read — a failed read is a failed scan, never "flat". Any other error is thrown: the JetStream
 * server retries it by delivery count.
 */
export class ScanJobHandler {
  constructor(
    private readonly job: ScanJobKind,
    private readonly scans: ScanRepository,
    private readonly scan: AccountScan,
    private readonly metrics: ScanMetrics,
    private readonly afterScan: () => Promise<void>,
    private readonly log: Logger,
  ) {}

  async handle(data: Uint8Array, delivery: DeliveryContext): Promise<Disposition> {
    const decoded = decodeScanJob(data);
    if (!decoded.ok) return { kind: 'term', reason: `undecodable scan job: ${decoded.reason}` };
    const { accountId, windowStart, causes } = decoded.job;
    const window = new Date(windowStart);
    if ((await this.scans.beginRun(this.job, accountId, window)) === null) {
      this.log.info({ job: this.job, accountId, windowStart }, 'scan already done for this window; duplicate discarded');
      return { kind: 'ack' };
    }
    const stop = this.metrics.duration.startTimer({ scan: this.job });
    try {
      const result = await this.scan(accountId, new Date(), window, causes ?? []);
      if ('skipped' in result) {
        await this.scans.skipRun(this.job, accountId, window, result.skipped);
        this.metrics.accounts.inc({ scan: this.job, outcome: 'skipped' });
        if (result.newlyRefused) this.metrics.alerts.inc({ kind: 'account.key_refused' });
        this.log[result.newlyRefused ? 'warn' : 'info'](
          { job: this.job, accountId, windowStart, reason: result.skipped },
          'account not scanned: API key refused',
        );
        await this.afterScan();
        return { kind: 'ack' };
      }
      await this.scans.finishRun(this.job, accountId, window, null);
      this.metrics.accounts.inc({ scan: this.job, outcome: 'ok' });
      this.metrics.lastSuccess.set({ scan: this.job }, Date.now() / 1000);
      for (const alert of result.alerts) this.metrics.alerts.inc({ kind: String(alert.payload['kind']) });
      for (const v of result.verdicts ?? []) this.log[v.level]({ job: this.job, accountId, windowStart, ...v.fields }, v.message);
      await this.afterScan();
      return { kind: 'ack' };
    } catch (error) {
      const reason = (error as Error).message;
      await this.scans.finishRun(this.job, accountId, window, reason);
      this.metrics.accounts.inc({ scan: this.job, outcome: 'failed' });
      this.log.warn({ job: this.job, accountId, windowStart, delivery: delivery.deliveryCount, reason }, 'account scan failed');
      if (error instanceof ExchangeUnavailableError || error instanceof ExchangeRequestRefusedError) return { kind: 'retry', reason };
      throw error;
    } finally {
      stop();
    }
  }

  async onRetriesExhausted(subject: string, reason: string): Promise<void> {
    this.log.error({ job: this.job, subject, reason }, 'account scan gave up for this window; the next window will try again');
  }

  async onTerminated(subject: string, reason: string): Promise<void> {
    this.log.error({ job: this.job, subject, reason }, 'poison scan job removed');
  }
}
