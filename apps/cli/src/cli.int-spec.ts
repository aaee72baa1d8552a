import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  createTestDatabase,
  LegworkStack,
  repoRoot,
  SimControl,
  startLegworkStack,
  testNamespace,
  testNatsUrl,
  TestDatabase,
} from '@legwork/devstack';
import { createDataSource, IdentityRepository, parseEncryptionKeys, SecretCipher } from '@legwork/persistence';

// The operator CLI against a real database with the real migrations.
describe('operator CLI', () => {
  let db: TestDatabase;
  let sim: LegworkStack;
  const k1 = `k1:${randomBytes(32).toString('base64')}`;
  const k2 = `k2:${randomBytes(32).toString('base64')}`;
  const cli = async (args: string[], keys = k1) => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [path.join(repoRoot(), 'dist/apps/cli/src/main.js'), ...args, '--json'],
      {
        env: { ...process.env, DATABASE_URL: db.url, BYBIT_ENV: 'sim', BYBIT_SIM_URL: sim.simUrl, ENCRYPTION_KEYS: keys },
      },
    );
    return JSON.parse(stdout) as Record<string, string | number>;
  };
  const simKey = async (canWithdraw = false) => {
    const apiKey = `k${randomBytes(4).toString('hex')}`;
    const apiSecret = randomBytes(12).toString('hex');
    await fetch(`${sim.simUrl}/__sim/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apiKey, apiSecret, balanceUsdt: '1000', canWithdraw }),
    });
    return { apiKey, apiSecret };
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
    sim = await startLegworkStack({ databaseUrl: db.url, natsUrl: testNatsUrl(), namespace: testNamespace(), services: ['bybit-sim'] });
  });
  afterAll(async () => {
    await sim?.stop();
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
    const one = await simKey();
    const account = await cli([
      'account:add',
      '--user',
      String(user['userId']),
      '--api-key',
      one.apiKey,
      '--api-secret',
      one.apiSecret,
      '--env',
      'sim',
    ]);
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
    expect(await secretOf(accountId, k1)).toMatchObject({ keyId: 'k1', secret: one.apiSecret });

    expect(await cli(['keys:rotate'], `${k2},${k1}`)).toEqual({ resealed: 1 });
    expect(await cli(['keys:rotate'], `${k2},${k1}`)).toEqual({ resealed: 0 }); // safe to run again
    expect(await secretOf(accountId, k2)).toMatchObject({ keyId: 'k2', secret: one.apiSecret }); // the old key is no longer needed

    const two = await simKey();
    await cli(['account:rotate-key', '--account', accountId, '--api-key', two.apiKey, '--api-secret', two.apiSecret], k2);
    expect(await secretOf(accountId, k2)).toEqual({ keyId: 'k2', apiKey: two.apiKey, secret: two.apiSecret });
  });

  // Issue 11: the account's position mode is read, stored and shown; --hedge-mode switches a flat account.
  it('reads and stores the position mode; --hedge-mode switches a flat account, and is refused while a position is open', async () => {
    const user = await cli(['user:create', '--email', `mode-${randomBytes(3).toString('hex')}@example.com`]);
    const add = (key: { apiKey: string; apiSecret: string }, ...extra: string[]) =>
      cli([
        'account:add',
        '--user',
        String(user['userId']),
        '--api-key',
        key.apiKey,
        '--api-secret',
        key.apiSecret,
        '--env',
        'sim',
        ...extra,
      ]);
    const oneWay = await simKey();
    expect(await add(oneWay)).toMatchObject({ positionMode: 'one_way' });

    const flat = await simKey();
    expect(await add(flat, '--hedge-mode')).toMatchObject({ positionMode: 'hedge' });
    expect((await new SimControl(sim.simUrl).account(flat.apiKey)).positionModes['BTCUSDT']).toBe('Hedge');

    const holding = await simKey();
    await new SimControl(sim.simUrl).manualTrade({ apiKey: holding.apiKey, symbol: 'XRPUSDT', side: 'Buy', qty: '10' });
    const refused = await add(holding, '--hedge-mode').then(
      () => 'stored',
      (e: { stderr: string }) => e.stderr,
    );
    expect(refused).toContain('ACCOUNT.HEDGE_MODE_REFUSED');
    const listed = (await cli(['account:list', '--user', String(user['userId'])])) as unknown as { accounts: { positionMode: string }[] };
    expect(listed.accounts.map((a) => a.positionMode).sort()).toEqual(['hedge', 'one_way']); // nothing stored for the refused one
  });

  it('checks a key against the exchange before storing it: a key that can withdraw, or a wrong secret, is refused', async () => {
    const user = await cli(['user:create', '--email', `ops-${randomBytes(3).toString('hex')}@example.com`]);
    const withdraw = await simKey(true);
    const refuse = (key: { apiKey: string; apiSecret: string }) =>
      cli(['account:add', '--user', String(user['userId']), '--api-key', key.apiKey, '--api-secret', key.apiSecret, '--env', 'sim']).then(
        () => 'stored',
        (e: { stderr: string }) => e.stderr,
      );
    expect(await refuse(withdraw)).toContain('ACCOUNT.KEY_CAN_WITHDRAW');
    expect(await refuse({ apiKey: withdraw.apiKey, apiSecret: 'not-the-secret' })).toContain('ACCOUNT.KEY_INVALID');
    const [{ n }] = await (async () => {
      const ds = await createDataSource(db.url, { poolSize: 1 }).initialize();
      try {
        return await ds.query('SELECT count(*)::int AS n FROM exchange_accounts WHERE user_id = $1', [user['userId']]);
      } finally {
        await ds.destroy();
      }
    })();
    expect(n).toBe(0);
  });

  describe('index:create', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lw-index-'));
    const run = async (components: { symbol: string; weight: string | number }[], ...flags: string[]) => {
      const name = `idx-${randomBytes(4).toString('hex')}`;
      const file = path.join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify({ name, components }));
      const result = await promisify(execFile)(
        process.execPath,
        [path.join(repoRoot(), 'dist/apps/cli/src/main.js'), 'index:create', '--file', file, ...flags],
        {
          env: { ...process.env, DATABASE_URL: db.url, BYBIT_ENV: 'sim', BYBIT_SIM_URL: sim.simUrl, ENCRYPTION_KEYS: k1 },
        },
      ).then(
        (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
      );
      const ds = await createDataSource(db.url, { poolSize: 1 }).initialize();
      try {
        const stored = (await ds.query(
          'SELECT c.symbol, c.weight FROM indices i JOIN index_components c ON c.index_id = i.id WHERE i.name = $1 ORDER BY c.ordinal',
          [name],
        )) as { symbol: string; weight: string }[];
        return { ...result, stored: stored.map((c) => [c.symbol, c.weight.replace(/\.?0+$/, '')]) };
      } finally {
        await ds.destroy();
      }
    };

    it('refuses a symbol the exchange does not list, naming the field and the symbol; stores nothing', async () => {
      const refused = await run([
        { symbol: 'BTCUSDT', weight: '60' },
        { symbol: 'SOLUSDT', weight: '40' }, // the simulator does not list SOLUSDT
      ]);
      expect(refused).toMatchObject({ code: 1, stored: [] });
      expect(refused.stderr).toBe(
        'legwork: INDEX.SYMBOL_NOT_LISTED: components[1].symbol: SOLUSDT is not listed by the exchange as a USDT linear perpetual\n',
      );
    });

    it('refuses a symbol the exchange lists but that is not Trading, naming its status', async () => {
      await new SimControl(sim.simUrl).setInstrumentStatus('TRXUSDT', 'Closed');
      try {
        const refused = await run([
          { symbol: 'ETHUSDT', weight: '75' },
          { symbol: 'TRXUSDT', weight: '25' },
        ]);
        expect(refused).toMatchObject({ code: 1, stored: [] });
        expect(refused.stderr).toBe('legwork: INDEX.SYMBOL_NOT_TRADING: components[1].symbol: TRXUSDT is not trading (status closed)\n');
      } finally {
        await new SimControl(sim.simUrl).setInstrumentStatus('TRXUSDT', 'Trading');
      }
    });

    it('refuses duplicated symbols, weights that are not above 0, and weights that do not sum to 100', async () => {
      const duplicate = await run([
        { symbol: 'ETHUSDT', weight: '50' },
        { symbol: 'ETHUSDT', weight: '50' },
      ]);
      expect(duplicate).toMatchObject({
        code: 1,
        stored: [],
        stderr: expect.stringContaining('INDEX.DUPLICATE_SYMBOL: components[1].symbol: ETHUSDT is already components[0]'),
      });
      const zero = await run([
        { symbol: 'XRPUSDT', weight: '0' },
        { symbol: 'LTCUSDT', weight: 100 },
      ]);
      expect(zero).toMatchObject({
        code: 1,
        stored: [],
        stderr: expect.stringContaining(
          'INDEX.WEIGHT_NOT_POSITIVE: components[0].weight: weight of XRPUSDT must be a number above 0, got 0',
        ),
      });
      const negative = await run([{ symbol: 'DOGEUSDT', weight: '-100' }], '--scale-weights');
      expect(negative).toMatchObject({
        code: 1,
        stored: [],
        stderr: expect.stringContaining('INDEX.WEIGHT_NOT_POSITIVE: components[0].weight'),
      });
      const ninety = await run([
        { symbol: 'BTCUSDT', weight: '40' },
        { symbol: 'ETHUSDT', weight: '30' },
        { symbol: 'ADAUSDT', weight: '20' },
      ]);
      expect(ninety).toMatchObject({
        code: 1,
        stored: [],
        stderr: expect.stringContaining('INDEX.WEIGHTS_NOT_100: components: weights sum to 90, not 100'),
      });
    });

    it('scales weights to 100 only when asked, and prints the result', async () => {
      const scaled = await run(
        [
          { symbol: 'BTCUSDT', weight: '40' },
          { symbol: 'ETHUSDT', weight: '30' },
          { symbol: 'ADAUSDT', weight: '20' },
        ],
        '--scale-weights',
      );
      expect(scaled.code).toBe(0);
      expect(scaled.stored).toEqual([
        ['BTCUSDT', '44.44444445'],
        ['ETHUSDT', '33.33333333'],
        ['ADAUSDT', '22.22222222'],
      ]);
      expect(scaled.stdout).toContain(
        'weights scaled to sum to 100: BTCUSDT 40 → 44.44444445, ETHUSDT 30 → 33.33333333, ADAUSDT 20 → 22.22222222',
      );
      const exact = await run([
        { symbol: 'TRXUSDT', weight: '62.5' },
        { symbol: 'ZRXUSDT', weight: 37.5 },
      ]);
      expect(exact).toMatchObject({
        code: 0,
        stored: [
          ['TRXUSDT', '62.5'],
          ['ZRXUSDT', '37.5'],
        ],
      });
      expect(exact.stdout).not.toContain('scaled');
    });
  });

  it('revokes a token at once', async () => {
    const user = await cli(['user:create', '--email', `u-${randomBytes(3).toString('hex')}@example.com`]);
    const extra = await cli(['token:create', '--user', String(user['userId'])]);
    await cli(['token:revoke', '--token-id', String(extra['tokenId'])]);
    const ds = await createDataSource(db.url, { poolSize: 1 }).initialize();
    try {
      const identity = new IdentityRepository(ds, new SecretCipher(parseEncryptionKeys(k1).active));
      expect(await identity.authenticate(String(extra['token']))).toBeNull();
      expect(await identity.authenticate(String(user['token']))).toEqual({ userId: user['userId'], role: 'user' });
    } finally {
      await ds.destroy();
    }
  });
});
