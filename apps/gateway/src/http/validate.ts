import type { z } from 'zod';
import { ApiError } from './api-error';

/** Where in the request a refused value was. */
export type InputLocation = 'path' | 'query' | 'header' | 'body';

/**
 * Parses one part of a request with its schema. @returns the parsed value.
 * @throws ApiError 400 `VALIDATION.INVALID_FIELD` naming the `location`, the `field` (dotted path
 *   inside a body or query; `name` for a single value such as the path's `id` or a header) and
 *   the reason of the first problem zod found.
 */
export function validate<T extends z.ZodType>(schema: T, value: unknown, location: InputLocation, name?: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw validationError(result.error, location, name);
}

/** The API error for a zod failure in `location` (see {@link validate}). */
export function validationError(error: z.ZodError, location: InputLocation, name?: string): ApiError {
  const issue = error.issues[0];
  // The field is named, but a hostile name (an unknown key of 5,000 characters) is not echoed whole.
  const field = clip((issue ? issue.path.map(String).join('.') || fieldOfUnknownKey(issue) : '') || name || '');
  const message = issue ? `${field || location}: ${clip(issue.message, 160)}` : `invalid ${location}`;
  return new ApiError('VALIDATION.INVALID_FIELD', message, field, location);
}

function clip(text: string, max = 64): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function fieldOfUnknownKey(issue: { code: string; keys?: string[] }): string {
  return issue.code === 'unrecognized_keys' && issue.keys?.[0] ? issue.keys[0] : '';
}

/**
 * A route that reads a JSON body refuses a request whose `Content-Type` is not JSON before
 * reading it: without one Fastify leaves the body unread, which would otherwise surface as a
 * misleading "indexId missing".
 * @throws ApiError 415 `REQUEST.UNSUPPORTED_MEDIA_TYPE` (location `header`, field `content-type`)
 */
export function requireJsonContentType(contentType: string | undefined): void {
  if (!/^application\/json\s*(;|$)/i.test(contentType ?? '')) throw unsupportedMediaType(contentType ?? 'none');
}

/** The 415 of a body that is not JSON, whoever noticed (a route, or Fastify before it). */
export function unsupportedMediaType(got?: string): ApiError {
  const message = `content-type: the request body must be application/json${got ? `, got ${clip(got, 40)}` : ''}`;
  return new ApiError('REQUEST.UNSUPPORTED_MEDIA_TYPE', message, 'content-type', 'header');
}
