import { loadScanServiceConfig } from './scan-service';

describe('loadScanServiceConfig: the stream lease timing', () => {
  const env = { BYBIT_ENV: 'sim' };

  it('defaults to a 15 s lease renewed every 3 s', () => {
    const { env: parsed } = loadScanServiceConfig('orphan-monitor', env);
    expect([parsed.STREAM_LEASE_TTL_MS, parsed.STREAM_LEASE_RENEW_MS]).toEqual([15_000, 3_000]);
  });

  it('refuses a renew interval above a third of the lease, naming the variable', () => {
    expect(() => loadScanServiceConfig('orphan-monitor', { ...env, STREAM_LEASE_TTL_MS: '3000', STREAM_LEASE_RENEW_MS: '1001' })).toThrow(
      /STREAM_LEASE_RENEW_MS: must be at most a third of STREAM_LEASE_TTL_MS/,
    );
    expect(
      loadScanServiceConfig('orphan-monitor', { ...env, STREAM_LEASE_TTL_MS: '3000', STREAM_LEASE_RENEW_MS: '1000' }).env
        .STREAM_LEASE_RENEW_MS,
    ).toBe(1000);
  });
});
