// Control API for the network between clients and the exchange and for the batch endpoint's
// limits: POST/DELETE /__sim/latency and POST /__sim/batch-limits. Same rules as faults and fill
// modes: with `apiKey` a setting is that account's (found by any of its keys), without it the
// global one, which drops every per-account setting.
import { FastifyInstance } from 'fastify';
import { BatchLimitSetting, BatchLimitSettingError } from '../engine/batch-budget';
import { LatencySetting, LatencySettingError } from '../engine/latency';
import { ControlInputError, nonNegativeInt, onlyKnown, record, string } from './control-parse';
import { controlBody as body, controlQuery as query, controlRoute } from './control-route';
import { SimContext } from './v5-route';

/**
 * Body of POST /__sim/latency: `{apiKey?, roundTripMs, jitterMs? (default 0)}`, whole ms.
 *
 * @throws ControlInputError for an unknown field or a missing or non-integer roundTripMs/jitterMs
 */
export function parseLatency(input: unknown): { apiKey: string | undefined; setting: LatencySetting } {
  const fields = record(input, 'latency');
  onlyKnown(fields, ['apiKey', 'roundTripMs', 'jitterMs'], 'latency');
  const roundTripMs = nonNegativeInt(fields, 'roundTripMs');
  if (roundTripMs === undefined) throw new ControlInputError('roundTripMs is required: a non-negative integer (ms)');
  return { apiKey: string(fields, 'apiKey', false), setting: { roundTripMs, jitterMs: nonNegativeInt(fields, 'jitterMs') ?? 0 } };
}

/**
 * Body of POST /__sim/batch-limits: `{apiKey?, ordersPerSecond?, maxOrdersPerRequest?}`; an
 * absent field keeps the value in force for the target.
 *
 * @throws ControlInputError for an unknown field, a non-integer value, or no limit at all
 */
export function parseBatchLimits(input: unknown): { apiKey: string | undefined; limits: Partial<BatchLimitSetting> } {
  const fields = record(input, 'batch limits');
  onlyKnown(fields, ['apiKey', 'ordersPerSecond', 'maxOrdersPerRequest'], 'batch limits');
  const ordersPerSecond = nonNegativeInt(fields, 'ordersPerSecond');
  const maxOrdersPerRequest = nonNegativeInt(fields, 'maxOrdersPerRequest');
  if (ordersPerSecond === undefined && maxOrdersPerRequest === undefined)
    throw new ControlInputError('give ordersPerSecond, maxOrdersPerRequest or both');
  return {
    apiKey: string(fields, 'apiKey', false),
    limits: {
      ...(ordersPerSecond === undefined ? {} : { ordersPerSecond }),
      ...(maxOrdersPerRequest === undefined ? {} : { maxOrdersPerRequest }),
    },
  };
}

/** Runs a settings change, turning an out-of-range setting into a 400. */
function applying(change: () => void): void {
  try {
    change();
  } catch (error) {
    if (error instanceof LatencySettingError || error instanceof BatchLimitSettingError) throw new ControlInputError(error.message);
    throw error;
  }
}

/** Registers /__sim/latency (POST, DELETE) and /__sim/batch-limits (POST). */
export function registerControlNetworkRoutes(app: FastifyInstance, context: SimContext): void {
  const { exchange } = context;
  // An account is named by any of its keys; settings live under its identity key. @throws UnknownAccountError (404)
  const identity = (apiKey: string | undefined): string | undefined =>
    apiKey === undefined ? undefined : exchange.accounts.get(apiKey).apiKey;

  controlRoute(app, 'POST', '/__sim/latency', (request) => {
    const { apiKey, setting } = parseLatency(body(request));
    const account = identity(apiKey);
    applying(() => exchange.latency.set(setting, account));
    return { status: 200, body: { latency: exchange.latency.snapshot() } };
  });

  controlRoute(app, 'DELETE', '/__sim/latency', (request) => {
    exchange.latency.clear(identity(query(request)['apiKey']));
    return { status: 200, body: { latency: exchange.latency.snapshot() } };
  });

  controlRoute(app, 'POST', '/__sim/batch-limits', (request) => {
    const { apiKey, limits } = parseBatchLimits(body(request));
    const account = identity(apiKey);
    const current = exchange.batchBudget.limits(account);
    applying(() => exchange.batchBudget.set({ ...current, ...limits }, account));
    return { status: 200, body: { batchLimits: exchange.batchBudget.snapshot() } };
  });
}
