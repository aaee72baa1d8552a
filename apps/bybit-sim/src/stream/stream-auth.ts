// Authentication of Bybit's private stream (docs/v5/websocket/wss-authentication.mdx):
// {"op":"auth","args":[apiKey, expires, signature]}, signature = hex HMAC-SHA256(secret,
// "GET/realtime" + expires), expires an epoch-ms time still in the future.
//
// The docs show only the success answer. The refusal texts are the simulator's reading of
// recorded answers, since Bybit documents none:
// - "Params Error": what V5 answered clients whose clock ran late (an expired `expires`) or whose
//   signature code was off (tmatic-trading/crypto-platform#153 with #241, bybit-exchange/
//   api-usage-examples#70); the same text answers malformed args.
// - "Invalid apikey": an unknown key (NautilusTrader's Bybit fixture ws_auth_failure.json).
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Bybit's ret_msg for an expired `expires`, a bad signature or malformed args. */
export const AUTH_PARAMS_ERROR = 'Params Error';
/** Bybit's ret_msg for an unknown or revoked key. */
export const AUTH_INVALID_KEY = 'Invalid apikey';

/** Why an auth was refused; the simulator's own detail, kept in its state (never on the wire). */
export type AuthRefusalReason = 'malformed' | 'unknownKey' | 'expired' | 'badSignature';

/** The outcome of an auth request. */
export type AuthOutcome =
  { readonly ok: true; readonly apiKey: string } | { readonly ok: false; readonly retMsg: string; readonly reason: AuthRefusalReason };

/** The signature a client holding `secret` sends for `expires` (as it appears in the request). */
export function streamSignature(secret: string, expires: string): string {
  return createHmac('sha256', secret).update(`GET/realtime${expires}`).digest('hex');
}

function refused(reason: AuthRefusalReason): AuthOutcome {
  return { ok: false, retMsg: reason === 'unknownKey' ? AUTH_INVALID_KEY : AUTH_PARAMS_ERROR, reason };
}

/**
 * Checks the args of an auth request at server time `now` (epoch ms).
 *
 * @param findSecret the secret of an active key; undefined for an unknown or revoked one
 * @returns the key that authenticated, or the refusal with Bybit's ret_msg
 */
export function verifyStreamAuth(args: unknown, now: number, findSecret: (apiKey: string) => string | undefined): AuthOutcome {
  if (!Array.isArray(args) || args.length !== 3) return refused('malformed');
  const [apiKey, expiresArg, signature] = args as unknown[];
  const expires = typeof expiresArg === 'number' || typeof expiresArg === 'string' ? String(expiresArg) : '';
  if (typeof apiKey !== 'string' || typeof signature !== 'string' || !/^\d{1,16}$/.test(expires)) return refused('malformed');
  const secret = findSecret(apiKey);
  if (secret === undefined) return refused('unknownKey');
  if (Number(expires) <= now) return refused('expired');
  const expected = Buffer.from(streamSignature(secret, expires), 'utf8');
  const given = Buffer.from(signature.toLowerCase(), 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return refused('badSignature');
  return { ok: true, apiKey };
}
