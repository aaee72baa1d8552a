/**
 * A persistence-level refusal with a stable `code` (e.g. `IDEMPOTENCY.KEY_REUSED`), mapped to an
 * HTTP status only by the gateway.
 */
export class PersistenceError extends Error {
  constructor(
    readonly code: string,
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
