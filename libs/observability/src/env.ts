import { z } from 'zod';

/**
 * Validates `env` against `schema` once at boot.
 * @throws Error listing EVERY bad variable (name and problem), never their values (they may be secrets).
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
  throw new Error(`invalid configuration:\n${problems.join('\n')}`);
}

/** A comma-separated list of non-negative integers in milliseconds, e.g. `60000,300000,900000`. */
export const msList = z
  .string()
  .regex(/^\d+(,\d+)*$/, 'expected comma-separated milliseconds, e.g. 60000,300000,900000')
  .transform((s) => s.split(',').map(Number));

/** A positive integer from an environment string. */
export const positiveInt = z.coerce.number().int().positive();

/** A TCP port (0 = any free port). */
export const port = z.coerce.number().int().min(0).max(65535);

/** Settings every Legwork service shares: where the database and the bus are, logging. */
export const commonEnv = {
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/legwork'),
  /** One server, or a cluster's servers comma-separated (`nats://n1:4222,nats://n2:4222,nats://n3:4222`). */
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  /** Nodes that keep a copy of each JetStream stream and consumer: 1 on a lone server, 3 on a 3-node cluster. */
  BUS_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
  BUS_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9]*$/, 'lowercase letters and digits only')
    .default(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DB_POOL_SIZE: positiveInt.default(10),
};

/** A development-only key: accepted only when `BYBIT_ENV=sim` (the simulator holds no real money). */
export const SIM_ONLY_ENCRYPTION_KEYS = 'sim-dev:c2ltdWxhdG9yLW9ubHktZGV2LWtleS0zMmJ5dGVzISE=';

/** Exchange settings shared by services that call Bybit. */
export const exchangeEnv = {
  BYBIT_ENV: z.enum(['sim', 'testnet', 'mainnet']).default('sim'),
  BYBIT_SIM_URL: z.string().url().default('http://127.0.0.1:8090'),
  EXCHANGE_REQUEST_TIMEOUT_MS: positiveInt.default(10_000),
  /** Requests per 5 s one process may send to Bybit across all accounts (Bybit's IP limit: 600). */
  EXCHANGE_IP_REQUESTS_PER_5S: positiveInt.default(300),
  ENCRYPTION_KEYS: z.string().optional(),
};

/**
 * The encryption keys in force: `ENCRYPTION_KEYS`, or the sim-only development key when
 * `BYBIT_ENV=sim` and none is set.
 * @throws Error when a real exchange is configured without keys.
 */
export function encryptionKeysFor(env: { BYBIT_ENV: string; ENCRYPTION_KEYS?: string | undefined }): string {
  if (env.ENCRYPTION_KEYS) return env.ENCRYPTION_KEYS;
  if (env.BYBIT_ENV === 'sim') return SIM_ONLY_ENCRYPTION_KEYS;
  throw new Error(`invalid configuration:\n  ENCRYPTION_KEYS: required when BYBIT_ENV=${env.BYBIT_ENV}`);
}
