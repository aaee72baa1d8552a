import path from 'node:path';
import {
  databaseUrl as urlOfDatabase,
  dropDatabase,
  ensureDatabase,
  isTcpReachable,
  LocalNats,
  LocalPostgres,
  repoRoot,
  startNatsServer,
  startPostgres,
  tcpAddressOf,
} from '@legwork/devstack';
import { busNames, connectBus, deleteStreams } from '@legwork/messaging';
import { runMigrations } from '@legwork/persistence';
import { z } from 'zod';
import { port } from '@legwork/observability';

/** The environment the demo and `npm start` read (URLs of NATS and PostgreSQL, ports, namespace). */
export const localStackEnv = {
  NATS_URL: z.string().default('nats://127.0.0.1:4222'),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/legwork'),
  BUS_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9]*$/)
    .default(''),
  GATEWAY_PORT: port.default(3000),
  BYBIT_SIM_PORT: port.default(8090),
  // `npm start` only (the demo takes free ports for these): the ports ops/prometheus/prometheus.yml scrapes.
  EXECUTOR_HTTP_PORT: port.default(3001),
  RECONCILER_HTTP_PORT: port.default(3002),
  ORPHAN_MONITOR_HTTP_PORT: port.default(3003),
};

export interface LocalInfra {
  natsUrl: string;
  databaseUrl: string;
  /** What this run started (and must stop); empty when everything was already running. */
  started: string[];
  stop(): Promise<void>;
}

/**
 * NATS JetStream and PostgreSQL at the configured URLs when something answers there ("found"),
 * otherwise servers started on those ports under `.legwork/` in the repository (kept between
 * runs). Says which, for each.
 */
export async function startOrFindServers(natsUrl: string, databaseUrl: string, say: (line: string) => void): Promise<LocalInfra> {
  const dataRoot = path.join(repoRoot(), '.legwork');
  let nats: LocalNats | null = null;
  let postgres: LocalPostgres | null = null;
  const shown = new URL(databaseUrl);
  shown.password = shown.password ? '***' : '';
  if (await isTcpReachable(natsUrl)) {
    say(`NATS ${natsUrl}: found (already listening; used, not stopped)`);
  } else {
    nats = await startNatsServer({ dataDir: path.join(dataRoot, 'nats'), port: tcpAddressOf(natsUrl).port });
    say(`NATS ${natsUrl}: started (nats-server -js under .legwork/nats; stopped at the end)`);
  }
  if (await isTcpReachable(databaseUrl)) {
    say(`PostgreSQL ${shown.host}: found (already listening; used, not stopped)`);
  } else {
    postgres = await startPostgres({ dataDir: path.join(dataRoot, 'postgres'), port: tcpAddressOf(databaseUrl).port });
    say(`PostgreSQL ${shown.host}: started (a cluster under .legwork/postgres; stopped at the end)`);
  }
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

/** `npm start`: the servers, then the configured database created if missing and migrated. */
export async function ensureLocalInfra(natsUrl: string, databaseUrl: string, say: (line: string) => void): Promise<LocalInfra> {
  const infra = await startOrFindServers(natsUrl, databaseUrl, say);
  const name = new URL(databaseUrl).pathname.replace(/^\//, '') || 'legwork';
  await ensureDatabase(adminUrlOf(databaseUrl), name);
  const applied = await runMigrations(databaseUrl);
  if (applied.length) say(`migrations applied: ${applied.join(', ')}`);
  return infra;
}

/** A throwaway database and bus namespace of one demo run, named after its id. */
export interface DemoWorkspace {
  id: string;
  databaseName: string;
  databaseUrl: string;
  namespace: string;
}

/** Names of demo run `id` (`[a-z0-9]+`): database `legwork_demo_<id>`, bus namespace `demo<id>`. */
export function demoWorkspace(serverUrl: string, id: string): DemoWorkspace {
  if (!/^[a-z0-9]{1,40}$/.test(id)) throw new Error(`demo id must be [a-z0-9]{1,40}, got ${id}`);
  const databaseName = `legwork_demo_${id}`;
  return { id, databaseName, databaseUrl: urlOfDatabase(adminUrlOf(serverUrl), databaseName), namespace: `demo${id}` };
}

/** Creates and migrates the workspace's database (its streams are created by the services). */
export async function createDemoWorkspace(workspace: DemoWorkspace): Promise<void> {
  await ensureDatabase(adminUrlOf(workspace.databaseUrl), workspace.databaseName);
  await runMigrations(workspace.databaseUrl);
}

/** Drops the workspace's database and deletes its streams; safe to run again. */
export async function removeDemoWorkspace(workspace: DemoWorkspace, natsUrl: string): Promise<{ streams: string[] }> {
  const bus = await connectBus(natsUrl, workspace.namespace, 'legwork-demo-cleanup');
  try {
    const streams = await deleteStreams(bus.jsm, busNames(workspace.namespace));
    await dropDatabase(adminUrlOf(workspace.databaseUrl), workspace.databaseName);
    return { streams };
  } finally {
    await bus.close();
  }
}

/** The same server's maintenance database (`/postgres`), for CREATE / DROP DATABASE. */
function adminUrlOf(databaseUrl: string): string {
  return urlOfDatabase(databaseUrl, 'postgres');
}
