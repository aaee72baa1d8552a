import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { z } from 'zod';
import {
  createDataSource,
  IdentityRepository,
  IndexRepository,
  parseEncryptionKeys,
  PositionRepository,
  runMigrations,
  SecretCipher,
} from '@legwork/persistence';
import { commonEnv, createRegistry, encryptionKeysFor, exchangeEnv, parseEnv } from '@legwork/observability';
import { LEGGING_MODES, validateIndexDefinition } from '@legwork/domain';
import { assertTradingOnlyKey, BybitClientFactory, bybitSettingsFrom, positionModesOf } from '@legwork/exchange';
import { slotLabel, type PositionMode } from '@legwork/domain';
import { scanOrphans } from './orphan-scan';

/**
 * The operator CLI: `npm run legwork -- <command> [--json]`. Prints human-readable text, or one
 * JSON document with `--json`. Exits 1 with the reason on any error (never a stack trace).
 */
const config = (() => {
  const parsed = parseEnv(z.object({ DATABASE_URL: commonEnv.DATABASE_URL, ...exchangeEnv }), process.env);
  return { ...parsed, ENCRYPTION_KEYS: encryptionKeysFor(parsed) };
})();

const indexFile = z.strictObject({
  name: z.string().min(1).max(100),
  components: z
    .array(
      z.strictObject({
        symbol: z.string().regex(/^[A-Z0-9]{2,20}USDT$/, 'a USDT linear perpetual symbol like BTCUSDT'),
        weight: z.union([z.string(), z.number()]).transform(String),
      }),
    )
    .min(1)
    .max(50),
  /** The legging of open requests on this index that name none; absent: the gateway's DEFAULT_LEGGING. */
  legging: z.enum(LEGGING_MODES).optional(),
});

async function withRepositories<T>(
  fn: (r: { identity: IdentityRepository; indices: IndexRepository; positions: PositionRepository }) => Promise<T>,
): Promise<T> {
  const dataSource = await createDataSource(config.DATABASE_URL, { poolSize: 2, applicationName: 'legwork-cli' }).initialize();
  try {
    const { active, older } = parseEncryptionKeys(config.ENCRYPTION_KEYS);
    return await fn({
      identity: new IdentityRepository(dataSource, new SecretCipher(active, older)),
      indices: new IndexRepository(dataSource),
      positions: new PositionRepository(dataSource),
    });
  } finally {
    await dataSource.destroy();
  }
}

function exchangeClients(): BybitClientFactory {
  return new BybitClientFactory(bybitSettingsFrom(config), createRegistry('cli'));
}

/** The key must authenticate on the configured exchange, trade contracts, and not withdraw. */
async function checkKey(apiKey: string, apiSecret: string): Promise<void> {
  await assertTradingOnlyKey(await exchangeClients().connect({ accountId: 'key-check', apiKey, apiSecret }));
}

/**
 * Bybit keeps the position mode per symbol but switches it per settle coin (mode 3, coin USDT):
 * the account's mode is read on this symbol, and each basket re-checks its own symbols.
 */
const MODE_REFERENCE_SYMBOL = 'BTCUSDT';

/** Reads the account's USDT linear position mode; with `switchToHedge`, switches a flat account first. */
async function positionModeOf(apiKey: string, apiSecret: string, switchToHedge: boolean): Promise<PositionMode> {
  const exchange = await exchangeClients().connect({ accountId: 'mode-check', apiKey, apiSecret });
  if (switchToHedge) {
    try {
      await exchange.switchToHedgeMode();
    } catch (error) {
      throw new Error(
        `ACCOUNT.HEDGE_MODE_REFUSED: the exchange refused to switch to hedge mode (it needs a flat account: no position, no open order): ${(error as Error).message}`,
      );
    }
  }
  const mode = positionModesOf(await exchange.positionsBySymbol([MODE_REFERENCE_SYMBOL])).get(MODE_REFERENCE_SYMBOL) ?? 'one_way';
  if (switchToHedge && mode !== 'hedge')
    throw new Error(`ACCOUNT.HEDGE_MODE_REFUSED: the switch was accepted but ${MODE_REFERENCE_SYMBOL} still reads ${mode}`);
  return mode;
}

