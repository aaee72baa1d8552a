import { counter, Registry } from '@legwork/observability';

/** `positions_accepted_total{outcome}`: accepted (new position) or replayed (same Idempotency-Key). */
export function acceptedCounter(registry: Registry) {
  return counter(registry, 'positions_accepted_total', 'Open requests answered 202, by outcome', ['outcome']);
}
