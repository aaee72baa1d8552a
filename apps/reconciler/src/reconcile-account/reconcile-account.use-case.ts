import { createHash } from 'node:crypto';
import {
  fundingFingerprint,
  LegDeviation,
  LeverageDeviation,
  leverageDeviations,
  pnlOnOpenedQuantitiesOfEach,
  reconcileAccount,
  slotInGrace,
  TrackedPosition,
} from '@legwork/domain';
import Decimal from 'decimal.js';
import { describeDriftCause, isDriftCause, verifyFill } from '@legwork/exchange';
import { AlertFactory, OutboxMessage } from '@legwork/messaging';
import {
  AccountPosition,
  DeviationInput,
  FundingRepository,
  OrderLedgerRepository,
  OrderRecord,
  ScanRepository,
} from '@legwork/persistence';
import { OutboxRepository } from '@legwork/outbox';
import { inFlightSlots, trackedLeg, type ExchangeReader, type ScanCause, type ScanSettings } from '@legwork/scanning';
import { readFunding, recordFunding } from './record-funding';

export interface ReconcileResult {
  accountId: string;
  positions: {
    positionId: string;
    health: 'IN_SYNC' | 'ALTERED';
    previous: 'IN_SYNC' | 'ALTERED';
    deviations: LegDeviation[];
    leverageDeviations: LeverageDeviation[];
  }[];
  settledLegs: number;
  /** New (position, funding settlement) rows recorded by this scan. */
  fundingRecorded: number;
  stuck: string[];
  alerts: OutboxMessage[];
}

/**
 * Reconciles one exchange account: ONE position-list call, compared with the exposure Legwork's
 * positions expect (pure `reconcileAccount`), per (account, symbol, side): each leg carries the
 * side of its position's mode, each exchange row its `positionIdx` side, so on a hedge-mode
 * account a change to one side of a symbol alters only the positions on that side. Records each
 * position's health and deviations (as history) — a size off by a Δ, or a symbol held at another
 * leverage than the 1x it was opened at (its own deviation kind, seed 001) — its P&L on the
 * originally opened quantities, the funding settled on what it holds (record-funding.ts, apart
 * from fills), settles legs an execution left
 * unknown (by `orderLinkId`), reports positions stuck in EXECUTING, and raises an alert when a
 * position becomes ALTERED or back IN_SYNC. Never sends an order (it only holds an
 * {@link ExchangeReader}). A failed position list throws: the scan fails, nothing is changed.
 */
export class ReconcileAccountUseCase {
  constructor(
    private readonly scans: ScanRepository,
    private readonly ledger: OrderLedgerRepository,
    private readonly outbox: OutboxRepository,
    private readonly alerts: AlertFactory,
    private readonly settings: ScanSettings,
    private readonly funding: FundingRepository,
  ) {}

