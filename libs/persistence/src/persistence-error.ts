/**
 * Every code a {@link PersistenceError} carries: refusals decided by what is (or is not) stored.
 * Codes are the API's contract: never rename one.
 */
export const PERSISTENCE_ERROR_CODES = [
  'IDEMPOTENCY.KEY_REUSED',
  'POSITION.NOT_FOUND',
  'POSITION.NOT_ACTIVE',
  'POSITION.BUSY',
  'POSITION.LEASE_LOST',
  'POSITION.VERSION_CONFLICT',
  'LEG.NOT_FOUND',
  'LEG.STATUS_CONFLICT',
  'RESTORE.PLAN_NOT_FOUND',
  'RESTORE.PLAN_USED',
  'RESTORE.PLAN_EXPIRED',
  'INDEX.NAME_TAKEN',
  'USER.NOT_FOUND',
  'USER.EMAIL_TAKEN',
  'TOKEN.NOT_FOUND',
  'ACCOUNT.NOT_FOUND',
  'ACCOUNT.DUPLICATE_KEY',
] as const;

export type PersistenceErrorCode = (typeof PERSISTENCE_ERROR_CODES)[number];

/**
 * A persistence-level refusal with a stable `code` (e.g. `IDEMPOTENCY.KEY_REUSED`), mapped to an
 * HTTP status only by the gateway.
 */
export class PersistenceError extends Error {
  constructor(
    readonly code: PersistenceErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'PersistenceError';
  }
}

/** True when `error` is PostgreSQL's unique violation (SQLSTATE 23505), optionally on `constraint`. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as { code?: string; driverError?: { code?: string; constraint?: string }; constraint?: string };
  const code = e?.driverError?.code ?? e?.code;
  const name = e?.driverError?.constraint ?? e?.constraint;
  return code === '23505' && (constraint === undefined || name === constraint);
}
