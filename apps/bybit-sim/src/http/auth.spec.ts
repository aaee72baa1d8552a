import { createHmac } from 'node:crypto';
import { BybitError } from '../engine/errors';
import { AuthHeaders, authenticate } from './auth';

const NOW = 1_700_000_000_000;
const secrets: Record<string, string> = { key: 'secret' };
const find = (apiKey: string): string | undefined => secrets[apiKey];

function signed(payload: string, overrides: Partial<AuthHeaders> = {}, secret = 'secret'): AuthHeaders {
  const timestamp = overrides.timestamp ?? String(NOW - 100);
  const apiKey = overrides.apiKey ?? 'key';
  const recvWindow = overrides.recvWindow ?? '5000';
  const sign = createHmac('sha256', secret)
    .update(timestamp + apiKey + recvWindow + payload)
    .digest('hex');
  return { apiKey, timestamp, recvWindow, sign, ...overrides };
}

function retCodeOf(headers: AuthHeaders, payload: string): number | undefined {
  try {
    authenticate(headers, payload, NOW, find);
    return undefined;
  } catch (error) {
    if (error instanceof BybitError) return error.retCode;
    throw error;
  }
}

describe('V5 HMAC authentication', () => {
  const body = '{"category":"linear","symbol":"BTCUSDT"}';

  it('accepts a correct signature over the POST body or the GET query string', () => {
    expect(authenticate(signed(body), body, NOW, find)).toBe('key');
    expect(retCodeOf(signed('category=linear&symbol=BTCUSDT'), 'category=linear&symbol=BTCUSDT')).toBeUndefined();
  });

  it('10003 for an unknown or missing key', () => {
    expect(retCodeOf(signed(body, { apiKey: 'other' }), body)).toBe(10003);
    expect(retCodeOf({ ...signed(body), apiKey: undefined }, body)).toBe(10003);
  });

  it('10004 for a wrong secret, a tampered payload or no signature', () => {
    expect(retCodeOf(signed(body, {}, 'wrong'), body)).toBe(10004);
    expect(retCodeOf(signed(body), body.replace('BTC', 'ETH'))).toBe(10004);
    expect(retCodeOf({ ...signed(body), sign: undefined }, body)).toBe(10004);
  });

  it('10002 outside serverTime − recvWindow ≤ timestamp < serverTime + 1000', () => {
    expect(retCodeOf(signed(body, { timestamp: String(NOW - 5000) }), body)).toBeUndefined();
    expect(retCodeOf(signed(body, { timestamp: String(NOW - 5001) }), body)).toBe(10002);
    expect(retCodeOf(signed(body, { timestamp: String(NOW + 999) }), body)).toBeUndefined();
    expect(retCodeOf(signed(body, { timestamp: String(NOW + 1000) }), body)).toBe(10002);
    expect(retCodeOf(signed(body, { timestamp: String(NOW - 9000), recvWindow: '10000' }), body)).toBeUndefined();
    expect(retCodeOf({ ...signed(body), timestamp: undefined }, body)).toBe(10002);
  });
});
