import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, repoRoot, TestDatabase } from '@legwork/devstack';
import { createDataSource, IdentityRepository, parseEncryptionKeys, SecretCipher } from '@legwork/persistence';

// The operator CLI against a real database with the real migrations.
describe('operator CLI', () => {
  let db: TestDatabase;
  const k1 = `k1:${randomBytes(32).toString('base64')}`;
  const k2 = `k2:${randomBytes(32).toString('base64')}`;
  const cli = async (args: string[], keys = k1) => {
    const { stdout } = await promisify(execFile)(process.execPath, [path.join(repoRoot(), 'dist/apps/cli/src/main.js'), ...args, '--json'], {
      env: { ...process.env, DATABASE_URL: db.url, BYBIT_ENV: 'mainnet', ENCRYPTION_KEYS: keys },
    });
    return JSON.parse(stdout) as Record<string, string | number>;
  };
  const secretOf = async (accountId: string, keys: string) => {
    const ds = await createDataSource(db.url, { poolSize: 1 }).initialize();
    try {
      const { active, older } = parseEncryptionKeys(keys);
      const identity = new IdentityRepository(ds, new SecretCipher(active, older));
      const account = await identity.findAccount(accountId);
      return account ? { keyId: account.encryptionKeyId, apiKey: account.apiKey, secret: identity.revealSecret(account) } : null;
    } finally {
      await ds.destroy();
    }
  };
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('refuses to run against a real exchange without ENCRYPTION_KEYS', async () => {
    await expect(
      promisify(execFile)(process.execPath, [path.join(repoRoot(), 'dist/apps/cli/src/main.js'), 'positions:list'], {
        env: { ...process.env, DATABASE_URL: db.url, BYBIT_ENV: 'mainnet', ENCRYPTION_KEYS: '' },
      }),
    ).rejects.toMatchObject({ stderr: expect.stringContaining('ENCRYPTION_KEYS: required when BYBIT_ENV=mainnet') });
  });

  it('seals secrets, re-seals them all under a new key (keys:rotate), and replaces an API key in place', async () => {
    const user = await cli(['user:create', '--email', `ops-${randomBytes(3).toString('hex')}@example.com`]);
    const account = await cli(['account:add', '--user', String(user['userId']), '--api-key', 'key-one', '--api-secret', 's3cret-one', '--env', 'mainnet']);
    const accountId = String(account['accountId']);
    const [{ api_secret_ciphertext }] = await (async () => {
      const ds = await createDataSource(db.url, { poolSize: 1 }).initialize();
      try {
        return await ds.query('SELECT api_secret_ciphertext FROM exchange_accounts WHERE id = $1', [accountId]);
      } finally {
        await ds.destroy();
      }
    })();
    expect(api_secret_ciphertext).not.toContain('s3cret');
    expect(await secretOf(accountId, k1)).toMatchObject({ keyId: 'k1', secret: 's3cret-one' });

    expect(await cli(['keys:rotate'], `${k2},${k1}`)).toEqual({ resealed: 1 });
    expect(await cli(['keys:rotate'], `${k2},${k1}`)).toEqual({ resealed: 0 }); // safe to run again
    expect(await secretOf(accountId, k2)).toMatchObject({ keyId: 'k2', secret: 's3cret-one' }); // the old key is no longer needed

    await cli(['account:rotate-key', '--account', accountId, '--api-key', 'key-two', '--api-secret', 's3cret-two'], k2);
    expect(await secretOf(accountId, k2)).toEqual({ keyId: 'k2', apiKey: 'key-two', secret: 's3cret-two' });
  });
});
