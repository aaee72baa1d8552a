import type { DataSource } from 'typeorm';
import type { SimAccountState, SimControl, SimRequest } from '../sim-control';
import type { ExchangeOrder, LedgerOrder, SoakEvidence } from './soak-checks';
import type { SoakAccount, TraderRecord } from './trader';

/**
 * Reads everything the verdict needs once the soak has settled: Legwork's records from
 * PostgreSQL (positions, status history, ledger, fills, alerts, open orphans) and the exchange's
 * true state from the simulator (`GET /__sim/state`: no lag, no faults).
 * @throws Error when the database or the simulator does not answer.
 */
export async function collectEvidence(
  db: DataSource,
  sim: SimControl,
  accounts: readonly SoakAccount[],
  observed: {
    trader: TraderRecord;
    requestLog: { orderCreates: SimRequest[]; complete: boolean };
    executionFailuresCounted: number;
    executorKillsAtMs: number[];
  },
): Promise<SoakEvidence> {
  const accountOf = new Map(accounts.map((a) => [a.apiKey, a.accountId]));
  const state = await sim.state<{ accounts: SimAccountState[] }>();
  const exchange = state.accounts
    .filter((a) => accountOf.has(a.apiKey))
    .map((a) => ({ ...a, accountId: accountOf.get(a.apiKey) as string }));
  const [positions, changes, ledger, trades, alerts, openOrphans] = await Promise.all([
    db.query('SELECT id, account_id AS "accountId", status FROM synthetic_positions'),
    db.query(
      `SELECT position_id AS "positionId", from_status AS "from", to_status AS "to", (extract(epoch FROM changed_at) * 1000)::float8 AS "atMs"
       FROM position_status_changes`,
    ),
    db.query(
      `SELECT order_link_id AS "orderLinkId", position_id AS "positionId", account_id AS "accountId", purpose, attempt, leg_index AS "legIndex", symbol, side, status
       FROM orders`,
    ) as Promise<LedgerOrder[]>,
    db.query(
      `SELECT o.order_link_id AS "orderLinkId", p.account_id AS "accountId", t.symbol, t.side, t.quantity::text AS quantity
       FROM trades t JOIN orders o ON o.id = t.order_id JOIN synthetic_positions p ON p.id = t.position_id`,
    ),
    db.query('SELECT kind, position_id AS "positionId", account_id AS "accountId", details FROM alerts'),
    db.query(`SELECT account_id AS "accountId", symbol, status FROM orphan_observations WHERE status IN ('suspected', 'confirmed')`),
  ]);
  return {
    acceptedOpens: observed.trader.acceptedOpens,
    acceptedUnwinds: observed.trader.acceptedUnwinds,
    positions,
    statusChanges: changes,
    ledger,
    trades,
    alerts,
    openOrphans,
    exchangePositions: exchange.flatMap((a) =>
      a.positions.map((p) => ({ accountId: a.accountId, symbol: p.symbol, side: p.side, size: p.size })),
    ),
    exchangeOrders: exchange.flatMap((a) =>
      a.orders.map((o): ExchangeOrder => ({
        accountId: a.accountId,
        orderLinkId: o.orderLinkId,
        symbol: o.symbol,
        side: o.side,
        cumExecQty: o.cumExecQty,
        reduceOnly: o.reduceOnly,
      })),
    ),
    orderRequests: observed.requestLog.orderCreates
      .filter((r) => r.apiKey !== null && accountOf.has(r.apiKey))
      .map((r) => ({
        seq: r.seq,
        accountId: accountOf.get(r.apiKey as string) as string,
        orderLinkId: r.orderLinkId ?? '',
        symbol: r.symbol ?? '',
        side: r.side === 'Sell' ? 'Sell' : 'Buy',
        reduceOnly: r.reduceOnly === true,
      })),
    requestLogComplete: observed.requestLog.complete,
    manualTrades: observed.trader.manualTrades,
    executionFailuresCounted: observed.executionFailuresCounted,
    executorKillsAtMs: observed.executorKillsAtMs,
  };
}
