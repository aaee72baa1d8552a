import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { createDatabaseFromTemplate, dropDatabase, ensureDatabase } from './databases';
import { isTcpReachable } from './ports';
import { startPostgres, type LocalPostgres } from './postgres';

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('startPostgres (own throwaway cluster)', () => {
  let root: string;
  let pg: LocalPostgres | undefined;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'legwork-pg-spec-'));
    await fs.chmod(root, 0o711); // reachable by the postgres OS user when we run as root
  });
  afterAll(async () => {
    await pg?.stop();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('initialises, serves, and keeps data across restart() on the same port', async () => {
    pg = await startPostgres({ dataDir: path.join(root, 'data'), fast: true });
    expect(pg.url).toBe(`postgres://postgres@127.0.0.1:${pg.port}/postgres`);
    expect(await query(pg.url, 'SHOW fsync')).toEqual([{ fsync: 'off' }]);

    const dbUrl = await ensureDatabase(pg.url, 'restart_probe');
    expect(await ensureDatabase(pg.url, 'restart_probe')).toBe(dbUrl); // second call: no-op
    await query(dbUrl, "CREATE TABLE fills (qty NUMERIC NOT NULL); INSERT INTO fills VALUES ('0.001')");

    const pid = pg.pid;
    await pg.restart({ mode: 'immediate' });
    expect(pg.pid).not.toBe(pid);
    expect(await query(dbUrl, 'SELECT qty FROM fills')).toEqual([{ qty: '0.001' }]);

    const copyUrl = await createDatabaseFromTemplate(pg.url, 'restart_probe', 'restart_copy');
    expect(await query(copyUrl, 'SELECT count(*)::int AS n FROM fills')).toEqual([{ n: 1 }]);
    await dropDatabase(pg.url, 'restart_copy');
    await expect(query(copyUrl, 'SELECT 1')).rejects.toThrow(/does not exist/);
  });

  it('stop() shuts the server down (idempotently) and start reuses the cluster', async () => {
    if (pg === undefined) throw new Error('previous test did not start PostgreSQL');
    await pg.stop();
    await pg.stop();
    expect(await isTcpReachable(pg.url, 500)).toBe(false);
    pg = await startPostgres({ dataDir: path.join(root, 'data'), port: pg.port });
    expect(await query(pg.url, 'SHOW fsync')).toEqual([{ fsync: 'on' }]);
  });

  it('refuses a non-empty directory that is not a cluster', async () => {
    const dir = path.join(root, 'not-a-cluster');
    await fs.mkdir(dir);
    await fs.writeFile(path.join(dir, 'notes.txt'), 'hello');
    await expect(startPostgres({ dataDir: dir })).rejects.toThrow(/neither empty nor a PostgreSQL cluster/);
  });
});
