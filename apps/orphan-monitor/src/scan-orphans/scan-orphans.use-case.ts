import {
  advanceOrphans,
  classifyOrphanOrigin,
  expectedExposure,
  HedgeSide,
  OrphanCandidate,
  OrphanState,
  orphanAlertSeverity,
  slotKey,
  slotLabel,
  untrackedExposure,
} from '@legwork/domain';
import { decodeOrderLinkId, isOrderFill, PositionView } from '@legwork/exchange';
import { AlertFactory, OutboxMessage } from '@legwork/messaging';
import { OrphanObservationRecord, ScanRepository } from '@legwork/persistence';
import { inFlightSlots, trackedLeg, type ExchangeReader, type ScanSettings } from '@legwork/scanning';

/** An orphan as an operator sees it. Quantities and prices are decimal strings (USDT for money). */
export interface OrphanFinding {
  accountId: string;
  symbol: string;
  /** The side of a hedge-mode account the orphan is on; null in one-way mode. */
  hedgeSide: HedgeSide | null;
  side: 'long' | 'short';
  size: string;
  status: 'suspected' | 'confirmed';
  consecutiveScans: number;
  firstSeenAt: string;
  origin: 'legwork_order' | 'manual_trade' | null;
  entryPrice: string | null;
  markPrice: string | null;
  unrealisedPnlUsdt: string | null;
}

export interface OrphanScanResult {
  accountId: string;
  /** Every orphan followed after this scan (suspected and confirmed). */
  orphans: OrphanFinding[];
  newlyConfirmed: OrphanFinding[];
  resolved: { symbol: string; hedgeSide: HedgeSide | null; side: 'long' | 'short'; size: string }[];
  /** Suspected orphans gone before they were confirmed. */
  dropped: { symbol: string; hedgeSide: HedgeSide | null; side: 'long' | 'short'; size: string }[];
  alerts: OutboxMessage[];
}

/**
 * Scans one account for exposure no tracked position explains, per (account, symbol, side): net
 * per symbol on a one-way account, per side of the symbol on a hedge-mode one (each leg's side
 * from its position's mode), including size beyond ours in a slot we also hold. Slots of
 * positions still executing or closing, and slots with our own fills or orders younger than the
 * grace window, are skipped. An orphan is confirmed
 * after `orphanConfirmScans` consecutive scans and alerted once — critical when recent executions
 * in the symbol carry Legwork's `orderLinkId`s (our own order left untracked), warning for a
 * manual trade; a confirmed orphan that disappears is resolved with its own alert.
 * A failed position list throws: the scan fails, no orphan is invented or forgotten.
 */
export class ScanOrphansUseCase {
  constructor(
    private readonly scans: ScanRepository,
    private readonly alerts: AlertFactory,
    private readonly settings: ScanSettings,
  ) {}

