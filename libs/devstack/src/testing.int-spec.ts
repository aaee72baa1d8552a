import { Client } from 'pg';
import { listDatabases } from './databases';
import { TEST_ENV } from './test-env';
import { createTestDatabase, testNamespace, type TestDatabase } from './testing';

async function query<T extends Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const tablesSql = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name";

describe('createTestDatabase', () => {
  const created: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(created.map((db) => db.drop()));
  });

  it('gives each call its own copy of the migrated template', async () => {
    const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    if (a === undefined || b === undefined) throw new Error('unreachable');
    created.push(a, b);
    expect(a.name).not.toBe(b.name);
    expect(a.name).toContain(testNamespace());

    // Both are clones of the same template: same schema.
    const templateTables = await query(a.url, tablesSql);
    expect(await query(b.url, tablesSql)).toEqual(templateTables);

    // …and isolated: a table created in one is absent from the other.
    await query(a.url, 'CREATE TABLE isolation_probe (id int)');
    expect(await query(a.url, "SELECT to_regclass('isolation_probe')::text AS t")).toEqual([{ t: 'isolation_probe' }]);
    expect(await query(b.url, "SELECT to_regclass('isolation_probe')::text AS t")).toEqual([{ t: null }]);
  });

  it('drop() removes the database even with a session still open', async () => {
    const db = await createTestDatabase();
    const leftover = new Client({ connectionString: db.url });
    await leftover.connect();
    leftover.on('error', () => undefined); // terminated by DROP … WITH (FORCE)
    await db.drop();
    await db.drop(); // idempotent
    const admin = process.env[TEST_ENV.adminDatabaseUrl] ?? '';
    expect(await listDatabases(admin, db.name)).toEqual([]);
    await leftover.end().catch(() => undefined);
  });

  it('uses UTF8 and the template name handed over by the global setup', async () => {
    const db = await createTestDatabase();
    created.push(db);
    expect(process.env[TEST_ENV.templateDb]).toBe('legwork_template');
    expect(await query(db.url, 'SHOW server_encoding')).toEqual([{ server_encoding: 'UTF8' }]);
  });
});

describe('testNamespace', () => {
  it('is short, lowercase and stable within a test file', () => {
    expect(testNamespace()).toMatch(/^t[0-9a-f]{6}$/);
    expect(testNamespace()).toBe(testNamespace());
  });
});
