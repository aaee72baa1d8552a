/**
 * Refusals decided by the HTTP layer itself (authentication, request validation, the transport),
 * before or around any use case. Codes are the API's contract: never rename one.
 */
export const HTTP_ERROR_CODES = [
  'AUTH.UNAUTHENTICATED',
  'AUTH.FORBIDDEN',
  'VALIDATION.INVALID_FIELD',
  'REQUEST.MALFORMED',
  'REQUEST.NOT_FOUND',
  'REQUEST.TOO_LARGE',
  'REQUEST.UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  /** `GET /api/positions/events`: the caller already holds the most open streams allowed. */
  'EVENTS.TOO_MANY_STREAMS',
  'INTERNAL',
] as const;

export type HttpErrorCode = (typeof HTTP_ERROR_CODES)[number];

/**
 * An error of the HTTP layer: a stable `code` clients may branch on, a message and, for
 * validation errors, the offending `field` (dotted path) and its `location` in the request
 * (`path`, `query`, `header` or `body`). Its status comes from the exception filter's map.
 */
export class ApiError extends Error {
  constructor(
    readonly code: HttpErrorCode,
    message: string,
    readonly field?: string,
    readonly location?: 'path' | 'query' | 'header' | 'body',
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
