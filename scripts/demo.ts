import { z } from 'zod';
import { GatewayClient, seedUser, startLegworkStack } from '@legwork/devstack';
import { parseEnv, SIM_ONLY_ENCRYPTION_KEYS } from '@legwork/observability';
import { ensureLocalInfra, localStackEnv } from './local-infra';

/**
 * `npm run demo`: the main job on embedded defaults. Starts (or reuses) NATS JetStream and
 * PostgreSQL, the simulator and all services; creates a user, a simulator account with
 * 10,000 USDT and a five-leg index; opens a 1,000 USDT long through the gateway's HTTP API as a
 * frontend would; follows it to ACTIVE; prints a summary; stops what it started. Exit 0 only
 * when the position is ACTIVE with every leg filled.
 */
const env = parseEnv(
  z.object({
    ...localStackEnv,
    DEMO_NOTIONAL_USDT: z.string().default('1000'),
    DEMO_TIMEOUT_MS: z.coerce.number().int().positive().default(60_000),
  }),
  process.env,
);

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<number> {
  const started = Date.now();
  const infra = await ensureLocalInfra(env.NATS_URL, env.DATABASE_URL, say);
  let stack: Awaited<ReturnType<typeof startLegworkStack>> | null = null;
  try {
    stack = await startLegworkStack({
      databaseUrl: env.DATABASE_URL,
      natsUrl: env.NATS_URL,
      namespace: env.BUS_NAMESPACE,
      ports: { gateway: env.GATEWAY_PORT, 'bybit-sim': env.BYBIT_SIM_PORT },
      env: { LOG_LEVEL: 'warn' },
    });
    say(`stack up in ${Date.now() - started} ms: gateway ${stack.gatewayUrl}, simulator ${stack.simUrl}`);
    const user = await seedUser({ databaseUrl: env.DATABASE_URL, simUrl: stack.simUrl, encryptionKeys: SIM_ONLY_ENCRYPTION_KEYS, balanceUsdt: '10000' });
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
    await stack?.stop();
    await infra.stop();
  }
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
