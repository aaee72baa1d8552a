// Bybit's private-stream auth: HMAC-SHA256(secret, "GET/realtime" + expires) hex, expires in the
// future, a known active key; refusals answer Bybit's texts.
import { createHmac } from 'node:crypto';
import { AUTH_INVALID_KEY, AUTH_PARAMS_ERROR, streamSignature, verifyStreamAuth } from './stream-auth';

const NOW = 1_700_000_000_000;
const secrets: Record<string, string> = { k1: 's1' };
const findSecret = (apiKey: string): string | undefined => secrets[apiKey];

describe('private stream auth', () => {
  it('signs "GET/realtime" + expires with the secret, as the docs\' Python example does', () => {
    expect(streamSignature('s1', '1662350400000')).toBe(createHmac('sha256', 's1').update('GET/realtime1662350400000').digest('hex'));
  });

  it('accepts a valid signature, expires as a number or a string, the hex in either case', () => {
    const expires = NOW + 10_000;
    const signature = streamSignature('s1', String(expires));
    expect(verifyStreamAuth(['k1', expires, signature], NOW, findSecret)).toEqual({ ok: true, apiKey: 'k1' });
    expect(verifyStreamAuth(['k1', String(expires), signature.toUpperCase()], NOW, findSecret)).toEqual({ ok: true, apiKey: 'k1' });
  });

  it.each([
    ['an unknown or revoked key', ['k9', NOW + 10_000, streamSignature('s1', String(NOW + 10_000))], AUTH_INVALID_KEY, 'unknownKey'],
    ['an expires already past', ['k1', NOW, streamSignature('s1', String(NOW))], AUTH_PARAMS_ERROR, 'expired'],
    [
      'a signature made with another secret',
      ['k1', NOW + 10_000, streamSignature('s2', String(NOW + 10_000))],
      AUTH_PARAMS_ERROR,
      'badSignature',
    ],
    ['two args', ['k1', NOW + 10_000], AUTH_PARAMS_ERROR, 'malformed'],
    ['an expires that is no integer', ['k1', '12.5', 'sig'], AUTH_PARAMS_ERROR, 'malformed'],
    ['no args at all', undefined, AUTH_PARAMS_ERROR, 'malformed'],
  ])('refuses %s', (_case, args, retMsg, reason) => {
    expect(verifyStreamAuth(args, NOW, findSecret)).toEqual({ ok: false, retMsg, reason });
  });
});
