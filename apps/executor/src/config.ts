import { z } from 'zod';
import { commonEnv, encryptionKeysFor, exchangeEnv, msList, parseEnv, port, positiveInt } from '@legwork/observability';
import { scanRulesEnv, streamEnv } from '@legwork/scanning';

const schema = z.object({
  ...commonEnv,
  ...exchangeEnv,
  EXECUTOR_HTTP_PORT: port.default(3001),
  EXECUTOR_HTTP_HOST: z.string().default('127.0.0.1'),
  EXECUTOR_CONCURRENCY: positiveInt.default(4),
  RETRY_DELAYS_MS: msList.default([60_000, 300_000, 900_000]),
  ACK_WAIT_MS: positiveInt.default(30_000),
  /** Extra deliveries beyond the retries, for redeliveries after crashes (ack timeouts). */
  CRASH_REDELIVERIES: z.coerce.number().int().min(0).default(5),
  OUTBOX_POLL_MS: positiveInt.default(500),
  /** Test-only crash points (see failpoints.ts); empty in every real deployment. */
  EXECUTOR_FAILPOINTS: z
    .string()
    .regex(/^[a-z_:0-9,]*$/)
    .default(''),
  VERIFY_TIMEOUT_MS: positiveInt.default(10_000),
  VERIFY_INITIAL_DELAY_MS: positiveInt.default(100),
  VERIFY_MAX_DELAY_MS: positiveInt.default(1_000),
  /** The scans' grace, used where the executor plans a restore (the other positions' expected exposure). */
  ORPHAN_GRACE_MS: scanRulesEnv.ORPHAN_GRACE_MS,
  /**
   * Fills from the private stream (issue 18): while an account's stream is up, a `sequential`
   * leg's fill is confirmed from its `execution` events; REST stays the fallback. `false`: REST only.
   */
  EXECUTOR_STREAM_FILLS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
  /** How long a sent leg waits for its executions on a connected stream before confirming over REST. */
  EXECUTOR_STREAM_FILL_WAIT_MS: positiveInt.default(1_000),
  /** An account's stream stays open this long after its last basket ended (a next basket finds it connected). */
  EXECUTOR_STREAM_IDLE_MS: positiveInt.default(60_000),
  /** New stream connections per 5 minutes from this process (Bybit: 500 per 5 minutes per IP, shared with the orphan monitor), spaced evenly. */
  EXECUTOR_STREAM_CONNECTS_PER_5MIN: positiveInt.default(250),
  STREAM_PING_INTERVAL_MS: streamEnv.STREAM_PING_INTERVAL_MS,
  STREAM_PONG_TIMEOUT_MS: streamEnv.STREAM_PONG_TIMEOUT_MS,
  STREAM_RECONNECT_BASE_MS: streamEnv.STREAM_RECONNECT_BASE_MS,
  STREAM_RECONNECT_CAP_MS: streamEnv.STREAM_RECONNECT_CAP_MS,
});

export type ExecutorConfig = ReturnType<typeof loadExecutorConfig>;

/** Reads and validates the executor's environment once. @throws Error listing every bad variable. */
export function loadExecutorConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = parseEnv(schema, env);
  return { ...parsed, ENCRYPTION_KEYS: encryptionKeysFor(parsed) };
}
