import { judgeSoak, type SoakEvidence } from './soak-checks';

/** A clean soak: one long position opened (2 legs) and closed, one manual trade, reported. */
function cleanEvidence(): SoakEvidence {
  const leg = (link: string, purpose: 'open' | 'close', legIndex: number, symbol: string, side: 'buy' | 'sell') => ({
    orderLinkId: link,
    positionId: 'p1',
    accountId: 'a1',
    purpose,
    attempt: purpose === 'open' ? 0 : 1,
    legIndex,
    symbol,
    side,
    status: 'FILLED',
  });
  return {
    acceptedOpens: ['p1'],
    acceptedUnwinds: [{ positionId: 'p1', kind: 'close' }],
    positions: [{ id: 'p1', accountId: 'a1', status: 'CLOSED' }],
    statusChanges: [
      { positionId: 'p1', from: 'PENDING', to: 'EXECUTING', atMs: 1 },
      { positionId: 'p1', from: 'EXECUTING', to: 'ACTIVE', atMs: 2 },
      { positionId: 'p1', from: 'ACTIVE', to: 'CLOSING', atMs: 3 },
      { positionId: 'p1', from: 'CLOSING', to: 'CLOSED', atMs: 4 },
    ],
    ledger: [
      leg('o0', 'open', 0, 'BTCUSDT', 'buy'),
      leg('o1', 'open', 1, 'ETHUSDT', 'buy'),
      leg('c0', 'close', 0, 'BTCUSDT', 'sell'),
      leg('c1', 'close', 1, 'ETHUSDT', 'sell'),
    ],
    trades: [
      { orderLinkId: 'o0', accountId: 'a1', symbol: 'BTCUSDT', side: 'buy', quantity: '0.006' },
      { orderLinkId: 'o1', accountId: 'a1', symbol: 'ETHUSDT', side: 'buy', quantity: '0.10' },
      { orderLinkId: 'c0', accountId: 'a1', symbol: 'BTCUSDT', side: 'sell', quantity: '0.006' },
      { orderLinkId: 'c1', accountId: 'a1', symbol: 'ETHUSDT', side: 'sell', quantity: '0.1' },
    ],
    alerts: [{ kind: 'orphan.detected', positionId: null, accountId: 'a1', details: { symbol: 'ADAUSDT', origin: 'manual_trade' } }],
    openOrphans: [{ accountId: 'a1', symbol: 'ADAUSDT', status: 'confirmed' }],
    exchangePositions: [{ accountId: 'a1', symbol: 'ADAUSDT', side: 'Buy', size: '20' }],
    exchangeOrders: [
      { accountId: 'a1', orderLinkId: 'o0', symbol: 'BTCUSDT', side: 'Buy', cumExecQty: '0.006', reduceOnly: false },
      { accountId: 'a1', orderLinkId: 'o1', symbol: 'ETHUSDT', side: 'Buy', cumExecQty: '0.10', reduceOnly: false },
      { accountId: 'a1', orderLinkId: 'c0', symbol: 'BTCUSDT', side: 'Sell', cumExecQty: '0.006', reduceOnly: true },
      { accountId: 'a1', orderLinkId: 'c1', symbol: 'ETHUSDT', side: 'Sell', cumExecQty: '0.10', reduceOnly: true },
      { accountId: 'a1', orderLinkId: '', symbol: 'ADAUSDT', side: 'Buy', cumExecQty: '20', reduceOnly: false },
    ],
    orderRequests: [{ seq: 9, accountId: 'a1', orderLinkId: 'c0', symbol: 'BTCUSDT', side: 'Sell', reduceOnly: true }],
    requestLogComplete: true,
    manualTrades: [{ accountId: 'a1', symbol: 'ADAUSDT', side: 'Buy', qty: '20' }],
    executionFailuresCounted: 0,
    executorKillsAtMs: [],
  };
}

