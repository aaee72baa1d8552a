/**
 * The gateway's own refusals, decided by its use cases (what the caller asked for does not exist
 * or cannot be done now). Codes are the API's contract: never rename one. Which HTTP status each
 * one answers with is decided only by the exception filter (http/error.filter.ts).
 */
export const GATEWAY_ERROR_CODES = [
  'INDEX.NOT_FOUND',
  'ACCOUNT.NOT_FOUND',
  'ACCOUNT.NONE',
  'ACCOUNT.AMBIGUOUS',
  'POSITION.NOT_FOUND',
  'POSITION.NOT_ACTIVE',
  'POSITION.NOT_CLOSABLE',
  'POSITION.NOT_ROLLBACKABLE',
  'POSITION.OPPOSITE_DIRECTION_ONE_WAY',
  'RESTORE.PLAN_NOT_FOUND',
  'RESTORE.PLAN_STALE',
  'SCAN.RUN_NOT_FOUND',
  'SCAN.RUN_FAILED',
  /** No executor answered a bounded request (restore plan, its confirmation) in time: try again. */
  'EXECUTOR.UNAVAILABLE',
] as const;

export type GatewayErrorCode = (typeof GATEWAY_ERROR_CODES)[number];

/**
 * A use case's refusal: a stable `code`, a message for the caller and, when one input is to
 * blame, its `field` (`indexId`, `accountId`, `planId`, `direction`). No HTTP status here.
 */
export class ApplicationError extends Error {
  constructor(
    readonly code: GatewayErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApplicationError';
  }
}
