import { Body, Controller, Get, Param, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { BearerGuard } from '../auth/bearer.guard';
import { OperatorGuard } from '../auth/operator.guard';
import { OrphanScanAnswer, RequestOrphanScanUseCase } from '../scan-orphans/request-orphan-scan.use-case';
import { validate } from './validate';

const body = z.strictObject({ accountId: z.uuid().optional() });
const runId = z.uuid();

/**
 * Operator endpoints. `POST /api/operator/orphans/scan`: a manual orphan scan (seed 004), run by
 * the orphan monitor; `GET /api/operator/orphans/scan/:runId`: that run, later.
 */
@Controller('api/operator')
@UseGuards(BearerGuard, OperatorGuard)
export class OperatorController {
  constructor(private readonly orphanScans: RequestOrphanScanUseCase) {}

  /**
   * 200 with the findings when the scan finishes within the gateway's wait (`confirmed` > 0 means
   * confirmed orphans exist); else 202 `{runId}` with `Location` to poll.
   */
  @Post('orphans/scan')
  async scanOrphans(@Body() raw: unknown, @Res() reply: FastifyReply) {
    const { accountId } = validate(body, raw ?? {}, 'body');
    return answer(await this.orphanScans.request(accountId), reply);
  }

  /** 200 with the findings once the run is done; 202 `{runId}` while it is pending. */
  @Get('orphans/scan/:runId')
  async orphanScan(@Param('runId') raw: string, @Res() reply: FastifyReply) {
    return answer(await this.orphanScans.find(validate(runId, raw, 'path', 'runId')), reply);
  }
}

function answer(run: OrphanScanAnswer, reply: FastifyReply): FastifyReply {
  if (run.state === 'done') return reply.code(200).send(run.report);
  return reply.code(202).header('location', `/api/operator/orphans/scan/${run.runId}`).send({ runId: run.runId });
}
