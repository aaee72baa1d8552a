// HMAC authentication of private V5 requests (docs/v5/guide.mdx "Authentication"):
// X-BAPI-SIGN = hex HMAC-SHA256(secret, timestamp + apiKey + recvWindow + payload), where the
// payload is the raw JSON body of a POST or the raw query string of a GET. The timestamp must
// satisfy serverTime − recvWindow ≤ timestamp < serverTime + 1000.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { BybitError, RetCode } from '../engine/errors';

/** Default X-BAPI-RECV-WINDOW when the header is absent (Bybit's documented default). */
export const DEFAULT_RECV_WINDOW_MS = 5000;
/** How far a timestamp may run ahead of the server clock. */
export const MAX_CLOCK_AHEAD_MS = 1000;

/** The signing headers of a request, lower-cased as Node delivers them. */
export interface AuthHeaders {
  readonly apiKey: string | undefined;
  readonly timestamp: string | undefined;
  readonly recvWindow: string | undefined;
  readonly sign: string | undefined;
}

/** Reads the X-BAPI-* headers. */
export function readAuthHeaders(headers: Record<string, string | string[] | undefined>): AuthHeaders {
  const one = (name: string): string | undefined => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  return {
    apiKey: one('x-bapi-api-key'),
    timestamp: one('x-bapi-timestamp'),
    recvWindow: one('x-bapi-recv-window'),
    sign: one('x-bapi-sign'),
  };
}

/** The signature a client with `secret` computes. */
export function expectedSignature(secret: string, timestamp: string, apiKey: string, recvWindow: string, payload: string): string {
  return createHmac('sha256', secret)
    .update(timestamp + apiKey + recvWindow + payload)
    .digest('hex');
}

/**
 * Authenticates a request.
 *
 * @param findSecret the secret of a known key, undefined for an unknown one
 * @param payload raw JSON body (POST) or raw query string without "?" (GET)
 * @returns the authenticated API key
 * @throws BybitError 10003 unknown or missing key, 10002 timestamp outside the window, 10004 bad signature
 */
export function authenticate(
  headers: AuthHeaders,
  payload: string,
  now: number,
  findSecret: (apiKey: string) => string | undefined,
): string {
  const apiKey = headers.apiKey;
  const secret = apiKey === undefined || apiKey === '' ? undefined : findSecret(apiKey);
  if (apiKey === undefined || secret === undefined) throw BybitError.of(RetCode.API_KEY_INVALID);
  const recvWindowText = headers.recvWindow ?? String(DEFAULT_RECV_WINDOW_MS);
  const recvWindow = Number(recvWindowText);
  const timestamp = Number(headers.timestamp);
  if (headers.timestamp === undefined || !Number.isFinite(timestamp) || !Number.isFinite(recvWindow)) {
    throw BybitError.of(RetCode.TIMESTAMP_OUT_OF_WINDOW);
  }
  if (timestamp >= now + MAX_CLOCK_AHEAD_MS || now - timestamp > recvWindow) throw BybitError.of(RetCode.TIMESTAMP_OUT_OF_WINDOW);
  const expected = Buffer.from(expectedSignature(secret, headers.timestamp, apiKey, headers.recvWindow ?? '', payload), 'utf8');
  const given = Buffer.from((headers.sign ?? '').toLowerCase(), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw BybitError.of(RetCode.SIGN_ERROR);
  return apiKey;
}
