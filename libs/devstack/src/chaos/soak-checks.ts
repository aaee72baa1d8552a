// The end-of-soak verdict: pure functions over what the soak collected from PostgreSQL, the
// simulator's true state and request log, the alert stream and the services' metrics.
// Each check answers one line of the promise: no leg placed twice, no fill unseen, no command
// lost or stuck, no exposure untracked except manual trades (each reported), no unwind on the
// wrong side, every failure in alerts and metrics.
import Decimal from 'decimal.js';

const TERMINAL = new Set(['ACTIVE', 'CLOSED', 'FAILED', 'ROLLED_BACK']);

/** A leg order as Legwork's ledger (`orders`) records it. */
export interface LedgerOrder {
  orderLinkId: string;
  positionId: string;
  accountId: string;
  purpose: 'open' | 'close' | 'rollback' | 'restore';
  attempt: number;
  legIndex: number;
  symbol: string;
  side: 'buy' | 'sell';
  status: string;
}

/** An order as the exchange (the simulator's true state) holds it. */
export interface ExchangeOrder {
  accountId: string;
  orderLinkId: string;
  symbol: string;
  side: 'Buy' | 'Sell';
  cumExecQty: string;
  reduceOnly: boolean;
}

/** One `POST /v5/order/create` the exchange received, answered or not. */
export interface OrderRequest {
  seq: number;
  accountId: string;
  orderLinkId: string;
  symbol: string;
  side: 'Buy' | 'Sell';
  reduceOnly: boolean;
}

export interface SoakEvidence {
  /** Position ids the trader got `202` for on open, and the unwinds it got `202` for. */
  acceptedOpens: string[];
  acceptedUnwinds: { positionId: string; kind: 'close' | 'rollback' }[];
  positions: { id: string; accountId: string; status: string }[];
  statusChanges: { positionId: string; from: string | null; to: string; atMs: number }[];
  ledger: LedgerOrder[];
  /** Fills Legwork recorded (`trades`), with the ledger order they belong to. */
  trades: { orderLinkId: string; accountId: string; symbol: string; side: 'buy' | 'sell'; quantity: string }[];
  alerts: { kind: string; positionId: string | null; accountId: string | null; details: Record<string, unknown> }[];
  /** Orphan observations still open (suspected or confirmed) at the end. */
  openOrphans: { accountId: string; symbol: string; status: string }[];
  exchangePositions: { accountId: string; symbol: string; side: 'Buy' | 'Sell' | ''; size: string }[];
  exchangeOrders: ExchangeOrder[];
  orderRequests: OrderRequest[];
  /** False when the request log dropped entries before the soak read them. */
  requestLogComplete: boolean;
  /** Trades placed by hand on the exchange (not by Legwork), as the trader placed them. */
  manualTrades: { accountId: string; symbol: string; side: 'Buy' | 'Sell'; qty: string }[];
  /** `execution_failures_total` summed over every executor incarnation (reset-aware). */
  executionFailuresCounted: number;
  /** When an executor was SIGKILLed (ms since epoch): increments in its last moments may be lost. */
  executorKillsAtMs: number[];
}

export interface SoakVerdict {
  counts: {
    duplicates: number;
    lost: number;
    stuck: number;
    untracked: number;
    unseenFills: number;
    wrongSide: number;
    unreportedManual: number;
    falseOrphans: number;
    unalertedFailures: number;
    uncountedFailures: number;
  };
  /** One sentence per violation; empty when the soak kept every promise. */
  violations: string[];
}

/** How long before a SIGKILL a committed failure may still be missing from the scraped metrics. */
export const METRICS_KILL_WINDOW_MS = 2_000;

type Counted = keyof SoakVerdict['counts'];

/** The verdict being built: a count per promise and one sentence per violation. */
class Tally {
  readonly counts: SoakVerdict['counts'] = {
    duplicates: 0,
    lost: 0,
    stuck: 0,
    untracked: 0,
    unseenFills: 0,
    wrongSide: 0,
    unreportedManual: 0,
    falseOrphans: 0,
    unalertedFailures: 0,
    uncountedFailures: 0,
  };
  readonly violations: string[] = [];