  /**
   * @param window the schedule window this scan belongs to (a manual scan: its own time). A window
   *   already applied to the stored orphans is not applied again: a job redelivered after a crash
   *   between "orphans recorded" and "run finished" must not count one sighting twice.
   */
  async execute(accountId: string, exchange: ExchangeReader, at: Date = new Date(), window: Date = at): Promise<OrphanScanResult> {
    const positions = await this.scans.accountPositions(accountId, at, this.settings.orphanGraceMs);
    const grace = new Set([
      ...inFlightSlots(positions),
      ...(await this.scans.slotsTradedSince(accountId, new Date(at.getTime() - this.settings.orphanGraceMs))),
    ]);
    const expected = expectedExposure(
      positions.filter((p) => !p.inFlight).map((p) => ({ positionId: p.id, status: p.status, legs: p.legs.map((l) => trackedLeg(l)) })),
    );
    const reports = await exchange.positions();
    const candidates = untrackedExposure(new Map([...expected].map(([key, e]) => [key, e.signedQuantity])), reports, grace);
    const stored = await this.scans.openOrphans(accountId);
    if (stored.some((o) => o.lastWindow.getTime() >= window.getTime())) {
      return {
        accountId,
        orphans: stored.map((o) => finding(accountId, toState(o), o.origin, reports)),
        newlyConfirmed: [],
        resolved: [],
        dropped: [],
        alerts: [],
      };
    }
    // Strictly after the last sighting even with clock skew between replicas (the window guard above
    // is what prevents double counting).
    const scanAt = new Date(Math.max(at.getTime(), ...stored.map((o) => o.lastSeenAt.getTime() + 1)));
    const outcome = advanceOrphans(stored.map(toState), candidates, scanAt, this.settings.orphanConfirmScans);

    const origins = new Map<string, 'legwork_order' | 'manual_trade'>(
      stored.filter((o) => o.origin).map((o) => [keyOf(toState(o)), o.origin as 'legwork_order' | 'manual_trade']),
    );
    for (const orphan of outcome.confirmed) origins.set(keyOf(orphan), await this.origin(accountId, exchange, orphan, at));
    const findings = outcome.next.map((state) => finding(accountId, state, origins.get(keyOf(state)) ?? null, reports));
    const newlyConfirmed = findings.filter((f) => outcome.confirmed.some((c) => keyOf(c) === keyOf(f)));
    const alerts: OutboxMessage[] = [
      ...newlyConfirmed.map((f) =>
        this.detectedAlert(
          f,
          candidates.find((c) => keyOf(c) === keyOf(f)),
        ),
      ),
      ...outcome.resolved.map((r) => this.resolvedAlert(accountId, r, at)),
    ];
    await this.scans.recordOrphans(
      accountId,
      findings.map((f) => ({
        symbol: f.symbol,
        hedgeSide: f.hedgeSide ?? '',
        side: f.side,
        size: f.size,
        status: f.status,
        consecutiveScans: f.consecutiveScans,
        origin: f.origin,
        entryPrice: f.entryPrice,
        markPrice: f.markPrice,
        unrealisedPnlUsdt: f.unrealisedPnlUsdt,
        firstSeenAt: new Date(f.firstSeenAt),
        lastSeenAt: scanAt,
        lastWindow: window,
        confirmedAt:
          f.status === 'confirmed'
            ? (stored.find((o) => keyOf(toState(o)) === keyOf(f) && o.status === 'confirmed')?.confirmedAt ?? scanAt)
            : null,
      })),
      [
        ...outcome.resolved.map((r) => ({
          symbol: r.symbol,
          hedgeSide: r.hedgeSide ?? ('' as const),
          status: 'resolved' as const,
          at: scanAt,
        })),
        ...outcome.dropped.map((d) => ({
          symbol: d.symbol,
          hedgeSide: d.hedgeSide ?? ('' as const),
          status: 'dropped' as const,
          at: scanAt,
        })),
      ],
      alerts,
    );
    return {
      accountId,
      orphans: findings,
      newlyConfirmed,
      resolved: outcome.resolved.map((r) => ({ symbol: r.symbol, hedgeSide: r.hedgeSide, side: r.side, size: r.size })),
      dropped: outcome.dropped.map((d) => ({ symbol: d.symbol, hedgeSide: d.hedgeSide, side: d.side, size: d.size })),
      alerts,
    };
  }

  /**
   * One of OUR `orderLinkId`s in the symbol's recent executions that the order ledger does not
   * know, or that belongs to a position settled flat whose own fills there do not net to zero (a
   * close that left a leg on the exchange) → our own order left untracked. Other executions of
   * tracked orders explain tracked exposure and say nothing about the orphan.
   */
  private async origin(
    accountId: string,
    exchange: ExchangeReader,
    orphan: OrphanState,
    at: Date,
  ): Promise<'legwork_order' | 'manual_trade'> {
    const since = new Date(Math.min(orphan.firstSeenAt.getTime(), at.getTime()) - this.settings.orphanOriginLookbackMs);
    // Only fills of orders say whose exposure it is: funding and the exchange's own closes carry no order of anyone's.
    const ids = (await exchange.executions(orphan.symbol, { since })).filter(isOrderFill).map((e) => e.orderLinkId);
    const ours = ids.filter((id) => decodeOrderLinkId(id) !== null);
    const tracked = await this.scans.knownOrderLinkIds(accountId, ours);
    const leftOpen = await this.scans.ordersOfPositionsLeftOpen(accountId, [...tracked]);
    return classifyOrphanOrigin(ids, (id) => decodeOrderLinkId(id) !== null && (!tracked.has(id) || leftOpen.has(id)));
  }

