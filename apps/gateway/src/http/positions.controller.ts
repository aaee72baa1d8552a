import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { AuthenticatedRequest, BearerGuard } from '../auth/bearer.guard';
import { AcceptOpenPositionUseCase } from '../accept-open-position/accept-open-position.use-case';
import { idempotencyKey, OpenPositionAccepted, openPositionBody } from '../accept-open-position/accept-open-position.schema';
import { QueryPositionsUseCase } from '../query-positions/query-positions.use-case';
import type { PositionDetail, PositionPage } from '../query-positions/position.schema';
import { GatewaySettings } from '../gateway.settings';
import { requireJsonContentType, validate } from './validate';
import { RequestUnwindUseCase } from '../request-unwind/request-unwind.use-case';
import type { UnwindAccepted } from '../request-unwind/request-unwind.schema';
import { PlanRestoreUseCase } from '../plan-restore/plan-restore.use-case';
import type { RestorePlan, RestoreStarted } from '../plan-restore/plan-restore.schema';
import { ConfirmRestoreUseCase } from '../confirm-restore/confirm-restore.use-case';
import { ApiDoc } from './openapi/route-doc';
import {
  CLOSE_POSITION_DOC,
  GET_POSITION_DOC,
  LIST_POSITIONS_DOC,
  listQuery,
  OPEN_POSITION_DOC,
  positionIdParam,
  RESTORE_PLAN_DOC,
  RESTORE_POSITION_DOC,
  restoreBody,
  ROLLBACK_POSITION_DOC,
} from './positions.openapi';

const pathId = (id: string) => validate(positionIdParam, id, 'path', 'id');

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
  @ApiDoc(OPEN_POSITION_DOC)
  @Post()
  @HttpCode(202)
  async open(
    @Req() req: AuthenticatedRequest,
    @Body() raw: unknown,
    @Headers('idempotency-key') rawKey: string | undefined,
    @Headers('content-type') contentType: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OpenPositionAccepted> {
    requireJsonContentType(contentType);
    const key = validate(idempotencyKey, rawKey, 'header', 'Idempotency-Key');
    const body = validate(this.body, raw, 'body');
    const { position, replayed } = await this.accept.execute(req.principal, body, key);
    if (replayed) void reply.header('Idempotent-Replayed', 'true');
    return { positionId: position.id, status: position.status };
  }

  /** A page of the caller's positions, newest first: `limit`, and `cursor` from the previous page's `nextCursor`. */
  @ApiDoc(LIST_POSITIONS_DOC)
  @Get()
  async list(@Req() req: AuthenticatedRequest, @Query() rawQuery: unknown): Promise<PositionPage> {
    const { limit, cursor } = validate(listQuery, rawQuery ?? {}, 'query');
    return this.query.list(req.principal, limit, cursor ?? null);
  }

  @ApiDoc(GET_POSITION_DOC)
  @Get(':id')
  async get(@Req() req: AuthenticatedRequest, @Param('id') id: string): Promise<PositionDetail> {
    return this.query.get(req.principal, pathId(id));
  }

  /** 202: reduce-only orders for exactly the recorded components; follow with GET. */
  @ApiDoc(CLOSE_POSITION_DOC)
  @Post(':id/close')
  @HttpCode(202)
  async close(
    @Req() req: AuthenticatedRequest,
    @Param('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UnwindAccepted> {
    return this.answerUnwind(await this.unwind.execute(req.principal, pathId(id), 'close'), reply);
  }

  /** 202: unwinds the filled legs of a FAILED position with the same safeguards as a close. */
  @ApiDoc(ROLLBACK_POSITION_DOC)
  @Post(':id/rollback')
  @HttpCode(202)
  async rollback(
    @Req() req: AuthenticatedRequest,
    @Param('id') id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<UnwindAccepted> {
    return this.answerUnwind(await this.unwind.execute(req.principal, pathId(id), 'rollback'), reply);
  }

  /** The exact trades that would restore an ALTERED position to its components (a preview; nothing is sent). */
  @ApiDoc(RESTORE_PLAN_DOC)
  @Get(':id/restore-plan')
  async restorePlan(@Req() req: AuthenticatedRequest, @Param('id') id: string): Promise<RestorePlan> {
    return this.planRestore.plan(req.principal, pathId(id));
  }

  /** 202: executes a restore plan obtained from `restore-plan`, if the exchange still matches it. */
  @ApiDoc(RESTORE_POSITION_DOC)
  @Post(':id/restore')
  @HttpCode(202)
  async restorePosition(
    @Req() req: AuthenticatedRequest,
    @Param('id') id: string,
    @Body() raw: unknown,
    @Headers('content-type') contentType: string | undefined,
  ): Promise<RestoreStarted> {
    requireJsonContentType(contentType);
    const { planId } = validate(restoreBody, raw, 'body');
    return this.confirmRestore.execute(req.principal, pathId(id), planId);
  }

  private answerUnwind(result: UnwindAccepted & { replayed: boolean }, reply: FastifyReply): UnwindAccepted {
    if (result.replayed) void reply.header('Idempotent-Replayed', 'true');
    return { positionId: result.positionId, status: result.status };
  }
}
