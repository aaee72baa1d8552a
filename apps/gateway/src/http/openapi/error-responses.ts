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

/**
 * The codes a route of this kind can answer besides its own (see {@link RouteDoc}). Fastify reads
 * the body of every POST, whether its route reads it or not: a malformed, oversized or non-JSON
 * body is refused on any of them.
 */
export function commonErrors(doc: RouteDoc, method: string): ErrorCode[] {
  const codes: ErrorCode[] = [];
  if (doc.auth !== 'public') codes.push('AUTH.UNAUTHENTICATED');
  if (doc.auth === 'operator') codes.push('AUTH.FORBIDDEN');
  const request = doc.request ?? {};
  if (request.params || request.query || request.headers || request.body) codes.push('VALIDATION.INVALID_FIELD');
  if (request.body || method !== 'get') codes.push('REQUEST.MALFORMED', 'REQUEST.TOO_LARGE', 'REQUEST.UNSUPPORTED_MEDIA_TYPE');
  if (!doc.notRateLimited) codes.push('RATE_LIMITED');
  codes.push('INTERNAL');
  return codes;
}

/**
 * Refusals of the router itself, before any route (main.ts `frameworkErrors`), whatever the URL:
 * a URL too long answers 414 with the code of a malformed request.
 */
const ROUTER_REFUSALS: readonly [number, ErrorCode][] = [[414, 'REQUEST.MALFORMED']];

/**
 * The error answers of a route, one per status, each listing its codes with an example per code
 * (the status of each code from the one map, `STATUS_BY_CODE`, plus {@link ROUTER_REFUSALS}).
 * @returns OpenAPI response objects by status, for zod-to-openapi's `registerPath`.
 */
export function errorResponses(codes: readonly ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  const answers: [number, ErrorCode][] = [
    ...[...new Set(codes)].map((code): [number, ErrorCode] => [STATUS_BY_CODE[code], code]),
    ...ROUTER_REFUSALS,
  ];
  for (const [status, code] of answers) byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  return Object.fromEntries(
    [...byStatus.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, list]) => [
        status,
        {
          description: `${list.map((c) => `\`${c}\``).join(', ')}${status === 429 ? ' (with `Retry-After`, seconds)' : status === 414 ? ' (the URL is too long)' : ''}`,
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