  report(what: Counted | null, text: string, times = 1): void {
    if (what) this.counts[what] += times;
    this.violations.push(text);
  }
}

const isManual = (link: string) => link === '' || link.startsWith('manual-');

/**
 * Judges a soak. Pure: the same evidence gives the same verdict.
 * Exchange facts: one-way positions (`side` Buy = long, Sell = short), `cumExecQty` per order,
 * manual orders carry `orderLinkId` "" or "manual-…" (the simulator's control API, Bybit's
 * `orderLinkId` is optional).
 */
export function judgeSoak(e: SoakEvidence): SoakVerdict {
  const tally = new Tally();
  const ledgerByLink = new Map(e.ledger.map((o) => [o.orderLinkId, o]));
  checkPlacedOnce(e, ledgerByLink, tally);
  checkSettled(e, tally);
  checkFillsAndExposure(e, ledgerByLink, tally);
  checkSettledFlat(e, ledgerByLink, tally);
  checkUnwindSides(e, ledgerByLink, tally);
  checkOrphanReports(e, tally);
  checkFailuresAccounted(e, tally);
  return { counts: tally.counts, violations: tally.violations };
}

/** No orderLinkId accepted twice, no leg placed twice, no Legwork order outside the ledger. */
function checkPlacedOnce(e: SoakEvidence, ledgerByLink: Map<string, LedgerOrder>, tally: Tally): void {
  const perLink = countBy(
    e.exchangeOrders.filter((o) => !isManual(o.orderLinkId)),
    (o) => o.orderLinkId,
  );
  for (const [link, n] of perLink) if (n > 1) tally.report('duplicates', `orderLinkId ${link} accepted ${n} times`, n - 1);
  const perLeg = new Map<string, string[]>();
  for (const order of e.exchangeOrders) {
    if (isManual(order.orderLinkId)) continue;
    const leg = ledgerByLink.get(order.orderLinkId);
    if (!leg) {
      tally.report('untracked', `exchange order ${order.orderLinkId} (${order.symbol} ${order.side}) has no ledger row`);
      continue;
    }
    // An open leg is placed once whatever the attempt; an unwind leg once per unwind attempt.
    const key =
      leg.purpose === 'open' ? `${leg.positionId}:open:${leg.legIndex}` : `${leg.positionId}:${leg.purpose}:${leg.attempt}:${leg.legIndex}`;
    perLeg.set(key, [...(perLeg.get(key) ?? []), order.orderLinkId]);
  }
  for (const [key, links] of perLeg)
    if (links.length > 1) tally.report('duplicates', `leg ${key} placed ${links.length} times (${links.join(', ')})`, links.length - 1);
}

/** Every accepted command is in the database and ended in a settled state; every leg settled. */
function checkSettled(e: SoakEvidence, tally: Tally): void {
  const positionIds = new Set(e.positions.map((p) => p.id));
  for (const id of e.acceptedOpens) if (!positionIds.has(id)) tally.report('lost', `accepted open ${id} has no position row`);
  for (const u of e.acceptedUnwinds) {
    const began = e.statusChanges.some((c) => c.positionId === u.positionId && c.to === (u.kind === 'close' ? 'CLOSING' : 'ROLLING_BACK'));
    if (!began) tally.report('lost', `accepted ${u.kind} of ${u.positionId} never started`);
  }
  for (const p of e.positions) if (!TERMINAL.has(p.status)) tally.report('stuck', `position ${p.id} stuck in ${p.status}`);
  for (const o of e.ledger)
    if (o.status === 'SUBMITTED' || o.status === 'UNCONFIRMED') tally.report('stuck', `leg order ${o.orderLinkId} left ${o.status}`);
}