function output(json: boolean, value: unknown, text: string): void {
  process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${text}\n`);
}

const program = new Command('legwork').description('Legwork operator commands').option('--json', 'machine-readable output', false);
const json = () => Boolean(program.opts().json);

program
  .command('migrate')
  .description('apply pending database migrations')
  .action(async () => {
    const applied = await runMigrations(config.DATABASE_URL);
    output(json(), { applied }, applied.length ? `applied: ${applied.join(', ')}` : 'schema up to date');
  });

program
  .command('user:create')
  .requiredOption('--email <email>')
  .option('--operator', 'grant the operator role', false)
  .action(async (o: { email: string; operator: boolean }) => {
    const email = z.email().parse(o.email);
    const { user, token, tokenId } = await withRepositories((r) => r.identity.createUser(email, o.operator ? 'operator' : 'user'));
    output(
      json(),
      { userId: user.id, email: user.email, token, tokenId },
      `user ${user.id}\ntoken ${token}  (id ${tokenId}; shown once, store it now)`,
    );
  });

program
  .command('token:create')
  .description('a new bearer token for a user (shown once)')
  .requiredOption('--user <id>')
  .option('--operator', 'grant the operator role', false)
  .action(async (o: { user: string; operator: boolean }) => {
    const { token, tokenId } = await withRepositories((r) =>
      r.identity.createToken(z.uuid().parse(o.user), o.operator ? 'operator' : 'user'),
    );
    output(json(), { token, tokenId }, `token ${token}  (id ${tokenId}; shown once, store it now)`);
  });

program
  .command('token:revoke')
  .description('revoke a bearer token at once')
  .requiredOption('--token-id <id>')
  .action(async (o: { tokenId: string }) => {
    await withRepositories((r) => r.identity.revokeToken(z.uuid().parse(o.tokenId)));
    output(json(), { revoked: o.tokenId }, `token ${o.tokenId} revoked`);
  });

program
  .command('account:add')
  .requiredOption('--user <id>')
  .requiredOption('--api-key <key>')
  .requiredOption('--api-secret <secret>')
  .requiredOption('--env <env>', 'sim | testnet | mainnet')
  .option('--hedge-mode', 'switch the (flat) account to hedge mode for USDT perpetuals before adding it', false)
  .action(async (o: { user: string; apiKey: string; apiSecret: string; env: string; hedgeMode: boolean }) => {
    const env = z.enum(['sim', 'testnet', 'mainnet']).parse(o.env);
    if (env !== config.BYBIT_ENV) throw new Error(`--env ${env} does not match this deployment's BYBIT_ENV=${config.BYBIT_ENV}`);
    await checkKey(o.apiKey, o.apiSecret);
    const positionMode = await positionModeOf(o.apiKey, o.apiSecret, o.hedgeMode);
    const account = await withRepositories((r) =>
      r.identity.addAccount({ userId: z.uuid().parse(o.user), exchangeEnv: env, apiKey: o.apiKey, apiSecret: o.apiSecret, positionMode }),
    );
    output(
      json(),
      { accountId: account.id, userId: account.userId, env: account.exchangeEnv, positionMode: account.positionMode },
      `account ${account.id} (${account.exchangeEnv}, ${account.positionMode === 'hedge' ? 'hedge mode' : 'one-way mode'})`,
    );
  });

program
  .command('account:list')
  .description(
    'exchange accounts with their API key status (refused: the exchange refused the key; scans skip the account until account:rotate-key)',
  )
  .option('--user <id>', "only this user's accounts")
  .action(async (o: { user?: string }) => {
    const accounts = await withRepositories((r) => r.identity.listAllAccounts(o.user ? z.uuid().parse(o.user) : undefined));
    const rows = accounts.map((a) => ({
      accountId: a.id,
      userId: a.userId,
      env: a.exchangeEnv,
      apiKey: `${a.apiKey.slice(0, 4)}…`,
      positionMode: a.positionMode,
      keyStatus: a.keyStatus,
      keyRefusedAt: a.keyRefusedAt?.toISOString() ?? null,
      keyRefusedCode: a.keyRefusedCode,
      keyRefusedReason: a.keyRefusedReason,
    }));
    output(
      json(),
      { accounts: rows },
      rows
        .map(
          (a) =>
            `${a.accountId}  ${a.env.padEnd(7)} ${a.positionMode === 'hedge' ? 'hedge  ' : 'one-way'} user ${a.userId}  key ${a.apiKey}  ${a.keyStatus === 'refused' ? `KEY REFUSED since ${a.keyRefusedAt} (${a.keyRefusedCode}): rotate it with account:rotate-key` : 'key ok'}`,
        )
        .join('\n') || 'no accounts',
    );
  });

program
  .command('account:rotate-key')
  .description("replace an account's Bybit API key and secret (positions on the account keep working; a refused key status is cleared)")
  .requiredOption('--account <id>')
  .requiredOption('--api-key <key>')
  .requiredOption('--api-secret <secret>')
  .action(async (o: { account: string; apiKey: string; apiSecret: string }) => {
    await checkKey(o.apiKey, o.apiSecret);
    const account = await withRepositories((r) => r.identity.replaceApiKey(z.uuid().parse(o.account), o.apiKey, o.apiSecret));
    output(json(), { accountId: account.id, env: account.exchangeEnv }, `account ${account.id}: API key replaced`);
  });