  /**
   * @param causes per symbol, why the exchange moved it, when a stream-driven job says (e.g.
   *   `liquidation`): appended to that symbol's deviation explanations, so the alert says it too.
   */
  async execute(
    accountId: string,
    exchange: ExchangeReader,
    at: Date = new Date(),
    causes: readonly ScanCause[] = [],
  ): Promise<ReconcileResult> {
    // The legs an execution left unknown and the positions are read together; settling a leg
    // changes what its position holds, so the positions are read again when one was settled.
    const [unknownLegs, firstRead] = await Promise.all([
      this.scans.unsettledLegs(accountId, at),
      this.scans.accountPositions(accountId, at, this.settings.orphanGraceMs),
    ]);
    const settledLegs = await this.settleUnknownLegs(unknownLegs, exchange);
    const positions = settledLegs > 0 ? await this.scans.accountPositions(accountId, at, this.settings.orphanGraceMs) : firstRead;
    // Slots (not whole symbols) of work in progress: a long basket executing on a hedge-mode
    // account must not hide a change to the short side of the same symbol.
    const grace = inFlightSlots(positions);
    const settled = positions.filter((p) => !p.inFlight);
    // Funding moves no position and fills no order: it changes neither legs nor health (issue 16).
    // Its read runs beside the verdicts; a failed read fails the scan when awaited below.
    const symbolsInGrace = new Set(positions.filter((p) => p.inFlight).flatMap((p) => p.legs.map((l) => l.symbol)));
    // The database was read before the exchange (a position that turned ACTIVE after its read was
    // still in flight in it, its slots in grace). The funding read mark is read while the position
    // list is on its way.
    const reportsRead = exchange.positions();
    // Read only when a settlement can have happened since the last read (the rows changed).
    const fingerprintRead = reportsRead.then((reports) => {
      const fingerprint = fundingFingerprint(reports);
      return fingerprint === null ? null : createHash('sha256').update(fingerprint).digest('hex');
    });
    fingerprintRead.catch(() => undefined);
    const fundingRead = readFunding(this.funding, accountId, settled, (s) => symbolsInGrace.has(s), exchange, at, fingerprintRead);
    fundingRead.catch(() => undefined);
    const reports = await reportsRead;
    const tracked: TrackedPosition[] = settled.map((p) => ({
      positionId: p.id,
      status: p.status,
      legs: p.legs.filter((l) => !slotInGrace(grace, l.symbol, l.hedgeSide)).map(trackedLeg),
    }));
    const scanned = reports.filter((r) => !slotInGrace(grace, r.symbol, r.hedgeSide));
    const verdict = reconcileAccount(tracked, scanned);
    const leverage = leverageDeviations(tracked, scanned);

    const result: ReconcileResult = { accountId, positions: [], settledLegs, fundingRecorded: 0, stuck: [], alerts: [] };
    for (const v of verdict.positions) {
      const position = settled.find((p) => p.id === v.positionId) as AccountPosition;
      const deviating = await this.explained(
        position.id,
        v.legs.filter((l) => !isZero(l.delta)),
        causes,
        position.openDeviationSymbols,
      );
      const levered = leverage.filter((l) => l.positionId === v.positionId);
      const health = deviating.length + levered.length > 0 ? 'ALTERED' : 'IN_SYNC';
      if (health === 'IN_SYNC' && position.health === 'IN_SYNC' && position.openDeviationSymbols.length === 0) {
        // The common case, in sync before and after: nothing to write.
        result.positions.push({ positionId: v.positionId, health, previous: 'IN_SYNC', deviations: [], leverageDeviations: [] });
        continue;
      }
      const alert = this.healthAlert(accountId, position, health, deviating, levered, at, causes);
      const previous = await this.scans.recordVerdict(
        v.positionId,
        health,
        [...deviating.map(quantityDeviationInput), ...levered.map((l) => leverageDeviationInput(l, v.legs))],
        at,
        new Set(position.legs.filter((l) => slotInGrace(grace, l.symbol, l.hedgeSide)).map((l) => l.symbol)),
        [alert],
      );
      if (previous !== health) result.alerts.push(alert);
      result.positions.push({ positionId: v.positionId, health, previous, deviations: deviating, leverageDeviations: levered });
    }
    // Independent writes and reads: side by side (each is idempotent if the scan is retried).
    const [, fundingRecorded, stuck] = await Promise.all([
      this.recordPnl(settled, reports, exchange, at),
      fundingRead.then((read) => recordFunding(this.funding, accountId, read, at)),
      this.reportStuck(accountId, positions, at, result.alerts),
    ]);
    result.fundingRecorded = fundingRecorded;
    result.stuck = stuck;
    return result;
  }