/** Every fill of a Legwork order is recorded; the exchange holds exactly what fills and manual trades explain. */
function checkFillsAndExposure(e: SoakEvidence, ledgerByLink: Map<string, LedgerOrder>, tally: Tally): void {
  const recorded = sumBy(
    e.trades,
    (t) => t.orderLinkId,
    (t) => t.quantity,
  );
  for (const order of e.exchangeOrders) {
    if (isManual(order.orderLinkId) || !ledgerByLink.has(order.orderLinkId)) continue;
    const seen = recorded.get(order.orderLinkId) ?? new Decimal(0);
    if (!seen.eq(order.cumExecQty))
      tally.report('unseenFills', `order ${order.orderLinkId}: exchange filled ${order.cumExecQty}, Legwork recorded ${seen.toString()}`);
  }
  const explained = sumBy(
    [
      ...e.trades.map((t) => ({ key: `${t.accountId}|${t.symbol}`, qty: signed(t.side === 'buy', t.quantity) })),
      ...e.manualTrades.map((m) => ({ key: `${m.accountId}|${m.symbol}`, qty: signed(m.side === 'Buy', m.qty) })),
    ],
    (x) => x.key,
    (x) => x.qty,
  );
  const held = sumBy(
    e.exchangePositions,
    (p) => `${p.accountId}|${p.symbol}`,
    (p) => signed(p.side === 'Buy', p.size),
  );
  for (const key of new Set([...explained.keys(), ...held.keys()])) {
    const [holds, explains] = [held.get(key) ?? new Decimal(0), explained.get(key) ?? new Decimal(0)];
    if (!holds.eq(explains))
      tally.report('untracked', `${key.replace('|', ' ')}: exchange holds ${holds.toString()}, records explain ${explains.toString()}`);
  }
}

/**
 * A position settled flat (CLOSED, ROLLED_BACK) holds nothing: its own fills net to zero in every
 * symbol. The soak trades index symbols only through Legwork, so nothing else can have taken part
 * of a leg; what is left is Legwork's exposure that no holding position counts any more — the
 * scans would call it an orphan. The sentence lists the position's orders in that symbol.
 */
function checkSettledFlat(e: SoakEvidence, ledgerByLink: Map<string, LedgerOrder>, tally: Tally): void {
  const flat = new Set(e.positions.filter((p) => p.status === 'CLOSED' || p.status === 'ROLLED_BACK').map((p) => p.id));
  const net = sumBy(
    e.trades.filter((t) => flat.has(ledgerByLink.get(t.orderLinkId)?.positionId ?? '')),
    (t) => `${ledgerByLink.get(t.orderLinkId)?.positionId ?? ''}|${t.symbol}`,
    (t) => signed(t.side === 'buy', t.quantity),
  );
  for (const [key, qty] of net) {
    if (qty.isZero()) continue;
    const [positionId, symbol] = key.split('|');
    const status = e.positions.find((p) => p.id === positionId)?.status;
    const orders = e.ledger
      .filter((o) => o.positionId === positionId && o.symbol === symbol)
      .map((o) => `${o.purpose}#${o.attempt} ${o.side} ${o.orderLinkId} ${o.status}`);
    tally.report('untracked', `position ${positionId} is ${status} but its fills leave ${qty.toString()} ${symbol} (${orders.join('; ')})`);
  }
}

/** No reduce-only order (sent, or held by the exchange) on the side of the leg it reduces. */
function checkUnwindSides(e: SoakEvidence, ledgerByLink: Map<string, LedgerOrder>, tally: Tally): void {
  const openSide = new Map(e.ledger.filter((o) => o.purpose === 'open').map((o) => [`${o.positionId}:${o.legIndex}`, o.side]));
  const reduceOnly = [
    ...e.orderRequests.filter((r) => r.reduceOnly).map((r) => ({ link: r.orderLinkId, side: r.side, what: `request #${r.seq}` })),
    ...e.exchangeOrders.filter((o) => o.reduceOnly).map((o) => ({ link: o.orderLinkId, side: o.side, what: 'order' })),
  ];
  for (const r of reduceOnly.filter((x) => !isManual(x.link))) {
    const leg = ledgerByLink.get(r.link);
    const opened = leg && openSide.get(`${leg.positionId}:${leg.legIndex}`);
    if (!opened) tally.report('wrongSide', `reduce-only ${r.what} ${r.link} matches no opened leg`);
    else if (r.side.toLowerCase() === opened)
      tally.report('wrongSide', `reduce-only ${r.what} ${r.link} sent ${r.side} on a ${opened} leg`);
  }
  if (!e.requestLogComplete)
    tally.report(
      null,
      'the simulator dropped request-log entries before they were read: the wrong-side check saw only part of the requests',
    );
}

