import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot, startTestStack, TEST_ENCRYPTION_KEYS, TestStack, testNamespace } from '@legwork/devstack';
import { IdentityRepository, parseEncryptionKeys, SecretCipher } from '@legwork/persistence';

// An account whose API key the exchange refuses (revoked or replaced on Bybit): marked once, its
// owner alerted once, skipped by every scan (no exchange request, no failure) and refused at once
// by the executor, until `account:rotate-key` stores a key the exchange accepts.
describe('an exchange account whose API key the exchange refuses', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack({
      services: ['bybit-sim', 'gateway', 'executor', 'orphan-monitor'],
      env: { RECONCILER_CRON: '0 0 1 1 *', ORPHAN_MONITOR_CRON: '0 0 1 1 *', SCAN_RETRY_DELAYS_MS: '300,600' },
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const cli = (args: string[]) =>
    promisify(execFile)(process.execPath, [path.join(repoRoot(), 'dist/apps/cli/src/main.js'), ...args, '--json'], {
      env: { ...process.env, DATABASE_URL: t.databaseUrl, BUS_NAMESPACE: testNamespace(), BYBIT_ENV: 'sim', BYBIT_SIM_URL: t.stack.simUrl },
    }).then(
      (r) => ({ code: 0, out: JSON.parse(r.stdout) as Record<string, unknown> }),
      (e: { code: number; stdout: string; stderr: string }) => ({
        code: e.code,
        out: { stdout: e.stdout, stderr: e.stderr } as Record<string, unknown>,
      }),
    );
  /** The value of one series of the orphan monitor's /metrics: `name{…labels…} value`. */
  const metric = async (name: string, labels: string[] = []) => {
    const text = await (await fetch(`${t.stack.urls['orphan-monitor']}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && labels.every((label) => l.includes(label)));
    return line === undefined ? undefined : Number(line.split(' ').pop());
  };
  const keyAlerts = async (accountId: string) =>
    (await t.alerts()).filter((a) => a.accountId === accountId && a.kind === 'account.key_refused');

  it('a revoked key: marked once with one alert, skipped by scans and the executor, shown by the CLI, scanned again after rotate-key', async () => {
    const user = await t.newUser();
    const healthy = await t.newUser();
    await t.sim.revokeKey(user.apiKey); // Bybit answers 10003 to every private call with it

    const first = await t.scan('orphans');
    expect(first.runs.find((r) => r.accountId === user.accountId)).toMatchObject({
      status: 'skipped',
      error: expect.stringContaining('API key refused by the exchange (EXCHANGE.AUTH)'),
    });
    expect(first.runs.find((r) => r.accountId === healthy.accountId)?.status).toBe('done');
    const [marked] = await t.db.query('SELECT key_status, key_refused_code, key_refused_reason FROM exchange_accounts WHERE id = $1', [
      user.accountId,
    ]);
    expect(marked).toMatchObject({
      key_status: 'refused',
      key_refused_code: 'EXCHANGE.AUTH',
      key_refused_reason: expect.stringContaining('10003'),
    });

    const requestsBefore = (await t.sim.requests({ apiKey: user.apiKey })).length;
    await t.scan('orphans');
    const third = await t.scan('orphans');
    expect(third.runs.find((r) => r.accountId === user.accountId)?.status).toBe('skipped');
    expect((await t.sim.requests({ apiKey: user.apiKey })).length).toBe(requestsBefore); // skipped: nothing asked of the exchange
    const alerts = await keyAlerts(user.accountId);
    expect(alerts).toEqual([
      expect.objectContaining({
        severity: 'critical',
        summary: expect.stringMatching(/refused the API key of account .*account:rotate-key/),
      }),
    ]);
    expect((await user.client.request('GET', '/api/alerts')).body).toMatchObject({
      alerts: expect.arrayContaining([expect.objectContaining({ kind: 'account.key_refused' })]),
    });
    expect((await healthy.client.request('GET', '/api/alerts')).body).toEqual({ alerts: [], nextCursor: null });
    expect(await metric('exchange_accounts_key_refused')).toBe(1);
    expect(await metric('accounts_scanned_total', ['scan="orphans"', 'outcome="skipped"'])).toBe(3);

    const listed = await cli(['account:list', '--user', user.userId]);
    expect(listed.out).toMatchObject({ accounts: [{ accountId: user.accountId, keyStatus: 'refused', keyRefusedCode: 'EXCHANGE.AUTH' }] });
    const manual = await cli(['orphans:scan']); // every account: the healthy one scanned, this one skipped
    expect(manual).toMatchObject({ code: 0, out: { failedAccounts: 0, skippedAccounts: 1 } });
    expect((manual.out['accounts'] as { accountId: string }[]).find((a) => a.accountId === user.accountId)).toEqual({
      accountId: user.accountId,
      skipped: expect.stringContaining('account:rotate-key'),
    });

    const { body } = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    const failed = await user.client.waitForStatus(String(body['positionId']), ['FAILED', 'ACTIVE']);
    expect(failed).toMatchObject({ status: 'FAILED', failure: expect.objectContaining({ code: 'ACCOUNT.KEY_REFUSED' }) });
    expect(await t.sim.orderCreates(user.apiKey)).toEqual([]);

    const fresh = { apiKey: `${user.apiKey}r`, apiSecret: `${user.apiSecret}r` };
    await t.sim.addKey({ apiKey: user.apiKey, newApiKey: fresh.apiKey, newApiSecret: fresh.apiSecret });
    const rotated = await cli([
      'account:rotate-key',
      '--account',
      user.accountId,
      '--api-key',
      fresh.apiKey,
      '--api-secret',
      fresh.apiSecret,
    ]);
    expect(rotated.code).toBe(0);
    expect((await cli(['account:list', '--user', user.userId])).out).toMatchObject({ accounts: [{ keyStatus: 'ok', keyRefusedAt: null }] });
    const after = await t.scan('orphans');
    expect(after.runs.find((r) => r.accountId === user.accountId)).toMatchObject({ status: 'done', error: null });
    expect(await metric('exchange_accounts_key_refused')).toBe(0);
    expect(await keyAlerts(user.accountId)).toHaveLength(1);
    const reopened = await user.client.openPosition({ indexId: user.indexId, notionalUsdt: '1000', direction: 'long' });
    expect(await user.client.waitForStatus(String(reopened.body['positionId']), ['FAILED', 'ACTIVE'])).toMatchObject({ status: 'ACTIVE' });
  });

  it('a secret that no longer signs for the key (10004): marked refused and skipped the same way', async () => {
    const user = await t.newUser();
    const identity = new IdentityRepository(t.db, new SecretCipher(parseEncryptionKeys(TEST_ENCRYPTION_KEYS).active));
    await identity.replaceApiKey(user.accountId, user.apiKey, 'a-secret-the-exchange-does-not-know');
    const { runs } = await t.scan('orphans');
    expect(runs.find((r) => r.accountId === user.accountId)?.status).toBe('skipped');
    const [marked] = await t.db.query('SELECT key_status, key_refused_reason FROM exchange_accounts WHERE id = $1', [user.accountId]);
    expect(marked).toMatchObject({ key_status: 'refused', key_refused_reason: expect.stringContaining('10004') });
    expect(await keyAlerts(user.accountId)).toHaveLength(1);
  });
});
