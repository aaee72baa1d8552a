/**
 * Every code a {@link DomainError} carries, one `as const` list per area of the domain, so a
 * typo'd code fails the build and the gateway's status map (apps/gateway/src/errors/) is checked
 * for completeness by the compiler. Codes are the API's contract: never rename one.
 */
export const POSITION_ERROR_CODES = ['POSITION.ILLEGAL_TRANSITION', 'POSITION.BUSY'] as const;

/** Refusals of the leg (order) and restore-plan state machines (basket/leg-order-status.ts, restore/restore-plan-status.ts). */
export const LEG_ERROR_CODES = ['LEG.ILLEGAL_TRANSITION'] as const;

export const RESTORE_ERROR_CODES = ['RESTORE.PLAN_USED', 'RESTORE.PLAN_EXPIRED'] as const;

export const COMPOSITION_ERROR_CODES = [
  'COMPOSITION.INVALID_INPUT',
  'COMPOSITION.INSTRUMENT_NOT_LISTED',
  'COMPOSITION.INSTRUMENT_NOT_TRADING',
  'COMPOSITION.LEG_VIOLATES_LOT_SIZE',
] as const;

/** Refusals of an index definition (composition/index-definition.ts), one per problem. */
export const INDEX_DEFINITION_ERROR_CODES = [
  'INDEX.NO_COMPONENTS',
  'INDEX.SYMBOL_NOT_LISTED',
  'INDEX.SYMBOL_NOT_TRADING',
  'INDEX.DUPLICATE_SYMBOL',
  'INDEX.WEIGHT_NOT_POSITIVE',
  'INDEX.WEIGHTS_NOT_100',
] as const;

export const RECONCILIATION_ERROR_CODES = ['RECONCILIATION.INVALID_INPUT', 'RECONCILIATION.CONFLICTING_REPORTS'] as const;

export const ORPHANS_ERROR_CODES = ['ORPHANS.INVALID_INPUT', 'ORPHANS.STALE_SCAN'] as const;

export const PNL_ERROR_CODES = ['PNL.INVALID_INPUT', 'FUNDING.INVALID_INPUT'] as const;

/** Every domain code, in one list (for exhaustiveness checks). */
export const DOMAIN_ERROR_CODES = [
  ...POSITION_ERROR_CODES,
  ...LEG_ERROR_CODES,
  ...RESTORE_ERROR_CODES,
  ...COMPOSITION_ERROR_CODES,
  ...INDEX_DEFINITION_ERROR_CODES,
  ...RECONCILIATION_ERROR_CODES,
  ...ORPHANS_ERROR_CODES,
  ...PNL_ERROR_CODES,
] as const;

export type IndexDefinitionCode = (typeof INDEX_DEFINITION_ERROR_CODES)[number];
export type DomainErrorCode = (typeof DOMAIN_ERROR_CODES)[number];
