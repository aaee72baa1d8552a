/**
 * The BullMQ side of the command-to-ACTIVE benchmark, as one place for what its accept server
 * (bench/bullmq-accept-server.ts), its worker (bench/bullmq-executor.ts) and the driver
 * (bench/command-to-active.ts) must agree on: where the queue is and the retry settings.
 *
 * The retry settings are Legwork's, translated: the executor retries a failed command after each
 * delay of RETRY_DELAYS_MS and then gives up (JetStream `nak(delay)`), so a job has
 * `attempts = delays + 1` and a custom backoff returning the same delays; a crashed holder is
 * covered by the lock (30 s, Legwork's ack wait) and up to CRASH_REDELIVERIES stalled
 * recoveries. A completed job is kept 120 s, the commands stream's duplicate window, so
 * `jobId = commandId` deduplicates a re-sent command for as long as `Nats-Msg-Id` does.
 */
import type { BackoffStrategy, ConnectionOptions, JobsOptions } from 'bullmq';

/** Where one benchmark configuration's queue lives and how its jobs are retried. */
export interface BullmqSettings {
  connection: ConnectionOptions;
  /** Redis key prefix, unique to a benchmark run (every key of the run starts with it). */
  prefix: string;
  queueName: string;
  retryDelaysMs: number[];
  crashRedeliveries: number;
}

/** The name of the custom backoff type (resolved by `retryScheduleBackoff` in the worker). */
export const RETRY_SCHEDULE_BACKOFF = 'legwork-retry-schedule';

/** The environment that carries `BullmqSettings` to a child process. */
export function bullmqEnv(s: BullmqSettings & { redisUrl: string }): Record<string, string> {
  return {
    REDIS_URL: s.redisUrl,
    BULLMQ_PREFIX: s.prefix,
    BULLMQ_QUEUE: s.queueName,
    RETRY_DELAYS_MS: s.retryDelaysMs.join(','),
    CRASH_REDELIVERIES: String(s.crashRedeliveries),
  };
}

/** Reads what `bullmqEnv` wrote. @throws Error naming the first missing or malformed variable */
export function bullmqSettingsFromEnv(env: NodeJS.ProcessEnv): BullmqSettings {
  const need = (name: string) => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set`);
    return value;
  };
  const retryDelaysMs = need('RETRY_DELAYS_MS').split(',').map(Number);
  const crashRedeliveries = Number(need('CRASH_REDELIVERIES'));
  if (retryDelaysMs.some((ms) => !Number.isInteger(ms) || ms < 0)) throw new Error('RETRY_DELAYS_MS must be a list of whole milliseconds');
  if (!Number.isInteger(crashRedeliveries) || crashRedeliveries < 0) throw new Error('CRASH_REDELIVERIES must be a whole number');
  return {
    connection: redisConnection(need('REDIS_URL')),
    prefix: need('BULLMQ_PREFIX'),
    queueName: need('BULLMQ_QUEUE'),
    retryDelaysMs,
    crashRedeliveries,
  };
}

/** ioredis options for `redis://host:port`; `maxRetriesPerRequest: null` is what BullMQ workers require. */
export function redisConnection(redisUrl: string): ConnectionOptions {
  const url = new URL(redisUrl);
  return { host: url.hostname, port: Number(url.port || 6379), maxRetriesPerRequest: null };
}

/** The options of one OpenPosition job: deduplicated by command id, retried on Legwork's schedule. */
export function openPositionJobOptions(settings: BullmqSettings, commandId: string): JobsOptions {
  return {
    jobId: commandId,
    attempts: settings.retryDelaysMs.length + 1,
    backoff: { type: RETRY_SCHEDULE_BACKOFF },
    removeOnComplete: { age: 120 },
    removeOnFail: false,
  };
}

/** The worker's backoff: the n-th failure waits the n-th delay of the schedule (-1, BullMQ's "fail for good", past its end). */
export function retryScheduleBackoff(retryDelaysMs: number[]): BackoffStrategy {
  return (attemptsMade) => retryDelaysMs[attemptsMade - 1] ?? -1;
}
