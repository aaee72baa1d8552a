import 'reflect-metadata';
import { runScanService } from '@legwork/scanning';

/**
 * The orphan-monitor: on its cron schedule, one job per account (deduplicated across replicas), shared
 * through a work-queue consumer; finds exposure no tracked position explains, confirms it over consecutive scans, alerts once, resolves. Never trades.
 */
runScanService('orphan-monitor').catch((error: unknown) => {
  process.stderr.write(`orphan-monitor failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
