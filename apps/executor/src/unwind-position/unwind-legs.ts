import { Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { UnwindOutcome, UnwindShortfall } from '@legwork/domain';
import { ExchangePort, isNothingToReduce, pollWithBackoff, positionSlot, realVerifierClock, signedSize } from '@legwork/exchange';
import { OrderRecord, PositionRecord, ScanRepository } from '@legwork/persistence';
import { LegExecutor, LegResult } from '../leg-execution/leg-executor';
import { TransientExecutionError } from '../leg-execution/transient-error';
import { ExecutorContext } from '../position-work/executor-context';
import { unwindFailureCode } from '../errors/execution-error-codes';
import { readAndDecideUnwind, UnwindView } from './unwind-view';
import type { UnwindSpec } from './unwind-spec';

/**
 * One unwind leg at a time: decided against the exchange position and what the account's other
 * positions expect of it (`decideUnwindLeg`), then sent, skipped or refused; and what it came to
 * recorded as the leg's unwind outcome.
 */
@Injectable()
export class UnwindLegs {
  constructor(
    private readonly ctx: ExecutorContext,
    private readonly legs: LegExecutor,
    private readonly scans: ScanRepository,
  ) {}

  /**
   * Cross-checks the exchange position, then sends (or deliberately skips) one unwind leg.
   * @returns how the sent order ended, or `null` when nothing was sent (its outcome is recorded).
   * @throws TransientExecutionError when the position list contradicts itself (`wait`) or the exchange cannot answer.
   */
  async decideAndSend(
    spec: UnwindSpec,
    exchange: ExchangePort,
    owner: PositionRecord,
    leg: OrderRecord,
    log: Logger,
  ): Promise<LegResult | null> {
    const { kind } = spec;
    const { exposure, others, decision } = await this.decide(exchange, owner, leg);
    log.info(
      { exchangePosition: `${exposure.side} ${exposure.size}`, signed: signedSize(exposure).toString(), others, decision },
      `${kind} leg decided`,
    );
    if (decision.action === 'wait')
      throw new TransientExecutionError(unwindFailureCode(kind, 'POSITION_LIST_CONTRADICTS'), decision.reason);
    if (decision.action !== 'refuse' && decision.shortfall) await this.alertShortfall(spec, owner, leg, decision.shortfall);
    if (decision.action === 'refuse' || decision.action === 'skip') {
      await this.ctx.ledger.markSkipped(leg.id, decision.outcome, decision.reason);
      await this.record(spec, leg, decision.outcome);
      return null;
    }
    if (decision.side !== leg.side) {
      // Cannot happen (the plan derives the side the same way); refuse rather than send a guess.
      throw new Error(`internal: ${kind} side ${leg.side} disagrees with decided side ${decision.side}`);
    }
    if (decision.quantity !== leg.quantity) {
      await this.ctx.ledger.adjustPlannedQuantity(leg.id, decision.quantity);
      leg.quantity = decision.quantity;
    }
    return this.legs.send(exchange, leg, this.ctx.settings.verification, log);
  }

  /**
   * Reads the exchange position and what the others expect, and decides; a `wait` (the list lags
   * the account's fills, or shows flat what others hold) is read again with the verification
   * backoff until it clears or the verification timeout passes — then the `wait` stands.
   * @throws what a read throws (TransientExecutionError when the exchange cannot answer)
   */
  private async decide(exchange: ExchangePort, owner: PositionRecord, leg: OrderRecord): Promise<UnwindView> {
    const read = () =>
      readAndDecideUnwind(leg, owner.id, {
        exchangePosition: async () =>
          positionSlot(await this.legs.read(() => exchange.positions([leg.symbol]), 'position list'), leg.symbol, leg.hedgeSide),
        accountPositions: () => this.scans.accountPositions(owner.accountId, new Date(), 0),
        latestFillAt: () => this.scans.latestFillAt(owner.accountId, leg.symbol, leg.hedgeSide),
      });
    let last: UnwindView | undefined;
    const polled = await pollWithBackoff(this.ctx.settings.verification, realVerifierClock, async () => {
      try {
        last = await read();
      } catch (error) {
        // A read error ends the polling at once (as before: the command's retry schedule takes it).
        return { failed: error };
      }
      return last.decision.action === 'wait' ? null : { decided: last };
    });
    if (polled.value && 'failed' in polled.value) throw polled.value.failed;
    if (!last) throw new Error('internal: the unwind decision was never read');
    return last;
  }

  /** Records the unwind outcome of a leg whose order ended as `result` (and counts it). */
  async recordResult(spec: UnwindSpec, leg: OrderRecord, result: LegResult): Promise<void> {
    await this.record(spec, leg, await this.outcome(leg, result));
  }

  /**
   * The exchange holds less than this leg and the account's other positions expect together: the
   * unwind took only what is left for this leg, and says so naming every position involved. Who
   * reduced it is not known from a position list, so the text does not guess ("by hand").
   */
  private async alertShortfall(spec: UnwindSpec, position: PositionRecord, leg: OrderRecord, s: UnwindShortfall): Promise<void> {
    const { kind } = spec;
    const others = s.others.map((o) => `${o.positionId} (${o.quantity})`).join(', ');
    await this.ctx.relay.enqueue(
      this.ctx.alerts.build({
        kind: `${kind}.shortfall`,
        severity: 'critical',
        summary:
          `The ${kind} of position ${position.id}, ${leg.symbol}${leg.hedgeSide ? ` ${leg.hedgeSide} side` : ''}: it recorded ${s.recorded} but the exchange holds ${s.exchangeSize}, ` +
          `of which positions ${others} expect their part; only ${s.available} is sent. ${position.id} and ${others} together hold less than they recorded: ` +
          "check the account's executions to see what reduced it.",
        positionId: position.id,
        accountId: position.accountId,
        details: {
          symbol: leg.symbol,
          hedgeSide: leg.hedgeSide,
          recorded: s.recorded,
          available: s.available,
          exchangeSize: s.exchangeSize,
          others: s.others,
        },
        dedupeKey: leg.orderLinkId,
      }),
    );
  }

  /**
   * A reduce-only order the exchange refused because nothing is left to reduce (classified by
   * libs/exchange: `isNothingToReduce`) means the leg was already flat — the exchange's own word.
   */
  private async outcome(leg: OrderRecord, result: LegResult): Promise<UnwindOutcome> {
    if (result !== 'rejected') return outcomeOf(result);
    const settled = (await this.ctx.ledger.list(leg.positionId, leg.purpose, leg.attempt)).find((l) => l.id === leg.id);
    return isNothingToReduce(settled?.rejectExchange) ? 'already_flat' : 'failed';
  }

  private async record(spec: UnwindSpec, leg: OrderRecord, outcome: UnwindOutcome): Promise<void> {
    await this.ctx.ledger.recordUnwindOutcome(leg.id, outcome);
    (spec.kind === 'close' ? this.ctx.metrics.closeOutcomes : this.ctx.metrics.rollbackOutcomes).inc({ outcome });
  }
}

function outcomeOf(result: LegResult): UnwindOutcome {
  switch (result) {
    case 'filled_visible':
      return 'closed';
    case 'filled_not_visible':
    case 'filled_then_closed':
    // Unwinds confirm each leg by its three sources; were one deferred, the position is not yet known closed.
    case 'filled_position_pending':
      return 'still_open';
    case 'rejected':
    case 'not_filled':
      return 'failed';
  }
}