  /**
   * `legs` with the cause the stream named for their symbol in this job ({@link explainedBy}); a
   * deviation the job names no cause for (a scheduled scan) keeps the cause an earlier job gave it
   * while it stays open and unchanged (its stored explanation is this one plus the cause).
   */
  private async explained(
    positionId: string,
    legs: LegDeviation[],
    causes: readonly ScanCause[],
    openSymbols: readonly string[],
  ): Promise<LegDeviation[]> {
    const named = legs.map((l) => explainedBy(l, causes));
    if (!named.some((l, i) => l === legs[i] && openSymbols.includes(l.symbol))) return named;
    const stored = (await this.scans.deviations(positionId)).filter((d) => d.clearedAt === null && d.kind === 'quantity');
    return named.map((l, i) => {
      const before = stored.find((d) => d.symbol === l.symbol)?.explanation;
      return l === legs[i] && before?.startsWith(`${l.explanation} (`) ? { ...l, explanation: before } : l;
    });
  }

  private healthAlert(
    accountId: string,
    position: AccountPosition,
    health: 'IN_SYNC' | 'ALTERED',
    deviating: LegDeviation[],
    levered: LeverageDeviation[],
    at: Date,
    causes: readonly ScanCause[],
  ): OutboxMessage {
    const altered = health === 'ALTERED';
    const named = causes.filter((c) => isDriftCause(c.cause) && deviating.some((d) => d.symbol === c.symbol));
    const explanations = [...deviating.map((d) => d.explanation), ...levered.map((l) => l.explanation)];
    return this.alerts.build({
      kind: altered ? 'position.altered' : 'position.in_sync',
      severity: altered ? 'warning' : 'info',
      summary: altered
        ? `Position ${position.id} (${position.status}) no longer matches the exchange: ${explanations.join('; ')}. Nothing was traded; the user may restore or close it.`
        : `Position ${position.id} matches the exchange again.`,
      positionId: position.id,
      accountId,
      details: {
        deviations: deviating.map((d) => ({
          symbol: d.symbol,
          hedgeSide: position.legs.find((l) => l.legIndex === d.legIndex)?.hedgeSide ?? null,
          expected: d.expected,
          actual: d.actual,
          delta: d.delta,
          sharedWith: d.sharedWith,
        })),
        leverage: levered.map((l) => ({ symbol: l.symbol, expected: l.expectedLeverage, actual: l.actualLeverage })),
        ...(altered && named.length > 0 ? { causes: named.map((c) => ({ symbol: c.symbol, cause: c.cause })) } : {}),
      },
      dedupeKey: `${position.id}:${at.toISOString()}`,
    });
  }

  /** P&L of every position on its originally opened quantities at current mark prices (seed 000). */
  private async recordPnl(
    positions: AccountPosition[],
    reports: { symbol: string; markPrice: string | null }[],
    exchange: ExchangeReader,
    at: Date,
  ): Promise<void> {
    const prices = new Map(reports.filter((r) => r.markPrice).map((r) => [r.symbol, r.markPrice as string]));
    const missing = [...new Set(positions.flatMap((p) => p.legs.map((l) => l.symbol)))].filter((s) => !prices.has(s));
    if (missing.length > 0) for (const [symbol, price] of await exchange.markPrices(missing)) prices.set(symbol, price);
    const valued = positions.filter((p) => p.legs.length > 0);
    const pnls = pnlOnOpenedQuantitiesOfEach(
      valued.map((p) =>
        p.legs.map((l) => ({ legIndex: l.legIndex, symbol: l.symbol, side: l.side, quantity: l.openedQuantity, entryPrice: l.entryPrice })),
      ),
      prices,
    );
    await this.scans.recordPnl(
      valued.map((p, i) => {
        const pnl = pnls[i] as (typeof pnls)[number];
        return {
          positionId: p.id,
          pnlUsdt: pnl.pnlUsdt,
          perLeg: pnl.perLeg.map((l) => ({ symbol: l.symbol, pnlUsdt: l.pnlUsdt })),
          missingPrices: pnl.missingPrices,
        };
      }),
      at,
    );
  }