program
  .command('keys:rotate')
  .description('re-seal every stored exchange secret with the first key of ENCRYPTION_KEYS')
  .action(async () => {
    const resealed = await withRepositories((r) => r.identity.resealAll());
    output(json(), { resealed }, `${resealed} secret(s) re-sealed with the active key`);
  });

program
  .command('index:create')
  .description(
    'creates an index after checking it: each symbol listed and Trading on the exchange (BYBIT_ENV), once, weights > 0 summing to 100',
  )
  .requiredOption(
    '--file <path>',
    'JSON: {"name": "...", "components": [{"symbol": "BTCUSDT", "weight": "40"}, ...], "legging"?: "sequential" | "batch"}',
  )
  .option('--scale-weights', 'scale positive weights that do not sum to 100 to sum to 100 (the result is printed)', false)
  .action(async (o: { file: string; scaleWeights: boolean }) => {
    const spec = indexFile.parse(JSON.parse(readFileSync(o.file, 'utf8')));
    const instruments = await exchangeClients()
      .publicMarketData()
      .instrumentRules([...new Set(spec.components.map((c) => c.symbol))]);
    const valid = validateIndexDefinition({ components: spec.components, instruments, scaleWeights: o.scaleWeights });
    const created = await withRepositories((r) => r.indices.create(spec.name, valid.components, spec.legging ?? null));
    const scaled = valid.scaledFrom
      ? `weights scaled to sum to 100: ${valid.scaledFrom.map((c, i) => `${c.symbol} ${c.weight} → ${valid.components[i]?.weight}`).join(', ')}\n`
      : '';
    output(
      json(),
      {
        indexId: created.index.id,
        name: created.index.name,
        components: created.components.map((c) => ({ symbol: c.symbol, weight: c.weight })),
        scaledFrom: valid.scaledFrom,
      },
      `${scaled}index ${created.index.id} ${created.index.name}: ${created.components.map((c) => `${c.symbol} ${c.weight}`).join(', ')}`,
    );
  });

program
  .command('positions:list')
  .option('--user <id>')
  .option('--limit <n>', 'at most this many, newest first', '50')
  .action(async (o: { user?: string; limit: string }) => {
    const positions = await withRepositories((r) =>
      r.positions.listForUser(o.user ? z.uuid().parse(o.user) : null, z.coerce.number().int().min(1).max(1000).parse(o.limit)),
    );
    const rows = positions.map((p) => ({
      id: p.id,
      userId: p.userId,
      status: p.status,
      health: p.health,
      direction: p.direction,
      notionalUsdt: p.notionalUsdt,
      failure: p.failureReason,
      createdAt: p.createdAt.toISOString(),
    }));
    output(
      json(),
      { positions: rows },
      rows
        .map(
          (p) =>
            `${p.id}  ${p.status.padEnd(12)} ${p.direction.padEnd(5)} ${p.notionalUsdt} USDT  ${p.createdAt}${p.failure ? `  (${p.failure})` : ''}`,
        )
        .join('\n') || 'no positions',
    );
  });

program
  .command('orphans:scan')
  .description(
    'scan exchange accounts for untracked exposure now; exits 2 when orphans are confirmed, 1 on a failed account (not on one skipped because its API key is refused)',
  )
  .option('--account <id>', 'only this exchange account')
  .action(async (o: { account?: string }) => {
    const { raw, report } = await scanOrphans(o.account ? z.uuid().parse(o.account) : undefined);
    const lines = report.accounts.map((a) =>
      'error' in a
        ? `${a.accountId}  SCAN FAILED: ${a.error}`
        : 'skipped' in a
          ? `${a.accountId}  SKIPPED: ${a.skipped}`
          : a.orphans.length === 0
            ? `${a.accountId}  no untracked exposure`
            : a.orphans
                .map(
                  (f) =>
                    `${a.accountId}  ${f.status.toUpperCase().padEnd(9)} ${slotLabel(f.symbol, f.hedgeSide)} ${f.side} ${f.size} (scans ${f.consecutiveScans}, since ${f.firstSeenAt}${f.origin ? `, ${f.origin}` : ''})`,
                )
                .join('\n'),
    );
    output(
      json(),
      raw,
      [
        ...lines,
        `${report.confirmed} confirmed orphan(s), ${report.failedAccounts} failed account(s), ${report.skippedAccounts} skipped (API key refused)`,
      ].join('\n'),
    );
    if (report.confirmed > 0) process.exitCode = 2;
    else if (report.failedAccounts > 0) process.exitCode = 1;
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  const code = (error as { code?: unknown }).code;
  const message =
    error instanceof z.ZodError
      ? error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ')
      : `${typeof code === 'string' && /^[A-Z]+\.[A-Z0-9_]+$/.test(code) ? `${code}: ` : ''}${(error as Error).message}`;
  process.stderr.write(`legwork: ${message}\n`);
  process.exit(1);
});
