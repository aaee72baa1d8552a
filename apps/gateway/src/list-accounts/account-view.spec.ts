import type { ExchangeAccountRecord } from '@legwork/persistence';
import { AccountView, accountView, maskApiKey } from './account-view';

describe('account view', () => {
  const account = {
    id: '3f0c8a6e-1b2c-4d5e-8f90-1234567890ab',
    userId: '4f0c8a6e-1b2c-4d5e-8f90-1234567890ab',
    exchangeEnv: 'sim',
    apiKey: 'AbCdEfGhIjKl7Qz2',
    apiSecretCiphertext: 'sealed-secret',
    encryptionKeyId: 'k1',
    positionMode: 'hedge',
    createdAt: new Date('2026-01-02T10:00:00.000Z'),
    keyStatus: 'refused',
    keyRefusedAt: new Date('2026-01-03T10:00:00.000Z'),
    keyRefusedCode: 'EXCHANGE.AUTH',
    keyRefusedReason: 'API key is invalid',
  } as ExchangeAccountRecord;

  it('masks the API key to its last 4 characters, and a short key wholly', () => {
    expect(maskApiKey('AbCdEfGhIjKl7Qz2')).toBe('****7Qz2');
    expect(maskApiKey('12345678')).toBe('****');
  });

  it('shows mode and key status, never the secret nor the full key, in the schema’s shape', () => {
    const view = accountView(account);
    expect(view).toEqual({
      id: account.id,
      exchangeEnv: 'sim',
      positionMode: 'hedge',
      apiKeyHint: '****7Qz2',
      keyStatus: 'refused',
      keyRefused: { at: '2026-01-03T10:00:00.000Z', code: 'EXCHANGE.AUTH', reason: 'API key is invalid' },
      createdAt: '2026-01-02T10:00:00.000Z',
    });
    expect(JSON.stringify(view)).not.toMatch(/AbCdEfGh|sealed-secret/);
    expect(AccountView.parse(view)).toEqual(view);
  });

  it('an ok key has no refusal', () => {
    expect(accountView({ ...account, keyStatus: 'ok', keyRefusedAt: null } as ExchangeAccountRecord).keyRefused).toBeNull();
  });
});
