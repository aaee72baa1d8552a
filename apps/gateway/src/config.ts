import { z } from 'zod';
import { DEFAULT_LEGGING, LEGGING_MODES } from '@legwork/domain';
import { commonEnv, encryptionKeysFor, exchangeEnv, parseEnv, port, positiveInt } from '@legwork/observability';

const schema = z.object({
  ...commonEnv,
  ...exchangeEnv,
  GATEWAY_PORT: port.default(3000),
  GATEWAY_HOST: z.string().default('127.0.0.1'),
  /** Largest accepted request body, in bytes. */
  GATEWAY_BODY_LIMIT_BYTES: positiveInt.default(16_384),
  /** How often the outbox relay looks for commands left unpublished (e.g. after a crash). */
  OUTBOX_POLL_MS: positiveInt.default(500),
  /** Requests per minute one bearer token (or one anonymous IP) may make; then 429 with Retry-After. */
  GATEWAY_RATE_LIMIT_PER_MINUTE: positiveInt.default(300),
  /** Largest notional a single open request may ask for, in USDT. */
  MAX_NOTIONAL_USDT: positiveInt.default(10_000_000),
  /** How long mark prices read for P&L are reused: at most one ticker request per window, all symbols at once. */
  GATEWAY_MARK_PRICE_TTL_MS: positiveInt.default(3_000),
  /** How long an operator's orphan scan request waits for the orphan monitor's report before answering 202 with the run id to poll. */
  OPERATOR_SCAN_WAIT_MS: positiveInt.default(10_000),
  /** The legging of an open request that names none, on an index without its own default (docs/api.md). */
  DEFAULT_LEGGING: z.enum(LEGGING_MODES).default(DEFAULT_LEGGING),
  /**
   * How long a request to the executor (a restore plan, its confirmation, mark prices) may wait
   * for an answer; then `503 EXECUTOR.UNAVAILABLE` (mark prices: P&L without them).
   */
  GATEWAY_EXECUTOR_TIMEOUT_MS: positiveInt.default(15_000),
  /** Open `GET /api/positions/events` streams one user may hold on one gateway replica; one more is 429. */
  GATEWAY_EVENT_STREAMS_PER_USER: positiveInt.default(5),
  /** Between heartbeat comments on each event stream (proxies close idle connections at 30–60 s). */
  GATEWAY_EVENT_HEARTBEAT_MS: positiveInt.default(15_000),
  /**
   * Browser origins allowed to call the API (CORS), comma-separated exact origins such as
   * `https://app.example.com,http://localhost:5173`. Empty (the default): no CORS headers at all.
   */
  GATEWAY_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.url({ protocol: /^https?$/ }).regex(/^https?:\/\/[^/?#]+$/, 'an origin is scheme://host[:port], no path'))),
});

export type GatewayConfig = ReturnType<typeof loadGatewayConfig>;

/** Reads and validates the gateway's environment once. @throws Error listing every bad variable. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = parseEnv(schema, env);
  return { ...parsed, ENCRYPTION_KEYS: encryptionKeysFor(parsed) };
}
