import { Body, Controller, Get, Param, Post, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { BearerGuard } from '../auth/bearer.guard';
import { OperatorGuard } from '../auth/operator.guard';
import { OrphanScanAnswer, RequestOrphanScanUseCase } from '../scan-orphans/request-orphan-scan.use-case';
import { OrphanScanPending, OrphanScanReport } from '../scan-orphans/orphan-scan.schema';
import { validate } from './validate';
import { ApiDoc, RouteAnswer } from './openapi/route-doc';

const body = z.strictObject({ accountId: z.uuid().optional().meta({ description: 'one account; absent: every account' }) });
const runId = z.uuid().meta({ description: 'the run’s id, from the 202 answer' });

const answers: Record<number, RouteAnswer> = {
  200: { description: 'the scan finished: its report (`confirmed` > 0: confirmed orphans exist)', schema: OrphanScanReport },
  202: {
    description: 'still running: poll the run',
    schema: OrphanScanPending,
    headers: { Location: { description: '`/api/operator/orphans/scan/{runId}`', schema: { type: 'string' } } },
  },
};

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
  @ApiDoc({
    operationId: 'requestOrphanScan',
    summary: 'Run an orphan scan now (one account or all); waits a bounded time for the report',
    tags: ['operator'],
    auth: 'operator',
    request: { body },
    responses: answers,
    errors: ['SCAN.RUN_FAILED'],
  })
  @Post('orphans/scan')
  async scanOrphans(@Body() raw: unknown, @Res() reply: FastifyReply) {
    const { accountId } = validate(body, raw ?? {}, 'body');
    return answer(await this.orphanScans.request(accountId), reply);
  }

  /** 200 with the findings once the run is done; 202 `{runId}` while it is pending. */
  @ApiDoc({
    operationId: 'getOrphanScan',
    summary: 'An operator’s orphan scan run: its report once done',
    tags: ['operator'],
    auth: 'operator',
    request: { params: z.strictObject({ runId }) },
    responses: answers,
    errors: ['SCAN.RUN_NOT_FOUND', 'SCAN.RUN_FAILED'],
  })
  @Get('orphans/scan/:runId')
  async orphanScan(@Param('runId') raw: string, @Res() reply: FastifyReply) {
    return answer(await this.orphanScans.find(validate(runId, raw, 'path', 'runId')), reply);
  }
}

function answer(run: OrphanScanAnswer, reply: FastifyReply): FastifyReply {
  if (run.state === 'done') return reply.code(200).send(run.report satisfies OrphanScanReport);
  return reply
    .code(202)
    .header('location', `/api/operator/orphans/scan/${run.runId}`)
    .send({ runId: run.runId } satisfies OrphanScanPending);
}