/** Every manual exposure reported by the orphan monitor as a manual trade; nothing else reported. */
function checkOrphanReports(e: SoakEvidence, tally: Tally): void {
  const orphanAlerts = e.alerts.filter((a) => a.kind === 'orphan.detected');
  const manualHeld = sumBy(
    e.manualTrades,
    (m) => `${m.accountId}|${m.symbol}`,
    (m) => signed(m.side === 'Buy', m.qty),
  );
  for (const [key, qty] of manualHeld) {
    if (qty.isZero()) continue;
    const [accountId, symbol] = key.split('|');
    const reported = orphanAlerts.some(
      (a) => a.accountId === accountId && a.details['symbol'] === symbol && a.details['origin'] === 'manual_trade',
    );
    if (!reported) tally.report('unreportedManual', `manual ${qty.toString()} ${symbol} on ${accountId} never reported as an orphan`);
  }
  for (const a of orphanAlerts) {
    const manual = manualHeld.has(`${a.accountId}|${String(a.details['symbol'])}`);
    if (!manual || a.details['origin'] !== 'manual_trade')
      tally.report(
        'falseOrphans',
        `orphan alert for ${String(a.details['symbol'])} on ${a.accountId} is not a manual trade: ${JSON.stringify(a.details)}`,
      );
  }
  for (const o of e.openOrphans) {
    const manual = manualHeld.get(`${o.accountId}|${o.symbol}`);
    if (!manual || manual.isZero())
      tally.report('falseOrphans', `orphan ${o.symbol} on ${o.accountId} still ${o.status} though nothing manual is held there`);
  }
}

/** Failures: alerted when exposure may be held, counted in `execution_failures_total` always. */
function checkFailuresAccounted(e: SoakEvidence, tally: Tally): void {
  const alertedPositions = new Set(e.alerts.map((a) => a.positionId).filter((id): id is string => id !== null));
  const filledOpen = new Set(e.ledger.filter((o) => o.purpose === 'open' && o.status === 'FILLED').map((o) => o.positionId));
  for (const p of e.positions) {
    if (p.status === 'FAILED' && filledOpen.has(p.id) && !alertedPositions.has(p.id))
      tally.report('unalertedFailures', `position ${p.id} FAILED holding legs without an alert`);
  }
  for (const c of e.statusChanges) {
    const gaveUp = (c.from === 'CLOSING' && c.to === 'ACTIVE') || (c.from === 'ROLLING_BACK' && c.to === 'FAILED');
    if (gaveUp && !alertedPositions.has(c.positionId))
      tally.report('unalertedFailures', `${c.from} → ${c.to} of ${c.positionId} without an alert`);
  }
  const failures = e.statusChanges.filter((c) => c.to === 'FAILED' && (c.from === 'EXECUTING' || c.from === 'PENDING'));
  const nearKill = failures.filter((c) => e.executorKillsAtMs.some((k) => k >= c.atMs && k - c.atMs <= METRICS_KILL_WINDOW_MS)).length;
  const counted = e.executionFailuresCounted;
  if (counted > failures.length) {
    tally.report(
      'uncountedFailures',
      `execution_failures_total counted ${counted} failures, the database holds ${failures.length}`,
      counted - failures.length,
    );
  } else if (failures.length - counted > nearKill) {
    tally.report(
      'uncountedFailures',
      `execution_failures_total counted ${counted} of ${failures.length} failures (${nearKill} committed just before an executor was killed)`,
      failures.length - counted - nearKill,
    );
  }
}

function signed(positive: boolean, qty: string): Decimal {
  return positive ? new Decimal(qty) : new Decimal(qty).neg();
}

/** How many items share each key. */
export function countBy<T>(items: readonly T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

function sumBy<T>(items: readonly T[], key: (item: T) => string, value: (item: T) => Decimal.Value): Map<string, Decimal> {
  const sums = new Map<string, Decimal>();
  for (const item of items) sums.set(key(item), (sums.get(key(item)) ?? new Decimal(0)).plus(value(item)));
  return sums;
}