  /** Legs left SUBMITTED / UNCONFIRMED by an execution that is no longer running: looked up. @returns how many were settled */
  private async settleUnknownLegs(legs: OrderRecord[], exchange: ExchangeReader): Promise<number> {
    let settled = 0;
    for (const leg of legs) {
      const verdict = await verifyFill(
        exchange,
        { symbol: leg.symbol, orderLinkId: leg.orderLinkId, side: leg.side, sizeBefore: null, sentAt: leg.submittedAt ?? leg.createdAt },
        { timeoutMs: 0, initialDelayMs: 0, maxDelayMs: 0 },
      );
      if (verdict.outcome === 'not_filled') {
        await this.ledger.markRejected(leg.id, {
          code: 'EXCHANGE.NOT_FILLED',
          reason: `settled by reconciliation: ${verdict.reason}`,
          exchangeOrderId: verdict.exchangeOrderId,
        });
        settled += 1;
      } else if (verdict.outcome !== 'unknown') {
        await this.ledger.markFilled(leg, verdict.fill);
        settled += 1;
      }
    }
    return settled;
  }

  /** EXECUTING without a live attempt for longer than `stuckAfterMs` (from the positions read): reported once per stuck episode. */
  private async reportStuck(
    accountId: string,
    positions: readonly AccountPosition[],
    at: Date,
    alerts: OutboxMessage[],
  ): Promise<string[]> {
    const stuck = positions.filter(
      (p) => p.status === 'EXECUTING' && (p.leaseExpiresAt ?? p.updatedAt).getTime() < at.getTime() - this.settings.stuckAfterMs,
    );
    for (const p of stuck) {
      const alert = this.alerts.build({
        kind: 'execution.stuck',
        severity: 'critical',
        summary: `Position ${p.id} has been EXECUTING with no live executor attempt since ${(p.leaseExpiresAt ?? p.updatedAt).toISOString()}: its command may have been lost. Check the executor and the TRADE_COMMANDS stream; its legs are in the order ledger.`,
        positionId: p.id,
        accountId,
        dedupeKey: `${p.id}:${(p.leaseExpiresAt ?? p.updatedAt).toISOString()}`,
      });
      await this.outbox.enqueue(alert);
      alerts.push(alert);
    }
    return stuck.map((p) => p.id);
  }
}

function quantityDeviationInput(l: LegDeviation): DeviationInput {
  const { symbol, expected, actual, delta, sharedWith, explanation } = l;
  return {
    symbol,
    kind: 'quantity',
    expectedQuantity: expected,
    actualQuantity: actual,
    delta,
    expectedLeverage: null,
    actualLeverage: null,
    sharedWith,
    explanation,
  };
}

/** A leverage deviation, with the symbol's quantities for context (from its first leg's verdict). */
function leverageDeviationInput(l: LeverageDeviation, legs: LegDeviation[]): DeviationInput {
  const leg = legs.find((d) => d.symbol === l.symbol) as LegDeviation;
  return {
    symbol: l.symbol,
    kind: 'leverage',
    expectedQuantity: leg.expected,
    actualQuantity: leg.actual,
    delta: null,
    expectedLeverage: l.expectedLeverage,
    actualLeverage: l.actualLeverage,
    sharedWith: leg.sharedWith,
    explanation: l.explanation,
  };
}

/**
 * `deviation` with the stream's cause for its symbol appended to its explanation ("…; liquidated
 * by the exchange"); unchanged when the job named none (a scheduled scan) or an unknown one.
 */
function explainedBy(deviation: LegDeviation, causes: readonly ScanCause[]): LegDeviation {
  const named = [...new Set(causes.filter((c) => c.symbol === deviation.symbol).map((c) => c.cause))].filter(isDriftCause);
  if (named.length === 0) return deviation;
  return { ...deviation, explanation: `${deviation.explanation} (${named.map(describeDriftCause).join(', ')})` };
}

function isZero(value: string): boolean {
  return new Decimal(value).isZero();
}