  private detectedAlert(f: OrphanFinding, candidate: OrphanCandidate | undefined): OutboxMessage {
    const ours = f.origin === 'legwork_order';
    return this.alerts.build({
      kind: 'orphan.detected',
      severity: orphanAlertSeverity(f.origin ?? 'manual_trade'),
      summary:
        `Untracked ${f.side} ${f.size} ${slotLabel(f.symbol, f.hedgeSide)} on account ${f.accountId} (exchange holds ${candidate?.exchangeSize ?? f.size}, Legwork expects ${candidate?.expectedSignedQuantity ?? '0'}), ` +
        `seen in ${f.consecutiveScans} consecutive scans since ${f.firstSeenAt}; entry ${f.entryPrice ?? '?'}, mark ${f.markPrice ?? '?'}, unrealised P&L ${f.unrealisedPnlUsdt ?? '?'} USDT. ` +
        (ours
          ? 'Recent executions carry Legwork orderLinkIds: one of OUR orders left exposure untracked.'
          : 'No Legwork orderLinkId in recent executions: a manual trade on the account.'),
      positionId: null,
      accountId: f.accountId,
      details: { ...f },
      dedupeKey: `${f.accountId}:${keyOf(f)}:${f.firstSeenAt}`,
    });
  }

  private resolvedAlert(accountId: string, r: OrphanState, at: Date): OutboxMessage {
    return this.alerts.build({
      kind: 'orphan.resolved',
      severity: 'info',
      summary: `The untracked ${r.side} ${r.size} ${slotLabel(r.symbol, r.hedgeSide)} on account ${accountId} (first seen ${r.firstSeenAt.toISOString()}) is gone from the exchange.`,
      positionId: null,
      accountId,
      details: {
        symbol: r.symbol,
        hedgeSide: r.hedgeSide,
        side: r.side,
        size: r.size,
        firstSeenAt: r.firstSeenAt.toISOString(),
        resolvedAt: at.toISOString(),
      },
      dedupeKey: `${accountId}:${keyOf(r)}:${r.firstSeenAt.toISOString()}`,
    });
  }
}

function toState(o: OrphanObservationRecord): OrphanState {
  return {
    symbol: o.symbol,
    hedgeSide: o.hedgeSide === '' ? null : o.hedgeSide,
    side: o.side,
    size: o.size,
    firstSeenAt: o.firstSeenAt,
    lastSeenAt: o.lastSeenAt,
    consecutiveScans: o.consecutiveScans,
    status: o.status === 'confirmed' ? 'confirmed' : 'suspected',
  };
}

function keyOf(slot: { symbol: string; hedgeSide: HedgeSide | null }): string {
  return slotKey(slot.symbol, slot.hedgeSide);
}

function finding(accountId: string, s: OrphanState, origin: OrphanFinding['origin'], reports: readonly PositionView[]): OrphanFinding {
  const report = reports.find((r) => r.symbol === s.symbol && r.hedgeSide === s.hedgeSide);
  return {
    accountId,
    symbol: s.symbol,
    hedgeSide: s.hedgeSide,
    side: s.side,
    size: s.size,
    status: s.status,
    consecutiveScans: s.consecutiveScans,
    firstSeenAt: s.firstSeenAt.toISOString(),
    origin,
    entryPrice: report?.entryPrice ?? null,
    markPrice: report?.markPrice ?? null,
    unrealisedPnlUsdt: report?.unrealisedPnlUsdt ?? null,
  };
}
