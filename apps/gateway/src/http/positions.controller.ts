import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { AuthenticatedRequest, BearerGuard } from '../auth/bearer.guard';
import { AcceptOpenPositionUseCase } from '../accept-open-position/accept-open-position.use-case';
import { idempotencyKey, openPositionBody } from '../accept-open-position/accept-open-position.schema';
import { QueryPositionsUseCase } from '../query-positions/query-positions.use-case';
import { GatewaySettings } from '../gateway.settings';
import { limitParam } from './query-params';
import { requireJsonContentType, validate } from './validate';
import { RequestUnwindUseCase } from '../request-unwind/request-unwind.use-case';
import { PlanRestoreUseCase } from '../plan-restore/plan-restore.use-case';
import { ConfirmRestoreUseCase } from '../confirm-restore/confirm-restore.use-case';

const positionId = z.uuid();
const pathId = (id: string) => validate(positionId, id, 'path', 'id');
const restoreBody = z.strictObject({ planId: z.uuid() });
const listQuery = z.strictObject({ limit: limitParam(200, 50) });

/** Positions API: thin — validate, call the use case, answer. */
@Controller('api/positions')
@UseGuards(BearerGuard)
export class PositionsController {
  private readonly body;

  constructor(
    private readonly accept: AcceptOpenPositionUseCase,
    private readonly query: QueryPositionsUseCase,
    private readonly unwind: RequestUnwindUseCase,
    private readonly planRestore: PlanRestoreUseCase,
    private readonly confirmRestore: ConfirmRestoreUseCase,
    settings: GatewaySettings,
  ) {
    this.body = openPositionBody(settings.maxNotionalUsdt);
  }

  /** 202 with `{positionId, status}`; the same `Idempotency-Key` replays the same position. */
  @Post()
  @HttpCode(202)
  async open(
    @Req() req: AuthenticatedRequest,
    @Body() raw: unknown,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Headers('content-type') contentType: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    requireJsonContentType(contentType);
    const key = validate(idempotencyKey, rawKey, 'header', 'Idempotency-Key');
    const body = validate(this.body, raw, 'body');
    const { position, replayed } = await this.accept.execute(req.principal, body, key);
    if (replayed) void reply.header('Idempotent-Replayed', 'true');
    return { positionId: position.id, status: position.status };
  }

  @Get()
  async list(@Req() req: AuthenticatedRequest, @Query() rawQuery: unknown) {
    const { limit } = validate(listQuery, rawQuery ?? {}, 'query');
    return { positions: await this.query.list(req.principal, limit) };
  }

  @Get(':id')
  async get(@Req() req: AuthenticatedRequest, @Param('id') id: string) {
    return this.query.get(req.principal, pathId(id));
  }

  /** 202: reduce-only orders for exactly the recorded components; follow with GET. */
  @Post(':id/close')
  @HttpCode(202)
  async close(@Req() req: AuthenticatedRequest, @Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answerUnwind(await this.unwind.execute(req.principal, pathId(id), 'close'), reply);
  }

  /** 202: unwinds the filled legs of a FAILED position with the same safeguards as a close. */
  @Post(':id/rollback')
  @HttpCode(202)
  async rollback(@Req() req: AuthenticatedRequest, @Param('id') id: string, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.answerUnwind(await this.unwind.execute(req.principal, pathId(id), 'rollback'), reply);
  }

  /** The exact trades that would restore an ALTERED position to its components (a preview; nothing is sent). */
  @Get(':id/restore-plan')
  async restorePlan(@Req() req: AuthenticatedRequest, @Param('id') id: string) {
    return this.planRestore.plan(req.principal, pathId(id));
  }

  /** 202: executes a restore plan obtained from `restore-plan`, if the exchange still matches it. */
  @Post(':id/restore')
  @HttpCode(202)
  async restorePosition(
    @Req() req: AuthenticatedRequest,
    @Param('id') id: string,
    @Body() raw: unknown,
    @Headers('content-type') contentType: string | undefined,
  ) {
    requireJsonContentType(contentType);
    const { planId } = validate(restoreBody, raw, 'body');
    return this.confirmRestore.execute(req.principal, pathId(id), planId);
  }

  private answerUnwind(result: { positionId: string; status: string; replayed: boolean }, reply: FastifyReply) {
    if (result.replayed) void reply.header('Idempotent-Replayed', 'true');
    return { positionId: result.positionId, status: result.status };
  }
}
