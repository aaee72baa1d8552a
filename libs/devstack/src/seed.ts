import { randomBytes } from 'node:crypto';
import { createDataSource, IdentityRepository, IndexRepository, parseEncryptionKeys, SecretCipher } from '@legwork/persistence';

export interface SeededUser {
  userId: string;
  token: string;
  accountId: string;
  apiKey: string;
  apiSecret: string;
  indexId: string;
}

export interface SeedOptions {
  databaseUrl: string;
  simUrl: string;
  /** `ENCRYPTION_KEYS` the services use (the sim-only dev key in the demo and tests). */
  encryptionKeys: string;
  email?: string;
  balanceUsdt?: string;
  /** The account's position mode on the simulator and in Legwork (default one-way, as Bybit). */
  positionMode?: 'one_way' | 'hedge';
  /** Index constituents; default the demo's five-leg basket. */
  index?: { name?: string; components: { symbol: string; weight: string }[] };
}

/** BTC 40 %, ETH 25 %, XRP 15 %, DOGE 10 %, LTC 10 %: real Bybit USDT perpetuals. */
export const DEMO_INDEX = [
  { symbol: 'BTCUSDT', weight: '40' },
  { symbol: 'ETHUSDT', weight: '25' },
  { symbol: 'XRPUSDT', weight: '15' },
  { symbol: 'DOGEUSDT', weight: '10' },
  { symbol: 'LTCUSDT', weight: '10' },
];

/**
 * Creates what a user needs to trade, as an operator would (the CLI's repositories): a user with
 * a token, a simulator account with a USDT balance (through the simulator's control API), the
 * account registered in Legwork, and an index.
 * @throws Error when the simulator refuses the account or the database refuses a row.
 */
export async function seedUser(options: SeedOptions): Promise<SeededUser> {
  const suffix = randomBytes(4).toString('hex');
  const apiKey = `key${suffix}`;
  const apiSecret = randomBytes(16).toString('hex');
  const response = await fetch(`${options.simUrl}/__sim/accounts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      apiKey,
      apiSecret,
      balanceUsdt: options.balanceUsdt ?? '10000',
      ...(options.positionMode === 'hedge' ? { positionMode: 'Hedge' } : {}),
    }),
  });
  if (!response.ok) throw new Error(`simulator refused the account: ${response.status} ${await response.text()}`);
  const dataSource = await createDataSource(options.databaseUrl, { poolSize: 1, applicationName: 'legwork-seed' }).initialize();
  try {
    const { active, older } = parseEncryptionKeys(options.encryptionKeys);
    const identity = new IdentityRepository(dataSource, new SecretCipher(active, older));
    const { user, token } = await identity.createUser(options.email ?? `trader-${suffix}@example.com`);
    const account = await identity.addAccount({
      userId: user.id,
      exchangeEnv: 'sim',
      apiKey,
      apiSecret,
      positionMode: options.positionMode ?? 'one_way',
    });
    const index = await new IndexRepository(dataSource).create(
      options.index?.name ?? `Top-5 ${suffix}`,
      options.index?.components ?? DEMO_INDEX,
    );
    return { userId: user.id, token, accountId: account.id, apiKey, apiSecret, indexId: index.index.id };
  } finally {
    await dataSource.destroy();
  }
}
