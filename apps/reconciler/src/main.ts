import 'reflect-metadata';
import { runScanService } from '@legwork/scanning';
import { ReconcilerModule } from './reconciler.module';

/**
 * The reconciler: on its cron schedule, one job per account (deduplicated across replicas), shared
 * through a work-queue consumer; compares exchange positions with the exposure positions expect, flags ALTERED with per-leg detail, records P&L, settles unknown legs. Never trades.
 * The use case: reconcile-account/; the schedule and job host: libs/scanning.
 */
runScanService('reconciler', ReconcilerModule).catch((error: unknown) => {
  process.stderr.write(`reconciler failed to start: ${(error as Error).message}\n`);
  process.exit(1);
});
