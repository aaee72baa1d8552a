import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createPendingPosition, createTestDatabase, PositionOwner, seedPositionOwner, TestDatabase } from '@legwork/devstack';
import { createDataSource, readAccountPositions } from '@legwork/persistence';

// The account view every scan and every unwind decides on (libs/persistence account-positions.ts),
// read in one statement on the real schema: what each position holds (net of filled unwinds), since when, which slots its orders
// touch and which of its unwind orders are still unsettled.
describe('readAccountPositions: the account view in one statement', () => {
  let database: TestDatabase;
  let db: DataSource;
  let owner: PositionOwner;
  const now = new Date('2026-11-30T12:00:00.000Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);

  beforeAll(async () => {
    database = await createTestDatabase();
    db = await createDataSource(database.url, { poolSize: 2 }).initialize();
  });
  beforeEach(async () => {
    owner = await seedPositionOwner(db); // an account of its own for each story
  });
  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
  });

  async function position(status: string, updatedAt: Date, positionMode = 'one_way'): Promise<string> {
    const id = await createPendingPosition(db, owner);
    await db.query('UPDATE synthetic_positions SET status = $2, position_mode = $3, updated_at = $4 WHERE id = $1', [
      id,
      status,
      positionMode,
      updatedAt,
    ]);
    return id;
  }
  async function component(positionId: string, legIndex: number, symbol: string, side: string, quantity: string, entryPrice: string) {
    await db.query(
      `INSERT INTO position_components (position_id, leg_index, symbol, side, expected_quantity, entry_price, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [positionId, legIndex, symbol, side, quantity, entryPrice, ago(3_600_000)],
    );
  }
  async function order(
    positionId: string,
    o: { purpose: string; legIndex: number; symbol: string; side: string; status: string; filled?: string; price?: string },
    times: { settledAt?: Date; updatedAt: Date },
    hedgeSide: string | null = null,
  ): Promise<string> {
    const orderLinkId = `lw${randomUUID().slice(0, 8)}`;
    await db.query(
      `INSERT INTO orders (id, position_id, account_id, purpose, leg_index, order_link_id, symbol, side, quantity, status,
                           filled_quantity, average_price, hedge_side, settled_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10, $11, $12, $13, $14)`,
      [
        randomUUID(),
        positionId,
        owner.accountId,
        o.purpose,
        o.legIndex,
        orderLinkId,
        o.symbol,
        o.side,
        o.status,
        o.filled ?? '0',
        o.price ?? null,
        hedgeSide,
        times.settledAt ?? null,
        times.updatedAt,
      ],
    );
    return orderLinkId;
  }

  it('a closing basket holds its components less what its closes filled, each leg since its open fill; its unsettled close is named', async () => {
    const closing = await position('CLOSING', ago(1_000));
    await component(closing, 0, 'BTCUSDT', 'buy', '0.002', '65000');
    await component(closing, 1, 'ETHUSDT', 'buy', '0.03', '3200');
    await component(closing, 2, 'XRPUSDT', 'buy', '100', '0.5');
    await order(
      closing,
      { purpose: 'open', legIndex: 0, symbol: 'BTCUSDT', side: 'buy', status: 'FILLED', filled: '0.002', price: '65010' },
      { settledAt: ago(600_000), updatedAt: ago(590_000) },
    );
    await order(
      closing,
      { purpose: 'open', legIndex: 1, symbol: 'ETHUSDT', side: 'buy', status: 'FILLED', filled: '0.03', price: '3201' },
      { updatedAt: ago(500_000) },
    );
    await order(
      closing,
      { purpose: 'open', legIndex: 2, symbol: 'XRPUSDT', side: 'buy', status: 'FILLED', filled: '100', price: '0.5' },
      { settledAt: ago(400_000), updatedAt: ago(400_000) },
    );
    await order(
      closing,
      { purpose: 'close', legIndex: 0, symbol: 'BTCUSDT', side: 'sell', status: 'FILLED', filled: '0.0005' },
      { settledAt: ago(2_000), updatedAt: ago(2_000) },
    );
    await order(
      closing,
      { purpose: 'close', legIndex: 2, symbol: 'XRPUSDT', side: 'sell', status: 'FILLED', filled: '100' },
      { settledAt: ago(2_000), updatedAt: ago(2_000) },
    );
    const unsettled = await order(
      closing,
      { purpose: 'close', legIndex: 1, symbol: 'ETHUSDT', side: 'sell', status: 'SUBMITTED' },
      { updatedAt: ago(1_000) },
    );
    const closed = await position('CLOSED', ago(1_000));
    await order(
      closed,
      { purpose: 'open', legIndex: 0, symbol: 'BTCUSDT', side: 'buy', status: 'FILLED', filled: '0.001' },
      { updatedAt: ago(9_000) },
    );

    const [view, ...others] = await readAccountPositions(db, owner.accountId, now, 30_000);

    expect(others).toEqual([]); // CLOSED holds nothing
    expect(view).toMatchObject({ id: closing, status: 'CLOSING', inFlight: true, positionMode: 'one_way', openDeviationSymbols: [] });
    expect(view?.legs.sort((a, b) => a.legIndex - b.legIndex)).toEqual([
      // The component's quantity as recorded; what is held is net of the filled close.
      {
        legIndex: 0,
        symbol: 'BTCUSDT',
        side: 'buy',
        quantity: '0.0015',
        openedQuantity: '0.0020000000',
        entryPrice: '65000.0000000000',
        heldSince: ago(600_000),
      },
      // No settlement time recorded: held since the open order's last change.
      {
        legIndex: 1,
        symbol: 'ETHUSDT',
        side: 'buy',
        quantity: '0.03',
        openedQuantity: '0.0300000000',
        entryPrice: '3200.0000000000',
        heldSince: ago(500_000),
      },
      // XRPUSDT closed whole: no longer held.
    ]);
    expect(view?.unsettledUnwinds).toEqual([{ symbol: 'ETHUSDT', hedgeSide: null, orderLinkId: unsettled }]);
    expect([...(view?.orderSlots ?? [])].sort()).toEqual(['BTCUSDT', 'ETHUSDT', 'XRPUSDT']);
  });

  it('an executing basket holds what its open orders filled; every slot it sent or planned an order for is named, and its open deviations', async () => {
    const executing = await position('EXECUTING', ago(5_000), 'hedge');
    await component(executing, 0, 'SOLUSDT', 'sell', '1.5', '150');
    await component(executing, 1, 'DOGEUSDT', 'sell', '500', '0.12');
    await order(
      executing,
      { purpose: 'open', legIndex: 0, symbol: 'SOLUSDT', side: 'sell', status: 'FILLED', filled: '1.5', price: '149.5' },
      { settledAt: ago(6_000), updatedAt: ago(6_000) },
      'short',
    );
    await order(
      executing,
      { purpose: 'open', legIndex: 1, symbol: 'DOGEUSDT', side: 'sell', status: 'SUBMITTED' },
      { updatedAt: ago(5_000) },
      'short',
    );
    await db.query(
      `INSERT INTO position_deviations (position_id, symbol, expected_quantity, delta, explanation, first_seen_at, last_seen_at, cleared_at)
       VALUES ($1, 'SOLUSDT', -1.5, 0.5, 'open', $2, $2, NULL), ($1, 'DOGEUSDT', 0, 1, 'cleared', $2, $2, $2)`,
      [executing, ago(60_000)],
    );

    const [view] = await readAccountPositions(db, owner.accountId, now, 30_000);

    expect(view?.id).toBe(executing);
    expect(view?.legs).toEqual([
      {
        legIndex: 0,
        symbol: 'SOLUSDT',
        side: 'sell',
        quantity: '1.5',
        openedQuantity: '1.5000000000',
        entryPrice: '149.5000000000',
        heldSince: ago(6_000),
        hedgeSide: 'short',
      },
    ]);
    expect([...(view?.orderSlots ?? [])].sort()).toEqual(['DOGEUSDT:short', 'SOLUSDT:short']);
    expect(view?.openDeviationSymbols).toEqual(['SOLUSDT']);
    expect(view?.unsettledUnwinds).toEqual([]); // an open order is not an unwind
  });

  it('an ACTIVE hedge-mode basket names the slots of its components (its filled open orders are not read)', async () => {
    const active = await position('ACTIVE', ago(3_600_000), 'hedge');
    await component(active, 0, 'BTCUSDT', 'sell', '0.001', '65000');
    await order(
      active,
      { purpose: 'open', legIndex: 0, symbol: 'BTCUSDT', side: 'sell', status: 'FILLED', filled: '0.001' },
      { settledAt: ago(3_600_000), updatedAt: ago(3_600_000) },
      'short',
    );

    const [view] = await readAccountPositions(db, owner.accountId, now, 30_000);

    expect(view).toMatchObject({ id: active, inFlight: false, orderSlots: ['BTCUSDT:short'] });
    expect(view?.legs).toEqual([
      {
        legIndex: 0,
        symbol: 'BTCUSDT',
        side: 'sell',
        quantity: '0.001',
        openedQuantity: '0.0010000000',
        entryPrice: '65000.0000000000',
        heldSince: ago(3_600_000),
        hedgeSide: 'short',
      },
    ]);
  });
});
