// Start and stop the shared test infrastructure for the `integration` Jest project.
//
// Setup: NATS (unless NATS_URL) and a fast throwaway PostgreSQL (unless DATABASE_URL) start in
// parallel in one temp dir; then the template database is (re)created and migrated with the real
// migrations. Workers learn the URLs from TEST_ENV variables (they are forked after this runs).
// Teardown: everything setup started is stopped and the temp dir removed; on an external
// DATABASE_URL only this run's databases and the template are dropped (so two runs must not
// share one external server at the same time: they would share the template name).
// If Jest dies without teardown (Ctrl-C, SIGKILL), the orphan reaper stops the servers.
//
// Must stay the first import: globalSetup is loaded by plain Node `require`, where `@legwork/*`
// resolves only through this hook (see the file).
import './register-tsconfig-paths';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { disconnectSessions, dropDatabase, ensureDatabase, listDatabases } from '../databases';
import { startOrphanReaper } from '../internal/orphan-reaper';
import { isRoot } from '../internal/run-command';
import { startNatsServer } from '../nats-server';
import { isTcpReachable } from '../ports';
import { startPostgres } from '../postgres';
import { TEMPLATE_DATABASE, TEST_ENV, testDatabasePrefix } from '../test-env';
import { runMigrations } from '@legwork/persistence';
import type { DevstackJestState } from './state';

export async function setUpTestInfrastructure(log: (line: string) => void): Promise<DevstackJestState> {
  const startedAt = Date.now();
  const runId = randomBytes(3).toString('hex');
  const externalNatsUrl = nonEmpty(process.env['NATS_URL']);
  const externalDatabaseUrl = nonEmpty(process.env['DATABASE_URL']);
  const state: DevstackJestState = {
    runId,
    adminDatabaseUrl: externalDatabaseUrl ?? '',
    templateDb: TEMPLATE_DATABASE,
    externalDatabase: externalDatabaseUrl !== undefined,
  };
  try {
    if (externalNatsUrl === undefined || externalDatabaseUrl === undefined) {
      const tempRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'legwork-test-'));
      state.tempRoot = tempRoot;
      // PostgreSQL runs as OS user postgres when we are root; it must be able to enter this dir.
      if (isRoot()) await fs.chmod(tempRoot, 0o711);
    }
    const tempRoot = state.tempRoot ?? '';
    // Start both concurrently, but wait for both before failing, so teardown sees all that started.
    const [natsResult, pgResult] = await Promise.allSettled([
      externalNatsUrl !== undefined
        ? assertReachable('NATS_URL', externalNatsUrl).then(() => externalNatsUrl)
        : startNatsServer({ dataDir: path.join(tempRoot, 'nats') }).then((nats) => {
            state.nats = nats;
            return nats.url;
          }),
      externalDatabaseUrl ??
        startPostgres({ dataDir: path.join(tempRoot, 'postgres'), socketDir: path.join(tempRoot, 'pgsock'), fast: true }).then((pg) => {
          state.postgres = pg;
          return pg.url;
        }),
    ]);
    if (natsResult.status === 'rejected') throw natsResult.reason;
    if (pgResult.status === 'rejected') throw pgResult.reason;
    const natsUrl = natsResult.value;
    const pgUrl = pgResult.value;
    state.adminDatabaseUrl = pgUrl;
    state.reaper = startReaperFor(state);

    const migrationCount = await createTemplate(pgUrl, state.templateDb, externalDatabaseUrl !== undefined);

    process.env[TEST_ENV.natsUrl] = natsUrl;
    process.env[TEST_ENV.adminDatabaseUrl] = pgUrl;
    process.env[TEST_ENV.templateDb] = state.templateDb;
    process.env[TEST_ENV.runId] = runId;
    log(
      `[devstack] NATS ${natsUrl}${state.nats ? '' : ' (NATS_URL)'}, PostgreSQL ${pgUrl}${state.postgres ? '' : ' (DATABASE_URL)'}, ` +
        `template ${state.templateDb} (${migrationCount} migrations) ready in ${Date.now() - startedAt} ms`,
    );
    return state;
  } catch (error) {
    await tearDownTestInfrastructure(state).catch(() => undefined);
    throw error;
  }
}

export async function tearDownTestInfrastructure(state: DevstackJestState): Promise<void> {
  const failures: unknown[] = [];
  const attempt = async (work: () => Promise<unknown>): Promise<void> => {
    try {
      await work();
    } catch (error) {
      failures.push(error);
    }
  };
  if (state.externalDatabase && state.adminDatabaseUrl.length > 0) {
    await attempt(async () => {
      for (const name of await listDatabases(state.adminDatabaseUrl, testDatabasePrefix(state.runId))) {
        await dropDatabase(state.adminDatabaseUrl, name);
      }
      await dropDatabase(state.adminDatabaseUrl, state.templateDb);
    });
  }
  const { nats, postgres } = state;
  await Promise.all([nats && attempt(() => nats.stop()), postgres && attempt(() => postgres.stop())]);
  state.reaper?.dispose();
  if (state.tempRoot !== undefined) {
    const tempRoot = state.tempRoot;
    await attempt(() => fs.rm(tempRoot, { recursive: true, force: true }));
  }
  if (failures.length > 0) throw new AggregateError(failures, `@legwork/devstack teardown: ${failures.length} step(s) failed`);
}

function startReaperFor(state: DevstackJestState): ReturnType<typeof startOrphanReaper> {
  const signals: Array<{ pid: number; signal: NodeJS.Signals }> = [];
  if (state.nats?.pid !== undefined) signals.push({ pid: state.nats.pid, signal: 'SIGKILL' });
  if (state.postgres?.pid !== undefined) signals.push({ pid: state.postgres.pid, signal: 'SIGQUIT' });
  return startOrphanReaper({ ownerPid: process.pid, signals, removeDirs: state.tempRoot === undefined ? [] : [state.tempRoot] });
}

/** (Re)creates the template database, runs the real migrations into it, returns how many ran. */
async function createTemplate(adminUrl: string, template: string, external: boolean): Promise<number> {
  let templateUrl: string;
  try {
    await dropDatabase(adminUrl, template);
    templateUrl = await ensureDatabase(adminUrl, template);
  } catch (error) {
    const source = external ? 'DATABASE_URL' : 'the test PostgreSQL';
    throw new Error(`@legwork/devstack: cannot (re)create database ${template} via ${source} (${adminUrl}): ${String(error)}`, {
      cause: error,
    });
  }
  const applied = await runMigrations(templateUrl);
  // CREATE DATABASE … TEMPLATE fails while anyone is connected to the template.
  await disconnectSessions(adminUrl, template);
  return applied.length;
}

async function assertReachable(variable: string, url: string): Promise<void> {
  if (!(await isTcpReachable(url, 3000))) throw new Error(`@legwork/devstack: ${variable}=${url} is not reachable`);
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.length === 0 ? undefined : value;
}
