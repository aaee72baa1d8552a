/**
 * The front door of the BullMQ configuration of the command-to-ACTIVE benchmark: what a Node team
 * on BullMQ would write in place of the gateway and its outbox. The bare accept route
 * (bench/accept-route.ts: the gateway's token lookup, checks and one transaction writing the
 * `PENDING` position and its status change) then, after the commit and before answering 202,
 * `queue.add` with `jobId = commandId` (BullMQ's dedupe) and Legwork's retry settings
 * (bench/bullmq-queue.ts).
 *
 * No outbox: the usual BullMQ pattern is "commit, then add". It is one insert and one update per
 * request cheaper than Legwork's accept path, and weaker: a crash (or a Redis outage) between
 * the commit and the add leaves a `PENDING` position that no job will ever execute — the gap the
 * gateway's outbox closes. Started by bench/command-to-active.ts.
 */
import { Queue } from 'bullmq';
import { Pool } from 'pg';
import { serveAcceptRoute } from './accept-route';
import { bullmqSettingsFromEnv, openPositionJobOptions } from './bullmq-queue';

async function main(): Promise<void> {
  const settings = bullmqSettingsFromEnv(process.env);
  const pool = new Pool({ connectionString: process.env['DATABASE_URL'], max: 10 });
  const queue = new Queue(settings.queueName, { connection: settings.connection, prefix: settings.prefix });
  await queue.waitUntilReady();
  await serveAcceptRoute(pool, Number(process.env['ACCEPT_PORT']), {
    beforeAnswer: ({ commandId, command }) => queue.add(command.type, command, openPositionJobOptions(settings, commandId)),
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`bullmq accept server failed: ${(error as Error).message}\n`);
  process.exit(1);
});
