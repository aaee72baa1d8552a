import path from 'node:path';
import {
  ensureDatabase,
  isTcpReachable,
  LocalNats,
  LocalPostgres,
  repoRoot,
  startNatsServer,
  startPostgres,
  tcpAddressOf,
} from '@legwork/devstack';
import { runMigrations } from '@legwork/persistence';
import { z } from 'zod';
import { port } from '@legwork/observability';

/** The environment the demo and `npm start` read (URLs of NATS and PostgreSQL, ports, namespace). */
export const localStackEnv = {
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/legwork'),
  BUS_NAMESPACE: z.string().regex(/^[a-z0-9]*$/).default(''),
  GATEWAY_PORT: port.default(3000),
  BYBIT_SIM_PORT: port.default(8090),
};

export interface LocalInfra {
  natsUrl: string;
  databaseUrl: string;
  /** What this run started (and must stop); empty when everything was already running. */
  started: string[];
  stop(): Promise<void>;
}

/**
 * NATS JetStream and PostgreSQL for the demo and `npm start`: the configured URLs when something
 * answers there, otherwise servers started on those ports under `.legwork/` in the repository
 * (kept between runs). Then the database is created if missing and migrated.
 */
export async function ensureLocalInfra(natsUrl: string, databaseUrl: string, say: (line: string) => void): Promise<LocalInfra> {
  const dataRoot = path.join(repoRoot(), '.legwork');
  let nats: LocalNats | null = null;
  let postgres: LocalPostgres | null = null;
  if (!(await isTcpReachable(natsUrl))) {
    say(`NATS not reachable at ${natsUrl}: starting nats-server -js under .legwork/nats`);
    nats = await startNatsServer({ dataDir: path.join(dataRoot, 'nats'), port: tcpAddressOf(natsUrl).port });
  }
  if (!(await isTcpReachable(databaseUrl))) {
    say(`PostgreSQL not reachable at ${databaseUrl}: starting a cluster under .legwork/postgres`);
    postgres = await startPostgres({ dataDir: path.join(dataRoot, 'postgres'), port: tcpAddressOf(databaseUrl).port });
  }
  const url = new URL(databaseUrl);
  const name = url.pathname.replace(/^\//, '') || 'legwork';
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  await ensureDatabase(admin.toString(), name);
  const applied = await runMigrations(databaseUrl);
  if (applied.length) say(`migrations applied: ${applied.join(', ')}`);
  return {
    natsUrl,
    databaseUrl,
    started: [...(nats ? ['nats'] : []), ...(postgres ? ['postgres'] : [])],
    async stop() {
      await nats?.stop();
      await postgres?.stop();
    },
  };
}
