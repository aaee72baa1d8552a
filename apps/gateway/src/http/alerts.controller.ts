import { Controller, Get, Query, Req, UseGuards } from '@nestjs/common';
import { AlertRepository } from '@legwork/persistence';
import { AuthenticatedRequest, BearerGuard } from '../auth/bearer.guard';
import { encodeAlertsCursor } from './alerts-cursor';
import { AlertList, AlertsQuery, LIST_ALERTS_DOC } from './alerts.openapi';
import { ApiDoc } from './openapi/route-doc';
import { validate } from './validate';

/**
 * `GET /api/alerts`: alerts newest first, `{alerts, nextCursor}`. A user sees the alerts about
 * their own positions and accounts; an operator token sees every user's. Filters: `kind`,
 * `severity`, `accountId`, `since` (ISO instant, inclusive). Pages: `limit` (≤ 500, default 100),
 * then `cursor` = the previous answer's `nextCursor` (null on the last page) with the same filters.
 */
@Controller('api/alerts')
@UseGuards(BearerGuard)
export class AlertsController {
  constructor(private readonly alerts: AlertRepository) {}

  @ApiDoc(LIST_ALERTS_DOC)
  @Get()
  async list(@Req() req: AuthenticatedRequest, @Query() raw: unknown): Promise<AlertList> {
    const { limit, kind, severity, accountId, since, cursor } = validate(AlertsQuery, raw ?? {}, 'query');
    const { principal } = req;
    const rows = await this.alerts.list(
      {
        ...(principal.role === 'operator' ? {} : { userId: principal.userId }),
        ...(kind ? { kind } : {}),
        ...(severity ? { severity } : {}),
        ...(accountId ? { accountId } : {}),
        ...(since ? { since } : {}),
        ...(cursor ? { before: cursor } : {}),
      },
      limit + 1,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      alerts: page.map((a) => ({
        id: a.id,
        kind: a.kind,
        severity: a.severity,
        summary: a.summary,
        positionId: a.positionId,
        accountId: a.accountId,
        details: a.details,
        occurredAt: a.occurredAt.toISOString(),
      })),
      nextCursor: rows.length > limit && last ? encodeAlertsCursor(last) : null,
    };
  }
}
