// The simulator's configuration, read from the environment once and validated as a whole:
// a bad start lists every bad variable, not just the first.
import {
  BYBIT_LINEAR_BATCH_LIMITS,
  BatchLimitSetting,
  MAX_BATCH_ORDERS_PER_REQUEST,
  MAX_BATCH_ORDERS_PER_SECOND,
} from './engine/batch-budget';
import { LatencySetting, MAX_ROUND_TRIP_MS } from './engine/latency';

/** Validated settings of the standalone simulator process. */
export interface SimConfig {
  readonly port: number;
  readonly host: string;
  readonly seed: number;
  readonly slippageBps: number;
  readonly priceTickMs: number;
  readonly fillAtMark: boolean;
  /** Order-book shape of every symbol (integers; see README "Order book"). */
  readonly book: { spreadTicks: number; depth: number; levelStepTicks: number; levelNotionalUsdt: number; refillMs: number };
  /** Network latency of every account; absent (none) unless a BYBIT_SIM_LATENCY_* variable is set. */
  readonly latency?: LatencySetting;
  /** create-batch limits of every account; absent (Bybit's: 10/s, 20 per request) unless a BYBIT_SIM_BATCH_* variable is set. */
  readonly batchLimits?: BatchLimitSetting;
}

/** Thrown when one or more variables are invalid; `problems` lists each. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid bybit-sim configuration: ${problems.join('; ')}`);
    this.name = 'ConfigError';
  }
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw.trim());
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    problems.push(`${name}=${JSON.stringify(raw)} must be an integer in [${min}, ${max}]`);
    return fallback;
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true' || raw === '1') return true;
  if (raw === 'false' || raw === '0') return false;
  problems.push(`${name}=${JSON.stringify(env[name])} must be true, false, 1 or 0`);
  return fallback;
}

/**
 * Reads BYBIT_SIM_PORT (default 8090), BYBIT_SIM_HOST (127.0.0.1), BYBIT_SIM_SEED (1),
 * BYBIT_SIM_SLIPPAGE_BPS (0), BYBIT_SIM_PRICE_TICK_MS (1000; 0 disables the walk),
 * BYBIT_SIM_FILL_AT_MARK (false), and the book's BYBIT_SIM_BOOK_SPREAD_TICKS (2),
 * BYBIT_SIM_BOOK_DEPTH (50), BYBIT_SIM_BOOK_LEVEL_STEP_TICKS (1),
 * BYBIT_SIM_BOOK_LEVEL_NOTIONAL_USDT (20000) and BYBIT_SIM_BOOK_REFILL_MS (0), the network's
 * BYBIT_SIM_LATENCY_RTT_MS (0) and BYBIT_SIM_LATENCY_JITTER_MS (0, at most the round trip), and
 * the batch endpoint's BYBIT_SIM_BATCH_ORDERS_PER_SECOND (10) and BYBIT_SIM_BATCH_MAX_ORDERS (20).
 *
 * @throws ConfigError listing every invalid variable
 */
export function readConfig(env: NodeJS.ProcessEnv): SimConfig {
  const problems: string[] = [];
  const host = (env['BYBIT_SIM_HOST'] ?? '127.0.0.1').trim();
  if (host === '') problems.push('BYBIT_SIM_HOST must not be empty');
  const config: SimConfig = {
    port: integer(env, 'BYBIT_SIM_PORT', 8090, 0, 65535, problems),
    host,
    seed: integer(env, 'BYBIT_SIM_SEED', 1, 0, 4294967295, problems),
    slippageBps: integer(env, 'BYBIT_SIM_SLIPPAGE_BPS', 0, 0, 10_000, problems),
    priceTickMs: integer(env, 'BYBIT_SIM_PRICE_TICK_MS', 1000, 0, 86_400_000, problems),
    fillAtMark: flag(env, 'BYBIT_SIM_FILL_AT_MARK', false, problems),
    book: {
      spreadTicks: integer(env, 'BYBIT_SIM_BOOK_SPREAD_TICKS', 2, 1, 10_000, problems),
      depth: integer(env, 'BYBIT_SIM_BOOK_DEPTH', 50, 1, 500, problems),
      levelStepTicks: integer(env, 'BYBIT_SIM_BOOK_LEVEL_STEP_TICKS', 1, 1, 10_000, problems),
      levelNotionalUsdt: integer(env, 'BYBIT_SIM_BOOK_LEVEL_NOTIONAL_USDT', 20_000, 1, 1_000_000_000, problems),
      refillMs: integer(env, 'BYBIT_SIM_BOOK_REFILL_MS', 0, 0, 86_400_000, problems),
    },
  };
  const latency = latencyConfig(env, problems);
  const batchLimits = batchConfig(env, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return { ...config, ...(latency === undefined ? {} : { latency }), ...(batchLimits === undefined ? {} : { batchLimits }) };
}

function anySet(env: NodeJS.ProcessEnv, names: readonly string[]): boolean {
  return names.some((name) => (env[name] ?? '').trim() !== '');
}

function latencyConfig(env: NodeJS.ProcessEnv, problems: string[]): LatencySetting | undefined {
  if (!anySet(env, ['BYBIT_SIM_LATENCY_RTT_MS', 'BYBIT_SIM_LATENCY_JITTER_MS'])) return undefined;
  const roundTripMs = integer(env, 'BYBIT_SIM_LATENCY_RTT_MS', 0, 0, MAX_ROUND_TRIP_MS, problems);
  const jitterMs = integer(env, 'BYBIT_SIM_LATENCY_JITTER_MS', 0, 0, MAX_ROUND_TRIP_MS, problems);
  if (jitterMs > roundTripMs)
    problems.push(`BYBIT_SIM_LATENCY_JITTER_MS=${jitterMs} must not exceed BYBIT_SIM_LATENCY_RTT_MS=${roundTripMs}`);
  return { roundTripMs, jitterMs };
}

function batchConfig(env: NodeJS.ProcessEnv, problems: string[]): BatchLimitSetting | undefined {
  if (!anySet(env, ['BYBIT_SIM_BATCH_ORDERS_PER_SECOND', 'BYBIT_SIM_BATCH_MAX_ORDERS'])) return undefined;
  const defaults = BYBIT_LINEAR_BATCH_LIMITS;
  return {
    ordersPerSecond: integer(env, 'BYBIT_SIM_BATCH_ORDERS_PER_SECOND', defaults.ordersPerSecond, 1, MAX_BATCH_ORDERS_PER_SECOND, problems),
    maxOrdersPerRequest: integer(
      env,
      'BYBIT_SIM_BATCH_MAX_ORDERS',
      defaults.maxOrdersPerRequest,
      1,
      MAX_BATCH_ORDERS_PER_REQUEST,
      problems,
    ),
  };
}
