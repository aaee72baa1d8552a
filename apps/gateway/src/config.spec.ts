import { loadGatewayConfig } from './config';

describe('gateway configuration', () => {
  it('refuses to start against a real exchange without ENCRYPTION_KEYS', () => {
    expect(() => loadGatewayConfig({ BYBIT_ENV: 'mainnet' })).toThrow(/ENCRYPTION_KEYS: required when BYBIT_ENV=mainnet/);
    expect(() => loadGatewayConfig({ BYBIT_ENV: 'testnet' })).toThrow(/ENCRYPTION_KEYS/);
  });

  it('uses the sim-only development key only with the simulator', () => {
    expect(loadGatewayConfig({ BYBIT_ENV: 'sim' }).ENCRYPTION_KEYS).toMatch(/^sim-dev:/);
    expect(loadGatewayConfig({ BYBIT_ENV: 'mainnet', ENCRYPTION_KEYS: 'k1:abc' }).ENCRYPTION_KEYS).toBe('k1:abc');
  });

  it('lists every bad variable at once, never their values', () => {
    let message = '';
    try {
      loadGatewayConfig({ GATEWAY_PORT: 'eighty', DATABASE_URL: 'not a url with s3cret', LOG_LEVEL: 'loud' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/GATEWAY_PORT/);
    expect(message).toMatch(/DATABASE_URL/);
    expect(message).toMatch(/LOG_LEVEL/);
    expect(message).not.toContain('s3cret');
  });
});

describe('GATEWAY_CORS_ORIGINS', () => {
  it('is none by default, a trimmed list of exact origins otherwise', () => {
    expect(loadGatewayConfig({ BYBIT_ENV: 'sim' }).GATEWAY_CORS_ORIGINS).toEqual([]);
    expect(
      loadGatewayConfig({ BYBIT_ENV: 'sim', GATEWAY_CORS_ORIGINS: 'https://app.example.com, http://localhost:5173,' }).GATEWAY_CORS_ORIGINS,
    ).toEqual(['https://app.example.com', 'http://localhost:5173']);
  });

  it('refuses what is not an origin (a path, another scheme, a wildcard)', () => {
    for (const bad of ['https://app.example.com/path', 'ftp://example.com', '*'])
      expect(() => loadGatewayConfig({ BYBIT_ENV: 'sim', GATEWAY_CORS_ORIGINS: bad })).toThrow(/GATEWAY_CORS_ORIGINS/);
  });
});
