import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { Subscription } from '@nats-io/nats-core';
import type { Logger } from 'pino';
import { answerExecutorRequests, ExecutorReply, ExecutorRequest, ExecutorResults, ExecutorRequestType } from '@legwork/messaging';
import { BusHolder } from '../bus-holder';
import { EXECUTOR_LOGGER } from '../executor-logger';
import { requestErrorOf } from '../errors/request-refused-error';
import { BuildRestorePlanUseCase } from '../build-restore-plan/build-restore-plan.use-case';
import { StartRestoreUseCase } from '../start-restore/start-restore.use-case';
import { ReadMarkPricesUseCase } from '../read-mark-prices/read-mark-prices.use-case';

/**
 * Answers the gateway's bounded requests (NATS core request/reply, queue group: one replica
 * answers each): thin — the decoded request goes to its use case, a refusal becomes an error
 * reply with its code; anything unexpected is logged and answered `INTERNAL`.
 */
@Injectable()
export class GatewayRequestsResponder implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscriptions: Subscription[] = [];

  constructor(
    private readonly holder: BusHolder,
    private readonly buildRestorePlan: BuildRestorePlanUseCase,
    private readonly startRestore: StartRestoreUseCase,
    private readonly readMarkPrices: ReadMarkPricesUseCase,
    @Inject(EXECUTOR_LOGGER) private readonly log: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.subscriptions = answerExecutorRequests(this.holder.bus, (request) => this.answer(request), this.log);
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.holder.bus.nc.isClosed()) return;
    await Promise.all(this.subscriptions.map((s) => s.drain()));
  }

  private async answer(request: ExecutorRequest): Promise<ExecutorReply<ExecutorResults[ExecutorRequestType]>> {
    try {
      switch (request.type) {
        case 'PlanRestore':
          return { ok: true, result: await this.buildRestorePlan.execute(request.positionId) };
        case 'StartRestore':
          return { ok: true, result: await this.startRestore.execute(request.positionId, request.planId) };
        case 'ReadMarkPrices':
          return { ok: true, result: await this.readMarkPrices.execute() };
      }
    } catch (error) {
      const refusal = requestErrorOf(error);
      if (!refusal) throw error;
      this.log.info(
        { request: request.type, ...('positionId' in request ? { positionId: request.positionId } : {}), code: refusal.code },
        'gateway request refused',
      );
      return { ok: false, error: refusal };
    }
  }
}
