import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { OutboxMessage } from '@legwork/messaging';
import { OrderRecord, PositionRecord } from '@legwork/persistence';
import { ExecutorContext } from '../position-work/executor-context';
import type { Lease } from '../position-work/position-lease';
import { unwindFailureCode } from '../errors/execution-error-codes';
import { UNWIND_STATUSES, type UnwindKind, type UnwindSpec } from './unwind-spec';

/**
 * The end of an unwind: the position settles from its legs' outcomes — `done` when every leg
 * closed or was already flat, else back to `back` with its failure — and every leg that did not
 * simply close is alerted, in the same transaction (outbox).
 */
@Injectable()
export class UnwindSettlement {
  constructor(private readonly ctx: ExecutorContext) {}

  /** Settles the position from its legs' outcomes, with one alert per leg that did not simply close. */
  async finish(
    spec: UnwindSpec,
    position: PositionRecord,
    attempt: number,
    lease: Lease,
    legs: OrderRecord[],
    log: Logger,
    failure?: string,
  ): Promise<string> {
    const { kind } = spec;
    const s = UNWIND_STATUSES[kind];
    const troubled = legs.filter((l) => l.unwindOutcome !== 'closed' && l.unwindOutcome !== 'already_flat');
    const alerts: OutboxMessage[] = legs
      .filter((l) => l.unwindOutcome && l.unwindOutcome !== 'closed')
      .map((l) =>
        this.ctx.alerts.build({
          kind: `${kind}.${l.unwindOutcome}`,
          severity: l.unwindOutcome === 'already_flat' ? 'warning' : 'critical',
          summary: alertSummary(kind, position, l),
          positionId: position.id,
          accountId: position.accountId,
          details: { symbol: l.symbol, side: l.side, quantity: l.quantity, orderLinkId: l.orderLinkId, outcome: l.unwindOutcome },
          dedupeKey: l.orderLinkId,
        }),
      );
    const incomplete = failure ?? (troubled.some((l) => l.unwindOutcome !== 'still_open') ? describe(troubled) : null);
    if (incomplete && alerts.length === 0) {
      // Nothing leg-specific to say (the account could not be used): the give-up itself is alerted.
      alerts.push(
        this.ctx.alerts.build({
          kind: `${kind}.incomplete`,
          severity: 'critical',
          summary: `The ${kind} of position ${position.id} did not finish (${incomplete}); it is back to ${s.back} and its exposure may still be held. Retry the ${kind}.`,
          positionId: position.id,
          accountId: position.accountId,
          details: { reason: incomplete },
          dedupeKey: `${position.id}:${kind}:${attempt}:incomplete`,
        }),
      );
    }
    const to = incomplete ? s.back : s.done;
    const reason = incomplete
      ? `${kind} incomplete: ${incomplete}`
      : `${kind === 'close' ? 'closed' : 'rolled back'}: ${legs.length} legs (${legs.map((l) => `${l.symbol} ${l.unwindOutcome ?? 'none'}`).join(', ') || 'nothing held'})`;
    await this.ctx.positions.settle(
      position.id,
      to,
      reason,
      lease.owner,
      alerts,
      incomplete ? { failureCode: unwindFailureCode(kind, 'INCOMPLETE'), failureReason: reason } : {},
    );
    if (alerts.length > 0) this.ctx.relay.kick();
    log.info({ from: s.working, to, reason }, `${kind} settled`);
    return to;
  }
}

function describe(legs: OrderRecord[]): string {
  return legs.map((l) => `${l.symbol} ${l.unwindOutcome ?? 'unsettled'}${l.rejectReason ? ` (${l.rejectReason})` : ''}`).join('; ');
}

function alertSummary(kind: UnwindKind, position: PositionRecord, leg: OrderRecord): string {
  const what = `${kind} of position ${position.id}, ${leg.symbol} (${leg.side} ${leg.quantity} reduce-only, orderLinkId ${leg.orderLinkId})`;
  switch (leg.unwindOutcome) {
    case 'side_mismatch':
      return `${what}: NOTHING SENT — ${leg.rejectReason}. Check the account on the exchange; exposure may be untracked.`;
    case 'already_flat':
      return `${what}: nothing of this position was left to close on the exchange (${leg.rejectReason ?? 'the exchange refused the reduce-only order'}); check the account's executions to see what reduced it.`;
    case 'still_open':
      return `${what}: the order filled but the exchange position has not been seen to fall; verify the position on the exchange.`;
    default:
      return `${what}: the order failed (${leg.rejectCode ?? ''} ${leg.rejectReason ?? ''}); the exposure is still held.`;
  }
}
