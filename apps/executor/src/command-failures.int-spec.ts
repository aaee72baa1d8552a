import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestDatabase, TestDatabase } from '@legwork/devstack';
import { CommandFailure, CommandFailureRepository, createDataSource } from '@legwork/persistence';

// The durable count behind the executor's retry schedule (issue 11), on the real migrated schema.
describe('CommandFailureRepository: the durable count of transient failures per command', () => {
  let database: TestDatabase;
  let db: DataSource;
  let failures: CommandFailureRepository;
  beforeAll(async () => {
    database = await createTestDatabase();
    db = await createDataSource(database.url, { poolSize: 2 }).initialize();
    failures = new CommandFailureRepository(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  const failure = (commandId: string, deliveryCount: number): CommandFailure => ({
    commandId,
    streamSequence: 7,
    deliveryCount,
    commandType: 'OpenPosition',
    positionId: randomUUID(),
    code: 'EXCHANGE.UNAVAILABLE',
    reason: 'HTTP 503',
  });

  it('counts the failures of each command apart, one per recorded delivery, with the delivery kept', async () => {
    const command = randomUUID();
    const other = randomUUID();
    // The story: delivery 1 was killed (nothing recorded); 2, 3, 4 failed.
    expect(await failures.record(failure(command, 2))).toBe(1);
    expect(await failures.record(failure(other, 1))).toBe(1);
    expect(await failures.record(failure(command, 3))).toBe(2);
    expect(await failures.record(failure(command, 4))).toBe(3);
    const rows: { delivery_count: number; code: string }[] = await db.query(
      'SELECT delivery_count, code FROM command_failures WHERE command_id = $1 ORDER BY id',
      [command],
    );
    expect(rows).toEqual([2, 3, 4].map((n) => ({ delivery_count: n, code: 'EXCHANGE.UNAVAILABLE' })));
  });
});
