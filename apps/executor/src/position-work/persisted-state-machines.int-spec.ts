import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createPendingPosition, createTestDatabase, PositionOwner, seedPositionOwner, TestDatabase } from '@legwork/devstack';
import {
  createDataSource,
  OrderLedgerRepository,
  OrderRecord,
  PersistenceError,
  PositionRepository,
  RestorePlanRepository,
  updatePositionIfUnchanged,
} from '@legwork/persistence';

// The domain's transition tables enforced where the rows are written (issue 12, item 4): a write
// from a status the table does not allow touches nothing and names what refused it.
describe('persisted state machines: guarded status writes on the real schema', () => {
  let database: TestDatabase;
  let db: DataSource;
  let positions: PositionRepository;
  let ledger: OrderLedgerRepository;
  let plans: RestorePlanRepository;
  let owner: PositionOwner;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await createDataSource(database.url, { poolSize: 3 }).initialize();
    owner = await seedPositionOwner(db);
    positions = new PositionRepository(db);
    ledger = new OrderLedgerRepository(db);
    plans = new RestorePlanRepository(db);
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  const newPosition = (): Promise<string> => createPendingPosition(db, owner);

  async function plannedLeg(): Promise<OrderRecord> {
    const positionId = await newPosition();
    const [leg] = await ledger.plan({ id: positionId, accountId: owner.accountId }, 'open', 0, [
      {
        legIndex: 0,
        orderLinkId: `lw-${randomUUID().slice(0, 8)}`,
        symbol: 'BTCUSDT',
        side: 'buy',
        quantity: '0.001',
        reduceOnly: false,
        plannedMarkPrice: '60000',
      },
    ]);
    if (!leg) throw new Error('plan wrote no leg');
    return leg;
  }

  const fill = { exchangeOrderId: 'ex-1', filledQuantity: '0.001', averagePrice: '60000', fills: [] };
  const statusOf = async (id: string) =>
    ((await db.query('SELECT status FROM orders WHERE id = $1', [id])) as { status: string }[])[0]?.status;

  it('walks a leg through the allowed edges, including a resend and a second unconfirmed verdict', async () => {
    const leg = await plannedLeg();
    await ledger.markSubmitted(leg.id, '0');
    await ledger.markUnconfirmed(leg.id, 'verification timed out');
    await ledger.markUnconfirmed(leg.id, 'verification timed out again');
    await ledger.markSubmitted(leg.id, '0.5');
    await ledger.markFilled(leg, fill);
    const [row] = await ledger.list(leg.positionId);
    expect(row).toMatchObject({ status: 'FILLED', submitCount: 2, positionSizeBefore: '0.0000000000', filledQuantity: '0.0010000000' });
  });

  it('refuses to overwrite a filled leg with a late rejection, naming the leg, its status and the edge', async () => {
    const leg = await plannedLeg();
    await ledger.markSubmitted(leg.id, '0');
    await ledger.markFilled(leg, fill);
    const refusal = ledger.markRejected(leg.id, { code: 'EXCHANGE.NOT_FILLED', reason: 'late' });
    await expect(refusal).rejects.toBeInstanceOf(PersistenceError);
    await expect(ledger.markRejected(leg.id, { code: 'EXCHANGE.NOT_FILLED', reason: 'late' })).rejects.toMatchObject({
      code: 'LEG.STATUS_CONFLICT',
      details: { orderId: leg.id, orderLinkId: leg.orderLinkId, from: 'FILLED', to: 'REJECTED' },
    });
    expect(await statusOf(leg.id)).toBe('FILLED');
  });

  it('refuses to send (SUBMITTED) or fill a leg that was never submitted or already settled, writing nothing', async () => {
    const planned = await plannedLeg();
    await expect(
      ledger.markFilled(planned, {
        ...fill,
        fills: [
          {
            execId: 'e1',
            exchangeOrderId: 'ex-1',
            price: '60000',
            quantity: '0.001',
            fee: '0.01',
            feeCurrency: 'USDT',
            executedAt: new Date(),
          },
        ],
      }),
    ).rejects.toMatchObject({
      code: 'LEG.STATUS_CONFLICT',
      details: { from: 'PLANNED', to: 'FILLED' },
    });
    expect(await statusOf(planned.id)).toBe('PLANNED');
    expect(await ledger.trades(planned.positionId)).toEqual([]);

    const rejected = await plannedLeg();
    await ledger.markSubmitted(rejected.id, null);
    await ledger.markRejected(rejected.id, { code: 'EXCHANGE.REJECTED', reason: 'insufficient margin' });
    await expect(ledger.markSubmitted(rejected.id, null)).rejects.toMatchObject({
      code: 'LEG.STATUS_CONFLICT',
      details: { from: 'REJECTED', to: 'SUBMITTED' },
    });
    await expect(ledger.markSkipped(rejected.id, 'closed', 'nothing to close')).rejects.toMatchObject({ code: 'LEG.STATUS_CONFLICT' });
    expect(await statusOf(rejected.id)).toBe('REJECTED');
  });

  it('records a fill again harmlessly (an unwind leg settled again after a crash): its fills are kept once', async () => {
    const leg = await plannedLeg();
    const execution = {
      execId: 'e1',
      exchangeOrderId: 'ex-1',
      price: '60000',
      quantity: '0.001',
      fee: '0.01',
      feeCurrency: 'USDT',
      executedAt: new Date(),
    };
    await ledger.markSubmitted(leg.id, '0');
    await ledger.markFilled(leg, { ...fill, fills: [execution] });
    await ledger.markFilled(leg, { ...fill, fills: [execution] });
    expect(await statusOf(leg.id)).toBe('FILLED');
    expect((await ledger.trades(leg.positionId)).map((t) => t.execId)).toEqual(['e1']);
    await expect(ledger.markUnconfirmed(leg.id, 'late timeout')).rejects.toMatchObject({
      code: 'LEG.STATUS_CONFLICT',
      details: { from: 'FILLED', to: 'UNCONFIRMED' },
    });
  });

  it('names a leg that does not exist', async () => {
    await expect(ledger.markUnconfirmed(randomUUID(), 'x')).rejects.toMatchObject({ code: 'LEG.NOT_FOUND' });
  });

  describe('restore plans execute at most once', () => {
    async function proposedPlan(): Promise<{ positionId: string; planId: string }> {
      const positionId = await newPosition();
      // A fixture shortcut: only an ACTIVE position can be restored, and how it got there is not under test.
      await db.query(`UPDATE synthetic_positions SET status = 'ACTIVE' WHERE id = $1`, [positionId]);
      const plan = await plans.propose(positionId, [], { BTCUSDT: '0.001' }, 60_000);
      return { positionId, planId: plan.id };
    }
    const command = () => ({ msgId: randomUUID(), subject: 'test.restore', payload: {} });
    const planStatus = async (id: string) => (await plans.find(id))?.status;

    it('starts a proposed plan once; a second start and a late refusal are refused and change nothing', async () => {
      const { positionId, planId } = await proposedPlan();
      expect((await plans.startExecution(positionId, planId, command())).status).toBe('executing');
      await expect(plans.startExecution(positionId, planId, command())).rejects.toMatchObject({
        code: 'RESTORE.PLAN_USED',
        details: { planId, from: 'executing', to: 'executing' },
      });
      await expect(plans.finish(planId, 'refused')).rejects.toMatchObject({
        code: 'RESTORE.PLAN_USED',
        details: { from: 'executing', to: 'refused' },
      });
      expect(await planStatus(planId)).toBe('executing');
      await plans.finish(planId, 'executed');
      expect(await planStatus(planId)).toBe('executed');
      await expect(plans.finish(planId, 'executed')).rejects.toMatchObject({
        code: 'RESTORE.PLAN_USED',
        details: { from: 'executed', to: 'executed' },
      });
    });

    it('never executes a refused plan, and never marks a proposed plan executed', async () => {
      const { positionId, planId } = await proposedPlan();
      await expect(plans.finish(planId, 'executed')).rejects.toMatchObject({
        code: 'RESTORE.PLAN_USED',
        details: { from: 'proposed', to: 'executed' },
      });
      await plans.finish(planId, 'refused');
      const outboxBefore = ((await db.query('SELECT count(*)::int AS n FROM outbox')) as { n: number }[])[0]?.n;
      await expect(plans.startExecution(positionId, planId, command())).rejects.toMatchObject({
        code: 'RESTORE.PLAN_USED',
        details: { from: 'refused' },
      });
      expect(await planStatus(planId)).toBe('refused');
      expect(((await db.query('SELECT count(*)::int AS n FROM outbox')) as { n: number }[])[0]?.n).toBe(outboxBefore);
    });
  });

  describe('the ledger read between legs renews the lease in the same statement', () => {
    const leaseOf = async (id: string) =>
      (
        (await db.query('SELECT lease_owner AS owner, lease_expires_at AS "expiresAt" FROM synthetic_positions WHERE id = $1', [id])) as {
          owner: string | null;
          expiresAt: Date | null;
        }[]
      )[0];

    it("extends the holder's lease and reads the basket's legs; a delivery that lost the lease extends nothing", async () => {
      const leg = await plannedLeg();
      await positions.claim(leg.positionId, { start: 'PENDING', working: 'EXECUTING' }, 'executor-a', 1_000);
      const later = new Date(Date.now() + 60_000);

      const held = await ledger.listRenewingLease(leg.positionId, 'open', 0, { owner: 'executor-a', expiresAt: later });
      expect(held).toMatchObject({ leaseHeld: true, legs: [{ id: leg.id, orderLinkId: leg.orderLinkId, status: 'PLANNED' }] });
      expect(held.legs[0]).toBeInstanceOf(OrderRecord);
      expect(held.legs[0]).not.toHaveProperty('leaseHeld');
      expect((await leaseOf(leg.positionId))?.expiresAt?.getTime()).toBe(later.getTime());

      const stale = await ledger.listRenewingLease(leg.positionId, 'open', 0, {
        owner: 'executor-b',
        expiresAt: new Date(later.getTime() + 1),
      });
      expect(stale).toMatchObject({ leaseHeld: false, legs: [{ id: leg.id }] });
      expect(await leaseOf(leg.positionId)).toEqual({ owner: 'executor-a', expiresAt: later });
    });

    it('answers for the lease even when the basket has no legs of that purpose', async () => {
      const positionId = await newPosition();
      await positions.claim(positionId, { start: 'PENDING', working: 'EXECUTING' }, 'executor-a', 1_000);
      const read = await ledger.listRenewingLease(positionId, 'close', 0, {
        owner: 'executor-a',
        expiresAt: new Date(Date.now() + 60_000),
      });
      expect(read).toEqual({ leaseHeld: true, legs: [] });
    });
  });

  describe('the position version detects a lost update', () => {
    it('refuses a write based on a stale read, leaving the newer write in place', async () => {
      const positionId = await newPosition();
      const read = await positions.findById(positionId);
      if (!read) throw new Error('position not found');
      const claim = await positions.claim(positionId, { start: 'PENDING', working: 'EXECUTING' }, 'executor-a', 60_000);
      expect(claim).toMatchObject({ kind: 'claimed', position: { status: 'EXECUTING', version: read.version + 1 } });

      // A writer holding the record read before the claim: its write would undo the claim.
      const lost = db.transaction((m) =>
        updatePositionIfUnchanged(m, read, { status: 'FAILED', failureCode: 'TEST.STALE', failureReason: 'stale', leaseOwner: null }),
      );
      await expect(lost).rejects.toMatchObject({
        code: 'POSITION.VERSION_CONFLICT',
        details: { positionId, versionRead: read.version, versionNow: read.version + 1 },
      });
      expect(await positions.findById(positionId)).toMatchObject({
        status: 'EXECUTING',
        leaseOwner: 'executor-a',
        failureCode: null,
        version: read.version + 1,
      });
    });

    it('bumps the version on every status write and on a lease take-over', async () => {
      const positionId = await newPosition();
      await positions.claim(positionId, { start: 'PENDING', working: 'EXECUTING' }, 'executor-a', 1);
      await new Promise((r) => setTimeout(r, 10));
      const resumed = await positions.claim(positionId, { start: 'PENDING', working: 'EXECUTING' }, 'executor-b', 60_000);
      expect(resumed).toMatchObject({ kind: 'resumed', previousOwner: 'executor-a', position: { version: 3, leaseOwner: 'executor-b' } });
      await positions.markFailed(positionId, { code: 'TEST.FAILED', reason: 'test' }, 'executor-b');
      expect(await positions.findById(positionId)).toMatchObject({ status: 'FAILED', version: 4 });
    });
  });

  describe("a basket's claim and its ACTIVE, each one statement", () => {
    const history = async (id: string) =>
      (await db.query(
        'SELECT from_status AS "from", to_status AS "to", reason FROM position_status_changes WHERE position_id = $1 ORDER BY id',
        [id],
      )) as { from: string | null; to: string; reason: string }[];
    const component = { legIndex: 0, symbol: 'BTCUSDT', side: 'buy' as const, expectedQuantity: '0.001', entryPrice: '60000' };

    it('claims, then ends ACTIVE: status, lease, version, history and components written together', async () => {
      const positionId = await newPosition();
      const claim = await positions.claim(positionId, { start: 'PENDING', working: 'EXECUTING' }, 'executor-a', 60_000);
      expect(claim).toMatchObject({
        kind: 'claimed',
        position: { id: positionId, status: 'EXECUTING', leaseOwner: 'executor-a', version: 2 },
      });
      await positions.markActive(positionId, 'executor-a', [
        component,
        { ...component, legIndex: 1, symbol: 'ETHUSDT', entryPrice: '3000' },
      ]);

      expect(await positions.findById(positionId)).toMatchObject({ status: 'ACTIVE', leaseOwner: null, leaseExpiresAt: null, version: 3 });
      expect(await history(positionId)).toEqual([
        { from: null, to: 'PENDING', reason: expect.any(String) },
        { from: 'PENDING', to: 'EXECUTING', reason: 'work started' },
        { from: 'EXECUTING', to: 'ACTIVE', reason: 'all 2 legs filled' },
      ]);
      expect((await positions.components(positionId)).map((c) => [c.legIndex, c.symbol, c.expectedQuantity])).toEqual([
        [0, 'BTCUSDT', '0.0010000000'],
        [1, 'ETHUSDT', '0.0010000000'],
      ]);
    });

    it('a claim of a position already claimed takes the locked path: owned elsewhere while the lease lives', async () => {
      const positionId = await newPosition();
      await positions.claim(positionId, { start: 'PENDING', working: 'EXECUTING' }, 'executor-a', 60_000);
      const second = await positions.claim(positionId, { start: 'PENDING', working: 'EXECUTING' }, 'executor-b', 60_000);
      expect(second).toMatchObject({ kind: 'owned_elsewhere', position: { leaseOwner: 'executor-a', version: 2 } });
      expect((await history(positionId)).filter((h) => h.to === 'EXECUTING')).toHaveLength(1);
    });

    it('an ACTIVE by a delivery that lost the lease writes nothing: no status, no history, no component', async () => {
      const positionId = await newPosition();
      await positions.claim(positionId, { start: 'PENDING', working: 'EXECUTING' }, 'executor-a', 60_000);
      await expect(positions.markActive(positionId, 'executor-b', [component])).rejects.toMatchObject({
        code: 'POSITION.LEASE_LOST',
        details: { holder: 'executor-a' },
      });
      expect(await positions.findById(positionId)).toMatchObject({ status: 'EXECUTING', leaseOwner: 'executor-a', version: 2 });
      expect((await history(positionId)).map((h) => h.to)).toEqual(['PENDING', 'EXECUTING']);
      expect(await positions.components(positionId)).toEqual([]);
    });
  });
});
