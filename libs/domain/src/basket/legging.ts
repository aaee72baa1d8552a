/**
 * How an open basket's legs are sent (issue 17), chosen per open request:
 * - `sequential` (the seeds' default): one leg after the other; the basket halts at the first
 *   definitively rejected leg and never reverses. Halt semantics are exact (nothing is sent after
 *   a refusal), at the price of a legging window of one round trip + fill confirmation per leg.
 * - `batch`: every leg in one Bybit `/v5/order/create-batch` request; a rejected leg does not stop
 *   the others. The legging window shrinks to about one round trip, but a refusal no longer stops
 *   the legs after it (the position is FAILED with acquired and missing legs, as today).
 */
export const LEGGING_MODES = ['sequential', 'batch'] as const;

export type Legging = (typeof LEGGING_MODES)[number];

/** The mode when neither the request nor the index chooses one. */
export const DEFAULT_LEGGING: Legging = 'sequential';

/** True when `value` is one of {@link LEGGING_MODES}. */
export function isLegging(value: unknown): value is Legging {
  return typeof value === 'string' && (LEGGING_MODES as readonly string[]).includes(value);
}

/**
 * The legging of an open request: the request's own choice, else the index's default, else the
 * global default (configuration, {@link DEFAULT_LEGGING} when unset).
 */
export function resolveLegging(requested: Legging | undefined, indexDefault: Legging | null | undefined, globalDefault: Legging): Legging {
  return requested ?? indexDefault ?? globalDefault;
}
