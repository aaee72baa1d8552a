import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import Decimal from 'decimal.js';
import { assertRestorePlanExecutable, expectedExposure, hedgeSideOfLeg, planLeverageResets, planRestore, slotKey } from '@legwork/domain';
import { BybitClientFactory, PositionView, signedSize } from '@legwork/exchange';
import { busNames, OutboxRelay, RestorePositionCommand } from '@legwork/messaging';
import { IdentityRepository, PositionRepository, Principal, RestorePlanRepository, ScanRepository } from '@legwork/persistence';
import { ScanSettings } from '@legwork/scanning';
import { ApplicationError } from '../errors/application-error';
import { SCAN_SETTINGS } from '../gateway.settings';

const PLAN_TTL_MS = 5 * 60_000;

/**
 * "Restore balance" (seed 000): a preview of the exact trades that bring an altered position back
 * to its recorded components (and of the symbols to set back to 1x, seed 001), then — on confirmation with that plan's id — their execution by the
 * executor with the same exactly-once and verification rules. A plan whose exchange snapshot no
 * longer matches the exchange is refused: the user confirms what they saw, or nothing.
 * Everything is per (symbol, side): on a hedge-mode account the position's own side of each
 * symbol is restored, and the other side (another position) is neither counted nor touched.
 */
@Injectable()
export class PlanRestoreUseCase {
  constructor(
    private readonly positions: PositionRepository,
    private readonly plans: RestorePlanRepository,
    private readonly scans: ScanRepository,
    private readonly identity: IdentityRepository,
    private readonly factory: BybitClientFactory,
    private readonly relay: OutboxRelay,
    @Inject(SCAN_SETTINGS) private readonly settings: ScanSettings,
  ) {}

  /** @throws ApplicationError `POSITION.NOT_FOUND`, `POSITION.NOT_ACTIVE` */
  async plan(principal: Principal, positionId: string) {
    const position = await this.positions.findForUser(principal.userId, positionId);
    if (!position) throw new ApplicationError('POSITION.NOT_FOUND', `position ${positionId} not found`);
    if (position.status !== 'ACTIVE')
      throw new ApplicationError('POSITION.NOT_ACTIVE', `only an ACTIVE position can be restored; this one is ${position.status}`);
    const components = (await this.positions.components(positionId)).map((c) => {
      const hedgeSide = hedgeSideOfLeg(position.positionMode, c.side);
      return { legIndex: c.legIndex, symbol: c.symbol, side: c.side, quantity: c.expectedQuantity, ...(hedgeSide ? { hedgeSide } : {}) };
    });
    const symbols = components.map((c) => c.symbol);
    const exchange = await this.exchange(position.accountId);
    const [reports, instruments, prices] = await Promise.all([
      exchange.positions(symbols),
      exchange.instrumentRules(symbols),
      exchange.markPrices(symbols),
    ]);
    const actual = signedBySlot(reports);
    const others = expectedExposure(
      (await this.scans.accountPositions(position.accountId, new Date(), this.settings.orphanGraceMs))
        .filter((p) => p.id !== positionId)
        .map((p) => ({ positionId: p.id, status: p.status, legs: p.legs })),
    );
    const plan = planRestore(components, actual, new Map([...others].map(([key, e]) => [key, e.signedQuantity])), instruments, prices);
    const leverageResets = planLeverageResets(
      components,
      new Map(reports.filter((r) => r.side !== 'flat').map((r) => [r.symbol, r.leverage])),
    );
    // Keyed by slot (the bare symbol on a one-way account, as plans always were).
    const snapshot = Object.fromEntries(components.map((c) => slotKey(c.symbol, c.hedgeSide)).map((key) => [key, actual.get(key) ?? '0']));
    const stored = await this.plans.propose(positionId, plan.trades, snapshot, PLAN_TTL_MS, leverageResets);
    return {
      planId: stored.id,
      positionId,
      leverageResets,
      trades: plan.trades,
      skipped: plan.skipped,
      exchangePositions: snapshot,
      expiresAt: stored.expiresAt.toISOString(),
    };
  }

  /**
   * Starts a confirmed plan. @returns `{positionId, status: "ACTIVE", restore: {planId, state: "executing", trades}}`:
   * `status` is the position's real status (ACTIVE); the restore's own progress is its orders
   * (`purpose: "restore"` legs) and the position's `health` after the follow-up reconciliation.
   * @throws ApplicationError `POSITION.NOT_FOUND`, `RESTORE.PLAN_NOT_FOUND`, `ACCOUNT.NOT_FOUND`, `RESTORE.PLAN_STALE` (the exchange moved since the preview);
   *   DomainError / PersistenceError `RESTORE.PLAN_USED`, `RESTORE.PLAN_EXPIRED` (see assertRestorePlanExecutable)
   */
  async execute(principal: Principal, positionId: string, planId: string) {
    const position = await this.positions.findForUser(principal.userId, positionId);
    if (!position) throw new ApplicationError('POSITION.NOT_FOUND', `position ${positionId} not found`);
    const plan = await this.plans.find(planId);
    if (!plan || plan.positionId !== positionId)
      throw new ApplicationError('RESTORE.PLAN_NOT_FOUND', `restore plan ${planId} not found for this position`, 'planId');
    const symbols = (await this.positions.components(positionId)).map((c) => c.symbol);
    const now = signedBySlot(await (await this.exchange(position.accountId)).positions(symbols));
    const moved = Object.entries(plan.exchangeSnapshot).filter(([key, then]) => !new Decimal(now.get(key) ?? 0).eq(then));
    if (moved.length > 0) {
      await this.plans.finish(planId, 'refused');
      throw new ApplicationError(
        'RESTORE.PLAN_STALE',
        `the exchange changed since this plan was made (${moved.map(([key, then]) => `${key}: ${then} then, ${now.get(key) ?? '0'} now`).join('; ')}); ask for a new plan`,
        'planId',
      );
    }
    assertRestorePlanExecutable(plan, new Date());
    const command: RestorePositionCommand = {
      schemaVersion: 1,
      type: 'RestorePosition',
      commandId: randomUUID(),
      positionId,
      planId,
      issuedAt: new Date().toISOString(),
    };
    const started = await this.plans.startExecution(positionId, planId, {
      msgId: command.commandId,
      subject: busNames(this.relay.namespace).commandSubject('RestorePosition'),
      payload: command,
    });
    this.relay.kick();
    // A restore is not a position status: the position stays ACTIVE while its trades run
    // (startExecution accepted the plan only under lock on an ACTIVE position), so the restore is
    // its own field, with the plan's own state (`executing`).
    return {
      positionId,
      status: 'ACTIVE' as const,
      restore: { planId, state: started.status, leverageResets: plan.leverageResets, trades: plan.trades },
    };
  }

  private async exchange(accountId: string) {
    const account = await this.identity.findAccount(accountId);
    if (!account) throw new ApplicationError('ACCOUNT.NOT_FOUND', `account ${accountId} not found`);
    return this.factory.connect({ accountId, apiKey: account.apiKey, apiSecret: this.identity.revealSecret(account) });
  }
}

/** Slot key (`slotKey`) → the exchange's signed size in that slot (long +, short −). */
function signedBySlot(reports: readonly PositionView[]): Map<string, string> {
  return new Map(reports.map((r) => [slotKey(r.symbol, r.hedgeSide), signedSize(r).toString()]));
}
