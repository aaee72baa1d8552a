import 'reflect-metadata';
import { runScanService } from '@legwork/scanning';
import { OrphanMonitorModule } from './orphan-monitor.module';
import { scanOrphansNow } from './scan-orphans/scan-orphans-now.command';

/**
 * The orphan-monitor: on its cron schedule, one job per account (deduplicated across replicas), shared
 * through a work-queue consumer; finds exposure no tracked position explains, confirms it over consecutive scans, alerts once, resolves. Never trades.
 * Also runs operators' on-demand scans (requested through the gateway). The use case: scan-orphans/;
 * the schedule and job host: libs/scanning.
 *
 * `main.js scan [--account ID]` instead scans once in this process and prints the report as JSON
 * (the operator CLI's `orphans:scan`; see scan-orphans-now.command.ts).
 */
if (process.argv[2] === 'scan') {
  scanOrphansNow(process.argv.slice(3)).then(
    (report) => process.stdout.write(`${JSON.stringify(report)}\n`),
    (error: unknown) => {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
} else {
  runScanService('orphan-monitor', OrphanMonitorModule).catch((error: unknown) => {
    process.stderr.write(`orphan-monitor failed to start: ${(error as Error).message}\n`);
    process.exit(1);
  });
}
