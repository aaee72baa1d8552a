import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createPendingPosition, createTestDatabase, eventually, PositionOwner, seedPositionOwner, TestDatabase } from '@legwork/devstack';
import {
  createDataSource,
  NotificationListener,
  POSITION_EVENTS_CHANNEL,
  POSITION_EVENTS_PENDING_CHANNEL,
  PositionEventRepository,
} from '@legwork/persistence';

// The event log behind GET /api/positions/events, on the real schema: what the triggers record,
// and why a resume by `seq` is exact even when transactions commit out of id order.
describe('position event log: triggers and the commit-ordered sequencer', () => {
  let database: TestDatabase;
  let db: DataSource;
  let events: PositionEventRepository;
  let owner: PositionOwner;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await createDataSource(database.url, { poolSize: 6 }).initialize();
    owner = await seedPositionOwner(db);
    events = new PositionEventRepository(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  const newPosition = () => createPendingPosition(db, owner);

  async function drain(): Promise<void> {
    while ((await events.sequence(100)).numbered === 100);
  }

  it('a transaction that commits after a later one gets the later seq: a reader resuming by seq misses nothing', async () => {
    const [slow, fast] = [await newPosition(), await newPosition()];
    await drain();
    const cursor = await events.latestSeq(owner.userId);
    const slowTx = db.createQueryRunner();
    await slowTx.connect();
    await slowTx.startTransaction();
    await slowTx.query(
      `INSERT INTO position_status_changes (position_id, from_status, to_status, reason) VALUES ($1, 'PENDING', 'EXECUTING', 'slow')`,
      [slow],
    );
    await db.query(
      `INSERT INTO position_status_changes (position_id, from_status, to_status, reason) VALUES ($1, 'PENDING', 'EXECUTING', 'fast')`,
      [fast],
    );
    await drain();
    const seen = await events.after(owner.userId, cursor, 100);
    expect(seen.map((e) => e.data['reason'])).toEqual(['fast']);
    await slowTx.commitTransaction();
    await slowTx.release();
    await drain();
    const resumed = await events.after(owner.userId, seen[0]?.seq ?? '', 100);
    expect(resumed.map((e) => [e.kind, e.positionId, e.data['reason']])).toEqual([['position.status', slow, 'slow']]);
    // The slow row was inserted first: by id (insert order) a reader would have skipped it.
    const rows: { id: string; reason: string }[] = await db.query(
      `SELECT id::text AS id, data->>'reason' AS reason FROM position_events WHERE data->>'reason' IN ('slow', 'fast') ORDER BY id`,
    );
    expect(rows.map((r) => r.reason)).toEqual(['slow', 'fast']);
  });

  it('concurrent sequencers (replicas) number every event once, contiguously', async () => {
    const positionId = await newPosition();
    await drain();
    const before = BigInt(await events.latestSeq(owner.userId));
    for (let i = 0; i < 60; i += 1) {
      await db.query(
        `INSERT INTO position_status_changes (position_id, from_status, to_status, reason) VALUES ($1, 'PENDING', 'PENDING', $2)`,
        [positionId, `n${i}`],
      );
    }
    await Promise.all(
      [0, 1, 2, 3].map(async () => {
        while ((await events.sequence(7)).numbered > 0);
      }),
    );
    const seqs = (await events.after(owner.userId, String(before), 1000)).map((e) => BigInt(e.seq));
    expect(seqs).toEqual(Array.from({ length: 60 }, (_, i) => before + BigInt(i + 1)));
  });

  it('records deviations when opened, changed and cleared (not when only re-seen), alerts of the user, decimals as strings', async () => {
    const positionId = await newPosition();
    await drain();
    const cursor = await events.latestSeq(owner.userId);
    const [row] = (await db.query(
      `INSERT INTO position_deviations (position_id, symbol, kind, expected_quantity, actual_quantity, delta, shared_with, explanation, first_seen_at, last_seen_at)
       VALUES ($1, 'BTCUSDT', 'quantity', 0.100, 0.050, -0.050, '{}', 'BTCUSDT: expected 0.100, actual 0.050', now(), now()) RETURNING id::text AS id`,
      [positionId],
    )) as { id: string }[];
    await db.query(`UPDATE position_deviations SET last_seen_at = now() + interval '5 minutes' WHERE id = $1`, [row?.id]);
    await db.query(`UPDATE position_deviations SET actual_quantity = 0.040, delta = -0.060 WHERE id = $1`, [row?.id]);
    await db.query(`UPDATE position_deviations SET cleared_at = now() WHERE id = $1`, [row?.id]);
    await db.query(
      `INSERT INTO alerts (id, kind, severity, summary, position_id, account_id, details, occurred_at) VALUES
       ($1, 'orphan.confirmed', 'warning', 'account alert', NULL, $2, '{"size": "0.5"}', now()),
       ($3, 'ops.something', 'info', 'nobody''s alert', NULL, NULL, '{}', now())`,
      [`a-${randomUUID()}`, owner.accountId, `b-${randomUUID()}`],
    );
    await drain();
    const seen = await events.after(owner.userId, cursor, 100);
    expect(seen.map((e) => [e.kind, e.data['change'] ?? e.data['summary']])).toEqual([
      ['position.deviation', 'opened'],
      ['position.deviation', 'changed'],
      ['position.deviation', 'cleared'],
      ['alert', 'account alert'],
    ]);
    expect(seen[1]?.data).toMatchObject({
      positionId,
      symbol: 'BTCUSDT',
      expectedQuantity: '0.1',
      actualQuantity: '0.04',
      delta: '-0.06',
    });
    expect(seen[3]?.data).toMatchObject({ accountId: owner.accountId, positionId: null, severity: 'warning', details: { size: '0.5' } });
    const orphaned: { n: string }[] = await db.query(
      `SELECT count(*)::text AS n FROM position_events WHERE data->>'summary' = 'nobody''s alert'`,
    );
    expect(orphaned[0]?.n).toBe('0');
  });

  it('a recorded change wakes the sequencer; numbering wakes the readers with the user ids', async () => {
    const heard: [string, string][] = [];
    let connected = false;
    const listener = new NotificationListener(database.url, [POSITION_EVENTS_PENDING_CHANNEL, POSITION_EVENTS_CHANNEL], {
      notified: (channel, payload) => heard.push([channel, payload]),
      connected: () => (connected = true),
      lost: () => undefined,
    });
    listener.start();
    try {
      await eventually(async () => connected, { what: 'the listener to connect' });
      await newPosition();
      await eventually(async () => heard.some(([c]) => c === POSITION_EVENTS_PENDING_CHANNEL), { what: 'the pending notification' });
      await drain();
      await eventually(async () => heard.some(([c, p]) => c === POSITION_EVENTS_CHANNEL && p.split(',').includes(owner.userId)), {
        what: 'the numbered notification',
      });
    } finally {
      await listener.stop();
    }
  });
});
