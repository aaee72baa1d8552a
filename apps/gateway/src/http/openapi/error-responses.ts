import { z } from 'zod';
import { ErrorCode, STATUS_BY_CODE } from '../error.filter';
import type { RouteDoc } from './route-doc';

/** Every error's body (http/error.filter.ts). */
export const ErrorBody = z
  .strictObject({
    error: z.strictObject({
      code: z.string().meta({ description: 'stable; clients branch on it (see the response’s list)', example: 'POSITION.NOT_FOUND' }),
      message: z.string().meta({ description: 'for a person; `<field>: <reason>` on a validation error' }),
      location: z
        .enum(['path', 'query', 'header', 'body'])
        .optional()
        .meta({ description: 'validation errors: where the refused value was' }),
      field: z.string().optional().meta({ description: 'the refused field (dotted path in a body; `id` in the path; the header name)' }),
    }),
  })
  .meta({ id: 'Error' });

/** What each code means to a client, for the document's examples (the server's own messages name the value). */
const EXAMPLE_MESSAGES: Partial<Record<ErrorCode, string>> = {
  'VALIDATION.INVALID_FIELD': 'limit: must be at most 200',
  'AUTH.UNAUTHENTICATED': 'a valid bearer token is required',
  'AUTH.FORBIDDEN': 'an operator token is required',
  'REQUEST.MALFORMED': 'the request body is not valid JSON',
  'REQUEST.TOO_LARGE': 'the request body is too large',
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': 'content-type: the request body must be application/json',
  RATE_LIMITED: 'too many requests: at most 300 per minute; retry after 12 s',
  INTERNAL: 'internal error',
  'IDEMPOTENCY.KEY_REUSED': 'this Idempotency-Key was already used with a different request body',
  'EXECUTOR.UNAVAILABLE': 'no executor answered in time; try again shortly',
};

const EXAMPLE_FIELDS: Partial<Record<ErrorCode, Pick<z.infer<typeof ErrorBody>['error'], 'location' | 'field'>>> = {
  'VALIDATION.INVALID_FIELD': { location: 'query', field: 'limit' },
  'REQUEST.UNSUPPORTED_MEDIA_TYPE': { location: 'header', field: 'content-type' },
};

/** The codes a route of this kind can answer besides its own (see {@link RouteDoc}). */
export function commonErrors(doc: RouteDoc): ErrorCode[] {
  const codes: ErrorCode[] = [];
  if (doc.auth !== 'public') codes.push('AUTH.UNAUTHENTICATED');
  if (doc.auth === 'operator') codes.push('AUTH.FORBIDDEN');
  const request = doc.request ?? {};
  if (request.params || request.query || request.headers || request.body) codes.push('VALIDATION.INVALID_FIELD');
  if (request.body) codes.push('REQUEST.MALFORMED', 'REQUEST.TOO_LARGE', 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
  if (!doc.notRateLimited) codes.push('RATE_LIMITED');
  codes.push('INTERNAL');
  return codes;
}

/**
 * The error answers of a route, one per status, each listing its codes with an example per code.
 * @returns OpenAPI response objects by status, for zod-to-openapi's `registerPath`.
 */
export function errorResponses(codes: readonly ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) byStatus.set(STATUS_BY_CODE[code], [...(byStatus.get(STATUS_BY_CODE[code]) ?? []), code]);
  return Object.fromEntries(
    [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, list]) => [
        status,
        {
          description: `${list.map((c) => `\`${c}\``).join(', ')}${status === 429 ? ' (with `Retry-After`, seconds)' : ''}`,
          ...(status === 429
            ? { headers: { 'Retry-After': { description: 'seconds to wait', schema: { type: 'integer' as const } } } }
            : {}),
          content: {
            'application/json': {
              schema: ErrorBody,
              examples: Object.fromEntries(
                list.map((code) => [
                  code,
                  { value: { error: { code, message: EXAMPLE_MESSAGES[code] ?? `refused: ${code}`, ...EXAMPLE_FIELDS[code] } } },
                ]),
              ),
            },
          },
        },
      ]),
  );
}
