import type { DomainErrorCode } from './error-codes';

/**
 * A business-rule violation with a stable machine-readable `code` (e.g. `POSITION.ILLEGAL_TRANSITION`).
 * Only the gateway maps codes to HTTP statuses; everywhere else the code is what callers branch on.
 */
export class DomainError extends Error {
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
