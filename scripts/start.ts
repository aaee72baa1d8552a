import path from 'node:path';
import { z } from 'zod';
import { repoRoot, startLegworkStack } from '@legwork/devstack';
import { parseEnv } from '@legwork/observability';
import { ensureLocalInfra, localStackEnv } from './local-infra';

/**
 * `npm start`: the same stack as the demo, left running until Ctrl-C, on fixed ports (gateway
 * 3000, executor 3001, reconciler 3002, orphan monitor 3003, simulator 8090; each overridable by
 * its variable). Service logs go to `.legwork/logs/<service>.log`.
 */
const env = parseEnv(
  z.object({
    ...localStackEnv,
  }),
  process.env,
);
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const infra = await ensureLocalInfra(env.NATS_URL, env.DATABASE_URL, say);
  const logDir = path.join(repoRoot(), '.legwork', 'logs');
  const stack = await startLegworkStack({
    databaseUrl: env.DATABASE_URL,
    natsUrl: env.NATS_URL,
    namespace: env.BUS_NAMESPACE,
    // Fixed ports, the ones ops/prometheus/prometheus.yml scrapes (a static Prometheus config fits `npm start`).
    ports: {
      gateway: env.GATEWAY_PORT,
      'bybit-sim': env.BYBIT_SIM_PORT,
      executor: env.EXECUTOR_HTTP_PORT,
      reconciler: env.RECONCILER_HTTP_PORT,
      'orphan-monitor': env.ORPHAN_MONITOR_HTTP_PORT,
    },
    logDir,
  }).catch(async (error: unknown) => {
    await infra.stop();
    throw error;
  });
  say(`gateway        ${stack.gatewayUrl}   (API reference ${stack.gatewayUrl}/api/docs, OpenAPI ${stack.gatewayUrl}/api/openapi.json)`);
  say(`bybit-sim      ${stack.simUrl}   (control API ${stack.simUrl}/__sim/state)`);
  // The simulator has /health only (no /metrics); the services have liveness, readiness and metrics.
  for (const [name, url] of Object.entries(stack.urls))
    say(`${name.padEnd(14)} ${name === 'bybit-sim' ? `${url}/health` : `${url}/health/ready  ${url}/health/live  ${url}/metrics`}`);
  say(`NATS ${env.NATS_URL}, PostgreSQL ${env.DATABASE_URL}; logs in ${logDir}`);
  say('create a user: npm run legwork -- user:create --email you@example.com   (Ctrl-C stops everything)');
  const shutdown = async () => {
    say('stopping…');
    await stack.stop();
    await infra.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
}

main().catch((error: unknown) => {
  process.stderr.write(`start failed: ${(error as Error).message}\n`);
  process.exit(1);
});
