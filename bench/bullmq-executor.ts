/**
 * The BullMQ configuration of the command-to-ACTIVE benchmark: a BullMQ Worker taking the
 * OpenPosition jobs that bench/bullmq-accept-server.ts adds, and doing for each exactly what the
 * floor does (bench/basket-work.ts: the executor's database writes and exchange calls), at the
 * floor's concurrency (CONCURRENCY). Retry settings are Legwork's (bench/bullmq-queue.ts): a
 * failed job is retried after each delay of RETRY_DELAYS_MS, a malformed one is failed at once
 * (UnrecoverableError, as the executor terms a poison message). Started by
 * bench/command-to-active.ts, which waits for its `ready` line; SIGTERM closes the worker
 * (in-flight jobs finish first).
 */
import { UnrecoverableError, Worker } from 'bullmq';
import { OpenPositionCommand } from '@legwork/messaging';
import { createBasketWork } from './basket-work';
import { bullmqSettingsFromEnv, retryScheduleBackoff } from './bullmq-queue';

async function main(): Promise<void> {
  const settings = bullmqSettingsFromEnv(process.env);
  const work = createBasketWork({
    databaseUrl: process.env['DATABASE_URL'] as string,
    simUrl: process.env['BYBIT_SIM_URL'] as string,
    name: 'bullmq',
  });
  const worker = new Worker(
    settings.queueName,
    async (job) => {
      const parsed = OpenPositionCommand.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`not an OpenPosition command: ${parsed.error.message}`);
      await work.execute(parsed.data.positionId);
    },
    {
      connection: settings.connection,
      prefix: settings.prefix,
      concurrency: Number(process.env['CONCURRENCY']),
      lockDuration: 30_000, // Legwork's ack wait; the lock is renewed while the job runs, as the executor's heartbeat
      maxStalledCount: settings.crashRedeliveries,
      settings: { backoffStrategy: retryScheduleBackoff(settings.retryDelaysMs) },
    },
  );
  worker.on('failed', (job, error) =>
    process.stderr.write(`bullmq: job ${job?.id ?? '?'} attempt ${job?.attemptsMade ?? '?'} failed: ${error.message}\n`),
  );
  worker.on('error', (error) => process.stderr.write(`bullmq: ${error.message}\n`));
  process.once('SIGTERM', () => {
    void worker
      .close()
      .then(() => work.close())
      .finally(() => process.exit(0));
  });
  await worker.waitUntilReady();
  process.stdout.write('ready\n'); // the driver starts the clock only after this line
}

main().catch((error: unknown) => {
  process.stderr.write(`bullmq executor failed: ${(error as Error).message}\n`);
  process.exit(1);
});