describe('judgeSoak', () => {
  it('finds nothing wrong with a soak that kept every promise', () => {
    expect(judgeSoak(cleanEvidence())).toEqual({
      counts: expect.objectContaining({ duplicates: 0, lost: 0, stuck: 0, untracked: 0 }),
      violations: [],
    });
  });

  it('counts an orderLinkId accepted twice and a leg placed under two ids as duplicates', () => {
    const e = cleanEvidence();
    e.exchangeOrders.push({ ...e.exchangeOrders[0]!, cumExecQty: '0' });
    e.ledger.push({ ...e.ledger[0]!, orderLinkId: 'o0-again', attempt: 1, status: 'REJECTED' });
    e.exchangeOrders.push({ accountId: 'a1', orderLinkId: 'o0-again', symbol: 'BTCUSDT', side: 'Buy', cumExecQty: '0', reduceOnly: false });
    const { counts, violations } = judgeSoak(e);
    expect(counts.duplicates).toBe(3);
    expect(violations).toContain('orderLinkId o0 accepted 2 times');
    expect(violations.some((v) => v.startsWith('leg p1:open:0 placed 3 times'))).toBe(true);
  });

  it('calls an accepted command that left no row lost, and a working position or an unsettled leg stuck', () => {
    const e = cleanEvidence();
    e.acceptedOpens.push('p-missing');
    e.acceptedUnwinds.push({ positionId: 'p1', kind: 'rollback' });
    e.positions.push({ id: 'p2', accountId: 'a1', status: 'EXECUTING' });
    e.ledger.push({
      orderLinkId: 'x0',
      positionId: 'p2',
      accountId: 'a1',
      purpose: 'open',
      attempt: 0,
      legIndex: 0,
      symbol: 'XRPUSDT',
      side: 'buy',
      status: 'UNCONFIRMED',
    });
    const { counts } = judgeSoak(e);
    expect(counts.lost).toBe(2);
    expect(counts.stuck).toBe(2);
  });

  it('finds a fill Legwork did not record, as an unseen fill and as unexplained exposure', () => {
    const e = cleanEvidence();
    e.exchangeOrders[0]!.cumExecQty = '0.007';
    e.exchangePositions.push({ accountId: 'a1', symbol: 'BTCUSDT', side: 'Buy', size: '0.001' });
    const { counts, violations } = judgeSoak(e);
    expect(counts.unseenFills).toBe(1);
    expect(counts.untracked).toBe(1);
    expect(violations).toContain('a1 BTCUSDT: exchange holds 0.001, records explain 0');
  });

  it('counts an exchange order with a Legwork-looking orderLinkId the ledger lacks as untracked', () => {
    const e = cleanEvidence();
    e.exchangeOrders.push({ accountId: 'a1', orderLinkId: 'lw-lost', symbol: 'XRPUSDT', side: 'Buy', cumExecQty: '0', reduceOnly: false });
    expect(judgeSoak(e).counts.untracked).toBe(1);
  });

  it("names a CLOSED position whose own fills leave exposure, even when the account's total is explained", () => {
    const e = cleanEvidence();
    // The close sold only part of ETH; the exchange holds the rest, which the fills explain.
    e.trades[3]!.quantity = '0.06';
    e.exchangeOrders[3]!.cumExecQty = '0.06';
    e.exchangePositions.push({ accountId: 'a1', symbol: 'ETHUSDT', side: 'Buy', size: '0.04' });
    const { counts, violations } = judgeSoak(e);
    expect(counts.untracked).toBe(1);
    expect(violations).toEqual(['position p1 is CLOSED but its fills leave 0.04 ETHUSDT (open#0 buy o1 FILLED; close#1 sell c1 FILLED)']);
  });

  it('flags a reduce-only request on the side of the leg it should reduce', () => {
    const e = cleanEvidence();
    e.orderRequests.push({ seq: 10, accountId: 'a1', orderLinkId: 'c1', symbol: 'ETHUSDT', side: 'Buy', reduceOnly: true });
    expect(judgeSoak(e).violations).toContain('reduce-only request #10 c1 sent Buy on a buy leg');
  });

  it('requires each manual exposure to be reported as a manual trade, and nothing else', () => {
    const e = cleanEvidence();
    e.alerts = [{ kind: 'orphan.detected', positionId: null, accountId: 'a1', details: { symbol: 'BTCUSDT', origin: 'legwork_order' } }];
    e.openOrphans.push({ accountId: 'a1', symbol: 'BTCUSDT', status: 'suspected' });
    const { counts } = judgeSoak(e);
    expect(counts.unreportedManual).toBe(1);
    expect(counts.falseOrphans).toBe(2);
  });

  it('requires an alert for a FAILED position holding legs and for a close that gave up', () => {
    const e = cleanEvidence();
    e.positions[0]!.status = 'FAILED';
    e.statusChanges.push({ positionId: 'p1', from: 'CLOSING', to: 'ACTIVE', atMs: 5 });
    expect(judgeSoak(e).counts.unalertedFailures).toBe(2);
  });

  it('accepts failures missing from the metrics only when committed just before an executor was killed', () => {
    const e = cleanEvidence();
    e.statusChanges.push(
      { positionId: 'p2', from: 'EXECUTING', to: 'FAILED', atMs: 10_000 },
      { positionId: 'p3', from: 'PENDING', to: 'FAILED', atMs: 20_000 },
    );
    e.executionFailuresCounted = 1;
    expect(judgeSoak(e).counts.uncountedFailures).toBe(1);
    e.executorKillsAtMs = [20_500];
    expect(judgeSoak(e).counts.uncountedFailures).toBe(0);
    e.executionFailuresCounted = 3;
    expect(judgeSoak(e).counts.uncountedFailures).toBe(1);
  });
});
