/**
 * An error the API answers with: HTTP status, a stable `code` clients may branch on, a message
 * and, for validation errors, the offending `field` (dotted path) and its `location` in the
 * request (`path`, `query`, `header` or `body`).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly location?: 'path' | 'query' | 'header' | 'body',
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The only place that maps domain / persistence codes to HTTP statuses. */
export const STATUS_BY_CODE: Record<string, number> = {
  'IDEMPOTENCY.KEY_REUSED': 409,
  'POSITION.ILLEGAL_TRANSITION': 409,
  'POSITION.NOT_FOUND': 404,
  'USER.NOT_FOUND': 404,
  'INDEX.NOT_FOUND': 404,
  'ACCOUNT.NOT_FOUND': 404,
  'ACCOUNT.AMBIGUOUS': 400,
  'POSITION.BUSY': 409,
  'POSITION.NOT_ACTIVE': 409,
  'RESTORE.PLAN_NOT_FOUND': 404,
  'RESTORE.PLAN_USED': 409,
  'RESTORE.PLAN_EXPIRED': 409,
  'EXCHANGE.UNAVAILABLE': 503,
};
