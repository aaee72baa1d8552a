import { Controller, Get, Query, Req, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { AlertRepository } from '@legwork/persistence';
import { AuthenticatedRequest, BearerGuard } from '../auth/bearer.guard';
import { limitParam } from './query-params';
import { validate } from './validate';

const query = z.strictObject({ limit: limitParam(500, 100) });

/** `GET /api/alerts`: alerts about the caller's own positions and accounts, newest first. */
@Controller('api/alerts')
@UseGuards(BearerGuard)
export class AlertsController {
  constructor(private readonly alerts: AlertRepository) {}

  @Get()
  async list(@Req() req: AuthenticatedRequest, @Query() raw: unknown) {
    const { limit } = validate(query, raw ?? {}, 'query');
    const rows = await this.alerts.forUser(req.principal.userId, limit);
    return {
      alerts: rows.map((a) => ({
        id: a.id,
        kind: a.kind,
        severity: a.severity,
        summary: a.summary,
        positionId: a.positionId,
        accountId: a.accountId,
        details: a.details,
        occurredAt: a.occurredAt.toISOString(),
      })),
    };
  }
}
