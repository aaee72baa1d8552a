import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { GatewayClient, seedUser, startLegworkStack } from '@legwork/devstack';
import { parseEnv, SIM_ONLY_ENCRYPTION_KEYS } from '@legwork/observability';
import { createDemoWorkspace, DemoWorkspace, demoWorkspace, localStackEnv, removeDemoWorkspace, startOrFindServers } from './local-infra';

/**
 * `npm run demo`: the main job on embedded defaults. Finds (or starts) NATS JetStream and
 * PostgreSQL and says which; works in a database (`legwork_demo_<id>`) and bus namespace
 * (`demo<id>`) of its own, so that nothing it creates reaches the `legwork` database or the
 * default namespace that `npm start` and a deployment use; starts the simulator and all services;
 * creates a user, a simulator account with 10,000 USDT and a five-leg index; opens a 1,000 USDT
 * long through the gateway's HTTP API as a frontend would; follows it to ACTIVE; prints a summary;
 * stops what it started and removes its database and streams (`--keep` or `DEMO_KEEP=1` keeps
 * them; `--remove <id>` removes a kept run's). Exit 0 only when the position is ACTIVE with every
 * leg filled. `BUS_NAMESPACE` and the database named in `DATABASE_URL` are not used: only its server.
 */
const env = parseEnv(
  z.object({
    ...localStackEnv,
    DEMO_NOTIONAL_USDT: z.string().default('1000'),
    DEMO_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
    DEMO_KEEP: z
      .enum(['', '0', '1', 'true', 'false'])
      .default('')
      .transform((v) => v === '1' || v === 'true'),
  }),
  process.env,
);
const args = process.argv.slice(2);
const keep = env.DEMO_KEEP || args.includes('--keep');
const removeId = args[args.indexOf('--remove') + 1];

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  if (args.includes('--remove')) return removeKept(removeId);
  const started = Date.now();
  const infra = await startOrFindServers(env.NATS_URL, env.DATABASE_URL, say);
  const workspace = demoWorkspace(env.DATABASE_URL, randomBytes(4).toString('hex'));
  let stack: Awaited<ReturnType<typeof startLegworkStack>> | null = null;
  try {
    await createDemoWorkspace(workspace);
    say(`demo workspace ${workspace.id}: database ${workspace.databaseName}, bus namespace ${workspace.namespace}`);
    stack = await startLegworkStack({
      databaseUrl: workspace.databaseUrl,
      natsUrl: env.NATS_URL,
      namespace: workspace.namespace,
      ports: { gateway: env.GATEWAY_PORT, 'bybit-sim': env.BYBIT_SIM_PORT },
      env: { LOG_LEVEL: 'warn' },
    });
    say(`stack up in ${Date.now() - started} ms: gateway ${stack.gatewayUrl}, simulator ${stack.simUrl}`);
    const user = await seedUser({
      databaseUrl: workspace.databaseUrl,
      simUrl: stack.simUrl,
      encryptionKeys: SIM_ONLY_ENCRYPTION_KEYS,
      balanceUsdt: '10000',
    });
    say(`user ${user.userId}, simulator account ${user.apiKey} with 10000 USDT, index ${user.indexId}`);

    const client = new GatewayClient(stack.gatewayUrl, user.token);
    const t0 = Date.now();
    const accepted = await client.openPosition({ indexId: user.indexId, notionalUsdt: env.DEMO_NOTIONAL_USDT, direction: 'long' });
    const acceptMs = Date.now() - t0;
    if (accepted.status !== 202) throw new Error(`gateway answered ${accepted.status}: ${JSON.stringify(accepted.body)}`);
    const positionId = String(accepted.body['positionId']);
    say(`POST /api/positions → 202 in ${acceptMs} ms, position ${positionId} ${String(accepted.body['status'])}`);

    const position = await client.waitForStatus(positionId, ['ACTIVE', 'FAILED'], env.DEMO_TIMEOUT_MS);
    const toSettledMs = Date.now() - t0;
    printSummary(position, acceptMs, toSettledMs);
    const legs = position['legs'] as { status: string; fills: unknown[] }[];
    const ok = position['status'] === 'ACTIVE' && legs.length === 5 && legs.every((l) => l.status === 'FILLED' && l.fills.length > 0);
    say(ok ? 'demo: OK' : `demo: FAILED — ${JSON.stringify(position['failure'])}`);
    return ok ? 0 : 1;
  } finally {
    try {
      await stack?.stop();
      await cleanUp(workspace);
    } finally {
      await infra.stop();
    }
  }
}

/** Removes the run's database and streams, unless asked to keep them (then says how to later). */
async function cleanUp(workspace: DemoWorkspace): Promise<void> {
  if (keep) {
    say(`kept: database ${workspace.databaseName} and the streams of bus namespace ${workspace.namespace}`);
    say(`  remove them later with: npm run demo -- --remove ${workspace.id}   (with the same NATS_URL and DATABASE_URL)`);
    return;
  }
  const { streams } = await removeDemoWorkspace(workspace, env.NATS_URL);
  say(`removed: database ${workspace.databaseName}, streams ${streams.join(', ') || '(none)'}`);
}

async function removeKept(id: string | undefined): Promise<number> {
  if (!id) throw new Error('--remove needs the id a kept demo printed');
  const workspace = demoWorkspace(env.DATABASE_URL, id);
  const { streams } = await removeDemoWorkspace(workspace, env.NATS_URL);
  say(`removed: database ${workspace.databaseName}, streams ${streams.join(', ') || '(none)'}`);
  return 0;
}

function printSummary(p: Record<string, unknown>, acceptMs: number, settledMs: number): void {
  const legs = p['legs'] as Record<string, string>[];
  say('');
  say(`position ${String(p['id'])}: ${String(p['status'])}  (${String(p['direction'])} ${String(p['notionalUsdt'])} USDT)`);
  say(`  accepted in ${acceptMs} ms, ${String(p['status'])} after ${settledMs} ms`);
  say(`  ${'symbol'.padEnd(10)} ${'side'.padEnd(5)} ${'quantity'.padStart(14)} ${'fill price'.padStart(14)}  orderLinkId`);
  for (const leg of legs) {
    say(
      `  ${leg['symbol']!.padEnd(10)} ${leg['side']!.padEnd(5)} ${trim(leg['filledQuantity']).padStart(14)} ${trim(leg['averagePrice']).padStart(14)}  ${leg['orderLinkId']}  ${leg['status']}`,
    );
  }
  for (const h of p['history'] as { from: string | null; to: string; at: string }[]) say(`  ${h.at}  ${h.from ?? '—'} → ${h.to}`);
  say('');
}

const trim = (v: string | undefined) => (v ? v.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '') : '—');

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo failed: ${(error as Error).message}\n`);
    process.exit(1);
  },
);
